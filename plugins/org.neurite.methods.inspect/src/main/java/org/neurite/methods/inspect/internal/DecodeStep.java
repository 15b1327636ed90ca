package org.neurite.methods.inspect.internal;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.neurite.analysis.weights.UnitDirection;
import org.neurite.api.NeuriteException;
import org.neurite.api.analysis.NeuronSet;
import org.neurite.api.context.StepContext;
import org.neurite.api.model.LanguageModel;
import org.neurite.api.model.ModelRepository;
import org.neurite.api.model.TensorStore;
import org.neurite.api.step.NeuriteStep;
import org.neurite.api.step.ParamSpec;
import org.neurite.api.step.ParamType;
import org.neurite.api.step.Step;
import org.neurite.api.step.StepResult;
import org.neurite.api.step.StepSpec;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * {@code neurons.decode}: every MLP neuron's weights read out through the final norm and the
 * unembedding (METHODS.md B6), its top tokens, and the neurons found by token. docs/methods/decode.md.
 */
@Component(service = Step.class)
@NeuriteStep(name = "neurons.decode")
public final class DecodeStep implements Step {
  private static final StepSpec SPEC = StepSpec.named("neurons.decode")
      .summary("vocabulary decoding of MLP neurons (Davies, B6): softmax(W_U (g * w_i)) of each neuron's input (or"
          + " output) weights, top tokens per neuron, and the neurons whose top token is a given one; weight-only")
      .input("model", LanguageModel.class, "the model (a causal LM's head, or an encoder's tied word embeddings)")
      .param(ParamSpec.optional("layers", ParamType.INTEGER_LIST, "[]", "the layers whose MLP neurons are decoded;"
          + " [] = all"))
      .param(ParamSpec.optional("weights", ParamType.STRING, "\"input\"", "input: what the neuron reads (up_proj row,"
          + " GPT-2 c_fc column; the paper's); output: what it writes (down_proj column); gate: gate_proj row"))
      .param(ParamSpec.optional("final_norm", ParamType.BOOLEAN, "true", "multiply by the final norm's gain first"
          + " (its bias, if any, is not added); false for encoders, which have none"))
      .param(ParamSpec.optional("top_k", ParamType.INTEGER, "10", "tokens kept per neuron"))
      .param(ParamSpec.optional("tokens", ParamType.STRING_LIST, "[]", "find the neurons whose top token is one of"
          + " these (compared without surrounding spaces); [] = every neuron, grouped by its top token"))
      .param(ParamSpec.optional("token_rank", ParamType.INTEGER, "1", "a neuron matches a token when it is among"
          + " its first token_rank tokens"))
      .param(ParamSpec.optional("units_per_batch", ParamType.INTEGER, "256", "neurons per [n, d] x [d, vocab]"
          + " product (memory: n x vocab numbers)"))
      .output("neurons", NeuronSet.class, "the neurons found by token (group = the token; score = its probability),"
          + " units of blocks.L.mlp.hook_post, for intervene / eval.ablation")
      .output("table", Path.class, "decode.csv: hook, layer, unit, rank, token_id, token, probability for every"
          + " neuron's top_k tokens")
      .output("report", Path.class, "decode.json: what was read, the runtime, the token search, the most frequent"
          + " top tokens per layer")
      .build();

  private final ModelRepository repository;

  @Activate
  public DecodeStep(@Reference ModelRepository repository) {
    this.repository = repository;
  }

  @Override
  public StepSpec spec() {
    return SPEC;
  }

  @Override
  @SuppressWarnings("unchecked")
  public StepResult run(StepContext context) throws Exception {
    String where = "Step " + context.stepId();
    LanguageModel model = context.input("model", LanguageModel.class);
    TensorStore store = repository.open(model.source().toString()).tensors();
    List<Integer> layers = new ArrayList<>();
    for (Long layer : (List<Long>) context.param("layers", List.class)) {
      layers.add(layer.intValue());
    }
    if (layers.isEmpty()) {
      for (int l = 0; l < model.spec().layers(); l++) {
        layers.add(l);
      }
    }
    Decoding.Options options = new Decoding.Options(layers, direction(context.param("weights", String.class), where),
        context.param("final_norm", Boolean.class), Math.toIntExact(context.param("top_k", Long.class)),
        Math.toIntExact(context.param("units_per_batch", Long.class)));
    int rank = Math.toIntExact(context.param("token_rank", Long.class));
    if (rank < 1 || rank > options.topK()) {
      throw new NeuriteException(where + ": token_rank is " + rank + "; give 1 to top_k (" + options.topK() + ").");
    }
    List<String> queries = context.param("tokens", List.class);
    TokenLabels labels = new TokenLabels(model.tokenizer());
    Map<String, List<Long>> ids = queries.isEmpty() ? Map.of() : labels.ids(queries, model.spec().vocab(), where);
    long start = System.nanoTime();
    Decoding.Result result = Decoding.run(model.spec(), store, context.backend(), context.device(), options, where);
    double seconds = (System.nanoTime() - start) / 1e9;
    NeuronSet neurons = labels.neurons(result.units(), ids, rank);
    context.metric("units", "", result.units().size());
    context.metric("seconds", "", seconds);
    for (String query : queries) {
      context.metric("units", query, neurons.units(query).size());
    }
    Path table = Reports.csv(context, "decode.csv", List.of("hook", "layer", "unit", "rank", "token_id", "token",
        "probability"), out -> {
          for (Decoding.Top top : result.units()) {
            for (int r = 0; r < top.ids().length; r++) {
              Reports.line(out, top.unit().hook(), layerOf(top.unit().hook()), top.unit().index(), r + 1, top.ids()[r],
                  labels.text(top.ids()[r]), top.probabilities()[r]);
            }
          }
        });
    Path report = Reports.json(context, "decode.json", report(options, result, labels, ids, neurons, rank, seconds));
    return StepResult.of("neurons", neurons, "table", table, "report", report);
  }

  static UnitDirection direction(String name, String where) {
    return switch (name.toLowerCase(Locale.ROOT)) {
      case "input" -> UnitDirection.INPUT;
      case "output" -> UnitDirection.OUTPUT;
      case "gate" -> UnitDirection.GATE;
      default -> throw new NeuriteException(where + ": weights '" + name + "' is not one of input, output, gate.");
    };
  }

  static int layerOf(String hook) {
    return Integer.parseInt(hook.split("\\.")[1]);
  }

  private static JsonObject report(Decoding.Options options, Decoding.Result result, TokenLabels labels,
      Map<String, List<Long>> ids, NeuronSet neurons, int rank, double seconds) {
    JsonObject json = new JsonObject();
    json.addProperty("method", "decode");
    json.addProperty("weights", options.direction().name().toLowerCase(Locale.ROOT));
    json.addProperty("final_norm", options.finalNorm());
    json.addProperty("norm_applied", result.norm());
    json.addProperty("unembedding", result.unembedding());
    json.addProperty("top_k", options.topK());
    json.addProperty("token_rank", rank);
    json.addProperty("units", result.units().size());
    json.addProperty("seconds", seconds);
    JsonObject search = new JsonObject();
    ids.forEach((query, matching) -> {
      JsonObject q = new JsonObject();
      JsonArray idArray = new JsonArray();
      matching.forEach(idArray::add);
      q.add("ids", idArray);
      q.addProperty("units", neurons.units(query).size());
      JsonObject perHook = new JsonObject();
      neurons.perHookCounts(query).forEach(perHook::addProperty);
      q.add("per_hook", perHook);
      search.add(query, q);
    });
    json.add("tokens", search);
    JsonObject perLayer = new JsonObject();
    Map<String, Map<String, Integer>> counts = new LinkedHashMap<>();
    for (Decoding.Top top : result.units()) {
      counts.computeIfAbsent(top.unit().hook(), h -> new TreeMap<>()).merge(labels.label(top.ids()[0]), 1, Integer::sum);
    }
    counts.forEach((hook, byToken) -> {
      JsonObject layer = new JsonObject();
      layer.addProperty("distinct_top_tokens", byToken.size());
      JsonObject most = new JsonObject();
      byToken.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed()
          .thenComparing(Map.Entry.comparingByKey())).limit(10)
          .forEach(e -> most.addProperty(e.getKey(), e.getValue()));
      layer.add("most_frequent_top_tokens", most);
      perLayer.add(hook, layer);
    });
    json.add("per_layer", perLayer);
    return json;
  }
}
