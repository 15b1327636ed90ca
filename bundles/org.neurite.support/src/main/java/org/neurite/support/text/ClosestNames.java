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

  /** Levenshtein distance. */
  public static int distance(String a, String b) {
    int[] previous = new int[b.length() + 1];
    int[] current = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      previous[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      current[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        current[j] = Math.min(Math.min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
      }
      int[] swap = previous;
      previous = current;
      current = swap;
    }
    return previous[b.length()];
  }
}
