package org.neurite.workflow.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.format.DateTimeFormatter;
import org.neurite.api.provenance.Run;

/**
 * The folder under {@code runs/} that holds a run's artifacts: {@code runs/<id>}, or
 * {@code runs/<id>-2}, {@code -3}, ... when a folder of that name already exists. A folder is never
 * shared: it is created at the run's start (atomically, so two processes cannot both get it) and
 * holds a marker file naming its run (id and start time), by which a resume finds it again. Run ids
 * repeat when the database is lost or replaced, and the files of the earlier run 1 then stay as
 * they were, rather than being overwritten by the new run 1.
 */
final class RunFolders {
  private static final Logger LOG = System.getLogger(RunFolders.class.getName());
  /** The marker in each run folder; artifact names cannot start with a dot, so it never collides. */
  static final String MARKER = ".neurite-run";
  private static final int MAX_SUFFIX = 10_000;

  private RunFolders() {}

  /** Creates the folder of a run that starts now. */
  static Path claim(Path runsDir, Run run) {
    try {
      Files.createDirectories(runsDir);
      for (int suffix = 1; suffix <= MAX_SUFFIX; suffix++) {
        Path folder = runsDir.resolve(name(run.id(), suffix));
        try {
          Files.createDirectory(folder);
        } catch (FileAlreadyExistsException taken) {
          continue;
        }
        Files.writeString(folder.resolve(MARKER), marker(run), StandardCharsets.UTF_8);
        if (suffix > 1) {
          LOG.log(Level.WARNING, "{0} already holds the files of another run {1} (the provenance database was "
              + "replaced or lost since); run {1} writes to {2} and leaves them as they are",
              runsDir.resolve(name(run.id(), 1)), run.id(), folder);
        }
        return folder;
      }
    } catch (IOException e) {
      throw new UncheckedIOException("could not create the folder of run " + run.id() + " under " + runsDir, e);
    }
    throw new IllegalStateException(MAX_SUFFIX + " folders for run " + run.id() + " exist under " + runsDir);
  }

  /**
   * The folder of a run being resumed: the one whose marker names it; for a run started before
   * run folders had markers, {@code runs/<id>} when it has none; otherwise a new one.
   */
  static Path ofResumed(Path runsDir, Run run) {
    String expected = marker(run);
    if (Files.isDirectory(runsDir)) {
      String name = Long.toString(run.id());
      try (DirectoryStream<Path> folders = Files.newDirectoryStream(runsDir, name + "*")) {
        for (Path folder : folders) {
          String found = folder.getFileName().toString();
          if (!found.equals(name) && !found.startsWith(name + "-")) {
            continue;
          }
          Path marker = folder.resolve(MARKER);
          if (Files.isRegularFile(marker) && Files.readString(marker, StandardCharsets.UTF_8).equals(expected)) {
            return folder;
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException("could not look for the folder of run " + run.id() + " under " + runsDir, e);
      }
    }
    Path legacy = runsDir.resolve(name(run.id(), 1));
    if (Files.isDirectory(legacy) && !Files.exists(legacy.resolve(MARKER))) {
      return legacy;
    }
    return claim(runsDir, run);
  }

  private static String name(long runId, int suffix) {
    return suffix == 1 ? Long.toString(runId) : runId + "-" + suffix;
  }

  private static String marker(Run run) {
    return "run " + run.id() + " started " + DateTimeFormatter.ISO_INSTANT.format(run.startedAt()) + "\n";
  }
}
