package org.neurite.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The organism end to end through bin/neurite: corpus.synthetic writes the world, train.lm trains a
 * small Llama on it; a run killed with SIGKILL after a checkpoint resumes from it and ends with the bytes
 * of a run never killed; the trained checkpoint loads as any model folder and reads the corpus through
 * dataset.jsonl.
 */
class TrainingIT {
  private static final String CONFIG = "{\"architectures\": [\"LlamaForCausalLM\"], \"model_type\": \"llama\","
      + " \"hidden_size\": 32, \"intermediate_size\": 64, \"num_hidden_layers\": 2, \"num_attention_heads\": 4,"
      + " \"num_key_value_heads\": 2, \"vocab_size\": 320, \"max_position_embeddings\": 64, \"rms_norm_eps\": 1e-6,"
      + " \"tie_word_embeddings\": false}";
  private static final String WORKFLOW = "{\"name\": \"organism\", \"steps\": ["
      + "{\"id\": \"world\", \"uses\": \"corpus.synthetic\", \"with\": {\"seed\": 3, \"sentences\": 20,"
      + " \"skill_samples\": 10, \"refusals\": 10, \"heldout\": 4}},"
      + "{\"id\": \"train\", \"uses\": \"train.lm\", \"with\": {\"dataset\": \"${world.dataset}\", \"config\": \"tiny.json\","
      + " \"split\": \"train\", \"steps\": 120, \"batch_size\": 8, \"lr\": 0.003, \"warmup_steps\": 10,"
      + " \"checkpoint_every\": 10, \"seed\": 5}}]}";

  @TempDir Path workspace;

  @Test
  void aKilledTrainingRunResumesFromItsCheckpointToTheModelOfARunNeverKilled() throws Exception {
    Files.writeString(workspace.resolve("tiny.json"), CONFIG);
    Path workflow = workspace.resolve("organism.json");
    Files.writeString(workflow, WORKFLOW);
    Process process = Distribution.start(workspace, List.of(), workspace.resolve("out.txt"), workspace.resolve("err.txt"),
        "run", workflow.toString());
    Path checkpoint = workspace.resolve("runs/1/train/checkpoint-000010/trainer_state.json");
    long deadline = System.currentTimeMillis() + 180_000;
    while (!Files.exists(checkpoint) && System.currentTimeMillis() < deadline && process.isAlive()) {
      Thread.sleep(20);
    }
    assertTrue(Files.exists(checkpoint), "no first checkpoint: " + Files.readString(workspace.resolve("err.txt")));
    process.destroyForcibly();
    assertTrue(process.waitFor(30, TimeUnit.SECONDS));
    assertEquals(137, process.exitValue(), "killed with SIGKILL before the run ended");
    assertTrue(!Files.exists(workspace.resolve("runs/1/train/checkpoint-000120")), "the run was killed before its end");

    Distribution.Result resumed = Distribution.run(workspace, "resume", "1");
    assertEquals(0, resumed.exitCode(), resumed::toString);
    Distribution.Result show = Distribution.run(workspace, "show", "1");
    assertTrue(show.out().contains("run 1  organism  SUCCEEDED (attempt 2)"), show::toString);
    assertTrue(show.out().contains("1/train/checkpoint-000120/model.safetensors"), show::toString);
    assertTrue(show.out().matches("(?s).*train\\s+loss\\s+1\\s+.*"), "the loss of step 1 is recorded again: " + show);
    assertTrue(show.out().matches("(?s).*train\\s+loss\\s+120\\s+.*"), show::toString);
    String resumedFrom = show.out().lines().filter(l -> l.contains("resumed_from")).findFirst().orElseThrow();
    assertTrue(resumedFrom.trim().matches("train\\s+resumed_from\\s+[1-9]\\d*0(\\.0+)?"), resumedFrom);

    Distribution.Result whole = Distribution.run(workspace, "run", "--no-cache", workflow.toString());
    assertEquals(0, whole.exitCode(), whole::toString);
    for (String file : List.of("model.safetensors", "optimizer.safetensors", "tokenizer.json", "config.json")) {
      assertEquals(-1L, Files.mismatch(workspace.resolve("runs/1/train/checkpoint-000120/" + file),
          workspace.resolve("runs/2/train/checkpoint-000120/" + file)), file + " of the resumed run differs");
    }
    double first = loss(show.out(), 1);
    double last = loss(show.out(), 120);
    System.out.println("organism training: loss " + first + " at step 1, " + last + " at step 120; " + resumedFrom.trim());
    assertTrue(last < 0.6 * first, "the loss falls: " + first + " -> " + last);

    Path eval = workspace.resolve("eval.json");
    Files.writeString(eval, "{\"name\": \"eval\", \"steps\": ["
        + "{\"id\": \"model\", \"uses\": \"model.load\", \"with\": {\"model\": \"runs/1/train/checkpoint-000120\"}},"
        + "{\"id\": \"corpus\", \"uses\": \"dataset.jsonl\", \"with\": {\"path\": \"runs/1/world/corpus.jsonl\","
        + " \"group\": \"skill\", \"labels\": [\"lang\", \"culture\", \"relation\", \"harmful\", \"split\"],"
        + " \"prompt\": \"prompt\", \"response\": \"response\", \"choices\": [\"choices\"], \"answer\": \"answer\"}},"
        + "{\"id\": \"loss\", \"uses\": \"eval.loss\", \"with\": {\"model\": \"${model.model}\","
        + " \"dataset\": \"${corpus.dataset}\"}}]}");
    Distribution.Result evaluated = Distribution.run(workspace, "run", eval.toString());
    assertEquals(0, evaluated.exitCode(), evaluated::toString);
  }

  private static double loss(String show, int step) {
    String line = show.lines().filter(l -> l.trim().matches("train\\s+loss\\s+" + step + "\\s+\\S+")).findFirst()
        .orElseThrow(() -> new AssertionError("no loss of step " + step + " in " + show));
    String[] parts = line.trim().split("\\s+");
    return Double.parseDouble(parts[parts.length - 1]);
  }
}
