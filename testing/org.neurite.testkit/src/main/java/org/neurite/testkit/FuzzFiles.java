package org.neurite.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The one scratch file per suffix that a fuzz target writes each input into before parsing it
 * (parsers of users' files take paths), deleted when the JVM exits.
 */
public final class FuzzFiles {
  private static final Map<String, Path> FILES = new ConcurrentHashMap<>();

  private FuzzFiles() {}

  /** The scratch file for {@code suffix} ({@code ".json"}), with {@code input} written into it. */
  public static Path write(String suffix, byte[] input) {
    Path file = FILES.computeIfAbsent(suffix, s -> {
      try {
        Path f = Files.createTempFile("fuzz", s);
        f.toFile().deleteOnExit();
        return f;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
    try {
      Files.write(file, input);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return file;
  }
}
