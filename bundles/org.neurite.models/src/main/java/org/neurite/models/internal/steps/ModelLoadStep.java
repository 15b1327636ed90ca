package org.neurite.models.internal.steps;

import com.google.gson.JsonObject;
import java.util.Map;
import org.neurite.api.context.StepContext;
import org.neurite.api.model.LanguageModel;
import org.neurite.api.model.LoadOptions;
import org.neurite.api.model.ModelRepository;
import org.neurite.api.step.NeuriteStep;
import org.neurite.api.step.ParamSpec;
import org.neurite.api.step.ParamType;
import org.neurite.api.step.Step;
import org.neurite.api.step.StepResult;
import org.neurite.api.step.StepSpec;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * {@code model.load}: a model folder or a shipped model, loaded on the run's device. Its identity
 * (the content hash of its files) is recorded as the run's model and is part of the memo key, so
 * changed weights are never mistaken for the old ones.
 */
@Component
@NeuriteStep(name = "model.load")
public final class ModelLoadStep implements Step {
  private static final StepSpec SPEC = StepSpec.named("model.load")
      .summary("loads a model: a Hugging Face folder (config.json + safetensors) or a shipped model")
      .param(ParamSpec.required("model", ParamType.STRING,
          "a folder (absolute, or relative to the workspace or its models/) or a name from `models`"))
      .param(ParamSpec.optional("dtype", ParamType.STRING, "\"float32\"", "compute type: float32 or float64"))
      .output("model", LanguageModel.class, "the loaded model")
      .build();

  private final ModelRepository repository;

  @Activate
  public ModelLoadStep(@Reference ModelRepository repository) {
    this.repository = repository;
  }

  @Override
  public StepSpec spec() {
    return SPEC;
  }

  @Override
  public Map<String, String> sources(StepContext context) {
    return Map.of("model", repository.open(context.param("model", String.class)).contentHash());
  }

  @Override
  public StepResult run(StepContext context) {
    LoadOptions options = new LoadOptions(context.device(), context.param("dtype", String.class));
    LanguageModel model = repository.load(context.param("model", String.class), options);
    JsonObject details = new JsonObject();
    details.addProperty("family", model.spec().family());
    details.addProperty("architecture", model.spec().architecture());
    details.addProperty("layers", model.spec().layers());
    details.addProperty("d_model", model.spec().dModel());
    details.addProperty("d_mlp", model.spec().dMlp());
    details.addProperty("dtype", model.spec().dtype());
    context.source("model", model.name(), model.source().toString(), model.contentHash(), details.toString());
    return StepResult.of("model", model);
  }
}
