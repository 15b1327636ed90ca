package org.neurite.analysis.internal.steps;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.neurite.analysis.weights.EditedFolder;
import org.neurite.analysis.weights.WeightEdit;
import org.neurite.api.context.StepContext;
import org.neurite.api.model.LanguageModel;
import org.neurite.api.model.LoadOptions;
import org.neurite.api.model.ModelRepository;

/**
 * A model written as a Hugging Face folder into the step's own folder ({@code runs/RUN/STEP/}:
 * config.json, model.safetensors, the tokenizer), every file an artifact of the step, then loaded
 * back through the repository as any folder is.
 */
final class ExportedFolders {
  private ExportedFolders() {}

  static LanguageModel write(StepContext context, ModelRepository repository, LanguageModel model,
      List<WeightEdit> edits) throws Exception {
    Path staging = Files.createTempDirectory("neurite-export-");
    Path folder = null;
    try {
      EditedFolder.write(repository.open(model.source().toString()), edits, staging);
      List<Path> files;
      try (Stream<Path> listed = Files.list(staging)) {
        files = listed.sorted().toList();
      }
      for (Path file : files) {
        folder = context.artifacts().write(file.getFileName().toString(), "model",
            temporary -> Files.copy(file, temporary, StandardCopyOption.REPLACE_EXISTING)).getParent();
      }
    } finally {
      delete(staging);
    }
    LanguageModel exported = repository.load(folder.toString(), new LoadOptions(context.device(), model.spec().dtype()));
    context.source("model", exported.name(), folder.toString(), exported.contentHash(), "{\"exported_from\": \""
        + model.contentHash() + "\", \"edits\": " + edits.size() + "}");
    return exported;
  }

  private static void delete(Path dir) throws IOException {
    try (Stream<Path> all = Files.walk(dir)) {
      for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
