package org.neurite.methods.unlearning.internal;

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
 * The reference's tiny Llama (test resources {@code reference/tiny-llama}, trained by
 * {@code build_model.py} on arithmetic and copying) loaded through the real repository and Llama
 * family, and per-skill statistics of any model's {@code blocks.*.mlp.hook_pre} as
 * {@code stats.units} accumulates them (left-padded batches, every token a row).
 */
final class TinySkillModel implements AutoCloseable {
  static final Path REFERENCE = Path.of("src/test/resources/reference");
  private final ModelRepositoryComponent repository;
  final LanguageModel model;

  TinySkillModel(Path workspace, String dtype) {
    repository = new ModelRepositoryComponent(PlantedTestbed.BACKEND, WorkspaceFolders.of(workspace));
    repository.addFamily(new LlamaFamily());
    model = repository.load(REFERENCE.resolve("tiny-llama").toAbsolutePath().toString(), new LoadOptions("cpu", dtype));
  }

  /** The examples of a reference dataset: {@code text}, group = {@code skill}. */
  static List<Example> examples(String file) throws Exception {
    List<Example> out = new ArrayList<>();
    long line = 0;
    for (String text : Files.readAllLines(REFERENCE.resolve(file))) {
      if (!text.isBlank()) {
        JsonObject json = JsonParser.parseString(text).getAsJsonObject();
        line++;
        out.add(new Example(line, file + ":" + line, json.get("text").getAsString(), null,
            json.get("skill").getAsString()));
      }
    }
    return out;
  }

  /** Per-group statistics at every {@code mlp.hook_pre}, every token a row, in batches of {@code size}. */
  static Map<String, UnitStats> stats(LanguageModel model, List<Example> examples, List<String> groups, int size) {
    Map<String, UnitStatsAccumulator> accumulators = new LinkedHashMap<>();
    try {
      for (int l = 0; l < model.spec().layers(); l++) {
        String hook = "blocks." + l + ".mlp.hook_pre";
        accumulators.put(hook, UnitStatsAccumulator.open(PlantedTestbed.BACKEND, "cpu", hook, groups,
            HookWidths.of(model.spec(), hook), StatsOptions.cheap()));
      }
      Batches batches = new Batches(examples.stream(), new Tokenization(model, 64), "group", size,
          TokenBatch.Padding.LEFT);
      while (batches.hasNext()) {
        Batches.Batch batch = batches.next();
        float[] mask = Positions.ALL.mask(batch);
        int length = batch.tokens().length();
        List<Integer> rowGroups = new ArrayList<>();
        for (int k = 0; k < mask.length; k++) {
          if (mask[k] != 0) {
            rowGroups.add(groups.indexOf(batch.examples().get(k / length).group()));
          }
        }
        try (NDManager scope = PlantedTestbed.BACKEND.newScope("cpu")) {
          Forward forward = model.forward(batch.tokens(), Hooks.none().record("blocks.*.mlp.hook_pre"), scope);
          for (Map.Entry<String, UnitStatsAccumulator> e : accumulators.entrySet()) {
            NDArray rows = Pooling.TOKENS.pool(forward.recorded(e.getKey()), mask, scope);
            e.getValue().add(rows, rowGroups.stream().mapToInt(Integer::intValue).toArray());
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

  /** The repository the model came from (its codec restores models through it). */
  ModelRepositoryComponent repository() {
    return repository;
  }

  @Override
  public void close() {
    repository.close();
  }
}
