package org.neurite.models.onnx.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.neurite.api.NeuriteException;

/**
 * A Hugging Face model folder written all at once: the files go into a hidden sibling folder, which
 * is then renamed into place, so a reader never sees a half-written model and a crash leaves at
 * most a stray {@code .name.import-*} folder, never a damaged target.
 */
final class ImportedFolder {
  /** The files every imported folder has. */
  static final List<String> FILES = List.of("config.json", "model.safetensors", "tokenizer.json");

  /** Writes the folder's files into the directory it is given. */
  interface Contents {
    void writeInto(Path folder) throws IOException;
  }

  private ImportedFolder() {}

  /** Whether the folder holds every file of an imported model, each non-empty. */
  static boolean isComplete(Path folder) {
    for (String file : FILES) {
      Path p = folder.resolve(file);
      try {
        if (!Files.isRegularFile(p) || Files.size(p) == 0) {
          return false;
        }
      } catch (IOException e) {
        return false;
      }
    }
    return true;
  }

  /**
   * Checks that an import may write the folder: it must be absent, an empty directory, or complete
   * (then there is nothing to do).
   *
   * @return true if the folder is complete already
   * @throws NeuriteException if something else is at that path
   */
  static boolean checkTarget(Path target) {
    if (isComplete(target)) {
      return true;
    }
    if (Files.exists(target) && !isEmptyDirectory(target)) {
      List<String> missing = FILES.stream().filter(f -> !Files.isRegularFile(target.resolve(f))).toList();
      throw new NeuriteException("Cannot import a model into " + target + ": it exists but is not a complete model"
          + " folder (" + (Files.isDirectory(target) ? "missing or empty: " + String.join(", ",
              missing.isEmpty() ? FILES : missing) : "it is a file") + "). Delete it or choose another folder.");
    }
    return false;
  }

  /**
   * Writes the folder atomically. If another import completed the same folder meanwhile, that one is
   * kept.
   *
   * @throws NeuriteException if the files cannot be written
   */
  static void write(Path target, Contents contents) {
    Path absolute = target.toAbsolutePath().normalize();
    Path parent = absolute.getParent();
    Path temp = null;
    try {
      Files.createDirectories(parent);
      temp = Files.createDirectory(parent.resolve("." + absolute.getFileName() + ".import-" + UUID.randomUUID()));
      contents.writeInto(temp);
      if (isEmptyDirectory(absolute)) {
        Files.delete(absolute);
      }
      try {
        move(temp, absolute);
        temp = null;
      } catch (IOException e) {
        if (!Files.exists(absolute)) {
          throw e;
        }
        if (!isComplete(absolute)) {
          throw new NeuriteException("Cannot import a model into " + target + ": another process created it while"
              + " the import ran, and it is not a complete model folder. Delete it and import again.", e);
        }
      }
    } catch (IOException e) {
      throw new NeuriteException("Cannot write the model folder " + target + ": " + e + ". Check that its parent"
          + " folder is writable and the disk has room (the import needs about the size of the ONNX file).", e);
    } finally {
      if (temp != null) {
        deleteQuietly(temp);
      }
    }
  }

  private static void move(Path from, Path to) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(from, to);
    }
  }

  private static boolean isEmptyDirectory(Path dir) {
    if (!Files.isDirectory(dir)) {
      return false;
    }
    try (Stream<Path> entries = Files.list(dir)) {
      return entries.findAny().isEmpty();
    } catch (IOException e) {
      return false;
    }
  }

  private static void deleteQuietly(Path dir) {
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> {
        try {
          Files.deleteIfExists(p);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    } catch (IOException | UncheckedIOException e) {
      // best effort: a stray hidden temporary folder is harmless and named after its target
    }
  }
}
