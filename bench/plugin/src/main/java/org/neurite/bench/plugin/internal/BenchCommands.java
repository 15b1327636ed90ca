package org.neurite.bench.plugin.internal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.felix.service.command.Descriptor;
import org.neurite.api.NeuriteException;
import org.neurite.api.backend.TensorBackend;
import org.neurite.api.generate.Generated;
import org.neurite.api.generate.GenerationHooks;
import org.neurite.api.generate.GenerationOptions;
import org.neurite.api.hook.HookSink;
import org.neurite.api.hook.Hooks;
import org.neurite.api.model.Forward;
import org.neurite.api.model.HookPoint;
import org.neurite.api.model.LanguageModel;
import org.neurite.api.model.LoadOptions;
import org.neurite.api.model.ModelRepository;
import org.neurite.api.model.TokenBatch;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * Timings taken inside the platform, for benchmarks that run Neurite through its embedding API:
 * the clock runs around the forward pass (or the matrix product) alone, so the cost of a console
 * command does not enter the numbers. Models come from the repository as any step gets them.
 */
@Component(
    service = BenchCommands.class,
    property = {"osgi.command.scope=bench", "osgi.command.function=forward", "osgi.command.function=profile",
        "osgi.command.function=matmul", "osgi.command.function=generate"})
public final class BenchCommands {
  private final ModelRepository models;
  private final TensorBackend backend;

  @Activate
  public BenchCommands(@Reference ModelRepository models, @Reference TensorBackend backend) {
    this.models = models;
    this.backend = backend;
  }

  @Descriptor("time one forward pass recording every blocks.L.mlp.hook_post; prints milliseconds")
  public String forward(@Descriptor("a model name or folder") String model,
      @Descriptor("a text file of token ids, one sequence per line") String ids) {
    LanguageModel loaded = models.load(model, LoadOptions.defaults());
    TokenBatch batch = IdsFile.read(Path.of(ids));
    Hooks hooks = Hooks.none().record("blocks.*.mlp.hook_post");
    long started = System.nanoTime();
    try (NDManager scope = backend.newScope(loaded.device())) {
      Forward forward = loaded.forward(batch, hooks, scope);
      if (forward.recorded().size() != loaded.spec().layers()) {
        throw new IllegalStateException("expected every mlp.hook_post recorded, got " + forward.recorded().keySet());
      }
    }
    return String.format(Locale.ROOT, "%.4f", (System.nanoTime() - started) / 1e6);
  }

  @Descriptor("time up to each hook point of a forward pass (the work since the previous one), summed over layers and"
      + " averaged over runs after 3 warm-up passes; prints one line per hook point and the total, in milliseconds")
  public String profile(@Descriptor("a model name or folder") String model,
      @Descriptor("a text file of token ids, one sequence per line") String ids,
      @Descriptor("measured passes") int runs) {
    LanguageModel loaded = models.load(model, LoadOptions.defaults());
    TokenBatch batch = IdsFile.read(Path.of(ids));
    Map<String, Double> millis = new LinkedHashMap<>();
    long[] last = new long[1];
    HookSink clock = (name, value, b) -> {
      long now = System.nanoTime();
      millis.merge(name.replaceAll("blocks\\.\\d+\\.", "blocks.L."), (now - last[0]) / 1e6, Double::sum);
      last[0] = now;
    };
    Hooks hooks = Hooks.none();
    for (HookPoint point : loaded.spec().hookPoints()) {
      hooks = hooks.record(point.name(), clock);
    }
    int warmup = 3;
    for (int i = 0; i < warmup + runs; i++) {
      if (i == warmup) {
        millis.clear();
      }
      try (NDManager scope = backend.newScope(loaded.device())) {
        last[0] = System.nanoTime();
        long started = last[0];
        loaded.forward(batch, hooks, scope);
        millis.merge("total", (System.nanoTime() - started) / 1e6, Double::sum);
      }
    }
    return millis.entrySet().stream()
        .map(e -> String.format(Locale.ROOT, "%s %.4f", e.getKey(), e.getValue() / runs))
        .collect(Collectors.joining("\n"));
  }

  @Descriptor("time greedy generation of n tokens per sequence (EOS ignored): cached (the KV cache of"
      + " LanguageModel.generate) or recompute (the whole sequence again at every step); prints milliseconds, then each"
      + " sequence's tokens on a line")
  public String generate(@Descriptor("a model name or folder") String model,
      @Descriptor("a text file of token ids, one prompt per line") String ids,
      @Descriptor("tokens to generate per sequence") int tokens, @Descriptor("cached or recompute") String mode) {
    LanguageModel loaded = models.load(model, LoadOptions.defaults());
    TokenBatch prompts = IdsFile.read(Path.of(ids));
    List<long[]> sequences = new ArrayList<>();
    for (int i = 0; i < prompts.size(); i++) {
      sequences.add(prompts.ids(i));
    }
    long[][] out = new long[sequences.size()][];
    long started = System.nanoTime();
    try (NDManager scope = backend.newScope(loaded.device())) {
      if (mode.equals("cached")) {
        List<Generated> generated = loaded.generate(sequences, GenerationOptions.greedy(tokens).withIgnoreEos(true),
            GenerationHooks.none(), scope).sequences();
        for (int i = 0; i < out.length; i++) {
          out[i] = generated.get(i).outputIds();
        }
      } else if (mode.equals("recompute")) {
        List<long[]> grown = new ArrayList<>(sequences);
        for (int step = 0; step < tokens; step++) {
          try (NDManager work = scope.newSubManager()) {
            TokenBatch batch = TokenBatch.of(grown, TokenBatch.Padding.LEFT);
            NDArray logits = loaded.forward(batch, Hooks.none(), work).logits().get(":, -1, :");
            long[] next = logits.argMax(1).toLongArray();
            for (int i = 0; i < grown.size(); i++) {
              long[] longer = Arrays.copyOf(grown.get(i), grown.get(i).length + 1);
              longer[longer.length - 1] = next[i];
              grown.set(i, longer);
            }
          }
        }
        for (int i = 0; i < out.length; i++) {
          out[i] = Arrays.copyOfRange(grown.get(i), sequences.get(i).length, grown.get(i).length);
        }
      } else {
        throw new NeuriteException("mode is '" + mode + "'; give cached or recompute.");
      }
    }
    double millis = (System.nanoTime() - started) / 1e6;
    StringBuilder text = new StringBuilder(String.format(Locale.ROOT, "%.3f", millis));
    for (long[] row : out) {
      text.append('\n').append(Arrays.stream(row).mapToObj(Long::toString).collect(Collectors.joining(" ")));
    }
    return text.toString();
  }

  @Descriptor("the rate of an n x n float32 matrix product on the CPU, median of runs; prints GFLOP/s")
  public String matmul(@Descriptor("the size n") int n, @Descriptor("measured products") int runs) {
    double[] millis = new double[runs];
    try (NDManager scope = backend.newScope("cpu")) {
      NDArray a = scope.randomNormal(new Shape(n, n));
      NDArray b = scope.randomNormal(new Shape(n, n));
      a.matMul(b).close();
      for (int i = 0; i < runs; i++) {
        long started = System.nanoTime();
        a.matMul(b).close();
        millis[i] = (System.nanoTime() - started) / 1e6;
      }
    }
    Arrays.sort(millis);
    double median = runs % 2 == 1 ? millis[runs / 2] : (millis[runs / 2 - 1] + millis[runs / 2]) / 2;
    return String.format(Locale.ROOT, "%.2f", 2.0 * n * n * n / median / 1e6);
  }
}
