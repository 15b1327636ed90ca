package org.neurite.methods.inspect.internal;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.BufferedWriter;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.neurite.analysis.stats.SequenceMagnitudes;
import org.neurite.api.model.LanguageModel;

/** The files of {@code stats.massive}: the per-layer table, the sequences, the report with plot data. */
final class MassiveReport {
  private MassiveReport() {}

  static final List<String> TABLE_HEADER = List.of("index", "hook", "sequences", "mean_ratio", "sem_ratio",
      "max_ratio", "mean_max_abs", "max_abs", "max_example", "max_position", "max_token_id", "max_dim", "count_abs",
      "count_ratio", "count_massive", "mean_position_ratio", "top_dims");
  static final List<String> SEQUENCE_HEADER = List.of("hook", "example", "id", "positions", "ratio", "max_abs",
      "median", "position", "token_id", "token", "dim", "count_abs", "count_ratio", "count_massive");

  static void table(MassiveActivations result, MassiveStep.Options options, BufferedWriter out) throws Exception {
    int index = 0;
    for (Map.Entry<String, MassiveActivations.Site> e : result.sites().entrySet()) {
      MassiveActivations.Site site = e.getValue();
      MassiveActivations.Sequence max = site.largest();
      Reports.line(out, index++, e.getKey(), site.sequences.size(), site.meanRatio(), site.semRatio(), maxRatio(site),
          meanMaxAbs(site), max.magnitudes().maxAbs(), max.example(), max.magnitudes().maxPosition(), max.tokenAtMax(),
          max.magnitudes().maxUnit(), site.count(SequenceMagnitudes::aboveAbs),
          site.count(SequenceMagnitudes::aboveRatio), site.count(SequenceMagnitudes::massive),
          site.meanPositionRatio(), topDims(site, 5));
    }
  }

  static void sequences(MassiveActivations result, MassiveStep.Options options, LanguageModel model, BufferedWriter out)
      throws Exception {
    TokenLabels labels = new TokenLabels(model.tokenizer());
    for (Map.Entry<String, MassiveActivations.Site> e : result.sites().entrySet()) {
      for (MassiveActivations.Sequence s : e.getValue().sequences) {
        SequenceMagnitudes m = s.magnitudes();
        Reports.line(out, e.getKey(), s.example(), s.id(), m.positions(), m.ratio(), m.maxAbs(), m.median(),
            m.maxPosition(), s.tokenAtMax(), labels.text(s.tokenAtMax()), m.maxUnit(), m.aboveAbs(), m.aboveRatio(),
            m.massive());
      }
    }
  }

  static JsonObject json(MassiveActivations result, MassiveStep.Options options, int top, LanguageModel model) {
    TokenLabels labels = new TokenLabels(model.tokenizer());
    JsonObject json = new JsonObject();
    json.addProperty("method", "massive_activations");
    json.addProperty("median", options.median().name().toLowerCase(Locale.ROOT));
    json.addProperty("abs_threshold", options.absThreshold());
    json.addProperty("ratio_threshold", options.ratioThreshold());
    json.addProperty("sequences", result.examples());
    JsonArray layers = new JsonArray();
    JsonObject plot = new JsonObject();
    JsonArray x = new JsonArray();
    JsonArray names = new JsonArray();
    JsonArray ratio = new JsonArray();
    JsonArray sem = new JsonArray();
    JsonObject tokens = new JsonObject();
    int index = 0;
    for (Map.Entry<String, MassiveActivations.Site> e : result.sites().entrySet()) {
      MassiveActivations.Site site = e.getValue();
      MassiveActivations.Sequence max = site.largest();
      JsonObject row = new JsonObject();
      row.addProperty("index", index);
      row.addProperty("hook", e.getKey());
      row.addProperty("sequences", site.sequences.size());
      row.addProperty("mean_ratio", site.meanRatio());
      row.addProperty("sem_ratio", site.semRatio());
      row.addProperty("max_ratio", maxRatio(site));
      row.addProperty("mean_max_abs", meanMaxAbs(site));
      JsonObject at = occurrence(e.getKey(), max, labels);
      row.add("max", at);
      row.addProperty("count_abs", site.count(SequenceMagnitudes::aboveAbs));
      row.addProperty("count_ratio", site.count(SequenceMagnitudes::aboveRatio));
      row.addProperty("count_massive", site.count(SequenceMagnitudes::massive));
      row.addProperty("mean_position_ratio", site.meanPositionRatio());
      row.addProperty("top_dims", topDims(site, 5));
      layers.add(row);
      x.add(index++);
      names.add(e.getKey());
      ratio.add(site.meanRatio());
      sem.add(site.semRatio());
      JsonArray perToken = new JsonArray();
      site.tokens.entrySet().stream()
          .sorted(Comparator.comparingDouble((Map.Entry<Long, MassiveActivations.TokenRatios> t) -> -t.getValue().mean())
              .thenComparing(Map.Entry::getKey))
          .limit(10).forEach(t -> {
            JsonObject o = new JsonObject();
            o.addProperty("token_id", t.getKey());
            o.addProperty("token", labels.text(t.getKey()));
            o.addProperty("count", t.getValue().count());
            o.addProperty("mean_ratio", t.getValue().mean());
            o.addProperty("max_ratio", t.getValue().max());
            perToken.add(o);
          });
      tokens.add(e.getKey(), perToken);
    }
    json.add("layers", layers);
    plot.addProperty("x", "index of the hook point in forward order");
    plot.addProperty("y", "mean over sequences of max|h| / median|h|, with its standard error");
    plot.add("index", x);
    plot.add("hook", names);
    plot.add("mean_ratio", ratio);
    plot.add("sem_ratio", sem);
    json.add("plot", plot);
    JsonArray occurrences = new JsonArray();
    for (Map.Entry<String, MassiveActivations.Sequence> e : result.top(top)) {
      occurrences.add(occurrence(e.getKey(), e.getValue(), labels));
    }
    json.add("top", occurrences);
    json.add("token_ratios", tokens);
    return json;
  }

  private static JsonObject occurrence(String hook, MassiveActivations.Sequence s, TokenLabels labels) {
    JsonObject o = new JsonObject();
    o.addProperty("hook", hook);
    o.addProperty("example", s.example());
    o.addProperty("id", s.id());
    o.addProperty("position", s.magnitudes().maxPosition());
    o.addProperty("token_id", s.tokenAtMax());
    o.addProperty("token", labels.text(s.tokenAtMax()));
    o.addProperty("dim", s.magnitudes().maxUnit());
    o.addProperty("max_abs", s.magnitudes().maxAbs());
    o.addProperty("median", s.magnitudes().median());
    o.addProperty("ratio", s.magnitudes().ratio());
    return o;
  }

  static double maxRatio(MassiveActivations.Site site) {
    double[] r = site.ratios();
    return r.length == 0 ? Double.NaN : java.util.Arrays.stream(r).max().getAsDouble();
  }

  static double meanMaxAbs(MassiveActivations.Site site) {
    return site.sequences.stream().mapToDouble(s -> s.magnitudes().maxAbs()).average().orElse(Double.NaN);
  }

  /** The dimensions that held sequence maxima most often: {@code dim:count} separated by spaces. */
  static String topDims(MassiveActivations.Site site, int n) {
    Map<Integer, Integer> counts = new TreeMap<>();
    site.sequences.forEach(s -> counts.merge(s.magnitudes().maxUnit(), 1, Integer::sum));
    StringBuilder out = new StringBuilder();
    counts.entrySet().stream().sorted(Map.Entry.<Integer, Integer>comparingByValue().reversed()
        .thenComparing(Map.Entry.comparingByKey())).limit(n)
        .forEach(e -> out.append(out.length() == 0 ? "" : " ").append(e.getKey()).append(':').append(e.getValue()));
    return out.toString();
  }
}
