package org.neurite.support.text;

import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/** Suggests the known names closest to a misspelt one, by edit distance. */
public final class ClosestNames {
  private record Candidate(String name, int distance) {}

  private ClosestNames() {}

  /** Up to {@code max} known names within a few edits of {@code wanted} (or sharing its prefix), closest first. */
  public static List<String> to(String wanted, Collection<String> known, int max) {
    int limit = Math.max(1, Math.min(3, wanted.length() / 3));
    return known.stream()
        .map(name -> new Candidate(name, distance(wanted, name)))
        .filter(c -> c.distance() <= limit || c.name().startsWith(wanted) || wanted.startsWith(c.name()))
        .sorted(Comparator.comparingInt(Candidate::distance).thenComparing(Candidate::name))
        .limit(max)
        .map(Candidate::name)
        .toList();
  }

  /**
   * Edit distance counting a swap of two neighbouring letters as one edit, as typing slips are
   * ({@code rnu} is one edit from {@code run}): the optimal string alignment distance.
   */
  public static int distance(String a, String b) {
    int[][] d = new int[a.length() + 1][b.length() + 1];
    for (int i = 0; i <= a.length(); i++) {
      d[i][0] = i;
    }
    for (int j = 0; j <= b.length(); j++) {
      d[0][j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
        if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
          d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
        }
      }
    }
    return d[a.length()][b.length()];
  }
}
