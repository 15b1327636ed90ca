package org.neurite.bench.plugin.internal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.felix.service.command.Descriptor;
import org.neurite.analysis.stats.StatsOptions;
import org.neurite.analysis.stats.UnitStats;
import org.neurite.analysis.stats.UnitStatsAccumulator;
import org.neurite.api.backend.TensorBackend;
import org.neurite.api.hook.Hooks;
import org.neurite.api.model.Forward;
import org.neurite.api.model.LanguageModel;
import org.neurite.api.model.LoadOptions;
import org.neurite.api.model.ModelRepository;
import org.neurite.api.model.TokenBatch;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;

/**
 * Timings of the analysis primitives inside the platform: per-unit statistics of every
 * {@code blocks.L.mlp.hook_post} over a batch (forward, then count, mean, variance and P(x > 0)
 * folded into accumulators that persist across calls, as over a corpus), and gradient x activation
 * at the same hook points. The clock runs around the work alone.
 */
@Component(
    // immediate: a delayed component would be deactivated between commands, losing the accumulators
    immediate = true,
    service = StatsCommands.class,
    property = {"osgi.command.scope=bench", "osgi.command.function=stats", "osgi.command.function=statsdump",
        "osgi.command.function=gradxact"})
public final class StatsCommands {
  private static final String HOOKS = "blocks.*.mlp.hook_post";
  private final ModelRepository models;
  private final TensorBackend backend;
  private final Map<String, UnitStatsAccumulator> accumulators = new LinkedHashMap<>();

  @Activate
  public StatsCommands(@Reference ModelRepository models, @Reference TensorBackend backend) {
    this.models = models;
    this.backend = backend;
  }

  @Descriptor("time one batch of per-unit statistics (count, mean, variance, P(x>0)) of every blocks.L.mlp.hook_post;"
      + " the statistics accumulate across calls; prints milliseconds")
  public String stats(@Descriptor("a model name or folder") String model,
      @Descriptor("a text file of token ids, one sequence per line") String ids) {
    LanguageModel loaded = models.load(model, LoadOptions.defaults());
    TokenBatch batch = IdsFile.read(Path.of(ids));
    long started = System.nanoTime();
    try (NDManager scope = backend.newScope(loaded.device())) {
      Forward forward = loaded.forward(batch, Hooks.none().record(HOOKS), scope);
      int rows = batch.size() * batch.length();
      int[] groups = new int[rows];
      for (Map.Entry<String, NDArray> e : forward.recorded().entrySet()) {
        NDArray values = e.getValue();
        accumulators.computeIfAbsent(e.getKey(), site -> UnitStatsAccumulator.open(backend, loaded.device(), site,
                List.of("all"), (int) values.getShape().get(2), StatsOptions.cheap()))
            .add(values.reshape(rows, values.getShape().get(2)), groups);
      }
    }
    return String.format(Locale.ROOT, "%.4f", (System.nanoTime() - started) / 1e6);
  }

  @Descriptor("write the accumulated statistics (per hook point: count, then per unit mean, variance, P(x>0)) to a"
      + " text file and forget them")
  public String statsdump(@Descriptor("the file to write") String file) throws IOException {
    List<String> lines = new ArrayList<>();
    for (Map.Entry<String, UnitStatsAccumulator> e : accumulators.entrySet()) {
      UnitStats s = e.getValue().snapshot();
      lines.add(e.getKey() + " " + s.count(0));
      lines.add(join(s.mean(0)));
      lines.add(join(s.variance(0)));
      lines.add(join(s.activeProbability(0)));
    }
    close();
    Files.write(Path.of(file), lines);
    return file;
  }

  @Descriptor("time gradient x activation at every blocks.L.mlp.hook_post for the target sum of the last hidden"
      + " state (activation gradients only, no weight gradients), summed per unit; prints milliseconds")
  public String gradxact(@Descriptor("a model name or folder") String model,
      @Descriptor("a text file of token ids, one sequence per line") String ids) {
    LanguageModel loaded = models.load(model, LoadOptions.defaults());
    TokenBatch batch = IdsFile.read(Path.of(ids));
    long started = System.nanoTime();
    try (NDManager scope = backend.newScope(loaded.device())) {
      Forward forward = loaded.forward(batch, Hooks.none().record(HOOKS).gradient(HOOKS)
          .target(f -> f.hiddenStates().sum()), scope);
      for (Map.Entry<String, NDArray> e : forward.gradients().entrySet()) {
        NDArray perUnit = e.getValue().mul(forward.recorded(e.getKey())).sum(new int[] {0, 1});
        perUnit.toFloatArray();
      }
    }
    return String.format(Locale.ROOT, "%.4f", (System.nanoTime() - started) / 1e6);
  }

  private static String join(double[] values) {
    StringBuilder out = new StringBuilder();
    for (double v : values) {
      out.append(out.length() == 0 ? "" : " ").append(v);
    }
    return out.toString();
  }

  @Deactivate
  void close() {
    accumulators.values().forEach(UnitStatsAccumulator::close);
    accumulators.clear();
  }
}
