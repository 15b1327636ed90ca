package org.neurite.support.files;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.neurite.api.NeuriteException;

/**
 * SHA-256 of files, remembered by path, size and modification time, so a model of many gigabytes
 * is hashed once, not at every load or run. With a cache file (the workspace's
 * {@code cache/file-hashes.tsv}) the memory outlives the process; a line is appended per new hash,
 * so processes sharing a workspace only ever add to it.
 */
public final class FileHashes {
  private static final System.Logger LOG = System.getLogger(FileHashes.class.getName());

  /**
   * What identifies one version of a file without reading it. The change time and file key (inode)
   * are in it because a user can restore a modification time (touch -d) but not those: an edit of
   * the same size with its old modification time is still seen as a new version.
   */
  private record Key(String path, long size, long modified, long changed, String fileKey) {
    String line(String hash) {
      return hash + "\t" + size + "\t" + modified + "\t" + changed + "\t" + fileKey + "\t" + path + "\n";
    }

    static Key parse(String[] f) {
      return new Key(f[5], Long.parseLong(f[1]), Long.parseLong(f[2]), Long.parseLong(f[3]), f[4]);
    }

    static Key of(Path real) throws IOException {
      BasicFileAttributes basic = Files.readAttributes(real, BasicFileAttributes.class);
      long changed = -1;
      try {
        Object ctime = Files.getAttribute(real, "unix:ctime");
        if (ctime instanceof FileTime time) {
          changed = time.to(TimeUnit.NANOSECONDS);
        }
      } catch (UnsupportedOperationException | IllegalArgumentException e) {
        // no unix view on this file system: size, modification time and file key must do
      }
      Object fileKey = basic.fileKey();
      return new Key(real.toString(), basic.size(), basic.lastModifiedTime().to(TimeUnit.NANOSECONDS), changed,
          fileKey == null ? "-" : fileKey.toString().replace('\t', ' '));
    }
  }

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
          String[] f = line.split("\t", 6);
          if (f.length == 6 && f[0].length() == 64) {
            known.put(Key.parse(f), f[0]);
          }
        }
      } catch (IOException | RuntimeException e) {
        LOG.log(System.Logger.Level.WARNING, "Ignoring the unreadable hash cache " + cacheFile + ": " + e);
      }
    }
  }

  /** SHA-256 of the file's content, from memory when this version of the file (see {@link Key}) was hashed before. */
  public String of(Path file) {
    try {
      Path real = file.toRealPath();
      Key key = Key.of(real);
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
      Files.writeString(cacheFile, key.line(hash), StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    } catch (IOException e) {
      LOG.log(System.Logger.Level.WARNING, "Cannot remember a file hash in " + cacheFile + ": " + e);
    }
  }
}
