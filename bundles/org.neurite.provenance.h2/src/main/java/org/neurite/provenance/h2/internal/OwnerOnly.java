package org.neurite.provenance.h2.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Gives files and folders owner-only POSIX permissions, set explicitly rather than left to the
 * umask: the workspace database, its lock file (which holds the key of its TCP server) and the
 * credentials must not be readable by other users of the machine.
 */
final class OwnerOnly {
  private static final System.Logger LOG = System.getLogger(OwnerOnly.class.getName());

  static final Set<PosixFilePermission> FOLDER = PosixFilePermissions.fromString("rwx------");
  static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");

  private OwnerOnly() {}

  /** Creates {@code folder} if needed and makes it {@code rwx------}. */
  static void folder(Path folder) {
    try {
      Files.createDirectories(folder);
      set(folder, FOLDER);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create or restrict " + folder, e);
    }
  }

  /** Makes an existing file {@code rw-------}. */
  static void file(Path file) {
    try {
      set(file, FILE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot restrict " + file, e);
    }
  }

  /** Makes every regular file directly inside {@code folder} {@code rw-------}. */
  static void contents(Path folder) {
    try (Stream<Path> files = Files.list(folder)) {
      for (Path file : (Iterable<Path>) files::iterator) {
        if (Files.isRegularFile(file)) {
          set(file, FILE);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot restrict the files in " + folder, e);
    }
  }

  private static void set(Path path, Set<PosixFilePermission> permissions) throws IOException {
    PosixFileAttributeView view = Files.getFileAttributeView(path, PosixFileAttributeView.class);
    if (view == null) {
      LOG.log(Level.WARNING, "The file system of " + path + " has no POSIX permissions; keep the "
          + "workspace where only its owner can read it (docs/security.md)");
      return;
    }
    view.setPermissions(permissions);
  }
}
