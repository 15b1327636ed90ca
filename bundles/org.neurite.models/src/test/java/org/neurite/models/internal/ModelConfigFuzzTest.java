package org.neurite.models.internal;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.MethodSource;
import org.neurite.api.model.LanguageModel;
import org.neurite.models.internal.repository.ModelRepositoryComponent;
import org.neurite.models.reference.TinyCheckpoints;
import org.neurite.testkit.FuzzBounds;

/**
 * Any bytes as a model folder's {@code config.json}, next to the tiny valid weights of the family
 * it names (each family's tiny checkpoint, Phi-3 with LongRoPE; else Llama): loading the folder through the repository and
 * the families gives a model, or one message naming the folder; no config number makes loading
 * allocate beyond what the folder holds.
 */
class ModelConfigFuzzTest {
  private static final Map<String, Path> FOLDERS = new LinkedHashMap<>();
  private static ModelRepositoryComponent repository;

  @MethodSource("tinyConfigs")
  @FuzzTest(maxDuration = "10s")
  void load(byte[] input) throws IOException {
    Path folder = folderFor(new String(input, java.nio.charset.StandardCharsets.ISO_8859_1));
    Files.write(folder.resolve("config.json"), input);
    Runnable attempt = () -> FuzzBounds.check(input.length, 256, 64 << 20, folder.toString(), () -> {
      LanguageModel model = TestModels.load(repository, folder, "float32");
      repository.unload(model.name());
    });
    long before = openFiles();
    attempt.run();
    // the first load of a kind may open libraries for good; a second one must close what it opened
    if (openFiles() > before) {
      long again = openFiles();
      attempt.run();
      if (openFiles() > again) {
        throw new AssertionError("loading leaves files open: " + again + " before, " + openFiles() + " after");
      }
    }
  }

  private static long openFiles() throws IOException {
    if (!Files.isDirectory(Path.of("/proc/self/fd"))) {
      return 0;
    }
    try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
      return fds.count();
    }
  }

  /** The config.json of each tiny checkpoint, as seeds. */
  static Stream<byte[]> tinyConfigs() {
    return folders().values().stream().map(folder -> {
      try {
        return Files.readAllBytes(folder.resolve("weights").resolve("config.json"));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
  }

  private static Path folderFor(String config) {
    Map<String, Path> folders = folders();
    for (String family : folders.keySet()) {
      if (config.contains("\"" + family + "\"")) {
        return folders.get(family);
      }
    }
    return folders.get("llama");
  }

  /** One folder per family with its tiny weights (and their config.json kept in weights/). */
  private static synchronized Map<String, Path> folders() {
    if (FOLDERS.isEmpty()) {
      try {
        Path dir = Files.createTempDirectory("fuzz-config");
        repository = TestModels.repository(dir);
        FOLDERS.put("gpt2", TinyCheckpoints.gpt2(dir.resolve("gpt2/weights")).seed(1).write());
        FOLDERS.put("bert", TinyCheckpoints.bert(dir.resolve("bert/weights")).seed(2).write());
        FOLDERS.put("qwen2", TinyCheckpoints.qwen2(dir.resolve("qwen2/weights")).seed(3).write());
        FOLDERS.put("mistral", TinyCheckpoints.mistral(dir.resolve("mistral/weights")).seed(4).write());
        FOLDERS.put("qwen3", TinyCheckpoints.qwen3(dir.resolve("qwen3/weights")).seed(6).write());
        FOLDERS.put("gemma", TinyCheckpoints.gemma(dir.resolve("gemma/weights")).seed(7).write());
        FOLDERS.put("gemma2", TinyCheckpoints.gemma2(dir.resolve("gemma2/weights")).seed(8).write());
        FOLDERS.put("gemma3_text", TinyCheckpoints.gemma3(dir.resolve("gemma3/weights")).seed(9).write());
        FOLDERS.put("phi3", TinyCheckpoints.phi3(dir.resolve("phi3/weights")).seed(10).longRope(16, 64).write());
        FOLDERS.put("gpt_neox", TinyCheckpoints.gptNeox(dir.resolve("neox/weights")).seed(11).write());
        FOLDERS.put("opt", TinyCheckpoints.opt(dir.resolve("opt/weights")).seed(12).write());
        FOLDERS.put("llama", TinyCheckpoints.llama(dir.resolve("llama/weights")).seed(5).tied(true).write());
        for (Map.Entry<String, Path> e : FOLDERS.entrySet()) {
          Path weights = e.getValue();
          Path folder = weights.getParent();
          Files.copy(weights.resolve("model.safetensors"), folder.resolve("model.safetensors"),
              StandardCopyOption.REPLACE_EXISTING);
          e.setValue(folder);
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return FOLDERS;
  }
}
