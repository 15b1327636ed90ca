package org.neurite.methods.safety.internal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.neurite.analysis.contrast.LogisticProbe;
import org.neurite.analysis.contrast.ProbeFit;
import org.neurite.analysis.contrast.ProbeOptions;
import org.neurite.api.NeuriteException;
import org.neurite.api.analysis.NeuronSet;
import org.neurite.api.analysis.Unit;
import org.neurite.api.analysis.UnitScores;

/**
 * NeuroStrike's white-box safety neurons (Wu et al., NDSS 2026; METHODS.md A4), as the authors'
 * {@code white_box/1_get_safety_neuron.py}, {@code probe.py} and {@code 2_prune_and_get_asr.py} make
 * them: per hook point (a module: gate_proj or up_proj of one layer) a logistic probe
 * {@code σ(w·a + b)} on the pooled activations, harmful = 1; {@code z = zscore(w)} within the module
 * (population standard deviation, as {@code scipy.stats.zscore}); the safety neurons are the units
 * with {@code |z| > zThreshold} and {@code w > 0}. The prefix sets are the safety neurons of layers
 * {@code 0..min(floor(p·L/100), L−1)} for each percentage {@code p} (the authors' {@code int(L·0.25)},
 * {@code int(L·0.5)}, {@code int(L·0.75)}, {@code L−1}, each layer range inclusive).
 */
final class NeuroStrike {
  private NeuroStrike() {}

  /**
   * Pooled activations and classes.
   *
   * @param byHook per hook point, {@code [n][U]}
   * @param harmful per prompt, true for the positive class
   * @param ids the prompts' ids, in row order
   */
  record Features(Map<String, double[][]> byHook, boolean[] harmful, List<String> ids) {}

  /**
   * What to fit and keep.
   *
   * @param probe the probe's training (the authors': {@link ProbeOptions#neuroStrike()})
   * @param zThreshold keep {@code |z| > zThreshold} (the authors' 3)
   * @param positiveOnly keep {@code w > 0} only (the authors' rule; false keeps either sign)
   * @param prefixPercents the depths of the prefix sets, in percent of the layers
   * @param group the group of the safety neurons
   */
  record Options(ProbeOptions probe, double zThreshold, boolean positiveOnly, List<Integer> prefixPercents,
      String group) {}

  /**
   * The result.
   *
   * @param neurons the safety neurons, one group, score {@code w}
   * @param weights every unit's probe weight, statistic {@code probe_weight}, one group
   * @param prefixes one group per percentage ({@code layers_25}, ...): the safety neurons of the layer prefix
   * @param fits the probe per hook point
   * @param zScores the z-scores of the weights per hook point
   */
  record Result(NeuronSet neurons, UnitScores weights, NeuronSet prefixes, Map<String, ProbeFit> fits,
      Map<String, double[]> zScores) {}

  /**
   * Fits every probe and selects.
   *
   * @param layers the model's depth L
   * @param initial per hook point, initial probe parameters (weights then bias), or null for the probe's own
   *     draw; tests give a reference's PyTorch initialisation
   */
  static Result run(Features features, Options options, int layers, Map<String, double[]> initial, NDManager scope,
      String where) {
    if (!(options.zThreshold() >= 0)) {
      throw new NeuriteException(where + ": z_threshold is " + options.zThreshold() + "; give a value >= 0 (the"
          + " authors' 3).");
    }
    for (int p : options.prefixPercents()) {
      if (p <= 0 || p > 100) {
        throw new NeuriteException(where + ": prefix_percents has " + p + "; give percentages of the depth in 1..100"
            + " (the authors' [25, 50, 75, 100]).");
      }
    }
    Map<String, ProbeFit> fits = new LinkedHashMap<>();
    Map<String, double[]> zs = new LinkedHashMap<>();
    Map<String, Map<String, float[]>> scores = new LinkedHashMap<>();
    for (Map.Entry<String, double[][]> e : features.byHook().entrySet()) {
      String hook = e.getKey();
      double[][] x = e.getValue();
      int n = x.length;
      int units = x[0].length;
      double[] flat = new double[n * units];
      for (int i = 0; i < n; i++) {
        System.arraycopy(x[i], 0, flat, i * units, units);
      }
      ProbeFit fit;
      try (NDManager probe = scope.newSubManager()) {
        NDArray a = probe.create(flat, new Shape(n, units));
        try {
          fit = LogisticProbe.fit(a, features.harmful(), options.probe(), initial == null ? null : initial.get(hook));
        } catch (NeuriteException bad) {
          throw new NeuriteException(where + ": the probe of " + hook + " cannot be fitted: " + bad.getMessage());
        }
      }
      double[] w = fit.weights();
      fits.put(hook, fit);
      zs.put(hook, fit.weightZScores());
      float[] f = new float[units];
      for (int u = 0; u < units; u++) {
        f[u] = (float) w[u];
      }
      scores.put(hook, Map.of(options.group(), f));
    }
    NeuronSet neurons = select(fits, options.zThreshold(), options.positiveOnly(), options.group());
    return new Result(neurons, new UnitScores("probe_weight", scores), prefixes(neurons, options.prefixPercents(),
        layers), fits, zs);
  }

  /**
   * The safety neurons of fitted probes: per module the units with {@code |z| > zThreshold} and, if
   * {@code positiveOnly}, {@code w > 0}; score w.
   */
  static NeuronSet select(Map<String, ProbeFit> fits, double zThreshold, boolean positiveOnly, String group) {
    List<NeuronSet.Member> members = new ArrayList<>();
    fits.forEach((hook, fit) -> {
      double[] w = fit.weights();
      double[] z = fit.weightZScores();
      for (int u = 0; u < w.length; u++) {
        if (Math.abs(z[u]) > zThreshold && (!positiveOnly || w[u] > 0)) {
          members.add(new NeuronSet.Member(new Unit(hook, u), w[u], group));
        }
      }
    });
    return new NeuronSet("neurostrike", "probe_weight", members);
  }

  /** The last layer of the prefix of {@code percent}% of {@code layers}: {@code min(floor(p·L/100), L−1)}. */
  static int lastLayer(int percent, int layers) {
    return Math.min(percent * layers / 100, layers - 1);
  }

  /** One group per percentage, {@code layers_P}: the members whose layer is at most {@link #lastLayer}. */
  static NeuronSet prefixes(NeuronSet neurons, List<Integer> percents, int layers) {
    List<NeuronSet.Member> members = new ArrayList<>();
    for (int p : new TreeSet<>(percents)) {
      int last = lastLayer(p, layers);
      for (NeuronSet.Member m : neurons.members()) {
        if (m.unit().layer() >= 0 && m.unit().layer() <= last) {
          members.add(new NeuronSet.Member(m.unit(), m.score(), "layers_" + p));
        }
      }
    }
    return new NeuronSet("neurostrike-prefixes", neurons.statistic(), members);
  }
}
