package org.neurite.datasets.internal;

import com.google.gson.JsonObject;
import org.neurite.api.NeuriteException;
import org.neurite.api.context.StepContext;
import org.neurite.api.step.NeuriteStep;
import org.neurite.api.step.ParamSpec;
import org.neurite.api.step.ParamType;
import org.neurite.api.step.Step;
import org.neurite.api.step.StepSpec;
import org.osgi.service.component.annotations.Component;

/** {@code dataset.csv}: a header row, then one record per row (RFC 4180 quoting). */
@Component(service = Step.class)
@NeuriteStep(name = "dataset.csv")
public final class CsvDatasetStep extends FileDatasetStep {
  private static final StepSpec SPEC = fieldParams(
      spec("dataset.csv", "reads a CSV file with a header row, streamed"), "column")
      .param(ParamSpec.optional("delimiter", ParamType.STRING, "\",\"", "the field separator: one character"))
      .build();

  @Override
  public StepSpec spec() {
    return SPEC;
  }

  @Override
  String format() {
    return "csv";
  }

  @Override
  JsonObject options(StepContext context) {
    String delimiter = context.param("delimiter", String.class);
    if (delimiter.length() != 1 || delimiter.equals("\"")) {
      throw new NeuriteException("Step " + context.stepId() + ": delimiter must be one character other than \","
          + " e.g. \",\" or \"\\t\"; got \"" + delimiter + "\".");
    }
    JsonObject options = recordOptions(context);
    options.addProperty("delimiter", delimiter);
    return options;
  }
}
