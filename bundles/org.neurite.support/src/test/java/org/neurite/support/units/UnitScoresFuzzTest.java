package org.neurite.support.units;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.MethodSource;
import org.neurite.api.analysis.UnitScores;
import org.neurite.testkit.FuzzBounds;
import org.neurite.testkit.FuzzFiles;

/**
 * Any bytes as a unit-scores file (what {@code neurons FILE}, {@code select} and the methods read):
 * reading it gives scores that write back to equal scores, or one message naming the file; the heap
 * used stays within the input's size.
 */
class UnitScoresFuzzTest {
  @MethodSource("written")
  @FuzzTest(maxDuration = "10s")
  void read(byte[] input) throws IOException {
    Path path = FuzzFiles.write(".scores.safetensors", input);
    FuzzBounds.check(input.length, 64, 16 << 20, path.toString(), () -> {
      UnitScores scores = UnitScoresFiles.read(path);
      try {
        Path again = Files.createTempFile("fuzz-again", ".safetensors");
        try {
          UnitScoresFiles.write(scores, again);
          assertEquals(scores, UnitScoresFiles.read(again));
        } finally {
          Files.delete(again);
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
  }

  /** Files the writer makes, as seeds: two hook points, two groups. */
  static Stream<byte[]> written() throws IOException {
    Map<String, Map<String, float[]>> scores = new LinkedHashMap<>();
    scores.put("blocks.0.mlp.hook_post", Map.of("en", new float[] {0.1f, 0.9f, 0f}));
    scores.put("blocks.1.attn.hook_v", new LinkedHashMap<>(Map.of("en", new float[] {1, 2}, "fr", new float[] {3, 4})));
    Path p = Files.createTempFile("fuzz-seed", ".safetensors");
    UnitScoresFiles.write(new UnitScores("p_active", scores), p);
    byte[] bytes = Files.readAllBytes(p);
    Files.delete(p);
    return Stream.of(bytes);
  }
}
