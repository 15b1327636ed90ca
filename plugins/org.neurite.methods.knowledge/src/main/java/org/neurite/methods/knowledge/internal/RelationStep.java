package org.neurite.methods.knowledge.internal;

import ai.djl.ndarray.NDManager;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.neurite.analysis.capture.ActivationShards;
import org.neurite.api.NeuriteException;
import org.neurite.api.analysis.NeuronSet;
import org.neurite.api.analysis.Unit;
import org.neurite.api.analysis.UnitScores;
import org.neurite.api.context.StepContext;
import org.neurite.api.step.NeuriteStep;
import org.neurite.api.step.ParamSpec;
import org.neurite.api.step.ParamType;
import org.neurite.api.step.Step;
import org.neurite.api.step.StepResult;
import org.neurite.api.step.StepSpec;
import org.osgi.service.component.annotations.Component;

/**
 * {@code neurons.relation}: relation-specific neurons (Liu et al., EMNLP 2025) from a {@code capture}
 * of the detection prompts (one row per prompt: the mean over its tokens) and an
 * {@code eval.greedy_match} of the same prompts (which facts the model knows). docs/methods/relation.md.
 */
@Component(service = Step.class)
@NeuriteStep(name = "neurons.relation")
public final class RelationStep implements Step {
  private static final StepSpec SPEC = StepSpec.named("neurons.relation")
      .summary("relation-specific neurons (Liu et al. 2025): average precision of each unit's mean value as a"
          + " classifier of one relation's prompts against the others', top k per relation")
      .input("activations", Path.class, "the capture.json of a capture step over the detection prompts, one row per"
          + " prompt (pooling mean; the paper: positions prompt, hooks gate, up and down projections)")
      .input("matches", Path.class, "the matches.json of an eval.greedy_match step over the same dataset (which"
          + " facts the model knows)")
      .param(ParamSpec.optional("known_only", ParamType.BOOLEAN, "true", "keep only the prompts the model answers"
          + " (the paper's detection filter)"))
      .param(ParamSpec.optional("negatives_per_positive", ParamType.INTEGER, "4", "negatives drawn per positive"
          + " from the other relations (the paper's 4x); 0 takes all of them"))
      .param(ParamSpec.optional("top_k", ParamType.INTEGER, "3000", "units kept per relation, every hook point"
          + " pooled (the paper's 3000)"))
      .param(ParamSpec.optional("seed", ParamType.INTEGER, "1", "the seed of the negative draws"))
      .output("neurons", NeuronSet.class, "the top k units of each relation (score: its average precision)")
      .output("scores", UnitScores.class, "every unit's average precision, per relation")
      .output("report", Path.class, "relation.json: per relation the positives, the negatives drawn (example"
          + " indices), the top units with their AP")
      .build();

  @Override
  public StepSpec spec() {
    return SPEC;
  }

  @Override
  public StepResult run(StepContext context) throws Exception {
    String where = "Step " + context.stepId();
    Path manifestFile = context.input("activations", Path.class);
    ActivationShards.Manifest manifest = ActivationShards.manifest(manifestFile);
    if (manifest.pooling().equalsIgnoreCase("tokens")) {
      throw new NeuriteException(where + ": the capture " + manifestFile + " has one row per token; relation neurons"
          + " score one value per prompt. Capture with pooling \"mean\" (and positions \"prompt\").");
    }
    int rows = (int) manifest.rows();
    Map<String, float[]> hooks = new LinkedHashMap<>();
    manifest.hooks().forEach((hook, width) -> hooks.put(hook, new float[rows * width]));
    int[] group = new int[rows];
    long[] example = new long[rows];
    int at = 0;
    for (ActivationShards.ShardEntry entry : manifest.shards()) {
      ActivationShards.Shard shard = ActivationShards.read(manifestFile, manifest, entry);
      for (Map.Entry<String, float[]> h : shard.values().entrySet()) {
        int width = manifest.hooks().get(h.getKey());
        System.arraycopy(h.getValue(), 0, hooks.get(h.getKey()), at * width, shard.rows() * width);
      }
      for (int r = 0; r < shard.rows(); r++) {
        group[at + r] = (int) shard.groups()[r];
        example[at + r] = shard.examples()[r];
      }
      at += shard.rows();
    }
    boolean knownOnly = context.param("known_only", Boolean.class);
    boolean[] known = known(context.input("matches", Path.class), example, knownOnly, where);
    RelationNeurons method = new RelationNeurons(manifest.groups(), hooks, manifest.hooks(), group, example, known);
    RelationNeurons.Options options = new RelationNeurons.Options(
        (int) StepParams.atLeast(context, "negatives_per_positive", 0), (int) StepParams.atLeast(context, "top_k", 1),
        context.param("seed", Long.class));
    List<RelationNeurons.PerRelation> results;
    try (NDManager scope = context.backend().newScope(context.device())) {
      results = method.run(options, scope, where);
    }
    Map<String, Map<String, float[]>> scores = new LinkedHashMap<>();
    for (RelationNeurons.PerRelation r : results) {
      r.ap().forEach((hook, ap) -> {
        float[] f = new float[ap.length];
        for (int u = 0; u < ap.length; u++) {
          f[u] = (float) ap[u];
        }
        scores.computeIfAbsent(hook, k -> new LinkedHashMap<>()).put(r.relation(), f);
      });
      context.metric("positives", r.relation(), r.positives());
      context.metric("negatives", r.relation(), r.negatives().length);
      context.metric("units", r.relation(), r.top().size());
    }
    NeuronSet neurons = RelationNeurons.neurons(context.stepId(), results);
    Path report = context.artifacts().write("relation.json", "report", temporary -> Files.writeString(temporary,
        new GsonBuilder().setPrettyPrinting().create().toJson(report(manifest, options, knownOnly, results)),
        StandardCharsets.UTF_8));
    return StepResult.of("neurons", neurons, "scores", new UnitScores("average_precision", scores), "report", report);
  }

  /** Per row, whether the model answers its prompt (all true when {@code knownOnly} is off). */
  private static boolean[] known(Path matchesFile, long[] example, boolean knownOnly, String where) throws Exception {
    JsonObject matches = JsonParser.parseString(Files.readString(matchesFile)).getAsJsonObject();
    if (!matches.has("kind") || !"greedy-matches".equals(matches.get("kind").getAsString())) {
      throw new NeuriteException(where + ": " + matchesFile + " is not the matches.json of an eval.greedy_match step.");
    }
    Map<Long, Boolean> byExample = new LinkedHashMap<>();
    for (JsonElement e : matches.getAsJsonArray("examples")) {
      JsonObject o = e.getAsJsonObject();
      byExample.put(o.get("index").getAsLong(), o.get("match").getAsBoolean());
    }
    if (byExample.size() != example.length) {
      throw new NeuriteException(where + ": the greedy matches " + matchesFile + " cover " + byExample.size()
          + " prompts but the capture has " + example.length + " rows; run both steps on the same dataset.");
    }
    boolean[] known = new boolean[example.length];
    for (int r = 0; r < example.length; r++) {
      Boolean m = byExample.get(example[r]);
      if (m == null) {
        throw new NeuriteException(where + ": the greedy matches have no prompt " + example[r] + "; run both steps on"
            + " the same dataset.");
      }
      known[r] = !knownOnly || m;
    }
    return known;
  }

  private static JsonObject report(ActivationShards.Manifest manifest, RelationNeurons.Options options,
      boolean knownOnly, List<RelationNeurons.PerRelation> results) {
    JsonObject json = new JsonObject();
    json.addProperty("method", "relation-specific neurons (average precision)");
    json.addProperty("positions", manifest.positions());
    json.addProperty("pooling", manifest.pooling());
    json.addProperty("known_only", knownOnly);
    json.addProperty("negatives_per_positive", options.negativesPerPositive());
    json.addProperty("top_k", options.topK());
    json.addProperty("seed", options.seed());
    JsonObject relations = new JsonObject();
    for (RelationNeurons.PerRelation r : results) {
      JsonObject o = new JsonObject();
      o.addProperty("positives", r.positives());
      JsonArray negatives = new JsonArray();
      for (long e : r.negatives()) {
        negatives.add(e);
      }
      o.add("negatives", negatives);
      JsonArray top = new JsonArray();
      for (Unit u : r.top()) {
        JsonObject t = new JsonObject();
        t.addProperty("hook", u.hook());
        t.addProperty("index", u.index());
        t.addProperty("ap", r.ap().get(u.hook())[u.index()]);
        top.add(t);
      }
      o.add("top", top);
      relations.add(r.relation(), o);
    }
    json.add("relations", relations);
    return json;
  }
}
