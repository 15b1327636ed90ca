package org.neurite.methods.knowledge.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDManager;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.neurite.analysis.attribution.Attributions;
import org.neurite.analysis.attribution.Target;
import org.neurite.analysis.batch.Batches;
import org.neurite.analysis.batch.Tokenization;
import org.neurite.analysis.capture.Positions;
import org.neurite.analysis.conformance.PlantedTestbed;
import org.neurite.analysis.intervene.IntervenedModel;
import org.neurite.analysis.intervene.Intervention;
import org.neurite.analysis.intervene.Operation;
import org.neurite.api.analysis.Unit;
import org.neurite.api.data.Example;
import org.neurite.api.model.LanguageModel;
import org.neurite.api.model.LoadOptions;
import org.neurite.api.model.TokenBatch;
import org.neurite.models.internal.llama.LlamaFamily;
import org.neurite.models.internal.repository.ModelRepositoryComponent;
import org.neurite.support.files.WorkspaceFolders;

/**
 * Knowledge neurons against the independent PyTorch reference ({@code reference/knowledge/}, made by
 * {@code knowledge_reference.py} from the authors' code, without Neurite's): on its trained tiny
 * Llama and 54 facts of three relations asked by four paraphrases each, every prompt's
 * integrated-gradients attribution (20 left-Riemann steps, the answer's probability), the kept sets,
 * the per-relation search of p, each fact's knowledge neurons, the relation neurons, and the answer's
 * probability with each fact's neurons zeroed and doubled at the target position; float64 and
 * float32, in padded batches.
 */
class KnowledgeReferenceTest {
  static final Path REFERENCE = Path.of("src/test/resources/reference/knowledge");
  @TempDir Path workspace;

  @ParameterizedTest
  @CsvSource({"float64, 1e-9", "float32, 1e-3"})
  void attributionsSetsAndInterventionsEqualTheReference(String dtype, double tolerance) throws Exception {
    JsonObject expected = JsonParser.parseString(Files.readString(REFERENCE.resolve("knowledge_expected.json")))
        .getAsJsonObject();
    ModelRepositoryComponent repository = new ModelRepositoryComponent(PlantedTestbed.BACKEND,
        WorkspaceFolders.of(workspace));
    repository.addFamily(new LlamaFamily());
    try (NDManager scope = PlantedTestbed.BACKEND.newScope("cpu")) {
      LanguageModel model = repository.load(REFERENCE.resolve("tiny-llama").toAbsolutePath().toString(),
          new LoadOptions("cpu", dtype));
      List<Example> examples = prompts();
      List<String> hooks = List.of("blocks.0.mlp.hook_post", "blocks.1.mlp.hook_post");
      Target target = Target.probability(Target.answerLogProb(model.tokenizer().orElseThrow(), "test"));
      Attributions attributions = new Attributions(PlantedTestbed.BACKEND, "cpu");
      List<KnowledgeNeurons.Prompt> prompts = new ArrayList<>();
      Batches batches = new Batches(examples.stream(), new Tokenization(model, 64), "group", 7, TokenBatch.Padding.LEFT);
      while (batches.hasNext()) {
        Batches.Batch batch = batches.next();
        List<Map<String, double[]>> perExample = new ArrayList<>();
        batch.examples().forEach(x -> perExample.add(new LinkedHashMap<>()));
        for (String hook : hooks) {
          double[][] scores = attributions.integratedGradients(model, batch, hook, target, Positions.LAST, 20, null,
              Attributions.Riemann.LEFT).scores();
          for (int i = 0; i < scores.length; i++) {
            perExample.get(i).put(hook, scores[i]);
          }
        }
        for (int i = 0; i < perExample.size(); i++) {
          Example x = batch.examples().get(i).example();
          prompts.add(new KnowledgeNeurons.Prompt(x.id(), x.labelOf("fact").orElseThrow(), x.group(),
              perExample.get(i)));
        }
      }
      KnowledgeNeurons.Options options = new KnowledgeNeurons.Options(0.1, 0.2, 0.7, 0.05, 6, 2, 5, 3, 0.1);
      double worst = 0;
      JsonArray wantPrompts = expected.getAsJsonArray("prompts");
      for (int i = 0; i < prompts.size(); i++) {
        JsonObject want = wantPrompts.get(i).getAsJsonObject();
        assertEquals(want.get("id").getAsString(), prompts.get(i).id());
        double scale = Math.abs(want.get("max_attribution").getAsDouble());
        JsonArray layers = want.getAsJsonArray("attributions");
        for (int l = 0; l < layers.size(); l++) {
          double[] got = prompts.get(i).attributions().get(hooks.get(l));
          JsonArray w = layers.get(l).getAsJsonArray();
          for (int u = 0; u < w.size(); u++) {
            worst = Math.max(worst, Math.abs(got[u] - w.get(u).getAsDouble()) / scale);
          }
        }
        assertEquals(units(want.getAsJsonArray("kept")), KnowledgeNeurons.kept(prompts.get(i), options),
            "kept units of " + prompts.get(i).id());
      }
      assertEquals(0, worst, tolerance, "attributions, relative to each prompt's largest");

      List<KnowledgeNeurons.Relation> relations = KnowledgeNeurons.select(prompts, options, "test");
      Map<String, JsonObject> wantFacts = new LinkedHashMap<>();
      expected.getAsJsonArray("facts").forEach(f -> wantFacts.put(f.getAsJsonObject().get("fact").getAsString(),
          f.getAsJsonObject()));
      JsonArray wantRelations = expected.getAsJsonArray("relations");
      double worstP = 0;
      for (int r = 0; r < relations.size(); r++) {
        KnowledgeNeurons.Relation got = relations.get(r);
        JsonObject want = wantRelations.get(r).getAsJsonObject();
        assertEquals(want.get("relation").getAsString(), got.name());
        assertEquals(want.get("p_used").getAsDouble(), got.search().p(), 0.0, got.name() + ": p, to the last bit");
        assertEquals(want.getAsJsonArray("tries").size(), got.search().tries().size(), got.name() + ": tries");
        assertEquals(units(want.getAsJsonArray("relation_neurons")), new TreeSet<>(got.neurons()), got.name());
        for (int f = 0; f < got.facts().size(); f++) {
          String fact = got.facts().get(f);
          JsonObject wf = wantFacts.get(fact);
          Set<Unit> kns = new TreeSet<>(got.search().kept().get(f));
          assertEquals(units(wf.getAsJsonArray("knowledge_neurons")), kns, fact);
          if (kns.isEmpty()) {
            continue;
          }
          List<Example> own = examples.stream().filter(x -> x.labelOf("fact").orElseThrow().equals(fact)).toList();
          Map<String, int[]> byHook = byHook(kns);
          JsonObject mean = wf.getAsJsonObject("mean");
          worstP = Math.max(worstP, Math.abs(mean.get("original").getAsDouble()
              - meanProbability(model, own, target, scope)));
          for (String op : List.of("remove", "enhance")) {
            Operation operation = op.equals("remove") ? new Operation.Zero() : new Operation.Scale(2);
            LanguageModel intervened = new IntervenedModel(model, Intervention.of(byHook, operation, Positions.LAST),
                op + " " + fact);
            worstP = Math.max(worstP, Math.abs(mean.get(op).getAsDouble()
                - meanProbability(intervened, own, target, scope)));
          }
        }
      }
      assertEquals(0, worstP, tolerance, "P(answer), unmodified, removed and enhanced");
      System.out.printf("knowledge neurons vs the PyTorch reference (%s): attributions %.2e (relative to the largest),"
          + " P(answer) %.2e; kept sets, p per relation (%s), knowledge and relation neurons equal%n", dtype, worst,
          worstP, relations.stream().map(r -> r.name() + " " + r.search().p()).toList());
    } finally {
      repository.close();
    }
  }

  private static double meanProbability(LanguageModel model, List<Example> prompts, Target target, NDManager scope) {
    Batches batches = new Batches(prompts.stream(), new Tokenization(model, 64), "group", 4, TokenBatch.Padding.LEFT);
    double sum = 0;
    while (batches.hasNext()) {
      for (double p : new Attributions(PlantedTestbed.BACKEND, "cpu").perSequence(model, batches.next(), target,
          scope)) {
        sum += p;
      }
    }
    return sum / prompts.size();
  }

  private static Map<String, int[]> byHook(Set<Unit> units) {
    Map<String, List<Integer>> lists = new TreeMap<>();
    units.forEach(u -> lists.computeIfAbsent(u.hook(), h -> new ArrayList<>()).add(u.index()));
    Map<String, int[]> out = new TreeMap<>();
    lists.forEach((h, l) -> out.put(h, l.stream().mapToInt(Integer::intValue).sorted().toArray()));
    return out;
  }

  private static Set<Unit> units(JsonArray pairs) {
    Set<Unit> out = new TreeSet<>();
    for (JsonElement e : pairs) {
      JsonArray p = e.getAsJsonArray();
      out.add(new Unit("blocks." + p.get(0).getAsInt() + ".mlp.hook_post", p.get(1).getAsInt()));
    }
    return out;
  }

  private static List<Example> prompts() throws Exception {
    List<Example> out = new ArrayList<>();
    long line = 0;
    for (String text : Files.readAllLines(REFERENCE.resolve("facts.jsonl"))) {
      line++;
      if (text.isBlank()) {
        continue;
      }
      JsonObject json = JsonParser.parseString(text).getAsJsonObject();
      out.add(new Example(line, json.get("id").getAsString(), json.get("prompt").getAsString(), null,
          json.get("relation").getAsString(), Map.of("fact", json.get("fact").getAsString()), null, null,
          new Example.Contrast(null, json.get("answer").getAsString(), null), null));
    }
    return out;
  }
}
