package org.neurite.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Greedy generation on a Llama-shaped random model: Neurite's KV-cached {@code generate} against
 * recomputing the whole sequence at every step (Neurite's forward) and against a KV-cache reference
 * written in Python on PyTorch eager ({@code bench/python/kv_generate.py}, run by /usr/bin/python3)
 * on the same weights and prompts, at batch 1 and 8, in one run. Also checks that Neurite's cached
 * tokens are the reference's.
 *
 * <p>Options: {@code --layers 8 --hidden 512 --heads 8 --kv-heads 4 --intermediate 1376 --vocab 8000
 * --prompt 32 --tokens 64 --runs 3 --warmup 1 --threads 0} (0: the engines' defaults).
 */
public final class GenerationBench {
  static final String MODEL = "llama-bench";

  private GenerationBench() {}

  public static void main(String[] args) throws Exception {
    Map<String, Integer> o = Options.parse(args, defaults());
    try (EmbeddedNeurite neurite = EmbeddedNeurite.start("neurite-generation-bench", o.get("threads"))) {
      Path folder = writeCheckpoint(neurite.workspace().resolve("models").resolve(MODEL), o, 5);
      neurite.execute("load " + MODEL);
      System.out.println("machine: " + Machine.describe());
      System.out.printf(Locale.ROOT, "model: Llama-shaped, %d layers, hidden %d, %d heads (%d kv), MLP %d, vocab %d;"
          + " prompts of %d tokens, %d generated, greedy, float32%n", o.get("layers"), o.get("hidden"), o.get("heads"),
          o.get("kv-heads"), o.get("intermediate"), o.get("vocab"), o.get("prompt"), o.get("tokens"));
      List<String> rows = new ArrayList<>();
      for (int batch : new int[] {1, 8}) {
        List<long[]> prompts = MiniLmBench.randomSequences(batch, o.get("prompt") + 2, o.get("vocab"), 11 + batch)
            .stream().map(s -> java.util.Arrays.copyOfRange(s, 1, s.length - 1)).toList();
        Path ids = neurite.writeIds("generate-ids-" + batch + ".txt", prompts);
        int tokens = o.get("tokens");
        Timing cached = new Timing(o.get("runs"));
        Timing recompute = new Timing(o.get("runs"));
        String cachedTokens = null;
        for (int run = 0; run < o.get("warmup") + o.get("runs"); run++) {
          String c = neurite.execute("bench:generate " + MODEL + " " + ids + " " + tokens + " cached");
          String r = neurite.execute("bench:generate " + MODEL + " " + ids + " " + tokens + " recompute");
          if (run >= o.get("warmup")) {
            cached.record(Double.parseDouble(c.lines().findFirst().orElseThrow()));
            recompute.record(Double.parseDouble(r.lines().findFirst().orElseThrow()));
          }
          cachedTokens = c.substring(c.indexOf('\n') + 1).trim();
          if (!cachedTokens.equals(r.substring(r.indexOf('\n') + 1).trim())) {
            throw new IllegalStateException("cached and recomputed greedy tokens differ at batch " + batch);
          }
        }
        Reference python = python(folder, ids, o);
        int agree = agreeingTokens(cachedTokens, python.tokens());
        double total = (double) batch * tokens;
        double cachedRate = total / cached.median() * 1000;
        double recomputeRate = total / recompute.median() * 1000;
        double pythonRate = total / python.median() * 1000;
        System.out.printf(Locale.ROOT, "batch %d: Neurite cached %s; recompute %s; PyTorch eager KV cache median %.1f ms"
            + " (%s); tokens equal to the reference: %d of %d%n", batch, cached, recompute, python.median(),
            python.engine(), agree, (int) total);
        rows.add(String.format(Locale.ROOT, "| batch %d, %d + %d tokens | %.0f tok/s | %.0f tok/s | %.0f tok/s | %.2f |"
            + " %.1f | %d/%d |", batch, o.get("prompt"), tokens, cachedRate, recomputeRate, pythonRate,
            cachedRate / pythonRate, cachedRate / recomputeRate, agree, (int) total));
      }
      System.out.println("| generation | Neurite cached | Neurite recompute | PyTorch eager + KV cache | cached / PyTorch"
          + " | cached / recompute | tokens equal |");
      rows.forEach(System.out::println);
    }
  }

  static Map<String, Integer> defaults() {
    Map<String, Integer> d = new LinkedHashMap<>();
    d.put("layers", 8);
    d.put("hidden", 512);
    d.put("heads", 8);
    d.put("kv-heads", 4);
    d.put("intermediate", 1376);
    d.put("vocab", 8000);
    d.put("prompt", 32);
    d.put("tokens", 64);
    d.put("runs", 3);
    d.put("warmup", 1);
    d.put("threads", 0);
    return d;
  }

  /** What the Python reference measured: milliseconds per run, the tokens of the last, its engine. */
  record Reference(double median, String tokens, String engine) {}

  private static Reference python(Path folder, Path ids, Map<String, Integer> o) throws Exception {
    Path script = Path.of("bench/python/kv_generate.py").toAbsolutePath();
    Process process = new ProcessBuilder("/usr/bin/python3", script.toString(), folder.toString(), ids.toString(),
        Integer.toString(o.get("tokens")), Integer.toString(o.get("runs")), Integer.toString(o.get("warmup")),
        Integer.toString(o.get("threads"))).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    if (process.waitFor() != 0) {
      throw new IllegalStateException("the PyTorch reference failed: " + out);
    }
    Matcher millis = Pattern.compile("\"millis\": \\[([^\\]]*)\\]").matcher(out);
    Matcher tokens = Pattern.compile("\"tokens\": \\[(.*)\\], \"torch\": \"([^\"]*)\", \"threads\": (\\d+)").matcher(out);
    if (!millis.find() || !tokens.find()) {
      throw new IllegalStateException("unexpected output of the PyTorch reference: " + out);
    }
    double[] runs = java.util.Arrays.stream(millis.group(1).split(",")).mapToDouble(s -> Double.parseDouble(s.trim()))
        .sorted().toArray();
    double median = runs.length % 2 == 1 ? runs[runs.length / 2] : (runs[runs.length / 2 - 1] + runs[runs.length / 2]) / 2;
    String rows = tokens.group(1).replace("], [", "\n").replace("[", "").replace("]", "").replace(",", "");
    return new Reference(median, rows, "PyTorch " + tokens.group(2) + ", " + tokens.group(3) + " threads");
  }

  /** Tokens equal in both, counted per sequence up to the first difference. */
  private static int agreeingTokens(String ours, String theirs) {
    String[] a = ours.split("\n");
    String[] b = theirs.split("\n");
    int agree = 0;
    for (int i = 0; i < Math.min(a.length, b.length); i++) {
      String[] x = a[i].trim().split("\\s+");
      String[] y = b[i].trim().split("\\s+");
      int k = 0;
      while (k < Math.min(x.length, y.length) && x[k].equals(y[k])) {
        k++;
      }
      agree += k;
    }
    return agree;
  }

  /** A LlamaForCausalLM folder with random weights (normal, std 0.02; norms 1), untied head, F32. */
  static Path writeCheckpoint(Path folder, Map<String, Integer> o, long seed) throws IOException {
    int hidden = o.get("hidden");
    int heads = o.get("heads");
    int kv = o.get("kv-heads");
    int ff = o.get("intermediate");
    int vocab = o.get("vocab");
    int dHead = hidden / heads;
    Map<String, int[]> shapes = new LinkedHashMap<>();
    shapes.put("model.embed_tokens.weight", new int[] {vocab, hidden});
    for (int l = 0; l < o.get("layers"); l++) {
      String p = "model.layers." + l + ".";
      shapes.put(p + "self_attn.q_proj.weight", new int[] {heads * dHead, hidden});
      shapes.put(p + "self_attn.k_proj.weight", new int[] {kv * dHead, hidden});
      shapes.put(p + "self_attn.v_proj.weight", new int[] {kv * dHead, hidden});
      shapes.put(p + "self_attn.o_proj.weight", new int[] {hidden, heads * dHead});
      shapes.put(p + "mlp.gate_proj.weight", new int[] {ff, hidden});
      shapes.put(p + "mlp.up_proj.weight", new int[] {ff, hidden});
      shapes.put(p + "mlp.down_proj.weight", new int[] {hidden, ff});
      shapes.put(p + "input_layernorm.weight", new int[] {hidden});
      shapes.put(p + "post_attention_layernorm.weight", new int[] {hidden});
    }
    shapes.put("model.norm.weight", new int[] {hidden});
    shapes.put("lm_head.weight", new int[] {vocab, hidden});
    Random random = new Random(seed);
    StringBuilder header = new StringBuilder("{");
    long offset = 0;
    for (Map.Entry<String, int[]> e : shapes.entrySet()) {
      long bytes = 4L * count(e.getValue());
      header.append(header.length() > 1 ? "," : "").append('"').append(e.getKey()).append("\":{\"dtype\":\"F32\",\"shape\":[")
          .append(e.getValue()[0]).append(e.getValue().length > 1 ? "," + e.getValue()[1] : "")
          .append("],\"data_offsets\":[").append(offset).append(',').append(offset + bytes).append("]}");
      offset += bytes;
    }
    header.append('}');
    while ((header.length() + 8) % 8 != 0) {
      header.append(' ');
    }
    byte[] head = header.toString().getBytes(StandardCharsets.UTF_8);
    ByteBuffer data = ByteBuffer.allocate(8 + head.length + (int) offset).order(ByteOrder.LITTLE_ENDIAN);
    data.putLong(head.length).put(head);
    for (Map.Entry<String, int[]> e : shapes.entrySet()) {
      boolean norm = e.getValue().length == 1;
      for (long i = 0; i < count(e.getValue()); i++) {
        data.putFloat(norm ? 1f : (float) (random.nextGaussian() * 0.02));
      }
    }
    Files.createDirectories(folder);
    Files.write(folder.resolve("model.safetensors"), data.array());
    Files.writeString(folder.resolve("config.json"), String.format(Locale.ROOT, "{\"architectures\": [\"LlamaForCausalLM\"],"
        + " \"model_type\": \"llama\", \"hidden_size\": %d, \"intermediate_size\": %d, \"num_attention_heads\": %d,"
        + " \"num_key_value_heads\": %d, \"num_hidden_layers\": %d, \"vocab_size\": %d, \"max_position_embeddings\": 2048,"
        + " \"rms_norm_eps\": 1e-6, \"rope_theta\": 10000.0, \"hidden_act\": \"silu\", \"tie_word_embeddings\": false,"
        + " \"bos_token_id\": 1, \"eos_token_id\": 2, \"torch_dtype\": \"float32\"}", hidden, ff, heads, kv,
        o.get("layers"), vocab));
    return folder;
  }

  private static long count(int[] shape) {
    long n = 1;
    for (int s : shape) {
      n *= s;
    }
    return n;
  }
}
