package org.neurite.models.internal.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.neurite.api.NeuriteException;
import org.neurite.api.provenance.ContentHash;

/**
 * SHA-256 of files, remembered by path, size and modification time, so a model of many gigabytes
 * is hashed once, not at every load.
 */
public final class FileHashes {
  private record Key(Path path, long size, long modified) {}

  private final Map<Key, String> known = new ConcurrentHashMap<>();

  public String of(Path file) {
    try {
      Path real = file.toRealPath();
      Key key = new Key(real, Files.size(real), Files.getLastModifiedTime(real).toMillis());
      String hash = known.get(key);
      if (hash == null) {
        hash = ContentHash.sha256(real);
        known.put(key, hash);
      }
      return hash;
    } catch (IOException e) {
      throw new NeuriteException("Cannot read " + file + " to hash it: " + e.getMessage(), e);
    }
  }
}
