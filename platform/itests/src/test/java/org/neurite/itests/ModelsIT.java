package org.neurite.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Models in the real distribution: the shipped MiniLM imported on first use, traced, listed. */
class ModelsIT {
  @TempDir static Path workspace;

  @Test
  void traceOfTheShippedModelWritesEveryLayer() throws Exception {
    Path out = workspace.resolve("trace.safetensors");
    Distribution.Result result = Distribution.run(workspace, "trace", "all-minilm-l6-v2", "--text",
        "Neurons carry languages.", "--out", out.toString());
    assertEquals(0, result.exitCode(), result::toString);
    assertTrue(result.out().contains("wrote 14 tensors to " + out), result::toString);
    assertTrue(result.out().contains("ids [101, 15698, 4287, 4155, 1012, 102]"), result::toString);
    String header = header(out);
    assertTrue(header.contains("\"last_hidden_state\":{\"dtype\":\"F32\",\"shape\":[1,6,384]"), header);
    assertTrue(header.contains("\"blocks.5.mlp.hook_post\":{\"dtype\":\"F32\",\"shape\":[1,6,1536]"), header);
    assertTrue(Files.isRegularFile(workspace.resolve("models/all-minilm-l6-v2/model.safetensors")),
        "the shipped model was imported into the workspace");

    Distribution.Result models = Distribution.run(workspace, "models");
    assertEquals(0, models.exitCode(), models::toString);
    assertTrue(models.out().matches("(?s).*all-minilm-l6-v2\\s+available\\s+bert BertModel.*"), models::toString);
  }

  @Test
  void badModelAndBadTargetAreOneMessageEach() throws Exception {
    Distribution.Result missing = Distribution.run(workspace, "load", "no-such-model");
    assertEquals(1, missing.exitCode(), missing::toString);
    assertTrue(missing.err().contains("No model 'no-such-model'"), missing::toString);
    assertTrue(!missing.err().contains("\tat "), "no stack trace for a user error: " + missing);
    Distribution.Result target = Distribution.run(workspace, "trace", "all-minilm-l6-v2", "--ids", "101,102",
        "--target", "5", "--out", workspace.resolve("t.safetensors").toString());
    assertEquals(1, target.exitCode(), target::toString);
    assertTrue(target.err().contains("has no language-model head, so --target has no logit"), target::toString);
  }

  private static String header(Path file) throws Exception {
    byte[] bytes = Files.readAllBytes(file);
    long length = ByteBuffer.wrap(bytes, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
    return new String(bytes, 8, (int) length, StandardCharsets.UTF_8);
  }
}
