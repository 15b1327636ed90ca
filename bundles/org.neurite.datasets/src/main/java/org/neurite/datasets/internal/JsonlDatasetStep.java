package org.neurite.datasets.internal;

import com.google.gson.JsonObject;
import org.neurite.api.context.StepContext;
import org.neurite.api.step.NeuriteStep;
import org.neurite.api.step.Step;
import org.neurite.api.step.StepSpec;
import org.osgi.service.component.annotations.Component;

/** {@code dataset.jsonl}: one JSON object per line. */
@Component(service = Step.class)
@NeuriteStep(name = "dataset.jsonl")
public final class JsonlDatasetStep extends FileDatasetStep {
  private static final StepSpec SPEC = fieldParams(
      spec("dataset.jsonl", "reads a JSON Lines file: one object per line, streamed"), "field")
      .build();

  @Override
  public StepSpec spec() {
    return SPEC;
  }

  @Override
  String format() {
    return "jsonl";
  }

  @Override
  JsonObject options(StepContext context) {
    return recordOptions(context);
  }
}
