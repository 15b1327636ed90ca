package org.neurite.methods.knowledge.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.neurite.analysis.contrast.UnitRanking;
import org.neurite.api.NeuriteException;
import org.neurite.api.analysis.NeuronSet;
import org.neurite.api.analysis.Unit;

/**
 * Relation-specific neurons (Liu et al., EMNLP 2025, after Cuadros et al. 2022): for each relation,
 * every unit's average precision as a classifier of that relation's prompts (positives) against
 * prompts of the other relations (negatives), on one value per prompt (its mean over the prompt's
 * tokens); the top k units per relation.
 *
 * @param relations the relation of each row's group index
 * @param hooks per hook point, rows {@code [n, units]} (row-major), in model order
 * @param group per row, its relation's index
 * @param example per row, the example's index in dataset order
 * @param known per row, whether it takes part (the model answers it, when detection keeps known facts only)
 */
record RelationNeurons(List<String> relations, Map<String, float[]> hooks, Map<String, Integer> widths, int[] group,
    long[] example, boolean[] known) {

  /**
   * @param negativesPerPositive negatives drawn per positive from the other relations' rows (the
   *     paper's 4); 0 takes every one of them
   * @param topK units kept per relation, every hook point pooled
   * @param seed the seed of the negative draws
   */
  record Options(int negativesPerPositive, int topK, long seed) {}

  /** One relation's outcome: its scores per hook point, the negatives drawn (example indices), the top units. */
  record PerRelation(String relation, int positives, long[] negatives, Map<String, double[]> ap, List<Unit> top) {}

  /** Scores every relation; {@code scope} holds the arrays the ranking sorts on the tensor backend. */
  List<PerRelation> run(Options options, NDManager scope, String where) {
    int n = group.length;
    List<PerRelation> out = new ArrayList<>();
    SplittableRandom random = new SplittableRandom(options.seed());
    for (int r = 0; r < relations.size(); r++) {
      List<Integer> pool = new ArrayList<>();
      boolean[] positive = new boolean[n];
      int positives = 0;
      for (int i = 0; i < n; i++) {
        if (!known[i]) {
          continue;
        }
        if (group[i] == r) {
          positive[i] = true;
          positives++;
        } else {
          pool.add(i);
        }
      }
      if (positives == 0) {
        throw new NeuriteException(where + ": relation '" + relations.get(r) + "' has no prompt the model answers"
            + " (or none at all), so it has no positives; give it more facts, or set known_only to false.");
      }
      if (pool.isEmpty()) {
        throw new NeuriteException(where + ": relation '" + relations.get(r) + "' has no negatives: every known"
            + " prompt is of that relation. Give prompts of at least two relations.");
      }
      boolean[] chosen = new boolean[n];
      for (int i = 0; i < n; i++) {
        chosen[i] = positive[i];
      }
      long[] negatives = draw(pool, options.negativesPerPositive() == 0 ? pool.size()
          : Math.min(pool.size(), options.negativesPerPositive() * positives), random);
      for (long e : negatives) {
        chosen[(int) e] = true;
      }
      Map<String, double[]> ap = new LinkedHashMap<>();
      List<Unit> units = new ArrayList<>();
      List<Double> scores = new ArrayList<>();
      int taking = 0;
      for (boolean c : chosen) {
        taking += c ? 1 : 0;
      }
      boolean[] labels = new boolean[taking];
      int[] rowsTaken = new int[taking];
      for (int i = 0, k = 0; i < n; i++) {
        if (chosen[i]) {
          labels[k] = positive[i];
          rowsTaken[k++] = i;
        }
      }
      hooks.forEach((hook, rows) -> {
        int width = widths.get(hook);
        float[] taken = new float[rowsTaken.length * width];
        for (int k = 0; k < rowsTaken.length; k++) {
          System.arraycopy(rows, rowsTaken[k] * width, taken, k * width, width);
        }
        double[] a;
        try (NDManager work = scope.newSubManager()) {
          a = UnitRanking.averagePrecision(work.create(taken, new Shape(rowsTaken.length, width)), labels);
        }
        ap.put(hook, a);
        for (int u = 0; u < a.length; u++) {
          units.add(new Unit(hook, u));
          scores.add(a[u]);
        }
      });
      Integer[] order = new Integer[units.size()];
      for (int i = 0; i < order.length; i++) {
        order[i] = i;
      }
      // stable: ties keep model order (hook points in order, then units)
      java.util.Arrays.sort(order, Comparator.comparingDouble((Integer i) -> scores.get(i)).reversed());
      List<Unit> top = new ArrayList<>();
      for (int i = 0; i < Math.min(options.topK(), order.length); i++) {
        top.add(units.get(order[i]));
      }
      long[] negativeExamples = new long[negatives.length];
      for (int i = 0; i < negatives.length; i++) {
        negativeExamples[i] = example[(int) negatives[i]];
      }
      out.add(new PerRelation(relations.get(r), positives, negativeExamples, ap, top));
    }
    return out;
  }

  /** {@code k} of the pool without replacement (a partial Fisher-Yates shuffle), as row indices, sorted. */
  private static long[] draw(List<Integer> pool, int k, SplittableRandom random) {
    int[] p = pool.stream().mapToInt(Integer::intValue).toArray();
    for (int i = 0; i < k; i++) {
      int j = i + random.nextInt(p.length - i);
      int t = p[i];
      p[i] = p[j];
      p[j] = t;
    }
    long[] out = new long[k];
    for (int i = 0; i < k; i++) {
      out[i] = p[i];
    }
    java.util.Arrays.sort(out);
    return out;
  }

  /** The top units of every relation as one neuron set (score: the unit's AP for that relation). */
  static NeuronSet neurons(String name, List<PerRelation> results) {
    List<NeuronSet.Member> members = new ArrayList<>();
    for (PerRelation r : results) {
      for (Unit u : r.top()) {
        members.add(new NeuronSet.Member(u, r.ap().get(u.hook())[u.index()], r.relation()));
      }
    }
    return new NeuronSet(name, "average_precision", members);
  }
}
