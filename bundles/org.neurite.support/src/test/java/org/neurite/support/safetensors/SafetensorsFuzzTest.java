package org.neurite.support.safetensors;

import org.neurite.testkit.FuzzBounds;
import org.neurite.testkit.FuzzFiles;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import org.neurite.api.model.TensorEntry;

/**
 * Any bytes as a {@code .safetensors} file: opening it gives the tensors, each of which maps to
 * exactly its byte range, or one message naming the file; the heap used stays within the input's
 * size (a header that claims 2^40 bytes is refused before anything is allocated).
 */
class SafetensorsFuzzTest {
  @FuzzTest(maxDuration = "10s")
  void open(byte[] input) throws IOException {
    Path path = FuzzFiles.write(".safetensors", input);
    FuzzBounds.check(input.length, 64, 16 << 20, path.toString(), () -> {
      try (SafetensorsFile safetensors = SafetensorsFile.open(path)) {
        for (TensorEntry entry : safetensors.entries().values()) {
          ByteBuffer bytes = safetensors.map(entry.name());
          assertEquals(entry.end() - entry.begin(), bytes.remaining(), entry.name());
          assertEquals(entry.elements() * entry.dtype().bytes(), bytes.remaining(), entry.name());
        }
        safetensors.metadata().forEach((k, v) -> assertEquals(v, safetensors.metadata().get(k)));
      }
    });
  }
}
