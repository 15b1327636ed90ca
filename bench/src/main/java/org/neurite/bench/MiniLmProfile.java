package org.neurite.bench;

import java.nio.file.Path;
import java.util.Map;

/**
 * Where a MiniLM forward pass spends its time: the bench plugin's {@code bench:profile} puts a sink
 * at every hook point that notes the clock, so the time between two hook points is the work between
 * them (PyTorch on the CPU runs each op before returning). Summed over layers, averaged over runs,
 * inside Neurite started through its embedding API. Options: {@code --batch 32 --length 64 --runs 5}.
 */
public final class MiniLmProfile {
  private MiniLmProfile() {}

  public static void main(String[] args) throws Exception {
    Map<String, Integer> o = Options.parse(args, Map.of("batch", 32, "length", 64, "runs", 5));
    try (EmbeddedNeurite neurite = EmbeddedNeurite.start("neurite-profile", 0)) {
      neurite.execute("load " + MiniLmBench.MODEL);
      int vocab = neurite.config(MiniLmBench.MODEL, "vocab_size");
      Path ids = neurite.writeIds("profile-ids.txt",
          MiniLmBench.randomSequences(o.get("batch"), o.get("length"), vocab, 7));
      String profile = neurite.execute("bench:profile " + MiniLmBench.MODEL + " " + ids + " " + o.get("runs"));
      System.out.println("machine: " + Machine.describe());
      System.out.println("time up to each hook point (the work since the previous one), summed over layers:");
      for (String line : profile.strip().split("\n")) {
        String[] parts = line.trim().split(" ");
        System.out.printf("  %-34s %7.1f ms%n", parts[0], Double.parseDouble(parts[1]));
      }
    }
  }
}
