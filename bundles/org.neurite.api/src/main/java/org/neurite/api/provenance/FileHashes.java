package org.neurite.api.provenance;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.neurite.api.NeuriteException;

/**
 * SHA-256 of files, remembered by path, size and modification time, so a model of many gigabytes
 * is hashed once, not at every load or run. With a cache file (the workspace's
 * {@code cache/file-hashes.tsv}) the memory outlives the process; a line is appended per new hash,
 * so processes sharing a workspace only ever add to it.
 */
public final class FileHashes {
  private static final System.Logger LOG = System.getLogger(FileHashes.class.getName());

  private record Key(String path, long size, long modified) {}

  private final Map<Key, String> known = new ConcurrentHashMap<>();
  private final Path cacheFile;

  /** The hashes a workspace remembers, in {@code <workspace>/cache/file-hashes.tsv}. */
  public static FileHashes forWorkspace(Path workspace) {
    return new FileHashes(workspace.resolve("cache").resolve("file-hashes.tsv"));
  }

  /** Hashes remembered for the life of this object only. */
  public FileHashes() {
    this.cacheFile = null;
  }

  /** Hashes remembered in {@code cacheFile} too (created on first write). */
  public FileHashes(Path cacheFile) {
    this.cacheFile = cacheFile;
    if (Files.isRegularFile(cacheFile)) {
      try {
        for (String line : Files.readAllLines(cacheFile, StandardCharsets.UTF_8)) {
          String[] f = line.split("\t", 4);
          if (f.length == 4 && f[0].length() == 64) {
            known.put(new Key(f[3], Long.parseLong(f[1]), Long.parseLong(f[2])), f[0]);
          }
        }
      } catch (IOException | RuntimeException e) {
        LOG.log(System.Logger.Level.WARNING, "Ignoring the unreadable hash cache " + cacheFile + ": " + e);
      }
    }
  }

  /** SHA-256 of the file's content, from memory when its path, size and modification time are known. */
  public String of(Path file) {
    try {
      Path real = file.toRealPath();
      Key key = new Key(real.toString(), Files.size(real), Files.getLastModifiedTime(real).toMillis());
      String hash = known.get(key);
      if (hash == null) {
        hash = ContentHash.sha256(real);
        known.put(key, hash);
        remember(key, hash);
      }
      return hash;
    } catch (IOException e) {
      throw new NeuriteException("Cannot read " + file + " to hash it: " + e.getMessage(), e);
    }
  }

  private void remember(Key key, String hash) {
    if (cacheFile == null) {
      return;
    }
    try {
      Files.createDirectories(cacheFile.getParent());
      Files.writeString(cacheFile, hash + "\t" + key.size() + "\t" + key.modified() + "\t" + key.path() + "\n",
          StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    } catch (IOException e) {
      LOG.log(System.Logger.Level.WARNING, "Cannot remember a file hash in " + cacheFile + ": " + e);
    }
  }
}
