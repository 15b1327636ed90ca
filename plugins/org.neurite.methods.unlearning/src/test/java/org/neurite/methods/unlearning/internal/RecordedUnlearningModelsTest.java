package org.neurite.methods.unlearning.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neurite.analysis.capture.Positions;
import org.neurite.analysis.conformance.PlantedTestbed;
import org.neurite.analysis.intervene.IntervenedModel;
import org.neurite.analysis.internal.codecs.IntervenedModelCodec;
import org.neurite.analysis.select.Selection;
import org.neurite.analysis.stats.UnitStats;
import org.neurite.api.context.StoredFile;
import org.neurite.api.context.ValueFiles;
import org.neurite.api.hook.Hooks;
import org.neurite.api.model.TokenBatch;
import org.neurite.api.step.ArtifactWriter;
import org.neurite.api.workspace.Workspace;
import org.neurite.models.internal.steps.ModelCodec;

/**
 * The remapped and abstaining models are recorded and restored by the intervened-model codec (as a
 * workflow's cache and {@code ${runs.N...}} bring them back): the same remaps, the same boxes, the
 * same forward pass.
 */
class RecordedUnlearningModelsTest {
  @TempDir Path dir;

  /** Models are recorded inline: the codec may ask for the device only, and any use of files fails the test. */
  private static final ValueFiles INLINE = new ValueFiles() {
    @Override
    public StoredFile write(String fileName, String kind, ArtifactWriter writer) {
      throw new AssertionError("the codec used ValueFiles.write; an intervened model must be recorded inline");
    }

    @Override
    public Path read(StoredFile file) {
      throw new AssertionError("the codec used ValueFiles.read; an intervened model must be recorded inline");
    }

    @Override
    public Workspace workspace() {
      throw new AssertionError("the codec used ValueFiles.workspace; an intervened model must be recorded inline");
    }

    @Override
    public String device() {
      return "cpu";
    }
  };

  @Test
  void remapsAndAbstentionsSurviveRecording() throws Exception {
    try (TinySkillModel tiny = new TinySkillModel(dir, "float32")) {
      List<org.neurite.api.data.Example> examples = new java.util.ArrayList<>(TinySkillModel.examples("forget.jsonl"));
      examples.addAll(TinySkillModel.examples("retain.jsonl"));
      Map<String, UnitStats> stats = TinySkillModel.stats(tiny.model, examples, List.of("arithmetic", "copy"), 4);
      NeuronAdjust.Result result = NeuronAdjust.run(stats, "arithmetic", List.of(), 0.1, "test");
      KeySpace box = KeySpace.of(List.of(new double[64], filled(64, 1)), "test");
      IntervenedModel model = new IntervenedModel(tiny.model, NeuronAdjustStep.remaps(
          Selection.byHook(result.neurons(), "arithmetic"), result.table(), false, 5, Positions.ALL, "test"),
          List.of(box.abstention("blocks.2.mlp.hook_post", 1, KsdStep.TEXT)), "unlearned");
      IntervenedModelCodec codec = new IntervenedModelCodec(new ModelCodec(tiny.repository()));
      IntervenedModel back = codec.restore(codec.persist(model, INLINE), INLINE);
      assertEquals(model.interventions(), back.interventions());
      assertEquals(model.abstentions(), back.abstentions());
      assertEquals(model.label(), back.label());
      long[] ids = tiny.model.tokenizer().orElseThrow().encode("1 + 0 + 1 + 9 = 11");
      try (NDManager scope = PlantedTestbed.BACKEND.newScope("cpu")) {
        float[] before = model.forward(TokenBatch.single(ids), Hooks.none(), scope).logits()
            .toType(DataType.FLOAT32, false).toFloatArray();
        float[] after = back.forward(TokenBatch.single(ids), Hooks.none(), scope).logits()
            .toType(DataType.FLOAT32, false).toFloatArray();
        assertArrayEquals(before, after, 0f);
      }
    }
  }

  private static double[] filled(int n, double v) {
    double[] out = new double[n];
    java.util.Arrays.fill(out, v);
    return out;
  }
}
