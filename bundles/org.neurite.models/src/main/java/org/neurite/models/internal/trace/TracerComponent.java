package org.neurite.models.internal.trace;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.neurite.api.NeuriteException;
import org.neurite.api.backend.TensorBackend;
import org.neurite.api.hook.Hooks;
import org.neurite.api.model.Forward;
import org.neurite.api.model.LanguageModel;
import org.neurite.api.model.TensorDtype;
import org.neurite.api.model.TokenBatch;
import org.neurite.api.model.Tracer;
import org.neurite.support.files.AtomicFiles;
import org.neurite.support.safetensors.SafetensorsWriter;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** Writes one sequence's trace through a model as safetensors, in the model's compute type. */
@Component(service = Tracer.class)
public final class TracerComponent implements Tracer {
  private static final String POST = "blocks.*.mlp.hook_post";
  private static final String RESID = "blocks.*.hook_resid_post";

  private final TensorBackend backend;

  @Activate
  public TracerComponent(@Reference TensorBackend backend) {
    this.backend = backend;
  }

  @Override
  public Trace trace(LanguageModel model, long[] ids, OptionalLong target, Path out) throws IOException {
    if (Files.isDirectory(out)) {
      throw new NeuriteException(out + " is a folder; give the trace a file name, e.g. " + out.resolve("trace.safetensors")
          + ".");
    }
    TokenBatch batch = TokenBatch.single(ids);
    int last = ids.length - 1;
    Hooks hooks = Hooks.none().record(POST).record(RESID);
    if (target.isPresent()) {
      long token = target.getAsLong();
      if (!model.spec().hasLogits()) {
        throw new NeuriteException("Model " + model.name() + " has no language-model head, so --target has no logit"
            + " to differentiate; trace it without --target.");
      }
      if (token < 0 || token >= model.spec().vocab()) {
        throw new NeuriteException("Target token " + token + " is outside the vocabulary of " + model.name()
            + " (0 to " + (model.spec().vocab() - 1) + ").");
      }
      hooks = hooks.gradient(POST).target(f -> f.logits().get(0, last, token));
    }
    try (NDManager scope = backend.newScope(model.device())) {
      Forward forward = model.forward(batch, hooks, scope);
      SafetensorsWriter writer = new SafetensorsWriter()
          .metadata("format", "pt")
          .metadata("neurite.model", model.name())
          .metadata("neurite.model_sha256", model.contentHash())
          .metadata("neurite.ids", java.util.Arrays.toString(ids));
      List<String> names = new ArrayList<>();
      writer.add("input_ids", new long[] {1, ids.length}, ids);
      names.add("input_ids");
      if (model.spec().causal()) {
        add(writer, names, "logits", forward.logits());
      } else {
        add(writer, names, "last_hidden_state", forward.hiddenStates());
        if (model.spec().hasLogits()) {
          add(writer, names, "logits", forward.logits());
        }
      }
      for (Map.Entry<String, NDArray> e : forward.recorded().entrySet()) {
        add(writer, names, e.getKey(), e.getValue());
      }
      for (Map.Entry<String, NDArray> e : forward.gradients().entrySet()) {
        add(writer, names, "grad." + e.getKey(), e.getValue());
      }
      try {
        AtomicFiles.write(out, writer::write);
      } catch (IOException | RuntimeException e) {
        throw e;
      } catch (Exception e) {
        throw new IOException("writing " + out, e);
      }
      return new Trace(out, ids, names, target.isPresent() ? forward.targetValue() : Double.NaN);
    }
  }

  private static void add(SafetensorsWriter writer, List<String> names, String name, NDArray array) {
    TensorDtype dtype = array.getDataType() == DataType.FLOAT64 ? TensorDtype.F64 : TensorDtype.F32;
    NDArray typed = array.getDataType() == DataType.FLOAT64 || array.getDataType() == DataType.FLOAT32 ? array
        : array.toType(DataType.FLOAT32, false);
    writer.add(name, dtype, typed.getShape().getShape(), typed.toByteBuffer());
    names.add(name);
  }
}
