package org.neurite.models.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neurite.api.NeuriteException;
import org.neurite.api.hook.GradientTarget;
import org.neurite.api.hook.Hooks;
import org.neurite.api.model.Forward;
import org.neurite.api.model.LanguageModel;
import org.neurite.api.model.LoadOptions;
import org.neurite.api.model.ModelSource;
import org.neurite.api.model.TokenBatch;
import org.neurite.models.internal.repository.ModelRepositoryComponent;
import org.neurite.models.reference.TinyCheckpoints;
import org.neurite.models.training.TrainableDecoders;

/**
 * A decoder on parameters the caller owns is the folder's model: the same logits, gradients of a
 * loss in every parameter equal to central finite differences (float64), and in-place updates seen
 * by the next pass; its shapes list is what a checkpoint holds.
 */
class TrainableDecodersTest {
  @TempDir static Path dir;
  private static ModelRepositoryComponent repository;
  private static Path untied;
  private static Path tied;
  private static final TokenBatch BATCH = TokenBatch.of(List.of(new long[] {3, 17, 5, 9, 1}, new long[] {8, 2, 30}),
      TokenBatch.Padding.RIGHT);
  /** The summed log-probabilities of the next tokens of sequence 0. */
  private static final GradientTarget LOSS = f -> {
    NDArray logProbs = f.logits().get(new NDIndex("0, :4")).logSoftmax(-1);
    NDArray next = f.logits().getManager().create(new long[] {17, 5, 9, 1}, new ai.djl.ndarray.types.Shape(4, 1));
    return logProbs.gather(next, 1).sum();
  };

  @BeforeAll
  static void start() {
    repository = TestModels.repository(dir);
    untied = TinyCheckpoints.llama(dir.resolve("untied")).seed(41).kvHeads(2).tied(false).write();
    tied = TinyCheckpoints.llama(dir.resolve("tied")).seed(42).tied(true).write();
  }

  @AfterAll
  static void stop() {
    repository.close();
  }

  private static Map<String, NDArray> parameters(Path folder, NDManager manager) {
    ModelSource source = repository.open(folder.toString());
    Map<String, NDArray> parameters = new LinkedHashMap<>();
    for (String name : TrainableDecoders.parameterShapes(source.config()).keySet()) {
      NDArray copy = source.tensors().load(name, null, DataType.FLOAT64, manager).duplicate();
      copy.setRequiresGradient(true);
      parameters.put(name, copy);
    }
    return parameters;
  }

  private static LanguageModel onParameters(Path folder, Map<String, NDArray> parameters) {
    ModelSource source = repository.open(folder.toString());
    return TrainableDecoders.onParameters("trained", folder, source.config(), parameters, source.tokenizerFile(),
        new LoadOptions("cpu", "float64"), TestBackend.get());
  }

  @Test
  void givesTheLogitsOfTheFolderModelExactly() {
    for (Path folder : List.of(untied, tied)) {
      LanguageModel loaded = TestModels.load(repository, folder, "float64");
      try (NDManager scope = TestBackend.get().newScope("cpu")) {
        LanguageModel trained = onParameters(folder, parameters(folder, scope));
        double[] expected = loaded.forward(BATCH, Hooks.none(), scope).logits().toDoubleArray();
        double[] actual = trained.forward(BATCH, Hooks.none(), scope).logits().toDoubleArray();
        assertArrayEquals(expected, actual, 0.0, folder.toString());
        assertEquals(loaded.spec().hookPoints(), trained.spec().hookPoints());
        trained.close();
      }
    }
  }

  @Test
  void shapesAreTheCheckpointsTensors() {
    for (Path folder : List.of(untied, tied)) {
      ModelSource source = repository.open(folder.toString());
      Map<String, long[]> shapes = TrainableDecoders.parameterShapes(source.config());
      assertEquals(source.tensors().names(), new java.util.TreeSet<>(shapes.keySet()), folder.toString());
      shapes.forEach((name, shape) -> assertArrayEquals(source.tensors().entry(name).orElseThrow().shape(), shape, name));
    }
  }

  @Test
  void gradientsOfEveryParameterEqualFiniteDifferences() {
    try (NDManager scope = TestBackend.get().newScope("cpu")) {
      Map<String, NDArray> parameters = parameters(untied, scope);
      LanguageModel model = onParameters(untied, parameters);
      double loss;
      try (NDManager pass = scope.newSubManager()) {
        loss = TrainableDecoders.backward(model, BATCH, LOSS, pass).targetValue();
      }
      double h = 1e-5;
      for (Map.Entry<String, NDArray> p : parameters.entrySet()) {
        NDArray gradient = p.getValue().getGradient();
        assertArrayEquals(p.getValue().getShape().getShape(), gradient.getShape().getShape(), p.getKey());
        double[] g = gradient.toDoubleArray();
        int index = g.length / 3;
        double plus = perturbed(model, p.getValue(), index, h);
        double minus = perturbed(model, p.getValue(), index, -h);
        perturbed(model, p.getValue(), index, 0);
        double numeric = (plus - minus) / (2 * h);
        assertEquals(numeric, g[index], 1e-6 * Math.max(1, Math.abs(numeric)), p.getKey() + " element " + index);
        assertTrue(java.util.Arrays.stream(g).anyMatch(v -> v != 0), p.getKey() + " received no gradient");
      }
      try (NDManager pass = scope.newSubManager()) {
        assertEquals(loss, model.forward(BATCH, Hooks.none().record("hook_embed"), pass).logits()
            .get(new NDIndex("0, :4")).logSoftmax(-1).gather(pass.create(new long[] {17, 5, 9, 1},
                new ai.djl.ndarray.types.Shape(4, 1)), 1).sum().getDouble(), 1e-12);
      }
      model.close();
    }
  }

  /** The loss with one element moved by {@code delta} from its original value (0 restores it). */
  private static double perturbed(LanguageModel model, NDArray parameter, int index, double delta) {
    NDArray flat = parameter.reshape(-1);
    double[] values = parameter.toDoubleArray();
    double original = values[index];
    boolean previous = TestBackend.get().recordGradients(false);
    try {
      flat.set(new NDIndex(index), original + delta);
    } finally {
      TestBackend.get().recordGradients(previous);
    }
    double value;
    try (NDManager pass = TestBackend.get().newScope("cpu")) {
      Forward f = model.forward(BATCH, Hooks.none(), pass);
      value = LOSS.apply(f).getDouble();
    }
    flat.set(new NDIndex(index), original);
    return value;
  }

  @Test
  void refusesParametersOfAnotherTypeOrShapeAndModelsOfOtherFamilies() {
    try (NDManager scope = TestBackend.get().newScope("cpu")) {
      Map<String, NDArray> parameters = parameters(untied, scope);
      ModelSource source = repository.open(untied.toString());
      NeuriteException wrongType = assertThrows(NeuriteException.class, () -> TrainableDecoders.onParameters("t",
          untied, source.config(), parameters, Optional.empty(), new LoadOptions("cpu", "float32"), TestBackend.get()));
      assertEquals("Parameter 'model.embed_tokens.weight' is float64; the model computes in float32. Give every"
          + " parameter in the compute type.", wrongType.getMessage());
      parameters.put("model.norm.weight", scope.zeros(new ai.djl.ndarray.types.Shape(3), DataType.FLOAT64));
      NeuriteException wrongShape = assertThrows(NeuriteException.class, () -> onParameters(untied, parameters));
      assertEquals("Parameter 'model.norm.weight' is [3]; the config implies [32].", wrongShape.getMessage());
      parameters.remove("model.norm.weight");
      NeuriteException missing = assertThrows(NeuriteException.class, () -> onParameters(untied, parameters));
      assertTrue(missing.getMessage().startsWith("The parameters for "), missing.getMessage());
      assertTrue(missing.getMessage().contains("have no 'model.norm.weight'"), missing.getMessage());
    }
    Path gpt2 = TinyCheckpoints.gpt2(dir.resolve("gpt2")).seed(43).write();
    ModelSource other = repository.open(gpt2.toString());
    NeuriteException family = assertThrows(NeuriteException.class, () -> TrainableDecoders.onParameters("t", gpt2,
        other.config(), Map.of(), Optional.empty(), LoadOptions.defaults(), TestBackend.get()));
    assertTrue(family.getMessage().endsWith("model_type 'gpt2' cannot be trained; training takes the Llama family"
        + " (llama, mistral, qwen2, qwen3)."), family.getMessage());
  }
}
