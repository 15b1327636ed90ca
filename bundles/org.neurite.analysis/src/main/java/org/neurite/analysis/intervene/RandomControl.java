package org.neurite.analysis.intervene;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeSet;
import org.neurite.api.NeuriteException;
import org.neurite.api.model.ModelSpec;

/**
 * The same-size random control of a set of units: at every hook point the same number of units,
 * drawn uniformly without replacement from the units of that hook point that are not in the set,
 * with a recorded seed (DESIGN.md section 8). A result is reported as the pair (targeted, control).
 */
public final class RandomControl {
  private RandomControl() {}

  /**
   * @param targeted units by hook point
   * @param seed the seed; the same seed gives the same control
   * @throws NeuriteException if a hook point has too few other units to draw from
   */
  public static Map<String, int[]> draw(Map<String, int[]> targeted, ModelSpec spec, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    Map<String, int[]> control = new LinkedHashMap<>();
    for (Map.Entry<String, int[]> e : targeted.entrySet()) {
      int width = HookWidths.of(spec, e.getKey());
      TreeSet<Integer> excluded = new TreeSet<>();
      for (int u : e.getValue()) {
        excluded.add(u);
      }
      int count = excluded.size();
      int available = width - count;
      if (count > available) {
        throw new NeuriteException("Hook point " + e.getKey() + " has " + width + " units and " + count
            + " are targeted, leaving " + available + " to draw a same-size random control from; target at most half"
            + " of a hook point's units.");
      }
      int[] pool = new int[available];
      int k = 0;
      for (int u = 0; u < width; u++) {
        if (!excluded.contains(u)) {
          pool[k++] = u;
        }
      }
      for (int i = 0; i < count; i++) {
        int j = i + random.nextInt(available - i);
        int swap = pool[i];
        pool[i] = pool[j];
        pool[j] = swap;
      }
      int[] drawn = java.util.Arrays.copyOf(pool, count);
      java.util.Arrays.sort(drawn);
      control.put(e.getKey(), drawn);
    }
    return control;
  }
}
