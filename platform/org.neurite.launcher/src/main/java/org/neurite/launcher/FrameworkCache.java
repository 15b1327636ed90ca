package org.neurite.launcher;

import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * The Felix cache folder of this process, {@code <workspace>/cache/felix-N}: the first whose lock
 * file ({@code felix-N.lock}, beside it) no live process holds, so a later process reuses the
 * folder an earlier one left and a concurrent one gets its own. Felix has no lock of its own.
 *
 * <p>Folders above this process's that no process holds are stale (their process ended while a
 * lower one was in use) and are deleted while their lock is held, so no process can start in one
 * being deleted. A folder whose lock is held is never touched; the lock files stay (they are empty).
 *
 * <p>File locks belong to the process, and closing any channel on a locked file releases the lock
 * on Linux (POSIX record locks), so a lock file this JVM holds is never opened a second time.
 */
final class FrameworkCache implements AutoCloseable {
  private static final Logger LOG = System.getLogger(FrameworkCache.class.getName());
  static final int MAX_CACHES = 16;
  /** The lock files this JVM holds (a JVM-wide fact, like the locks themselves). */
  private static final Set<Path> HELD_HERE = ConcurrentHashMap.newKeySet();

  private final Path folder;
  private final Held lock;

  private FrameworkCache(Path folder, Held lock) {
    this.folder = folder;
    this.lock = lock;
  }

  /** A held lock file and its channel. */
  private record Held(Path file, FileChannel channel) implements AutoCloseable {
    @Override
    public void close() throws IOException {
      try {
        channel.close();
      } finally {
        HELD_HERE.remove(file);
      }
    }
  }

  /** Claims the first free cache folder under {@code cacheRoot} and deletes the stale ones above it. */
  static FrameworkCache claim(Path cacheRoot) throws IOException {
    Files.createDirectories(cacheRoot);
    for (int i = 0; i < MAX_CACHES; i++) {
      Held held = tryLock(cacheRoot, i);
      if (held != null) {
        prune(cacheRoot, i);
        return new FrameworkCache(cacheRoot.resolve("felix-" + i), held);
      }
    }
    throw new LaunchException(MAX_CACHES + " Neurite processes are already running on the workspace "
        + cacheRoot.getParent() + "; wait for one to finish or use another --workspace.");
  }

  /** The folder Felix keeps its bundle cache in. */
  Path folder() {
    return folder;
  }

  /** Releases the folder for the next process (the lock goes with the process anyway). */
  @Override
  public void close() throws IOException {
    lock.close();
  }

  /** The lock of cache folder {@code index}, or null when another process (or this one) holds it. */
  private static Held tryLock(Path cacheRoot, int index) throws IOException {
    Path file = cacheRoot.resolve("felix-" + index + ".lock").toAbsolutePath().normalize();
    if (!HELD_HERE.add(file)) {
      return null;
    }
    FileLock lock = null;
    FileChannel channel = null;
    try {
      channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      lock = channel.tryLock();
    } catch (OverlappingFileLockException heldHere) {
      lock = null;
    } finally {
      if (lock == null) {
        try {
          if (channel != null) {
            channel.close();
          }
        } finally {
          HELD_HERE.remove(file);
        }
      }
    }
    return lock == null ? null : new Held(file, channel);
  }

  private static void prune(Path cacheRoot, int own) throws IOException {
    for (int i = own + 1; i < MAX_CACHES; i++) {
      Path stale = cacheRoot.resolve("felix-" + i);
      if (!Files.isDirectory(stale)) {
        continue;
      }
      Held held = tryLock(cacheRoot, i);
      if (held == null) {
        continue;
      }
      try (held) {
        deleteTree(stale);
        LOG.log(Level.DEBUG, "Deleted the stale framework cache {0}", stale);
      } catch (IOException e) {
        LOG.log(Level.WARNING, "Could not delete the stale framework cache " + stale + "; delete it by hand "
            + "while no Neurite process runs on the workspace", e);
      }
    }
  }

  private static void deleteTree(Path root) throws IOException {
    List<Path> paths;
    try (Stream<Path> walk = Files.walk(root)) {
      paths = walk.sorted(Comparator.reverseOrder()).toList();
    }
    for (Path path : paths) {
      Files.deleteIfExists(path);
    }
  }
}
