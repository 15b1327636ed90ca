package org.neurite.launcher;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;

/**
 * A workspace: conf/, workflows/, datasets/, models/, plugins/ (hot-deployed bundles), runs/
 * (artifacts), db/ (the embedded provenance database, owner-only), plus logs/ and cache/ that Neurite manages.
 * A new workspace starts as a copy of the distribution's workspace-template; files already present
 * are never overwritten, so a user's edits survive upgrades.
 */
final class Workspace {
  static final List<String> FOLDERS = List.of("conf", "workflows", "datasets", "models", "plugins", "runs", "db", "logs", "cache");

  private Workspace() {}

  static void prepare(Path workspace, Path template) {
    try {
      if (Files.exists(workspace) && !Files.isDirectory(workspace)) {
        throw new LaunchException("The workspace " + workspace + " is a file, not a folder: pass --workspace DIR with a folder.");
      }
      Files.createDirectories(workspace);
      if (Files.isDirectory(template)) {
        copyMissing(template, workspace);
      }
      for (String folder : FOLDERS) {
        Files.createDirectories(workspace.resolve(folder));
      }
      ownerOnly(workspace.resolve("db"));
    } catch (IOException e) {
      throw new LaunchException("Cannot create the workspace " + workspace + ": " + e.getMessage()
          + ". Choose a writable folder with --workspace DIR or NEURITE_WORKSPACE.", e);
    }
  }

  /**
   * db/ holds the provenance database, its lock file (with the key of the database's TCP server)
   * and its passwords: readable by the workspace's owner only, set explicitly, whatever the umask.
   */
  static void ownerOnly(Path folder) throws IOException {
    PosixFileAttributeView view = Files.getFileAttributeView(folder, PosixFileAttributeView.class);
    if (view != null) {
      view.setPermissions(PosixFilePermissions.fromString("rwx------"));
    }
  }

  private static void copyMissing(Path from, Path to) throws IOException {
    try (Stream<Path> files = Files.walk(from)) {
      for (Path source : (Iterable<Path>) files::iterator) {
        Path target = to.resolve(from.relativize(source).toString());
        if (Files.isDirectory(source)) {
          Files.createDirectories(target);
        } else if (!Files.exists(target)) {
          try {
            Files.copy(source, target);
          } catch (FileAlreadyExistsException raced) {
            // another process created it at the same moment: theirs is as good as ours
          }
        }
      }
    }
  }
}
