package org.neurite.support.files;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.neurite.api.step.ArtifactWriter;

/** Whole-or-nothing file writes: a file appears under its final name only once it is complete. */
public final class AtomicFiles {
  private AtomicFiles() {}

  /**
   * Lets {@code writer} fill a fresh temporary file beside {@code target} (same folder, so the
   * rename stays on one file system), then renames it onto {@code target}, replacing what was
   * there. If the writer fails, the temporary file is deleted and {@code target} is untouched.
   *
   * @throws IllegalStateException if the writer returned without writing the file
   */
  public static void write(Path target, ArtifactWriter writer) throws Exception {
    Path parent = target.toAbsolutePath().normalize().getParent();
    Files.createDirectories(parent);
    Path temporary = Files.createTempFile(parent, "." + target.getFileName() + ".", ".part");
    try {
      writer.writeTo(temporary);
      if (!Files.isRegularFile(temporary)) {
        throw new IllegalStateException("nothing was written for " + target);
      }
      move(temporary, target);
    } finally {
      Files.deleteIfExists(temporary);
    }
  }

  private static void move(Path from, Path to) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
    }
  }
}
