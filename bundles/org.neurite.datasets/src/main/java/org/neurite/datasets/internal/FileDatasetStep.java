package org.neurite.datasets.internal;

import com.google.gson.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.neurite.api.NeuriteException;
import org.neurite.api.context.Progress;
import org.neurite.api.context.StepContext;
import org.neurite.api.data.Dataset;
import org.neurite.api.data.Example;
import org.neurite.api.step.ParamSpec;
import org.neurite.api.step.ParamType;
import org.neurite.api.step.Step;
import org.neurite.api.step.StepResult;
import org.neurite.api.step.StepSpec;

/**
 * What the dataset steps share: open the file, read it through once to validate every line and
 * count examples per group (metrics), record its identity, and output a {@link Dataset} that later
 * steps stream again.
 */
abstract class FileDatasetStep implements Step {
  static final ParamSpec PATH = ParamSpec.required("path", ParamType.PATH, "the file, relative to the workspace or absolute");
  static final ParamSpec NAME = ParamSpec.optional("name", ParamType.STRING, "\"\"", "a short name; default: the file name");
  static final ParamSpec LABEL = ParamSpec.optional("label", ParamType.STRING, "\"\"", "the label field, \"\" for none");
  static final ParamSpec GROUP = ParamSpec.optional("group", ParamType.STRING, "\"\"",
      "the group field (language, culture, relation...), \"\" for none");

  /** Starts the spec every dataset step shares: its output. */
  static StepSpec.Builder spec(String name, String summary) {
    return StepSpec.named(name).summary(summary).param(PATH).param(NAME)
        .output("dataset", Dataset.class, "the examples, streamed from the file");
  }

  /** The format name and its options (fields, delimiter), from the step's parameters. */
  abstract JsonObject options(StepContext context);

  abstract String format();

  @Override
  public StepResult run(StepContext context) throws Exception {
    Path path = context.param("path", Path.class);
    if (!Files.isRegularFile(path)) {
      throw new NeuriteException("Dataset file " + path + " does not exist (step " + context.stepId()
          + "). Put it under the workspace's datasets/ folder and give its path, e.g. datasets/mine." + format() + ".");
    }
    String name = context.param("name", String.class);
    if (name.isEmpty()) {
      String file = path.getFileName().toString();
      name = file.contains(".") ? file.substring(0, file.lastIndexOf('.')) : file;
    }
    FileDataset dataset = new FileDataset(name, format(), path, context.workspace().contentHash(path), options(context));
    Map<String, Long> groups = new TreeMap<>();
    long count = 0;
    try (Progress progress = context.progress("reading " + path.getFileName(), Files.size(path));
        Stream<Example> examples = dataset.examples(progress::advance)) {
      for (Example example : (Iterable<Example>) examples::iterator) {
        count++;
        if (example.group() != null) {
          groups.merge(example.group(), 1L, Long::sum);
        }
      }
    }
    if (count == 0) {
      throw new NeuriteException("Dataset file " + path + " holds no examples (step " + context.stepId() + ").");
    }
    context.metric("examples", "all", count);
    groups.forEach((group, n) -> context.metric("examples", group, n));
    JsonObject details = dataset.options();
    details.addProperty("format", format());
    details.addProperty("examples", count);
    context.source("dataset", name, path.toString(), dataset.contentHash(), details.toString());
    return StepResult.of("dataset", dataset);
  }

  static JsonObject fieldsOption(Fields fields) {
    JsonObject options = new JsonObject();
    options.add("fields", fields.toJson());
    return options;
  }
}
