package org.neurite.testbed;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.neurite.support.safetensors.SafetensorsWriter;

/**
 * A tiny Llama-style model whose truth is known: each of {@code groups} "languages" has its own
 * vocabulary, and at one layer a few MLP neurons per language fire on that language's tokens only
 * and raise the logits of that language's tokens. Everything else is small random weights.
 *
 * <p>How it is planted (d_model = 2G planted dimensions + free ones):
 * <ul>
 *   <li>the embedding of a token of language g is {@code signal} on dimension g (plus small noise);
 *   <li>planted neuron j of language g at layer {@code layer} has gate and up rows {@code strength}
 *       on dimension g: SwiGLU gives {@code silu(s x_g) * s x_g}, large on language g, about zero
 *       elsewhere;
 *   <li>its down-projection column writes {@code output} on dimension G + g, and the unembedding
 *       of every language-g token reads dimension G + g: the neuron drives language g's next tokens.
 * </ul>
 * Zeroing the planted neurons of g raises the loss on language g (its tokens lose their boost) and
 * leaves other languages alone. The folder also has a word-level {@code tokenizer.json}: token
 * {@code g3_5} is word 5 of language 3.
 */
public final class PlantedModel {
  private int groups = 3;
  private int wordsPerGroup = 8;
  private int freeDims = 8;
  private int layers = 2;
  private int layer = 1;
  private int dMlp = 48;
  private int heads = 2;
  private int plantedPerGroup = 2;
  private double signal = 4;
  private double strength = 3;
  private double output = 3;
  private double noise = 0.02;
  private double wordNoise = 0;
  private long seed = 1;

  public PlantedModel groups(int groups) {
    this.groups = groups;
    return this;
  }

  public PlantedModel wordsPerGroup(int words) {
    this.wordsPerGroup = words;
    return this;
  }

  public PlantedModel layers(int layers, int plantedAt) {
    this.layers = layers;
    this.layer = plantedAt;
    return this;
  }

  public PlantedModel dMlp(int dMlp) {
    this.dMlp = dMlp;
    return this;
  }

  public PlantedModel plantedPerGroup(int count) {
    this.plantedPerGroup = count;
    return this;
  }

  /**
   * How strongly it is planted: the embedding's group signal, the planted neurons' gate/up weight,
   * and their down-projection weight (defaults 4, 3, 3: the planted neurons saturate the softmax).
   * Smaller values give a smoother model, e.g. for checking integrated gradients' completeness.
   */
  public PlantedModel scales(double signal, double strength, double output) {
    this.signal = signal;
    this.strength = strength;
    this.output = output;
    return this;
  }

  /**
   * Plants by activation probability, for methods that count how often a unit fires (LAPE): each
   * planted neuron's gate also reads {@code -strength} on every other group's dimension, so it is
   * inactive on their tokens; and every word carries its own random direction in the free
   * dimensions (uniform in ±{@code wordNoise}), so an unplanted neuron fires on some of each group's
   * words and not others, instead of on all or none of a group (which the group dimension alone
   * would give). Off by default.
   */
  public PlantedModel exclusive(double wordNoise) {
    this.wordNoise = wordNoise;
    return this;
  }

  public PlantedModel seed(long seed) {
    this.seed = seed;
    return this;
  }

  /** The names of the groups: {@code g0}, {@code g1}, ... */
  public List<String> groupNames() {
    List<String> names = new ArrayList<>();
    for (int g = 0; g < groups; g++) {
      names.add("g" + g);
    }
    return names;
  }

  /** The hook point the planted neurons are at. */
  public String hook() {
    return "blocks." + layer + ".mlp.hook_post";
  }

  /** The planted neurons of each group, as indices of {@link #hook()}: spread over the layer. */
  public Map<String, int[]> planted() {
    Map<String, int[]> planted = new LinkedHashMap<>();
    for (int g = 0; g < groups; g++) {
      int[] units = new int[plantedPerGroup];
      for (int j = 0; j < plantedPerGroup; j++) {
        units[j] = (g * plantedPerGroup + j) * 5 % dMlp;
      }
      planted.put("g" + g, units);
    }
    return planted;
  }

  /** Token id of word {@code w} of group {@code g}; ids 0-2 are [PAD], [BOS], [EOS]. */
  public int tokenId(int g, int w) {
    return 3 + g * wordsPerGroup + w;
  }

  public int vocab() {
    return 3 + groups * wordsPerGroup;
  }

  /** 2G planted dimensions plus free ones, rounded up so that every head has an even width. */
  public int dModel() {
    int step = 2 * heads;
    return (2 * groups + freeDims + step - 1) / step * step;
  }

  /** Writes config.json, model.safetensors and tokenizer.json into {@code folder}. */
  public Path write(Path folder) throws IOException {
    if (plantedPerGroup * groups > dMlp || layer >= layers) {
      throw new IllegalArgumentException("cannot plant " + plantedPerGroup * groups + " neurons in " + dMlp
          + " at layer " + layer + " of " + layers);
    }
    Files.createDirectories(folder);
    SplittableRandom random = new SplittableRandom(seed);
    int d = dModel();
    int v = vocab();
    int headDim = d % heads == 0 ? d / heads : 0;
    if (headDim == 0 || headDim % 2 != 0) {
      throw new IllegalArgumentException("d_model " + d + " must split into " + heads + " heads of even width");
    }
    SafetensorsWriter w = new SafetensorsWriter();
    float[] embed = noise(random, v * d);
    float[] unembed = noise(random, v * d);
    for (int g = 0; g < groups; g++) {
      for (int word = 0; word < wordsPerGroup; word++) {
        int t = tokenId(g, word);
        embed[t * d + g] += (float) signal;
        unembed[t * d + groups + g] += 1f;
        for (int free = 2 * groups; free < d && wordNoise > 0; free++) {
          embed[t * d + free] += (float) ((random.nextDouble() * 2 - 1) * wordNoise);
        }
      }
    }
    w.add("model.embed_tokens.weight", new long[] {v, d}, embed);
    w.add("lm_head.weight", new long[] {v, d}, unembed);
    w.add("model.norm.weight", new long[] {d}, ones(d));
    Map<String, int[]> planted = planted();
    for (int l = 0; l < layers; l++) {
      String p = "model.layers." + l + ".";
      w.add(p + "input_layernorm.weight", new long[] {d}, ones(d));
      w.add(p + "post_attention_layernorm.weight", new long[] {d}, ones(d));
      for (String proj : List.of("q_proj", "k_proj", "v_proj", "o_proj")) {
        w.add(p + "self_attn." + proj + ".weight", new long[] {d, d}, noise(random, d * d));
      }
      float[] gate = noise(random, dMlp * d);
      float[] up = noise(random, dMlp * d);
      float[] down = noise(random, d * dMlp);
      if (l == layer) {
        for (int g = 0; g < groups; g++) {
          for (int unit : planted.get("g" + g)) {
            gate[unit * d + g] = (float) strength;
            for (int other = 0; other < groups && wordNoise > 0; other++) {
              if (other != g) {
                gate[unit * d + other] = (float) -strength;
              }
            }
            up[unit * d + g] = (float) strength;
            down[(groups + g) * dMlp + unit] = (float) output;
          }
        }
      }
      w.add(p + "mlp.gate_proj.weight", new long[] {dMlp, d}, gate);
      w.add(p + "mlp.up_proj.weight", new long[] {dMlp, d}, up);
      w.add(p + "mlp.down_proj.weight", new long[] {d, dMlp}, down);
    }
    w.write(folder.resolve("model.safetensors"));
    Files.writeString(folder.resolve("config.json"), pretty(config(d, v)), StandardCharsets.UTF_8);
    Files.writeString(folder.resolve("tokenizer.json"), pretty(tokenizer()), StandardCharsets.UTF_8);
    return folder;
  }

  /**
   * A dataset of {@code perGroup} sentences per group, each {@code length} words of that group's
   * vocabulary, as JSON Lines with fields {@code text} and {@code lang}.
   */
  public Path writeDataset(Path file, int perGroup, int length, long datasetSeed) throws IOException {
    SplittableRandom random = new SplittableRandom(datasetSeed);
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < perGroup; i++) {
      for (int g = 0; g < groups; g++) {
        StringBuilder text = new StringBuilder();
        for (int k = 0; k < length; k++) {
          text.append(k == 0 ? "" : " ").append(word(g, random.nextInt(wordsPerGroup)));
        }
        JsonObject line = new JsonObject();
        line.addProperty("text", text.toString());
        line.addProperty("lang", "g" + g);
        out.append(line).append('\n');
      }
    }
    Files.createDirectories(file.toAbsolutePath().getParent());
    Files.writeString(file, out, StandardCharsets.UTF_8);
    return file;
  }

  public static String word(int g, int w) {
    return "g" + g + "_" + w;
  }

  private JsonObject config(int d, int v) {
    JsonObject c = new JsonObject();
    JsonArray architectures = new JsonArray();
    architectures.add("LlamaForCausalLM");
    c.add("architectures", architectures);
    c.addProperty("model_type", "llama");
    c.addProperty("hidden_size", d);
    c.addProperty("intermediate_size", dMlp);
    c.addProperty("num_attention_heads", heads);
    c.addProperty("num_key_value_heads", heads);
    c.addProperty("num_hidden_layers", layers);
    c.addProperty("vocab_size", v);
    c.addProperty("max_position_embeddings", 128);
    c.addProperty("rms_norm_eps", 1e-6);
    c.addProperty("rope_theta", 10000.0);
    c.addProperty("hidden_act", "silu");
    c.addProperty("tie_word_embeddings", false);
    c.addProperty("bos_token_id", 1);
    c.addProperty("eos_token_id", 2);
    c.addProperty("pad_token_id", 0);
    c.addProperty("torch_dtype", "float32");
    c.addProperty("neurite_testbed", "planted: " + plantedPerGroup + " neurons per group at " + hook() + ", seed " + seed);
    return c;
  }

  /** A word-level tokenizer: whitespace-separated words, [BOS] prepended. */
  private JsonObject tokenizer() {
    JsonObject vocab = new JsonObject();
    vocab.addProperty("[PAD]", 0);
    vocab.addProperty("[BOS]", 1);
    vocab.addProperty("[EOS]", 2);
    for (int g = 0; g < groups; g++) {
      for (int w = 0; w < wordsPerGroup; w++) {
        vocab.addProperty(word(g, w), tokenId(g, w));
      }
    }
    JsonObject model = new JsonObject();
    model.addProperty("type", "WordLevel");
    model.add("vocab", vocab);
    model.addProperty("unk_token", "[PAD]");
    JsonObject pre = new JsonObject();
    pre.addProperty("type", "WhitespaceSplit");
    JsonObject post = new JsonObject();
    post.addProperty("type", "TemplateProcessing");
    JsonArray single = new JsonArray();
    single.add(special("[BOS]"));
    single.add(sequence("A"));
    post.add("single", single);
    JsonArray pair = new JsonArray();
    pair.add(special("[BOS]"));
    pair.add(sequence("A"));
    pair.add(sequence("B"));
    post.add("pair", pair);
    JsonObject specials = new JsonObject();
    JsonObject bos = new JsonObject();
    bos.addProperty("id", "[BOS]");
    JsonArray ids = new JsonArray();
    ids.add(1);
    bos.add("ids", ids);
    JsonArray tokens = new JsonArray();
    tokens.add("[BOS]");
    bos.add("tokens", tokens);
    specials.add("[BOS]", bos);
    post.add("special_tokens", specials);
    JsonArray added = new JsonArray();
    String[] names = {"[PAD]", "[BOS]", "[EOS]"};
    for (int i = 0; i < names.length; i++) {
      JsonObject t = new JsonObject();
      t.addProperty("id", i);
      t.addProperty("content", names[i]);
      t.addProperty("single_word", false);
      t.addProperty("lstrip", false);
      t.addProperty("rstrip", false);
      t.addProperty("normalized", false);
      t.addProperty("special", true);
      added.add(t);
    }
    JsonObject decoder = new JsonObject();
    decoder.addProperty("type", "WordPiece");
    decoder.addProperty("prefix", "##");
    decoder.addProperty("cleanup", false);
    JsonObject json = new JsonObject();
    json.addProperty("version", "1.0");
    json.add("truncation", null);
    json.add("padding", null);
    json.add("added_tokens", added);
    json.add("normalizer", null);
    json.add("pre_tokenizer", pre);
    json.add("post_processor", post);
    json.add("decoder", decoder);
    json.add("model", model);
    return json;
  }

  private static JsonObject special(String id) {
    JsonObject inner = new JsonObject();
    inner.addProperty("id", id);
    inner.addProperty("type_id", 0);
    JsonObject outer = new JsonObject();
    outer.add("SpecialToken", inner);
    return outer;
  }

  private static JsonObject sequence(String id) {
    JsonObject inner = new JsonObject();
    inner.addProperty("id", id);
    inner.addProperty("type_id", 0);
    JsonObject outer = new JsonObject();
    outer.add("Sequence", inner);
    return outer;
  }

  private float[] noise(SplittableRandom random, int n) {
    float[] out = new float[n];
    for (int i = 0; i < n; i++) {
      out[i] = (float) ((random.nextDouble() * 2 - 1) * noise);
    }
    return out;
  }

  private static float[] ones(int n) {
    float[] out = new float[n];
    java.util.Arrays.fill(out, 1f);
    return out;
  }

  private static String pretty(JsonObject json) {
    return new GsonBuilder().setPrettyPrinting().serializeNulls().create().toJson(json) + "\n";
  }
}
