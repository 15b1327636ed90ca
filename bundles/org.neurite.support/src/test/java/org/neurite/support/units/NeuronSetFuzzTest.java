package org.neurite.support.units;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.MethodSource;
import org.neurite.api.analysis.NeuronSet;
import org.neurite.api.analysis.Unit;
import org.neurite.testkit.FuzzBounds;
import org.neurite.testkit.FuzzFiles;

/**
 * Any bytes as a neuron-set file (what {@code neurons FILE} and every step taking a neuron set read):
 * reading it gives a set that writes back to an equal set, or one message naming the file.
 */
class NeuronSetFuzzTest {
  @MethodSource("written")
  @FuzzTest(maxDuration = "10s")
  void read(byte[] input) throws IOException {
    Path path = FuzzFiles.write(".json", input);
    FuzzBounds.check(input.length, 64, 16 << 20, path.toString(), () -> {
      NeuronSet set = NeuronSetFiles.read(path);
      try {
        Path again = Files.createTempFile("fuzz-again", ".json");
        try {
          NeuronSetFiles.write(set, again);
          assertEquals(set, NeuronSetFiles.read(again));
        } finally {
          Files.delete(again);
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
  }

  /** Files the writer makes, as seeds: an empty set, members of several groups, a NaN score. */
  static Stream<byte[]> written() throws IOException {
    List<NeuronSet> sets = List.of(
        new NeuronSet("empty", "p_active", List.of()),
        new NeuronSet("lape", "entropy", List.of(
            new NeuronSet.Member(new Unit("blocks.1.mlp.hook_post", 7), 0.9, "fr"),
            new NeuronSet.Member(new Unit("blocks.0.attn.hook_q", 3), -0.5, "de"),
            new NeuronSet.Member(new Unit("blocks.0.mlp.hook_pre", 3), Double.NaN, "all"))));
    Stream.Builder<byte[]> out = Stream.builder();
    for (NeuronSet set : sets) {
      Path p = Files.createTempFile("fuzz-seed", ".json");
      NeuronSetFiles.write(set, p);
      out.add(Files.readAllBytes(p));
      Files.delete(p);
    }
    return out.build();
  }
}
