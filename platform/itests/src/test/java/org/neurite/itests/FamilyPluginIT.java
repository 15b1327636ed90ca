package org.neurite.itests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A model family from a plugin, built outside the models bundle on its exported family package
 * ({@code platform/org.neurite.itests.family}): dropped into plugins/, it loads a checkpoint through
 * {@code ./neurite trace}, and gives exactly what the built-in GPT-2 family gives on the same weights.
 */
class FamilyPluginIT {
  private static final Pattern TENSOR = Pattern.compile(
      "\"([^\"]+)\":\\{\"dtype\":\"(\\w+)\",\"shape\":\\[([0-9,]*)\\],\"data_offsets\":\\[(\\d+),(\\d+)\\]\\}");

  @TempDir static Path workspace;

  @Test
  void aPluginFamilyTracesACheckpointAsTheBuiltInFamilyDoes() throws Exception {
    Path plugin = TinyGpt2.write(workspace.resolve("models/tiny-itest"), "itest-gpt2", 11);
    Path builtIn = TinyGpt2.write(workspace.resolve("models/tiny-gpt2"), "gpt2", 11);
    Files.createDirectories(workspace.resolve("plugins"));
    Files.copy(Distribution.testPlugin("org.neurite.itests.family.jar"),
        workspace.resolve("plugins/org.neurite.itests.family.jar"));

    Path pluginTrace = workspace.resolve("plugin.safetensors");
    Distribution.Result traced = Distribution.run(workspace, "trace", plugin.toString(), "--ids", "1,5,2,7",
        "--target", "3", "--out", pluginTrace.toString());
    assertEquals(0, traced.exitCode(), traced::toString);
    assertTrue(traced.out().contains("wrote 8 tensors to " + pluginTrace), traced::toString);
    Path builtInTrace = workspace.resolve("gpt2.safetensors");
    Distribution.Result reference = Distribution.run(workspace, "trace", builtIn.toString(), "--ids", "1,5,2,7",
        "--target", "3", "--out", builtInTrace.toString());
    assertEquals(0, reference.exitCode(), reference::toString);

    Map<String, Tensor> ours = tensors(pluginTrace);
    Map<String, Tensor> gpt2 = tensors(builtInTrace);
    int inner = 4 * TinyGpt2.WIDTH;
    assertEquals("F32 [1, 4, " + TinyGpt2.VOCAB + "]", ours.get("logits").describe());
    assertEquals("F32 [1, 4, " + inner + "]", ours.get("blocks.1.mlp.hook_post").describe());
    assertEquals("F32 [1, 4, " + TinyGpt2.WIDTH + "]", ours.get("blocks.1.hook_resid_post").describe());
    assertEquals("F32 [1, 4, " + inner + "]", ours.get("grad.blocks.0.mlp.hook_post").describe());
    assertEquals(gpt2.keySet(), ours.keySet());
    for (String name : gpt2.keySet()) {
      assertEquals(gpt2.get(name).describe(), ours.get(name).describe(), name);
      assertArrayEquals(gpt2.get(name).data(), ours.get(name).data(), name + " equals the built-in family's");
    }

    Distribution.Result models = Distribution.run(workspace, "models");
    assertEquals(0, models.exitCode(), models::toString);
    assertTrue(models.out().matches("(?s).*tiny-itest\\s+available\\s+itest-gpt2.*"), models::toString);
  }

  private record Tensor(String dtype, long[] shape, byte[] data) {
    String describe() {
      return dtype + " " + Arrays.toString(shape);
    }
  }

  /** The tensors of a safetensors file, by name. */
  private static Map<String, Tensor> tensors(Path file) throws Exception {
    byte[] bytes = Files.readAllBytes(file);
    int length = (int) ByteBuffer.wrap(bytes, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
    String header = new String(bytes, 8, length, StandardCharsets.UTF_8);
    Map<String, Tensor> tensors = new TreeMap<>();
    Matcher m = TENSOR.matcher(header);
    while (m.find()) {
      long[] shape = m.group(3).isEmpty() ? new long[0] : Arrays.stream(m.group(3).split(",")).mapToLong(Long::parseLong)
          .toArray();
      int start = 8 + length + Integer.parseInt(m.group(4));
      int end = 8 + length + Integer.parseInt(m.group(5));
      tensors.put(m.group(1), new Tensor(m.group(2), shape, Arrays.copyOfRange(bytes, start, end)));
    }
    assertTrue(tensors.containsKey("logits"), header);
    return tensors;
  }
}
