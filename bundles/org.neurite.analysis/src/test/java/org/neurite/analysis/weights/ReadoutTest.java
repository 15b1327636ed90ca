package org.neurite.analysis.weights;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neurite.analysis.conformance.PlantedTestbed;
import org.neurite.api.NeuriteException;
import org.neurite.api.model.ModelSpec;
import org.neurite.api.model.TensorStore;
import org.neurite.testbed.PlantedModel;

/**
 * The readout and the neurons' vectors, on the planted Llama whose weights are known: the up
 * projection's rows are what a neuron reads, the down projection's columns what it writes, the
 * untied head and the RMSNorm gain are what {@link Readout} names.
 */
class ReadoutTest {
  @TempDir static Path dir;
  static PlantedTestbed testbed;
  static TensorStore store;
  static ModelSpec spec;

  @BeforeAll
  static void load() throws Exception {
    testbed = new PlantedTestbed(dir, new PlantedModel().groups(3).plantedPerGroup(2).seed(4), "float64", 1);
    store = testbed.repository.open(testbed.model.source().toString()).tensors();
    spec = testbed.model.spec();
  }

  @AfterAll
  static void close() {
    testbed.close();
  }

  @Test
  void llamaReadsTheUntiedHeadAndTheRmsNormGain() {
    Readout readout = Readout.of(spec, store.names());
    assertEquals(new Readout("lm_head.weight", Optional.of("model.norm.weight"), Optional.empty(), "rmsnorm"), readout);
    try (NDManager scope = PlantedTestbed.BACKEND.newScope("cpu")) {
      NDArray wu = readout.unembedding(spec, store, DataType.FLOAT64, scope);
      assertArrayEquals(new long[] {spec.vocab(), spec.dModel()}, wu.getShape().getShape());
      assertEquals(1.0, readout.gain(spec, store, DataType.FLOAT64, scope).orElseThrow().getDouble(0));
    }
  }

  @Test
  void inputVectorsAreUpProjectionRowsAndOutputVectorsDownProjectionColumns() {
    int layer = 1;
    int unit = testbed.planted.planted().get("g2")[0];
    try (NDManager scope = PlantedTestbed.BACKEND.newScope("cpu")) {
      NDArray up = store.load("model.layers.1.mlp.up_proj.weight", null, DataType.FLOAT64, scope);
      NDArray down = store.load("model.layers.1.mlp.down_proj.weight", null, DataType.FLOAT64, scope);
      NDArray gate = store.load("model.layers.1.mlp.gate_proj.weight", null, DataType.FLOAT64, scope);
      NDArray in = NeuronWeights.directions(spec, store, layer, UnitDirection.INPUT, DataType.FLOAT64, scope);
      NDArray out = NeuronWeights.directions(spec, store, layer, UnitDirection.OUTPUT, DataType.FLOAT64, scope);
      NDArray g = NeuronWeights.directions(spec, store, layer, UnitDirection.GATE, DataType.FLOAT32, scope);
      assertArrayEquals(new long[] {spec.dMlp(), spec.dModel()}, in.getShape().getShape());
      assertArrayEquals(new long[] {spec.dMlp(), spec.dModel()}, out.getShape().getShape());
      assertEquals(DataType.FLOAT32, g.getDataType());
      for (int i = 0; i < spec.dMlp(); i++) {
        assertArrayEquals(up.get(i).toDoubleArray(), in.get(i).toDoubleArray());
        assertArrayEquals(down.get(":, " + i).toDoubleArray(), out.get(i).toDoubleArray());
        assertArrayEquals(gate.get(i).toType(DataType.FLOAT32, false).toFloatArray(), g.get(i).toFloatArray());
      }
      // the planted neuron of group 2 reads dimension 2 (strength 3) and writes dimension G + 2 (output 3)
      assertEquals(3.0, in.getDouble(unit, 2), 1e-6);
      assertEquals(3.0, out.getDouble(unit, 3 + 2), 1e-6);
    }
  }

  @Test
  void badRequestsAreOneClearMessage() {
    try (NDManager scope = PlantedTestbed.BACKEND.newScope("cpu")) {
      NeuriteException range = assertThrows(NeuriteException.class,
          () -> NeuronWeights.directions(spec, store, 2, UnitDirection.INPUT, DataType.FLOAT64, scope));
      assertEquals("Layer 2 is out of range: the model has layers 0 to 1.", range.getMessage());
    }
    NeuriteException missing = assertThrows(NeuriteException.class, () -> Readout.of(spec, Set.of("lm_head.weight")));
    assertEquals("The llama checkpoint has no tensor ending in norm.weight; it is needed to read the model's vocabulary"
        + " readout.", missing.getMessage());
    ModelSpec gemma = new ModelSpec("gemma", "GemmaForCausalLM", true, 1, 4, 8, 1, 1, 4, 10, 16, true, true, "float32",
        "float32", java.util.List.of());
    NeuriteException family = assertThrows(NeuriteException.class, () -> Readout.of(gemma, store.names()));
    assertTrue(family.getMessage().startsWith("Neurite does not know where family gemma keeps its unembedding"),
        family.getMessage());
  }
}
