package org.neurite.methods.inspect.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.neurite.analysis.stats.SequenceMagnitudes;
import org.neurite.api.NeuriteException;

/**
 * Massive activations over a corpus (METHODS.md B5; "Hidden Dynamics of Massive Activations in
 * Transformer Training", and Sun et al. 2024's definition): for each hook point (a residual-stream
 * site), every sequence's {@code r = max|h| / median|h|} over its S×d real entries, where the
 * maximum is, and the per-position ratios, gathered per layer. Mergeable: the per-sequence values
 * are a list and the rest are sums, so shards of a corpus merge into the corpus.
 */
final class MassiveActivations {

  /** One sequence at one hook point. */
  record Sequence(long example, String id, SequenceMagnitudes magnitudes, long tokenAtMax) {
    /** Sun et al.'s massive activation at the maximum: |a| > the threshold and |a| / median ≥ the ratio threshold. */
    boolean maxIsMassive(double absThreshold, double ratioThreshold) {
      return magnitudes.maxAbs() > absThreshold && magnitudes.ratio() >= ratioThreshold;
    }
  }

  /** The per-position ratios of one token id: how often it occurred, their sum and largest. */
  record TokenRatios(long count, double sum, double max) {
    double mean() {
      return count == 0 ? Double.NaN : sum / count;
    }

    TokenRatios merge(TokenRatios other) {
      return new TokenRatios(count + other.count, sum + other.sum, Math.max(max, other.max));
    }
  }

  /** What one hook point gathered. */
  static final class Site {
    final List<Sequence> sequences = new ArrayList<>();
    final Map<Long, TokenRatios> tokens = new TreeMap<>();

    void add(Sequence sequence, long[] ids) {
      sequences.add(sequence);
      double[] ratios = sequence.magnitudes().positionRatios();
      for (int p = 0; p < ratios.length; p++) {
        if (!Double.isNaN(ratios[p])) {
          tokens.merge(ids[p], new TokenRatios(1, ratios[p], ratios[p]), TokenRatios::merge);
        }
      }
    }

    /** Sequences with a ratio (a median above 0). */
    double[] ratios() {
      return sequences.stream().mapToDouble(s -> s.magnitudes().ratio()).filter(r -> !Double.isNaN(r)).toArray();
    }

    double meanRatio() {
      double[] r = ratios();
      return r.length == 0 ? Double.NaN : java.util.Arrays.stream(r).sum() / r.length;
    }

    /** The standard error of the mean ratio: sample standard deviation (n − 1) over √n; NaN below 2 sequences. */
    double semRatio() {
      double[] r = ratios();
      if (r.length < 2) {
        return Double.NaN;
      }
      double mean = meanRatio();
      double ss = 0;
      for (double x : r) {
        ss += (x - mean) * (x - mean);
      }
      return Math.sqrt(ss / (r.length - 1)) / Math.sqrt(r.length);
    }

    /** The sequence with the largest |h|, the first on ties. */
    Sequence largest() {
      Sequence best = null;
      for (Sequence s : sequences) {
        if (best == null || s.magnitudes().maxAbs() > best.magnitudes().maxAbs()) {
          best = s;
        }
      }
      return best;
    }

    long count(java.util.function.ToLongFunction<SequenceMagnitudes> what) {
      return sequences.stream().mapToLong(s -> what.applyAsLong(s.magnitudes())).sum();
    }

    double meanPositionRatio() {
      long n = 0;
      double sum = 0;
      for (TokenRatios t : tokens.values()) {
        n += t.count();
        sum += t.sum();
      }
      return n == 0 ? Double.NaN : sum / n;
    }
  }

  private final Map<String, Site> sites = new LinkedHashMap<>();
  private long examples;

  /** The hook points, in the order first seen (forward order). */
  Map<String, Site> sites() {
    return sites;
  }

  /** Examples added. */
  long examples() {
    return examples;
  }

  /**
   * One batch: for each hook point (forward order) the magnitudes of each of its sequences.
   *
   * @param ids each sequence's real token ids
   * @param exampleIds each sequence's dataset id
   */
  void add(Map<String, List<SequenceMagnitudes>> batch, List<long[]> ids, List<String> exampleIds) {
    batch.forEach((hook, perSequence) -> {
      Site site = sites.computeIfAbsent(hook, h -> new Site());
      for (int s = 0; s < perSequence.size(); s++) {
        SequenceMagnitudes m = perSequence.get(s);
        site.add(new Sequence(examples + s, exampleIds.get(s), m, ids.get(s)[m.maxPosition()]), ids.get(s));
      }
    });
    examples += ids.size();
  }

  /**
   * This corpus followed by another shard's: its examples are numbered after this one's.
   *
   * @throws NeuriteException if the two have different hook points
   */
  MassiveActivations merge(MassiveActivations later) {
    if (!sites.isEmpty() && !later.sites.isEmpty() && !sites.keySet().equals(later.sites.keySet())) {
      throw new NeuriteException("Massive-activation shards cover different hook points (" + sites.keySet() + " and "
          + later.sites.keySet() + "); compute every shard with the same hooks.");
    }
    MassiveActivations out = new MassiveActivations();
    for (MassiveActivations part : List.of(this, later)) {
      long offset = out.examples;
      part.sites.forEach((hook, site) -> {
        Site merged = out.sites.computeIfAbsent(hook, h -> new Site());
        for (Sequence s : site.sequences) {
          merged.sequences.add(new Sequence(s.example() + offset, s.id(), s.magnitudes(), s.tokenAtMax()));
        }
        site.tokens.forEach((token, ratios) -> merged.tokens.merge(token, ratios, TokenRatios::merge));
      });
      out.examples += part.examples;
    }
    return out;
  }

  /** The {@code n} sequence maxima with the largest |h| over every hook point, largest first. */
  List<Map.Entry<String, Sequence>> top(int n) {
    List<Map.Entry<String, Sequence>> all = new ArrayList<>();
    sites.forEach((hook, site) -> site.sequences.forEach(s -> all.add(Map.entry(hook, s))));
    all.sort(Comparator.comparingDouble((Map.Entry<String, Sequence> e) -> -e.getValue().magnitudes().maxAbs()));
    return all.subList(0, Math.min(n, all.size()));
  }
}
