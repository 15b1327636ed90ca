package org.neurite.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Framework cache folders between real processes: reused one after another, one each at once, stale ones deleted. */
class FrameworkCacheTest {
  @TempDir Path cache;
  private final List<Holder> holders = new ArrayList<>();

  /** A child JVM holding a cache folder until {@link #release()}. */
  private final class Holder {
    final Process process;
    final String folder;

    Holder() throws Exception {
      process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          "-cp", System.getProperty("java.class.path"), CacheHolder.class.getName(), cache.toString())
          .redirectError(ProcessBuilder.Redirect.INHERIT).start();
      holders.add(this);
      folder = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8)).readLine();
    }

    void release() throws Exception {
      process.getOutputStream().close();
      assertTrue(process.waitFor(30, TimeUnit.SECONDS));
      assertEquals(0, process.exitValue());
    }
  }

  @AfterEach
  void stopHolders() {
    holders.forEach(h -> h.process.destroyForcibly());
  }

  /** Fills a cache folder as Felix would, so a deletion shows. */
  private void fill(String folder) throws Exception {
    Files.createDirectories(cache.resolve(folder).resolve("bundle1"));
    Files.writeString(cache.resolve(folder).resolve("bundle1/bundle.info"), "cached");
  }

  @Test
  void processesOneAfterAnotherReuseOneFolderAndConcurrentOnesGetTheirOwn() throws Exception {
    Holder first = new Holder();
    assertEquals("felix-0", first.folder);
    fill("felix-0");
    first.release();
    Holder second = new Holder();
    assertEquals("felix-0", second.folder, "a later process reuses the folder");
    assertTrue(Files.exists(cache.resolve("felix-0/bundle1/bundle.info")));
    Holder concurrent = new Holder();
    assertEquals("felix-1", concurrent.folder, "a concurrent process gets its own");
    second.release();
    concurrent.release();
  }

  @Test
  void staleFoldersAreDeletedAndOnesInUseNeverAre() throws Exception {
    Holder a = new Holder();
    Holder b = new Holder();
    Holder c = new Holder();
    assertEquals(List.of("felix-0", "felix-1", "felix-2"), List.of(a.folder, b.folder, c.folder));
    fill("felix-0");
    fill("felix-1");
    fill("felix-2");
    fill("felix-5");
    b.release();
    Holder d = new Holder();
    assertEquals("felix-1", d.folder, "the free folder is reused");
    assertTrue(Files.exists(cache.resolve("felix-2/bundle1/bundle.info")), "felix-2 is in use: kept");
    assertFalse(Files.exists(cache.resolve("felix-5")), "felix-5, held by no process, was deleted");

    c.release();
    d.release();
    Holder e = new Holder();
    assertEquals("felix-1", e.folder);
    assertTrue(Files.exists(cache.resolve("felix-1/bundle1/bundle.info")), "its own folder is kept");
    assertFalse(Files.exists(cache.resolve("felix-2")), "felix-2, free now, was deleted");
    assertTrue(Files.exists(cache.resolve("felix-0/bundle1/bundle.info")), "felix-0 is below: never pruned");
    a.release();
    e.release();
  }

  @Test
  void aFolderThisProcessHoldsIsNeitherClaimedAgainNorDeleted() throws Exception {
    FrameworkCache first = FrameworkCache.claim(cache);
    assertEquals("felix-0", first.folder().getFileName().toString());
    try (FrameworkCache second = FrameworkCache.claim(cache)) {
      assertEquals("felix-1", second.folder().getFileName().toString());
      fill("felix-1");
      first.close();
      try (FrameworkCache third = FrameworkCache.claim(cache)) {
        assertEquals("felix-0", third.folder().getFileName().toString());
        assertTrue(Files.exists(cache.resolve("felix-1/bundle1/bundle.info")), "felix-1 is held in this JVM: kept");
        Holder other = new Holder();
        assertEquals("felix-2", other.folder, "folders held in this JVM are in use for another process too");
        other.release();
      }
    }
  }
}
