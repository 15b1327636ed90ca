package org.neurite.launcher;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * A Neurite-like process for {@link FrameworkCacheTest}: claims a framework cache folder under the
 * given root, prints its name, and holds it until a line (or the end) arrives on stdin.
 */
public final class CacheHolder {
  private CacheHolder() {}

  public static void main(String[] args) throws Exception {
    try (FrameworkCache cache = FrameworkCache.claim(Path.of(args[0]))) {
      System.out.println(cache.folder().getFileName());
      System.out.flush();
      new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
    }
  }
}
