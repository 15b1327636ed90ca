package org.neurite.console.internal;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.List;
import org.apache.felix.service.command.Converter;
import org.neurite.api.backend.DeviceInfo;
import org.neurite.api.model.HookPoint;
import org.neurite.api.model.ModelEntry;
import org.neurite.api.model.Tracer;
import org.neurite.api.provenance.Artifact;
import org.neurite.api.provenance.ComparedValue;
import org.neurite.api.provenance.Lineage;
import org.neurite.api.provenance.LineageStep;
import org.neurite.api.provenance.Metric;
import org.neurite.api.provenance.Run;
import org.neurite.api.provenance.RunComparison;
import org.neurite.api.provenance.RunDetail;
import org.neurite.api.provenance.RunSummary;
import org.neurite.api.provenance.SourceIdentity;
import org.neurite.api.provenance.StepInput;
import org.neurite.api.provenance.StepOutput;
import org.neurite.api.provenance.StepRecord;
import org.neurite.api.provenance.StepStatus;
import org.neurite.api.step.ParamSpec;
import org.neurite.api.step.PortSpec;
import org.neurite.api.step.StepSpec;
import org.neurite.api.workflow.RunOutcome;
import org.osgi.service.component.annotations.Component;

/**
 * The one place where the values Neurite's commands return become text. Registered as a Gogo
 * {@link Converter}, so the shell, {@code bin/neurite} and the embedding API print a command's
 * result the same way, while code that calls a command gets the value itself. Values of other
 * types are left to Gogo.
 */
@Component(service = Converter.class, property = Converter.CONVERTER_CLASSES + "=org.neurite.api.*")
public final class ConsoleFormat implements Converter {
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")
      .withZone(ZoneId.systemDefault());

  @Override
  public Object convert(Class<?> desiredType, Object in) {
    return null;
  }

  @Override
  public CharSequence format(Object target, int level, Converter escape) {
    String text = text(target);
    if (text == null || level == INSPECT) {
      return text;
    }
    int end = text.indexOf('\n');
    return end < 0 ? text : text.substring(0, end);
  }

  /** The text of a value Neurite knows, or null for anything else. */
  static String text(Object value) {
    if (value instanceof InfoCommands.Info info) {
      return info(info);
    } else if (value instanceof InfoCommands.SelfTest t) {
      return String.format("ok: %dx%d matmul on %s matches plain Java (max abs error %.2e); open scopes: %d",
          t.size(), t.size(), t.device(), t.maxError(), t.openScopes());
    } else if (value instanceof ModelCommands.ModelList list) {
      return models(list.models());
    } else if (value instanceof ModelCommands.ModelHooks hooks) {
      return hooks(hooks);
    } else if (value instanceof ModelCommands.LoadedModel m) {
      return "loaded " + m.name() + " from " + m.source() + " in " + m.millis() + " ms\n  " + m.summary()
          + "\n  sha256 " + m.sha256() + (m.hasTokenizer() ? "" : "\n  no tokenizer.json: give token ids (--ids)");
    } else if (value instanceof ModelCommands.UnloadedModel m) {
      return "unloaded " + m.name();
    } else if (value instanceof ModelCommands.TraceWritten t) {
      return trace(t.trace(), t.withTarget());
    } else if (value instanceof NeuronCommands.NeuronReport report) {
      return NeuronTables.text(report.summaries(), report.top())
          + (report.csv() == null ? "" : "wrote " + report.csvRows() + " rows to " + report.csv() + "\n");
    } else if (value instanceof GenerateCommands.GeneratedText g) {
      return "finish " + g.finishReason() + ", " + g.outputIds().length + " tokens, seed " + g.seed()
          + (g.file() == null ? "" : "\n  wrote " + g.file());
    } else if (value instanceof RunCommands.RunList list) {
      return runs(list.runs());
    } else if (value instanceof RunDetail detail) {
      return show(detail);
    } else if (value instanceof Lineage lineage) {
      return lineage(lineage);
    } else if (value instanceof RunCommands.RunDiff diff) {
      return diff(diff.left(), diff.right(), diff.comparison());
    } else if (value instanceof WorkflowCommands.Validated v) {
      return "ok: workflow " + v.workflow() + " is valid";
    } else if (value instanceof WorkflowCommands.StepList list) {
      return steps(list.steps());
    } else if (value instanceof StepSpec spec) {
      return step(spec);
    } else if (value instanceof RunOutcome outcome) {
      return outcome(outcome);
    } else if (value instanceof HelpCommands.CommandList list) {
      return HelpText.list(list);
    } else if (value instanceof HelpCommands.CommandHelp help) {
      return HelpText.command(help);
    }
    return null;
  }

  static String outcome(RunOutcome outcome) {
    long cached = outcome.steps().stream().filter(s -> s.status() == StepStatus.CACHED).count();
    return String.format("run %d %s in %.1f s: %d steps, %d cached", outcome.runId(), outcome.status(),
        outcome.duration().toMillis() / 1000.0, outcome.steps().size(), cached);
  }

  private static String info(InfoCommands.Info info) {
    Table table = new Table();
    table.row("Neurite", info.neurite());
    table.row("home", info.home());
    table.row("workspace", info.workspace());
    table.row("Java", info.java());
    table.row("engine", info.engine());
    table.row("native cache", info.nativeCache());
    for (DeviceInfo device : info.devices()) {
      table.row("device " + device.id(), device.description());
    }
    StringBuilder out = new StringBuilder(table.render());
    long active = info.bundles().stream().filter(b -> b.state().equals("ACTIVE")).count();
    out.append("\nbundles (").append(active).append(" of ").append(info.bundles().size()).append(" active)\n");
    Table list = new Table();
    for (InfoCommands.BundleState bundle : info.bundles()) {
      list.row(String.format("%3d %-9s", bundle.id(), bundle.state()), bundle.symbolicName() + " " + bundle.version());
    }
    return out.append(list.render()).toString();
  }

  private static String models(List<ModelEntry> entries) {
    if (entries.isEmpty()) {
      return "no models: put a Hugging Face folder (config.json + model.safetensors) under models/";
    }
    StringBuilder out = new StringBuilder(String.format("  %-28s %-10s %s%n", "name", "status", "what"));
    for (ModelEntry e : entries) {
      out.append(String.format("  %-28s %-10s %s%n", e.name(), e.status(), e.summary()));
    }
    return out.toString();
  }

  private static String hooks(ModelCommands.ModelHooks hooks) {
    StringBuilder out = new StringBuilder(hooks.name() + ": " + hooks.summary() + "\n");
    for (HookPoint point : hooks.hooks()) {
      out.append(String.format("  %-34s %s%n", point.name(), point.shape()));
    }
    return out.toString();
  }

  private static String trace(Tracer.Trace trace, boolean withTarget) {
    return "wrote " + trace.tensors().size() + " tensors to " + trace.file() + "\n  ids " + Arrays.toString(trace.ids())
        + (withTarget ? "\n  target logit " + trace.targetLogit() : "")
        + "\n  " + String.join(", ", trace.tensors().subList(0, Math.min(6, trace.tensors().size())))
        + (trace.tensors().size() > 6 ? ", ..." : "");
  }

  private static String runs(List<RunSummary> runs) {
    if (runs.isEmpty()) {
      return "no runs yet: `run workflows/quickstart.json` makes one";
    }
    StringBuilder out = new StringBuilder(String.format("%5s  %-11s  %-24s  %-19s  %8s  %-22s  %s%n",
        "run", "status", "workflow", "started", "time", "steps (ok/cached/fail)", "by"));
    for (RunSummary r : runs) {
      out.append(String.format("%5d  %-11s  %-24s  %-19s  %8s  %-22s  %s@%s%n", r.id(), r.status(), r.workflowName(),
          TIME.format(r.startedAt()), took(r.startedAt(), r.endedAt()),
          r.steps() + " (" + r.succeeded() + "/" + r.cached() + "/" + r.failed() + ")", r.user(), r.host()));
    }
    return out.toString();
  }

  private static String show(RunDetail detail) {
    Run r = detail.run();
    StringBuilder out = new StringBuilder();
    out.append("run ").append(r.id()).append("  ").append(r.start().workflowName()).append("  ").append(r.status())
        .append(r.attempt() > 1 ? " (attempt " + r.attempt() + ")" : "").append('\n');
    out.append("  file      ").append(r.start().workflowSource()).append("  sha256 ").append(r.start().workflowSha256()).append('\n');
    out.append("  started   ").append(TIME.format(r.startedAt())).append(" by ").append(r.start().process().user()).append('@')
        .append(r.start().process().host()).append(" pid ").append(r.start().process().pid()).append(", took ")
        .append(took(r.startedAt(), r.endedAt())).append('\n');
    out.append("  versions  Neurite ").append(r.start().versions().neurite()).append(", ").append(r.start().versions().engine())
        .append(", DJL ").append(r.start().versions().djl()).append(", ").append(r.start().versions().jvm()).append('\n');
    out.append("  device    ").append(r.start().device()).append("\n  params    ").append(r.start().paramsJson()).append('\n');
    if (r.message() != null) {
      out.append("  message   ").append(r.message()).append('\n');
    }
    out.append("steps\n");
    for (StepRecord s : detail.steps()) {
      out.append(String.format("  %6d  %-14s %-18s %-11s %8s  %s %s%n", s.id(), s.start().stepId(), s.start().stepName(),
          s.status() + (s.cachedFrom() == null ? "" : "*"), s.durationMillis() == null ? "" : s.durationMillis() + " ms",
          s.start().bundleSymbolicName(), s.start().bundleVersion()));
      for (StepInput input : s.start().inputs()) {
        out.append("          in   ").append(input.name()).append(" <- ").append(producer(detail, input)).append('\n');
      }
      for (StepOutput output : s.outputs()) {
        out.append("          out  ").append(output.name()).append("  ").append(output.type()).append("  ")
            .append(output.artifactPath() != null ? output.artifactPath() : shortened(output.valueJson())).append('\n');
      }
      if (s.errorMessage() != null) {
        out.append("          error: ").append(s.errorMessage()).append('\n');
      }
    }
    if (detail.steps().stream().anyMatch(s -> s.cachedFrom() != null)) {
      out.append("  (* reused: outputs, artifacts and metrics are those of the step record it names)\n");
    }
    sources(detail.sources(), out);
    if (!detail.artifacts().isEmpty()) {
      out.append("artifacts (under runs/)\n");
      for (Artifact a : detail.artifacts()) {
        out.append(String.format("  %-10s %-48s %10d B  %s%n", a.kind(), a.path(), a.sizeBytes(), a.sha256()));
      }
    }
    if (!detail.metrics().isEmpty()) {
      out.append("metrics\n");
      for (Metric m : detail.metrics()) {
        out.append(String.format("  %-14s %-24s %-12s %.6g%n", m.stepId(), m.name(), m.group(), m.value()));
      }
    }
    return out.toString();
  }

  /** Where an input came from: a step of the same run, or of another run (as the workflow refers to it). */
  private static String producer(RunDetail detail, StepInput input) {
    for (StepRecord s : detail.steps()) {
      if (s.id() == input.producerStepRecordId()) {
        return "${" + s.start().stepId() + "." + input.producerOutput() + "}";
      }
    }
    for (StepRecord s : detail.producers()) {
      if (s.id() == input.producerStepRecordId()) {
        return "${runs." + s.start().runId() + "." + s.start().stepId() + "." + input.producerOutput() + "} (step record "
            + s.id() + ")";
      }
    }
    return "step record " + input.producerStepRecordId() + ", output " + input.producerOutput();
  }

  private static String shortened(String json) {
    return json == null ? "" : json.length() <= 100 ? json : json.substring(0, 97) + "...";
  }

  private static String lineage(Lineage lineage) {
    StringBuilder out = new StringBuilder("lineage of ").append(lineage.subject()).append('\n');
    for (LineageStep step : lineage.steps()) {
      StepRecord s = step.step();
      out.append("  ".repeat(step.depth() + 1)).append(s.start().stepId()).append(" (").append(s.start().stepName()).append(", step record ")
          .append(s.id()).append(", run ").append(s.start().runId()).append(" ").append(step.workflowName()).append(", ")
          .append(s.start().bundleSymbolicName()).append(' ').append(s.start().bundleVersion()).append(")\n");
      for (Artifact a : step.artifacts()) {
        out.append("  ".repeat(step.depth() + 2)).append("wrote ").append(a.path()).append("  ").append(a.sha256()).append('\n');
      }
    }
    sources(lineage.sources(), out);
    return out.toString();
  }

  private static String diff(long left, long right, RunComparison c) {
    StringBuilder out = new StringBuilder(String.format("%-40s  %-28s  %-28s%n", "", "run " + left, "run " + right));
    section("parameters", c.params(), out);
    section("versions", c.versions(), out);
    section("steps", c.steps(), out);
    section("metrics", c.metrics(), out);
    return out.toString();
  }

  private static String steps(List<StepSpec> specs) {
    if (specs.isEmpty()) {
      return "no steps registered (drop a plugin jar into the workspace's plugins/ folder to add some)";
    }
    StringBuilder out = new StringBuilder();
    specs.forEach(spec -> out.append(step(spec)));
    return out.toString();
  }

  private static String step(StepSpec spec) {
    StringBuilder out = new StringBuilder();
    out.append(spec.name()).append("  ").append(spec.summary()).append('\n');
    for (ParamSpec p : spec.params()) {
      out.append("    param  ").append(p.name()).append(" : ").append(p.type().jsonName())
          .append(p.isRequired() ? " (required)" : " = " + p.defaultValue())
          .append("  ").append(p.help()).append('\n');
    }
    ports("input ", spec.inputs(), out);
    ports("output", spec.outputs(), out);
    return out.toString();
  }

  private static void ports(String label, List<PortSpec> ports, StringBuilder out) {
    for (PortSpec port : ports) {
      out.append("    ").append(label).append(' ').append(port.name()).append(" : ")
          .append(port.type().getSimpleName()).append("  ").append(port.help()).append('\n');
    }
  }

  private static void section(String title, List<ComparedValue> values, StringBuilder out) {
    out.append(title).append('\n');
    if (values.isEmpty()) {
      out.append("  (none)\n");
    }
    for (ComparedValue v : values) {
      out.append(String.format("%s %-38s  %-28s  %-28s%n", v.same() ? " " : "*", v.key(), v.left(), v.right()));
    }
  }

  private static void sources(List<SourceIdentity> sources, StringBuilder out) {
    if (sources.isEmpty()) {
      return;
    }
    out.append("models and datasets\n");
    for (SourceIdentity s : sources) {
      out.append(String.format("  %-8s %-24s %s  sha256 %s%n", s.kind(), s.name(), s.sourcePath(), s.contentHash()));
    }
  }

  private static String took(Instant start, Instant end) {
    if (end == null) {
      return "running";
    }
    Duration d = Duration.between(start, end);
    return d.toMillis() < 1000 ? d.toMillis() + " ms" : String.format("%.1f s", d.toMillis() / 1000.0);
  }

  /** Two aligned columns. */
  static final class Table {
    private final List<String[]> rows = new java.util.ArrayList<>();

    void row(String key, String value) {
      rows.add(new String[] {key, value});
    }

    String render() {
      int width = rows.stream().mapToInt(r -> r[0].length()).max().orElse(0);
      StringBuilder out = new StringBuilder();
      for (String[] row : rows) {
        out.append("  ").append(row[0]).append(" ".repeat(width - row[0].length() + 2)).append(row[1]).append('\n');
      }
      return out.toString();
    }
  }
}
