package org.neurite.training;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;
import org.neurite.api.step.ArtifactWriter;
import org.neurite.support.files.AtomicFiles;

/**
 * Where a training run's checkpoints go: folders {@code checkpoint-NNNNNN} (the step, six digits)
 * holding a Hugging Face model ({@code config.json}, {@code model.safetensors},
 * {@code tokenizer.json}) and the optimizer's state ({@code optimizer.safetensors},
 * {@code trainer_state.json}, written last: a folder without it is not a checkpoint).
 */
public interface CheckpointStore {
  /** The name of the file that completes a checkpoint. */
  String STATE = "trainer_state.json";

  /** Writes {@code checkpoint-NNNNNN/fileName} whole, or not at all, and returns its path. */
  Path write(String folder, String fileName, ArtifactWriter writer) throws Exception;

  /** The folder that holds the checkpoints. */
  Path root();

  /** The complete checkpoint of the highest step, if any. */
  default Optional<Path> latest() throws java.io.IOException {
    if (!Files.isDirectory(root())) {
      return Optional.empty();
    }
    try (Stream<Path> folders = Files.list(root())) {
      return folders.filter(f -> f.getFileName().toString().matches("checkpoint-\\d{6}"))
          .filter(f -> Files.isRegularFile(f.resolve(STATE)))
          .max(Comparator.comparing(f -> f.getFileName().toString()));
    }
  }

  /** Checkpoints in a plain folder, each file written atomically. */
  static CheckpointStore in(Path root) {
    return new CheckpointStore() {
      @Override
      public Path write(String folder, String fileName, ArtifactWriter writer) throws Exception {
        Path target = root.resolve(folder).resolve(fileName);
        Files.createDirectories(target.getParent());
        AtomicFiles.write(target, writer);
        return target;
      }

      @Override
      public Path root() {
        return root;
      }
    };
  }

  /** The folder name of step {@code step}'s checkpoint. */
  static String folderOf(int step) {
    return String.format("checkpoint-%06d", step);
  }
}
