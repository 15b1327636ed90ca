package org.neurite.bench;

import java.io.IOException;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Memory of streaming statistics over a corpus (issue 9, acceptance 1): the shipped MiniLM's
 * {@code stats.units} over every {@code blocks.L.mlp.hook_post} (6 x 1536 units) for about 10^6
 * tokens, run as a user runs it (a workflow through the embedding API), while the process's
 * resident memory is sampled every 250 ms. Memory is flat when what it holds after the first
 * quarter of the step is what it holds at the end: the accumulators do not grow with tokens, and
 * every batch's tensors are freed.
 *
 * <p>Options: {@code --examples 15625 --length 64 --batch 32} (15,625 x 64 = 10^6 tokens).
 */
public final class StatsMemoryBench {
  private static final Pattern VM_RSS = Pattern.compile("VmRSS:\\s+(\\d+) kB");
  private static final Pattern ROWS = Pattern.compile("stats\\s+rows\\s+(\\S+)\\s+(\\d+)");

  private StatsMemoryBench() {}

  record Sample(long millis, long rssKb, long directKb) {}

  public static void main(String[] args) throws Exception {
    Map<String, Integer> o = Options.parse(args, Map.of("examples", 15_625, "length", 64, "batch", 32));
    try (EmbeddedNeurite neurite = EmbeddedNeurite.start("neurite-stats-memory", 0)) {
      Path dataset = corpus(neurite.workspace().resolve("datasets/corpus.jsonl"), o.get("examples"), o.get("length"));
      Path workflow = Files.writeString(neurite.workspace().resolve("workflows/stats-memory.json"), ("{'name': 'stats-memory',"
          + " 'steps': [{'id': 'model', 'uses': 'model.load', 'with': {'model': '" + MiniLmBench.MODEL + "'}},"
          + "{'id': 'corpus', 'uses': 'dataset.jsonl', 'with': {'path': '" + dataset + "', 'text': 'text', 'group': 'lang'}},"
          + "{'id': 'stats', 'uses': 'stats.units', 'with': {'model': '${model.model}', 'dataset': '${corpus.dataset}',"
          + " 'hooks': ['blocks.*.mlp.hook_post'], 'batch_size': " + o.get("batch") + ", 'max_tokens': " + o.get("length")
          + ", 'statistic': 'active_probability'}}]}").replace('\'', '"'));
      neurite.execute("load " + MiniLmBench.MODEL);
      List<Sample> samples = new CopyOnWriteArrayList<>();
      long start = System.nanoTime();
      Thread sampler = new Thread(() -> {
        while (!Thread.currentThread().isInterrupted()) {
          samples.add(new Sample((System.nanoTime() - start) / 1_000_000, rssKb(), directKb()));
          try {
            Thread.sleep(250);
          } catch (InterruptedException e) {
            return;
          }
        }
      }, "rss-sampler");
      sampler.setDaemon(true);
      sampler.start();
      String out = neurite.execute("run " + workflow);
      long millis = (System.nanoTime() - start) / 1_000_000;
      sampler.interrupt();
      sampler.join();
      if (!out.contains("SUCCEEDED")) {
        throw new IllegalStateException("the workflow did not succeed:\n" + out);
      }
      String shown = neurite.execute("show 1");
      long tokens = 0;
      Matcher m = ROWS.matcher(shown);
      while (m.find()) {
        tokens += Long.parseLong(m.group(2));
      }
      Sample quarter = at(samples, millis / 4);
      Sample half = at(samples, millis / 2);
      Sample end = samples.get(samples.size() - 1);
      long peak = samples.stream().mapToLong(Sample::rssKb).max().orElse(0);
      long peakDirect = samples.stream().mapToLong(Sample::directKb).max().orElse(0);
      // what a full collection gives back: Java objects that still hold native memory until collected
      System.gc();
      Thread.sleep(2000);
      long afterGc = rssKb();
      System.out.println("| machine | tokens | seconds | tokens/s | RSS at 1/4 | at 1/2 | at end | peak | end - 1/4"
          + " | direct buffers at 1/4 / end / peak | RSS after a full GC |");
      System.out.println("|---|---|---|---|---|---|---|---|---|---|---|");
      System.out.printf("| %s | %,d | %.1f | %,.0f | %d MiB | %d MiB | %d MiB | %d MiB | %+d MiB | %d / %d / %d MiB | %d MiB |%n",
          Machine.describe(), tokens, millis / 1000.0, tokens / (millis / 1000.0), quarter.rssKb() / 1024,
          half.rssKb() / 1024, end.rssKb() / 1024, peak / 1024, (end.rssKb() - quarter.rssKb()) / 1024,
          quarter.directKb() / 1024, end.directKb() / 1024, peakDirect / 1024, afterGc / 1024);
    }
  }

  /** The sample closest to {@code millis} after the start. */
  private static Sample at(List<Sample> samples, long millis) {
    Sample best = samples.get(0);
    for (Sample s : samples) {
      if (Math.abs(s.millis() - millis) < Math.abs(best.millis() - millis)) {
        best = s;
      }
    }
    return best;
  }

  /** What the JVM's direct byte buffers hold (DJL copies Java arrays into them to make tensors). */
  private static long directKb() {
    return ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class).stream()
        .filter(pool -> pool.getName().equals("direct")).mapToLong(BufferPoolMXBean::getMemoryUsed).sum() / 1024;
  }

  private static long rssKb() {
    try {
      Matcher m = VM_RSS.matcher(Files.readString(Path.of("/proc/self/status")));
      return m.find() ? Long.parseLong(m.group(1)) : -1;
    } catch (IOException e) {
      return -1;
    }
  }

  /** Texts of about {@code length} words drawn from a fixed vocabulary, in four groups. */
  private static Path corpus(Path file, int examples, int length) throws Exception {
    String[] words = ("the of and to in is was for on that with as by it from at his an were are which this be"
        + " has had or not but their one its also first new after who they two been her she all other time"
        + " year city world house river music school war people state part known later would early found").split(" ");
    String[] groups = {"a", "b", "c", "d"};
    Random random = new Random(11);
    List<String> lines = new ArrayList<>(examples);
    for (int i = 0; i < examples; i++) {
      StringBuilder text = new StringBuilder();
      for (int w = 0; w < length; w++) {
        text.append(w == 0 ? "" : " ").append(words[random.nextInt(words.length)]);
      }
      lines.add("{\"text\": \"" + text + "\", \"lang\": \"" + groups[i % groups.length] + "\"}");
    }
    Files.createDirectories(file.getParent());
    return Files.write(file, lines, StandardCharsets.UTF_8);
  }
}
