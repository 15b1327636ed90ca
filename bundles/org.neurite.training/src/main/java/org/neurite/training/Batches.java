package org.neurite.training;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.neurite.api.NeuriteException;

/** The token sequences of each optimizer step. */
@FunctionalInterface
public interface Batches {
  /** The sequences of optimizer step {@code k} (from 0). */
  List<long[]> at(int k);

  /**
   * Batches of {@code size} sequences drawn in a seeded order: the examples are shuffled once per
   * pass over them (pass {@code e} with {@code java.util.Random(seed + e)}, whose algorithm Java
   * specifies), the passes laid end to end, and step {@code k} takes the next {@code size}. Step
   * {@code k}'s batch depends on the seed and {@code k} only, so a resumed run sees the batches the
   * uninterrupted one would have.
   *
   * @throws NeuriteException if there are no examples or the size is below 1
   */
  static Batches shuffled(List<long[]> examples, int size, long seed) {
    if (examples.isEmpty()) {
      throw new NeuriteException("The training dataset has no examples.");
    }
    if (size < 1) {
      throw new NeuriteException("Training parameter 'batch_size' is " + size + "; it must be at least 1.");
    }
    List<long[]> all = List.copyOf(examples);
    java.util.Map<Long, List<Integer>> orders = new java.util.concurrent.ConcurrentHashMap<>();
    return k -> {
      List<long[]> batch = new ArrayList<>(size);
      for (long i = (long) k * size; i < (long) k * size + size; i++) {
        long pass = i / all.size();
        List<Integer> order = orders.computeIfAbsent(pass, p -> order(all.size(), seed + p));
        batch.add(all.get(order.get((int) (i % all.size()))));
      }
      orders.keySet().removeIf(p -> p < (long) k * size / all.size());
      return batch;
    };
  }

  private static List<Integer> order(int n, long seed) {
    List<Integer> order = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      order.add(i);
    }
    Collections.shuffle(order, new Random(seed));
    return order;
  }
}
