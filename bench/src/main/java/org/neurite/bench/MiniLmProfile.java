package org.neurite.bench;

import ai.djl.ndarray.NDManager;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.neurite.api.hook.HookSink;
import org.neurite.api.hook.Hooks;
import org.neurite.api.model.LanguageModel;
import org.neurite.api.model.LoadOptions;
import org.neurite.api.model.TokenBatch;
import org.neurite.backend.djl.internal.DjlTensorBackend;
import org.neurite.models.internal.bert.BertFamily;
import org.neurite.models.internal.repository.ModelRepositoryComponent;
import org.neurite.models.internal.repository.ShippedModels;
import org.neurite.support.files.WorkspaceFolders;

/**
 * Where a MiniLM forward pass spends its time: a sink at every hook point notes the clock, so the
 * time between two hook points is the work between them (PyTorch on the CPU runs each op before
 * returning). Summed over layers, averaged over runs. Options: {@code --batch 32 --length 64 --runs 5}.
 */
public final class MiniLmProfile {
  private MiniLmProfile() {}

  public static void main(String[] args) throws Exception {
    Map<String, Integer> o = Options.parse(args, Map.of("batch", 32, "length", 64, "runs", 5));
    Path jar = MiniLmBench.jarOf("all-minilm-l6-v2.onnx");
    DjlTensorBackend backend = new DjlTensorBackend();
    ModelRepositoryComponent repository = new ModelRepositoryComponent(backend, WorkspaceFolders.of(Files.createTempDirectory("neurite-profile")),
        new ShippedModels(jar.getParent()));
    repository.addFamily(new BertFamily());
    LanguageModel model = repository.load("all-minilm-l6-v2", LoadOptions.defaults());
    TokenBatch tokens = TokenBatch.of(MiniLmBench.randomSequences(o.get("batch"), o.get("length"), model.spec().vocab(), 7),
        TokenBatch.Padding.RIGHT);
    Map<String, Double> millis = new LinkedHashMap<>();
    long[] last = new long[1];
    HookSink clock = (name, value, batch) -> {
      long now = System.nanoTime();
      millis.merge(name.replaceAll("blocks\\.\\d+\\.", "blocks.L."), (now - last[0]) / 1e6, Double::sum);
      last[0] = now;
    };
    Hooks hooks = Hooks.none();
    for (var point : model.spec().hookPoints()) {
      hooks = hooks.record(point.name(), clock);
    }
    int warmup = 3;
    for (int i = 0; i < warmup + o.get("runs"); i++) {
      if (i == warmup) {
        millis.clear();
      }
      try (NDManager scope = backend.newScope("cpu")) {
        last[0] = System.nanoTime();
        long started = last[0];
        model.forward(tokens, hooks, scope);
        millis.merge("total", (System.nanoTime() - started) / 1e6, Double::sum);
      }
    }
    System.out.println("machine: " + Machine.describe());
    System.out.println("time up to each hook point (the work since the previous one), summed over layers:");
    millis.forEach((name, ms) -> System.out.printf("  %-34s %7.1f ms%n", name, ms / o.get("runs")));
    model.close();
  }
}
