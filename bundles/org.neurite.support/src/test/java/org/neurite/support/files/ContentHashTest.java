package org.neurite.support.files;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ContentHashTest {
  /** FIPS 180-2 test vectors. */
  private static final String ABC = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
  private static final String EMPTY = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

  @Test
  void textBytesAndFilesHashAlike(@TempDir Path dir) throws Exception {
    assertEquals(ABC, ContentHash.sha256("abc"));
    assertEquals(ABC, ContentHash.sha256(new byte[] {'a', 'b', 'c'}));
    assertEquals(ABC, ContentHash.sha256(Files.writeString(dir.resolve("abc.txt"), "abc")));
    assertEquals(EMPTY, ContentHash.sha256(Files.write(dir.resolve("empty"), new byte[0])));
  }

  @Test
  void largeFilesAreHashedInBlocks(@TempDir Path dir) throws Exception {
    byte[] data = new byte[200_000];
    for (int i = 0; i < data.length; i++) {
      data[i] = (byte) (i * 31);
    }
    assertEquals(ContentHash.sha256(data), ContentHash.sha256(Files.write(dir.resolve("big"), data)));
  }
}
