package org.neurite.methods.language.internal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.neurite.analysis.batch.Batches;
import org.neurite.analysis.batch.Tokenization;
import org.neurite.analysis.capture.Pooling;
import org.neurite.analysis.capture.Positions;
import org.neurite.analysis.conformance.PlantedTestbed;
import org.neurite.analysis.intervene.HookWidths;
import org.neurite.analysis.stats.StatsOptions;
import org.neurite.analysis.stats.UnitStats;
import org.neurite.analysis.stats.UnitStatsAccumulator;
import org.neurite.api.data.Example;
import org.neurite.api.hook.Hooks;
import org.neurite.api.model.Forward;
import org.neurite.api.model.LanguageModel;
import org.neurite.api.model.LoadOptions;
import org.neurite.api.model.TokenBatch;
import org.neurite.models.internal.llama.LlamaFamily;
import org.neurite.models.internal.repository.ModelRepositoryComponent;
import org.neurite.support.files.WorkspaceFolders;

/**
 * The reference's tiny Llama checkpoint and datasets (test resources {@code reference/}, made by
 * {@code lape_reference.py}), loaded through the real repository and Llama family, and the
 * per-language statistics of its {@code blocks.*.mlp.hook_pre} as {@code stats.units} accumulates
 * them: left-padded batches, the chosen positions' tokens as rows.
 */
final class TinyLanguageModel implements AutoCloseable {
  static final Path REFERENCE = Path.of("src/test/resources/reference");
  private final ModelRepositoryComponent repository;
  final LanguageModel model;

  TinyLanguageModel(Path workspace, String dtype) {
    repository = new ModelRepositoryComponent(PlantedTestbed.BACKEND, WorkspaceFolders.of(workspace));
    repository.addFamily(new LlamaFamily());
    model = repository.load(REFERENCE.resolve("tiny-llama").toAbsolutePath().toString(), new LoadOptions("cpu", dtype));
  }

  /** The examples of a reference dataset: {@code text}, or {@code prompt} + {@code response}; group = {@code lang}. */
  static List<Example> examples(String file) throws Exception {
    List<Example> out = new ArrayList<>();
    long line = 0;
    for (String text : Files.readAllLines(REFERENCE.resolve(file))) {
      if (text.isBlank()) {
        continue;
      }
      JsonObject json = JsonParser.parseString(text).getAsJsonObject();
      line++;
      String lang = json.get("lang").getAsString();
      String id = json.get("id").getAsString();
      if (json.has("prompt")) {
        String prompt = json.get("prompt").getAsString();
        String response = json.get("response").getAsString();
        out.add(new Example(line, id, prompt + response, null, lang, null, new Example.Completion(prompt, response),
            null, null, null));
      } else {
        out.add(new Example(line, id, json.get("text").getAsString(), null, lang));
      }
    }
    return out;
  }

  /** Per-language statistics at every {@code mlp.hook_pre}, over the chosen positions, in batches of {@code size}. */
  Map<String, UnitStats> stats(List<Example> examples, List<String> languages, Positions positions, int size) {
    return stats(model, examples, languages, positions, size);
  }

  /** As {@link #stats(List, List, Positions, int)}, for any model. */
  static Map<String, UnitStats> stats(LanguageModel model, List<Example> examples, List<String> languages,
      Positions positions, int size) {
    Map<String, UnitStatsAccumulator> accumulators = new LinkedHashMap<>();
    try {
      for (int l = 0; l < model.spec().layers(); l++) {
        String hook = "blocks." + l + ".mlp.hook_pre";
        accumulators.put(hook, UnitStatsAccumulator.open(PlantedTestbed.BACKEND, "cpu", hook, languages,
            HookWidths.of(model.spec(), hook), StatsOptions.cheap()));
      }
      Batches batches = new Batches(examples.stream(), new Tokenization(model, 64), "group", size,
          TokenBatch.Padding.LEFT);
      while (batches.hasNext()) {
        Batches.Batch batch = batches.next();
        float[] mask = positions.mask(batch);
        int length = batch.tokens().length();
        List<Integer> groups = new ArrayList<>();
        for (int k = 0; k < mask.length; k++) {
          if (mask[k] != 0) {
            groups.add(languages.indexOf(batch.examples().get(k / length).group()));
          }
        }
        int[] rowGroups = groups.stream().mapToInt(Integer::intValue).toArray();
        try (NDManager scope = PlantedTestbed.BACKEND.newScope("cpu")) {
          Forward forward = model.forward(batch.tokens(), Hooks.none().record("blocks.*.mlp.hook_pre"), scope);
          for (Map.Entry<String, UnitStatsAccumulator> e : accumulators.entrySet()) {
            NDArray rows = Pooling.TOKENS.pool(forward.recorded(e.getKey()), mask, scope);
            e.getValue().add(rows, rowGroups);
          }
        }
      }
      Map<String, UnitStats> out = new LinkedHashMap<>();
      accumulators.forEach((hook, a) -> out.put(hook, a.snapshot()));
      return out;
    } finally {
      accumulators.values().forEach(UnitStatsAccumulator::close);
    }
  }

  @Override
  public void close() {
    repository.close();
  }
}
