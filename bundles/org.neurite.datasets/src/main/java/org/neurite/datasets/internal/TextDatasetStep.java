package org.neurite.datasets.internal;

import com.google.gson.JsonObject;
import org.neurite.api.context.StepContext;
import org.neurite.api.step.NeuriteStep;
import org.neurite.api.step.ParamSpec;
import org.neurite.api.step.ParamType;
import org.neurite.api.step.Step;
import org.neurite.api.step.StepSpec;
import org.osgi.service.component.annotations.Component;

/** {@code dataset.text}: each non-blank line is one example; the file may carry one label and one group. */
@Component(service = Step.class)
@NeuriteStep(name = "dataset.text")
public final class TextDatasetStep extends FileDatasetStep {
  private static final StepSpec SPEC = spec("dataset.text", "reads a plain text file: one example per non-blank line")
      .param(ParamSpec.optional("label", ParamType.STRING, "\"\"", "a label for every line of the file, \"\" for none"))
      .param(ParamSpec.optional("group", ParamType.STRING, "\"\"", "a group for every line (e.g. the file's language)"))
      .build();

  @Override
  public StepSpec spec() {
    return SPEC;
  }

  @Override
  String format() {
    return "text";
  }

  @Override
  JsonObject options(StepContext context) {
    return fieldsOption(new Fields("", context.param("label", String.class), context.param("group", String.class), ""));
  }
}
