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
  static final ParamSpec CHAT = ParamSpec.optional("chat", ParamType.BOOLEAN, "false",
      "wrap each text (or prompt) as a user message in the model's chat template before the model reads it");

  /** Starts the spec every dataset step shares: its output. */
  static StepSpec.Builder spec(String name, String summary) {
    return StepSpec.named(name).summary(summary).param(PATH).param(NAME).param(CHAT)
        .output("dataset", Dataset.class, "the examples, streamed from the file");
  }

  /**
   * Adds the field parameters of record formats (JSON Lines, CSV): which {@code unit} (field or
   * column) holds the text, id, label, group, further labels, a prompt and response, a
   * multiple-choice question, a clean/corrupted pair, or pre-tokenised ids.
   */
  static StepSpec.Builder fieldParams(StepSpec.Builder spec, String unit) {
    String none = "\"\" for none";
    return spec
        .param(ParamSpec.optional("text", ParamType.STRING, "\"text\"", "the " + unit + " holding the text"))
        .param(ParamSpec.optional("label", ParamType.STRING, "\"\"", "the label " + unit + ", " + none))
        .param(ParamSpec.optional("group", ParamType.STRING, "\"\"",
            "the group " + unit + " (language, culture, relation...), " + none))
        .param(ParamSpec.optional("id", ParamType.STRING, "\"\"", "the id " + unit + ", \"\" to use line numbers"))
        .param(ParamSpec.optional("labels", ParamType.STRING_LIST, "[]",
            "further label " + unit + "s to keep, e.g. [\"lang\", \"culture\", \"split\"]"))
        .param(ParamSpec.optional("prompt", ParamType.STRING, "\"\"",
            "with response: the " + unit + " holding the prompt (the text is then prompt + response), " + none))
        .param(ParamSpec.optional("response", ParamType.STRING, "\"\"", "the " + unit + " holding the response"))
        .param(ParamSpec.optional("choices", ParamType.STRING_LIST, "[]",
            "a multiple-choice question's options: one " + unit + " holding a list, or one " + unit + " per option"))
        .param(ParamSpec.optional("answer", ParamType.STRING, "\"\"",
            "the " + unit + " holding the right choice: its index (0-based), letter or text"))
        .param(ParamSpec.optional("corrupted", ParamType.STRING, "\"\"",
            "the " + unit + " holding a corrupted prompt (patching pairs), " + none))
        .param(ParamSpec.optional("target", ParamType.STRING, "\"\"",
            "the " + unit + " holding the continuation the clean prompt should get, " + none))
        .param(ParamSpec.optional("corrupted_target", ParamType.STRING, "\"\"",
            "the " + unit + " holding the continuation the corrupted prompt gets, " + none))
        .param(ParamSpec.optional("ids", ParamType.STRING, "\"\"",
            "the " + unit + " holding pre-tokenised ids (a list of integers), " + none))
        .param(ParamSpec.optional("where", ParamType.STRING_LIST, "[]",
            "keep only the records whose " + unit + "s hold these values: [\"split=eval\", \"lang=velan|korit\"];"
                + " [] keeps every record"));
  }

  /** The fields the parameters of {@link #fieldParams} name, checked against each other. */
  @SuppressWarnings("unchecked")
  static Fields fields(StepContext context) {
    Fields fields = new Fields(context.param("text", String.class), context.param("label", String.class),
        context.param("group", String.class), context.param("id", String.class),
        context.param("labels", java.util.List.class), context.param("prompt", String.class),
        context.param("response", String.class), context.param("choices", java.util.List.class),
        context.param("answer", String.class), context.param("corrupted", String.class),
        context.param("target", String.class), context.param("corrupted_target", String.class),
        context.param("ids", String.class));
    if (fields.prompt().isEmpty() != fields.response().isEmpty()) {
      throw new NeuriteException("Step " + context.stepId() + " names a " + (fields.prompt().isEmpty() ? "response" : "prompt")
          + " field but no " + (fields.prompt().isEmpty() ? "prompt" : "response") + "; a prompt and response come"
          + " together (set both parameters, or neither).");
    }
    if (!fields.answer().isEmpty() && fields.choices().isEmpty()) {
      throw new NeuriteException("Step " + context.stepId() + " names an answer field but no choices; set its choices"
          + " parameter to the field holding the options (or one field per option).");
    }
    if (!fields.corruptedTarget().isEmpty() && fields.corrupted().isEmpty()) {
      throw new NeuriteException("Step " + context.stepId() + " names a corrupted_target field but no corrupted field;"
          + " the corrupted target belongs to a clean/corrupted pair (set corrupted too).");
    }
    if (fields.text().isEmpty() && !fields.hasCompletion() && fields.ids().isEmpty()) {
      throw new NeuriteException("Step " + context.stepId() + " has an empty text parameter; name the field holding the"
          + " text, or give prompt and response, or ids.");
    }
    return fields;
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
    JsonObject options = options(context);
    if (context.param("chat", Boolean.class)) {
      options.addProperty("chat", true);
    }
    FileDataset dataset = new FileDataset(name, format(), path, context.workspace().contentHash(path), options);
    Map<String, Long> groups = new TreeMap<>();
    long count = 0;
    try (Progress progress = context.progress("reading " + path.getFileName(), Files.size(path));
        Stream<Example> examples = dataset.examples(progress::advance)) {
      for (Example example : (Iterable<Example>) examples::iterator) {
        context.checkCancelled();
        count++;
        if (example.group() != null) {
          groups.merge(example.group(), 1L, Long::sum);
        }
      }
    }
    if (count == 0) {
      RecordFilter filter = RecordFilter.of(options);
      throw new NeuriteException("Dataset file " + path + " holds no examples (step " + context.stepId() + ")"
          + (filter.keepsAll() ? "." : ": no record matches where " + filter.entries() + ". Check the field names"
              + " and values (compared as text, e.g. true, 3, eval)."));
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

  /** The options of a record format: its fields and, when the step's where parameter names any, its filter. */
  @SuppressWarnings("unchecked")
  static JsonObject recordOptions(StepContext context) {
    JsonObject options = fieldsOption(fields(context));
    RecordFilter filter = RecordFilter.parse(context.param("where", java.util.List.class), "Step " + context.stepId());
    if (!filter.keepsAll()) {
      options.add("where", filter.toJson());
    }
    return options;
  }
}
