package org.neurite.support.files;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileHashesTest {
  @TempDir Path dir;

  @Test
  void hashesAreRememberedAcrossInstancesAndRedoneWhenTheFileChanges() throws Exception {
    Path file = dir.resolve("weights.bin");
    Files.writeString(file, "one");
    Path cache = dir.resolve("cache/file-hashes.tsv");
    assertEquals(ContentHash.sha256("one"), new FileHashes(cache).of(file));
    assertEquals(1, Files.readAllLines(cache).size());

    // A second process reads the remembered hash: it does not hash again (no new line).
    assertEquals(ContentHash.sha256("one"), new FileHashes(cache).of(file));
    assertEquals(1, Files.readAllLines(cache).size());

    Files.writeString(file, "two");
    Files.setLastModifiedTime(file, FileTime.fromMillis(Files.getLastModifiedTime(file).toMillis() + 5000));
    String changed = new FileHashes(cache).of(file);
    assertEquals(ContentHash.sha256("two"), changed);
    assertNotEquals(ContentHash.sha256("one"), changed);
    assertEquals(2, Files.readAllLines(cache).size());
  }

  @Test
  void anEditOfTheSameSizeWithItsModificationTimeRestoredIsHashedAgain() throws Exception {
    Path file = dir.resolve("data.jsonl");
    Files.writeString(file, "{\"text\": \"aaaa\"}");
    FileTime before = Files.getLastModifiedTime(file);
    Path cache = dir.resolve("cache/file-hashes.tsv");
    assertEquals(ContentHash.sha256("{\"text\": \"aaaa\"}"), new FileHashes(cache).of(file));

    Thread.sleep(20); // the change time has at least millisecond resolution here
    Files.writeString(file, "{\"text\": \"bbbb\"}");
    Files.setLastModifiedTime(file, before);
    assertEquals(before, Files.getLastModifiedTime(file));
    assertEquals(ContentHash.sha256("{\"text\": \"bbbb\"}"), new FileHashes(cache).of(file),
        "same size, same modification time, new content: the change time tells them apart");
  }
}
