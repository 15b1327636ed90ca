package org.neurite.itests;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.StringJoiner;

/**
 * A tiny random GPT-2 checkpoint (2 layers, width 8, 2 heads, vocabulary 11), written as a
 * Hugging Face folder: config.json and an F32 model.safetensors. The same seed gives the same
 * weights whatever {@code model_type} the config names.
 */
final class TinyGpt2 {
  static final int LAYERS = 2;
  static final int WIDTH = 8;
  static final int HEADS = 2;
  static final int VOCAB = 11;
  static final int POSITIONS = 16;

  private TinyGpt2() {}

  static Path write(Path folder, String modelType, long seed) throws IOException {
    Random random = new Random(seed);
    Map<String, int[]> shapes = new LinkedHashMap<>();
    shapes.put("wte.weight", new int[] {VOCAB, WIDTH});
    shapes.put("wpe.weight", new int[] {POSITIONS, WIDTH});
    for (int l = 0; l < LAYERS; l++) {
      String b = "h." + l + ".";
      shapes.put(b + "ln_1.weight", new int[] {WIDTH});
      shapes.put(b + "ln_1.bias", new int[] {WIDTH});
      shapes.put(b + "attn.c_attn.weight", new int[] {WIDTH, 3 * WIDTH});
      shapes.put(b + "attn.c_attn.bias", new int[] {3 * WIDTH});
      shapes.put(b + "attn.c_proj.weight", new int[] {WIDTH, WIDTH});
      shapes.put(b + "attn.c_proj.bias", new int[] {WIDTH});
      shapes.put(b + "ln_2.weight", new int[] {WIDTH});
      shapes.put(b + "ln_2.bias", new int[] {WIDTH});
      shapes.put(b + "mlp.c_fc.weight", new int[] {WIDTH, 4 * WIDTH});
      shapes.put(b + "mlp.c_fc.bias", new int[] {4 * WIDTH});
      shapes.put(b + "mlp.c_proj.weight", new int[] {4 * WIDTH, WIDTH});
      shapes.put(b + "mlp.c_proj.bias", new int[] {WIDTH});
    }
    shapes.put("ln_f.weight", new int[] {WIDTH});
    shapes.put("ln_f.bias", new int[] {WIDTH});

    StringJoiner header = new StringJoiner(",", "{", "}");
    ByteBuffer data = ByteBuffer.allocate(shapes.values().stream().mapToInt(s -> 4 * count(s)).sum())
        .order(ByteOrder.LITTLE_ENDIAN);
    for (Map.Entry<String, int[]> tensor : shapes.entrySet()) {
      int start = data.position();
      boolean normWeight = tensor.getKey().contains("ln_") && tensor.getKey().endsWith(".weight");
      for (int i = 0; i < count(tensor.getValue()); i++) {
        float noise = (random.nextFloat() - 0.5f) * 0.4f;
        data.putFloat(normWeight ? 1 + noise : noise);
      }
      StringJoiner dims = new StringJoiner(",", "[", "]");
      for (int dim : tensor.getValue()) {
        dims.add(Integer.toString(dim));
      }
      header.add("\"" + tensor.getKey() + "\":{\"dtype\":\"F32\",\"shape\":" + dims + ",\"data_offsets\":[" + start + ","
          + data.position() + "]}");
    }
    byte[] json = header.toString().getBytes(StandardCharsets.UTF_8);
    int padded = (json.length + 7) / 8 * 8;
    ByteBuffer file = ByteBuffer.allocate(8 + padded + data.capacity()).order(ByteOrder.LITTLE_ENDIAN);
    file.putLong(padded).put(json);
    while (file.position() < 8 + padded) {
      file.put((byte) ' ');
    }
    file.put(data.array());
    Files.createDirectories(folder);
    Files.write(folder.resolve("model.safetensors"), file.array());
    Files.writeString(folder.resolve("config.json"), "{\"model_type\": \"" + modelType + "\", \"n_layer\": " + LAYERS
        + ", \"n_embd\": " + WIDTH + ", \"n_head\": " + HEADS + ", \"n_positions\": " + POSITIONS
        + ", \"vocab_size\": " + VOCAB + ", \"layer_norm_epsilon\": 1e-5}\n");
    return folder;
  }

  private static int count(int[] shape) {
    int n = 1;
    for (int dim : shape) {
      n *= dim;
    }
    return n;
  }
}
