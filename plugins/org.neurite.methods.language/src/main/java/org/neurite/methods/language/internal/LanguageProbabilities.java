package org.neurite.methods.language.internal;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.neurite.analysis.contrast.GroupEntropy;
import org.neurite.analysis.stats.StatsFiles;
import org.neurite.analysis.stats.UnitStats;
import org.neurite.api.NeuriteException;
import org.neurite.api.analysis.Unit;
import org.neurite.api.analysis.UnitScores;
import org.neurite.api.context.StepContext;

/**
 * Activation probabilities per language, as both language-neuron methods read them: for every
 * hook point (in the order of the statistics) {@code p[k][u]}, the fraction of language k's rows
 * on which unit u is active, and the units flattened in model order (hook points in order, then
 * units), as the authors flatten [layer, unit].
 */
record LanguageProbabilities(List<String> languages, Map<String, double[][]> byHook, List<Unit> units) {

  /**
   * @param where the step, for messages
   * @throws NeuriteException if the statistics' languages differ between hook points, a language
   *     has no rows, or there are fewer than two languages
   */
  static LanguageProbabilities of(Map<String, UnitStats> stats, String where) {
    if (stats.isEmpty()) {
      throw new NeuriteException(where + ": the statistics hold no hook point; run stats.units on the MLP"
          + " activations (e.g. hooks [\"blocks.*.mlp.hook_pre\"]).");
    }
    List<String> languages = null;
    Map<String, double[][]> byHook = new LinkedHashMap<>();
    List<Unit> units = new ArrayList<>();
    for (Map.Entry<String, UnitStats> e : stats.entrySet()) {
      UnitStats s = e.getValue();
      if (languages == null) {
        languages = s.groups();
      } else if (!languages.equals(s.groups())) {
        throw new NeuriteException(where + ": the statistics of " + e.getKey() + " have groups " + s.groups()
            + " but the first hook point's are " + languages + "; compute every hook point in one stats.units step.");
      }
      if (languages.size() < 2) {
        throw new NeuriteException(where + ": language neurons need at least two languages; the statistics have "
            + languages + ". Give the dataset's language field as group_by (e.g. \"lang\").");
      }
      for (int g = 0; g < languages.size(); g++) {
        if (s.count(g) == 0) {
          throw new NeuriteException(where + ": language '" + languages.get(g) + "' has no tokens at " + e.getKey()
              + "; give it examples, or leave it out of the dataset.");
        }
      }
      byHook.put(e.getKey(), GroupEntropy.probabilities(s));
      for (int u = 0; u < s.units(); u++) {
        units.add(new Unit(e.getKey(), u));
      }
    }
    return new LanguageProbabilities(languages, byHook, units);
  }

  /** The probabilities of the statistics a step's {@code stats} input names (a stats.units manifest). */
  static LanguageProbabilities ofInput(StepContext context) {
    String where = "Step " + context.stepId();
    return of(StatsFiles.readManifest(context.input("stats", Path.class), where), where);
  }

  /** Writes a step's JSON report as an artifact. */
  static Path writeReport(StepContext context, String fileName, JsonObject report) throws Exception {
    return context.artifacts().write(fileName, "report", temporary -> Files.writeString(temporary,
        new GsonBuilder().setPrettyPrinting().create().toJson(report), StandardCharsets.UTF_8));
  }

  /** Every hook point's probabilities, for the pooled bars. */
  double[][][] sites() {
    return byHook.values().toArray(double[][][]::new);
  }

  /** The probability of the i-th unit (model order) in language k. */
  double p(int k, int i) {
    Unit unit = units.get(i);
    return byHook.get(unit.hook())[k][unit.index()];
  }

  /** A per-unit vector over every hook point, flattened in model order. */
  static double[] flatten(Map<String, double[]> perHook) {
    int total = perHook.values().stream().mapToInt(v -> v.length).sum();
    double[] out = new double[total];
    int at = 0;
    for (double[] v : perHook.values()) {
      System.arraycopy(v, 0, out, at, v.length);
      at += v.length;
    }
    return out;
  }

  /** The probabilities as unit scores, one group per language. */
  UnitScores asScores() {
    Map<String, Map<String, float[]>> scores = new LinkedHashMap<>();
    byHook.forEach((hook, p) -> {
      Map<String, float[]> byLanguage = new LinkedHashMap<>();
      for (int k = 0; k < languages.size(); k++) {
        float[] f = new float[p[k].length];
        for (int u = 0; u < f.length; u++) {
          f[u] = (float) p[k][u];
        }
        byLanguage.put(languages.get(k), f);
      }
      scores.put(hook, byLanguage);
    });
    return new UnitScores("active_probability", scores);
  }

  /**
   * The indices (model order) of the {@code count} lowest values, lowest first; equal values in
   * model order.
   */
  static int[] lowest(double[] values, int count) {
    Integer[] order = new Integer[values.length];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    java.util.Arrays.sort(order, (a, b) -> {
      int c = Double.compare(values[a], values[b]);
      return c != 0 ? c : Integer.compare(a, b);
    });
    int[] out = new int[Math.min(count, values.length)];
    for (int i = 0; i < out.length; i++) {
      out[i] = order[i];
    }
    return out;
  }

  /** Python's {@code round(n * rate)} (half to even), as the authors size their selections. */
  static int pythonRound(double value) {
    return (int) Math.rint(value);
  }
}
