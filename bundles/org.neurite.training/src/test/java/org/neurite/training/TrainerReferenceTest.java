package org.neurite.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neurite.api.model.ModelSource;
import org.neurite.api.model.TensorDtype;
import org.neurite.backend.djl.internal.DjlTensorBackend;
import org.neurite.models.internal.llama.LlamaFamily;
import org.neurite.models.internal.repository.ModelRepositoryComponent;
import org.neurite.support.files.WorkspaceFolders;
import org.neurite.support.safetensors.SafetensorsFile;

/**
 * Six steps of the trainer against an independent PyTorch run (src/test/resources/reference, written
 * by {@code train_reference.py} without reading Neurite): per step the learning rate, the loss and the
 * gradient norm before clipping, and whether it clipped; then every parameter after the sixth update.
 */
class TrainerReferenceTest {
  private static final DjlTensorBackend BACKEND = new DjlTensorBackend();

  @TempDir Path dir;

  private static Path reference() throws Exception {
    return Path.of(TrainerReferenceTest.class.getResource("/reference/hyper.json").toURI()).getParent();
  }

  private static JsonObject json(String file) throws Exception {
    return JsonParser.parseString(Files.readString(reference().resolve(file))).getAsJsonObject();
  }

  private Trainer.Result train(String dtype) throws Exception {
    JsonObject hyper = json("hyper.json");
    Hyperparameters h = new Hyperparameters(hyper.get("lr").getAsDouble(),
        hyper.getAsJsonArray("betas").get(0).getAsDouble(), hyper.getAsJsonArray("betas").get(1).getAsDouble(),
        hyper.get("eps").getAsDouble(), hyper.get("weight_decay").getAsDouble(), hyper.get("warmup_steps").getAsInt(),
        hyper.get("total_steps").getAsInt(), hyper.get("max_grad_norm").getAsDouble());
    List<List<long[]>> steps = new ArrayList<>();
    for (JsonElement step : json("batches.json").getAsJsonArray("steps")) {
      List<long[]> batch = new ArrayList<>();
      for (JsonElement sequence : step.getAsJsonArray()) {
        JsonArray ids = sequence.getAsJsonArray();
        long[] s = new long[ids.size()];
        for (int i = 0; i < s.length; i++) {
          s[i] = ids.get(i).getAsLong();
        }
        batch.add(s);
      }
      steps.add(batch);
    }
    Path folder = reference().resolve("tiny-llama");
    ModelRepositoryComponent repository = new ModelRepositoryComponent(BACKEND, WorkspaceFolders.of(dir));
    repository.addFamily(new LlamaFamily());
    ModelSource source = repository.open(folder.toString());
    try {
      Trainer.Settings settings = new Trainer.Settings("tiny-llama", Files.readString(folder.resolve("config.json")),
          Optional.empty(), h, dtype, "cpu", 6, "{}");
      return Trainer.train(settings, InitialWeights.from(source), steps::get, CheckpointStore.in(dir.resolve(dtype)),
          BACKEND, new Trainer.Listener() {});
    } finally {
      ((AutoCloseable) source).close();
      repository.close();
    }
  }

  @Test
  void float64StepsAndFinalParametersAreTheReferences() throws Exception {
    Trainer.Result result = train("float64");
    compareSteps(result, 1e-9);
    try (SafetensorsFile ours = SafetensorsFile.open(result.checkpoint().resolve("model.safetensors"));
        SafetensorsFile theirs = SafetensorsFile.open(reference().resolve("final.safetensors"))) {
      assertEquals(theirs.entries().keySet(), ours.entries().keySet());
      double worst = 0;
      for (String name : theirs.entries().keySet()) {
        assertEquals(TensorDtype.F64, ours.entry(name).orElseThrow().dtype());
        double[] a = doubles(ours, name);
        double[] b = doubles(theirs, name);
        for (int i = 0; i < b.length; i++) {
          worst = Math.max(worst, Math.abs(a[i] - b[i]));
        }
      }
      System.out.println("TrainerReferenceTest float64: final parameters within " + worst);
      assertTrue(worst <= 1e-8, "final parameters differ by up to " + worst);
    }
  }

  @Test
  void float32StepsAreTheReferencesWithinFloat32Rounding() throws Exception {
    Trainer.Result result = train("float32");
    compareSteps(result, 1e-4);
    try (SafetensorsFile ours = SafetensorsFile.open(result.checkpoint().resolve("model.safetensors"));
        SafetensorsFile theirs = SafetensorsFile.open(reference().resolve("final.safetensors"))) {
      double worst = 0;
      for (String name : theirs.entries().keySet()) {
        FloatBuffer a = ours.map(name).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
        double[] b = doubles(theirs, name);
        for (int i = 0; i < b.length; i++) {
          worst = Math.max(worst, Math.abs(a.get(i) - b[i]));
        }
      }
      System.out.println("TrainerReferenceTest float32: final parameters within " + worst);
      assertTrue(worst <= 1e-5, "float32 final parameters differ by up to " + worst);
    }
  }

  private static void compareSteps(Trainer.Result result, double relative) throws Exception {
    JsonArray expected = json("train_expected.json").getAsJsonArray("steps");
    double worst = 0;
    assertEquals(expected.size(), result.history().size());
    for (int k = 0; k < expected.size(); k++) {
      JsonObject e = expected.get(k).getAsJsonObject();
      StepRecord r = result.history().get(k);
      close(e.get("lr").getAsDouble(), r.lr(), relative, "lr of step " + k);
      close(e.get("loss").getAsDouble(), r.loss(), relative, "loss of step " + k);
      close(e.get("grad_norm").getAsDouble(), r.gradNorm(), relative, "grad norm of step " + k);
      assertEquals(e.get("clipped").getAsBoolean(), r.clipped(), "clipping at step " + k);
      for (String key : new String[] {"lr", "loss", "grad_norm"}) {
        double ref = e.get(key).getAsDouble();
        double ours = key.equals("lr") ? r.lr() : key.equals("loss") ? r.loss() : r.gradNorm();
        worst = ref == 0 ? worst : Math.max(worst, Math.abs(ours - ref) / Math.abs(ref));
      }
    }
    System.out.println("TrainerReferenceTest: lr, loss and grad norm within " + worst + " relative (limit " + relative
        + ")");
  }

  private static void close(double expected, double actual, double relative, String what) {
    assertTrue(Math.abs(actual - expected) <= relative * Math.abs(expected), what + ": " + actual + ", reference "
        + expected + " (relative difference " + Math.abs(actual - expected) / Math.abs(expected) + ")");
  }

  private static double[] doubles(SafetensorsFile file, String name) {
    DoubleBuffer buffer = file.map(name).order(ByteOrder.LITTLE_ENDIAN).asDoubleBuffer();
    double[] values = new double[buffer.remaining()];
    buffer.get(values);
    return values;
  }
}
