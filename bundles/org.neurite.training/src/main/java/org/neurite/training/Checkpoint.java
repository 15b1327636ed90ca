package org.neurite.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.neurite.api.NeuriteException;
import org.neurite.api.model.TensorDtype;
import org.neurite.api.model.TensorEntry;
import org.neurite.support.safetensors.SafetensorsFile;
import org.neurite.support.safetensors.SafetensorsWriter;

/**
 * One checkpoint: the model as a Hugging Face folder, and beside it the optimizer's moments
 * ({@code optimizer.safetensors}: {@code exp_avg.NAME}, {@code exp_avg_sq.NAME}) and the trainer's
 * state ({@code trainer_state.json}: the step, the settings that determine the run, every step's
 * record). Tensors are stored in the compute type, bit for bit, so training resumes exactly.
 *
 * @param step the optimizer steps done
 * @param parameters by Hugging Face name
 * @param history the records of steps 1 to {@code step}
 */
public record Checkpoint(int step, Map<String, NDArray> parameters, Map<String, NDArray> firstMoments,
    Map<String, NDArray> secondMoments, List<StepRecord> history) {
  private static final Gson GSON = new Gson();

  /** Writes this checkpoint into {@code store}; the state file last. */
  public Path write(CheckpointStore store, String configJson, Optional<Path> tokenizer, String settingsJson)
      throws Exception {
    String folder = CheckpointStore.folderOf(step);
    store.write(folder, "config.json", tmp -> Files.writeString(tmp, configJson, StandardCharsets.UTF_8));
    Path model = store.write(folder, "model.safetensors", tmp -> tensors(parameters, "").write(tmp));
    if (tokenizer.isPresent()) {
      store.write(folder, "tokenizer.json", tmp -> Files.copy(tokenizer.get(), tmp, StandardCopyOption.REPLACE_EXISTING));
    }
    store.write(folder, "optimizer.safetensors", tmp -> {
      SafetensorsWriter writer = tensors(firstMoments, "exp_avg.");
      append(writer, secondMoments, "exp_avg_sq.");
      writer.metadata("step", Integer.toString(step)).write(tmp);
    });
    JsonObject state = new JsonObject();
    state.addProperty("step", step);
    state.add("settings", JsonParser.parseString(settingsJson));
    JsonArray steps = new JsonArray();
    for (StepRecord r : history) {
      JsonObject o = new JsonObject();
      o.addProperty("step", r.step());
      o.addProperty("lr", r.lr());
      o.addProperty("loss", r.loss());
      o.addProperty("grad_norm", r.gradNorm());
      o.addProperty("clipped", r.clipped());
      steps.add(o);
    }
    state.add("history", steps);
    store.write(folder, CheckpointStore.STATE, tmp -> Files.writeString(tmp, GSON.toJson(state), StandardCharsets.UTF_8));
    return model.getParent();
  }

  private static SafetensorsWriter tensors(Map<String, NDArray> arrays, String prefix) {
    SafetensorsWriter writer = new SafetensorsWriter().metadata("format", "pt");
    append(writer, arrays, prefix);
    return writer;
  }

  private static void append(SafetensorsWriter writer, Map<String, NDArray> arrays, String prefix) {
    arrays.forEach((name, array) -> {
      long[] shape = array.getShape().getShape();
      if (array.getDataType() == DataType.FLOAT64) {
        writer.add(prefix + name, shape, array.toDoubleArray());
      } else {
        writer.add(prefix + name, shape, array.toFloatArray());
      }
    });
  }

  /** The settings recorded in a checkpoint's state file, as JSON text. */
  public static String settingsOf(Path folder) throws java.io.IOException {
    JsonObject state = JsonParser.parseString(Files.readString(folder.resolve(CheckpointStore.STATE)))
        .getAsJsonObject();
    return state.get("settings").toString();
  }

  /**
   * Reads a checkpoint folder into {@code manager}, in {@code type}.
   *
   * @throws NeuriteException if a tensor is stored in another type, or the files disagree
   */
  public static Checkpoint read(Path folder, DataType type, NDManager manager) throws java.io.IOException {
    JsonObject state = JsonParser.parseString(Files.readString(folder.resolve(CheckpointStore.STATE)))
        .getAsJsonObject();
    int step = state.get("step").getAsInt();
    List<StepRecord> history = new ArrayList<>();
    for (JsonElement e : state.getAsJsonArray("history")) {
      JsonObject o = e.getAsJsonObject();
      history.add(new StepRecord(o.get("step").getAsInt(), o.get("lr").getAsDouble(), o.get("loss").getAsDouble(),
          o.get("grad_norm").getAsDouble(), o.get("clipped").getAsBoolean()));
    }
    Map<String, NDArray> parameters = new LinkedHashMap<>();
    Map<String, NDArray> first = new LinkedHashMap<>();
    Map<String, NDArray> second = new LinkedHashMap<>();
    try (SafetensorsFile model = SafetensorsFile.open(folder.resolve("model.safetensors"));
        SafetensorsFile optimizer = SafetensorsFile.open(folder.resolve("optimizer.safetensors"))) {
      for (String name : model.entries().keySet()) {
        parameters.put(name, array(model, name, type, manager));
        first.put(name, array(optimizer, "exp_avg." + name, type, manager));
        second.put(name, array(optimizer, "exp_avg_sq." + name, type, manager));
      }
      if (optimizer.entries().size() != 2 * parameters.size()) {
        throw new NeuriteException(folder.resolve("optimizer.safetensors") + " holds " + optimizer.entries().size()
            + " tensors; the model has " + parameters.size() + " parameters, which need twice as many.");
      }
    }
    return new Checkpoint(step, parameters, first, second, history);
  }

  private static NDArray array(SafetensorsFile file, String name, DataType type, NDManager manager) {
    TensorEntry entry = file.entry(name).orElseThrow(() -> new NeuriteException("The checkpoint file " + file.path()
        + " has no tensor '" + name + "'."));
    TensorDtype expected = type == DataType.FLOAT64 ? TensorDtype.F64 : TensorDtype.F32;
    if (entry.dtype() != expected) {
      throw new NeuriteException("Tensor '" + name + "' of " + file.path() + " is " + entry.dtype() + "; this run"
          + " trains in " + (type == DataType.FLOAT64 ? "float64" : "float32") + ". Resume with the dtype the run"
          + " started with.");
    }
    ByteBuffer bytes = file.map(name).order(ByteOrder.LITTLE_ENDIAN);
    Shape shape = new Shape(entry.shape());
    NDArray array;
    if (type == DataType.FLOAT64) {
      double[] values = new double[(int) entry.elements()];
      bytes.asDoubleBuffer().get(values);
      array = manager.create(values, shape);
    } else {
      float[] values = new float[(int) entry.elements()];
      bytes.asFloatBuffer().get(values);
      array = manager.create(values, shape);
    }
    NDArray owned = array.duplicate();
    array.close();
    return owned;
  }
}
