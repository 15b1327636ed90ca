package org.neurite.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neurite.analysis.capture.Positions;
import org.neurite.analysis.intervene.IntervenedModel;
import org.neurite.analysis.intervene.Intervention;
import org.neurite.analysis.intervene.Operation;
import org.neurite.analysis.weights.EditedFolder;
import org.neurite.analysis.weights.NeuronWeights;
import org.neurite.analysis.weights.WeightEdit;
import org.neurite.api.NeuriteException;
import org.neurite.api.hook.Hooks;
import org.neurite.api.model.LanguageModel;
import org.neurite.api.model.LoadOptions;
import org.neurite.api.model.ModelSource;
import org.neurite.api.model.TokenBatch;
import org.neurite.testbed.PlantedModel;

/** A hook intervention equals the matching weight edit; an exported folder loads back identically. */
class WeightEditTest {
  @TempDir static Path dir;
  static Planted planted;
  static final TokenBatch BATCH = TokenBatch.of(List.of(new long[] {1, 3, 4, 5, 6, 7}, new long[] {1, 12, 13, 14}),
      TokenBatch.Padding.RIGHT);

  @BeforeAll
  static void load() throws Exception {
    planted = new Planted(dir, new PlantedModel().groups(3).plantedPerGroup(2).seed(21), "float64", 2);
  }

  @AfterAll
  static void close() {
    planted.close();
  }

  private static double[] logits(LanguageModel model) {
    try (NDManager scope = Planted.BACKEND.newScope("cpu")) {
      return model.forward(BATCH, Hooks.none(), scope).logits().toType(DataType.FLOAT64, false).toDoubleArray();
    }
  }

  /** The largest difference at real tokens (padding positions are computed but never read). */
  private static double maxDiff(double[] a, double[] b) {
    int vocab = a.length / (BATCH.size() * BATCH.length());
    double max = 0;
    for (int i = 0; i < BATCH.size(); i++) {
      for (int t = 0; t < BATCH.length(); t++) {
        if (BATCH.isReal(i, t)) {
          for (int v = 0; v < vocab; v++) {
            int k = (i * BATCH.length() + t) * vocab + v;
            max = Math.max(max, Math.abs(a[k] - b[k]));
          }
        }
      }
    }
    return max;
  }

  @Test
  void zeroingNeuronsThroughAHookEqualsZeroingTheirDownProjectionColumns() throws Exception {
    String hook = planted.planted.hook();
    int[] units = planted.planted.planted().get("g1");
    ModelSource source = planted.repository.open(planted.model.source().toString());
    Path edited = dir.resolve("models/edited");
    for (double factor : new double[] {0, 2}) {
      WeightEdit edit = NeuronWeights.outputOf(planted.model.spec(), source.tensors().names(), hook, units, factor);
      assertEquals("model.layers.1.mlp.down_proj.weight", edit.tensor());
      EditedFolder.write(source, List.of(edit), edited.resolve("f" + factor));
      LanguageModel byWeights = planted.repository.load(edited.resolve("f" + factor).toString(), new LoadOptions("cpu", "float64"));
      Operation op = factor == 0 ? new Operation.Zero() : new Operation.Scale(factor);
      LanguageModel byHook = new IntervenedModel(planted.model, Intervention.of(Map.of(hook, units), op, Positions.ALL), "t");
      double diff = maxDiff(logits(byHook), logits(byWeights));
      System.out.printf("factor %s: max |hook - weights| = %.3g%n", factor, diff);
      assertTrue(diff <= 1e-6, "hook intervention equals the weight edit: " + diff);
      assertTrue(maxDiff(logits(planted.model), logits(byWeights)) > 1e-3, "and the edit changed the model");
    }
  }

  @Test
  void anExportWithoutEditsLoadsBackWithIdenticalOutputs() throws Exception {
    ModelSource source = planted.repository.open(planted.model.source().toString());
    Path exported = dir.resolve("models/exported");
    EditedFolder.write(source, List.of(), exported);
    LanguageModel back = planted.repository.load(exported.toString(), new LoadOptions("cpu", "float64"));
    assertEquals(0.0, maxDiff(logits(planted.model), logits(back)), "bit for bit");
    assertTrue(back.tokenizer().isPresent(), "the tokenizer travels with it");
  }

  @Test
  void editsOutsideTheTensorAreRefusedWithItsShape() {
    ModelSource source = planted.repository.open(planted.model.source().toString());
    WeightEdit edit = new WeightEdit("model.layers.1.mlp.down_proj.weight", 1, new int[] {48}, 0);
    NeuriteException e = assertThrows(NeuriteException.class, () -> EditedFolder.write(source, List.of(edit),
        dir.resolve("models/bad")));
    assertTrue(e.getMessage().contains("index 48 is outside its columns (0-47)"), e.getMessage());
  }
}
