package org.neurite.workflow.internal;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.format.DateTimeFormatter;
import org.neurite.api.NeuriteException;
import org.neurite.api.context.StepContext;
import org.neurite.api.provenance.Artifact;
import org.neurite.api.provenance.Metric;
import org.neurite.api.provenance.ProvenanceStore;
import org.neurite.api.provenance.RunDetail;
import org.neurite.api.provenance.SourceIdentity;
import org.neurite.api.provenance.StepRecord;
import org.neurite.api.step.NeuriteStep;
import org.neurite.api.step.ParamSpec;
import org.neurite.api.step.ParamType;
import org.neurite.api.step.Step;
import org.neurite.api.step.StepResult;
import org.neurite.api.step.StepSpec;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** {@code report.summary}: what the run produced so far, as Markdown: steps, parameters, sources, artifacts, metrics. */
@Component
@NeuriteStep(name = "report.summary")
public final class ReportSummaryStep implements Step {
  private static final StepSpec SPEC = StepSpec.named("report.summary")
      .summary("writes what the run produced (steps, parameters, sources, artifacts, metrics) as Markdown")
      .param(ParamSpec.optional("title", ParamType.STRING, "\"Run summary\"", "the report's title"))
      .output("report", Path.class, "the Markdown file")
      .readsRun()
      .build();

  private final ProvenanceStore store;

  @Activate
  public ReportSummaryStep(@Reference ProvenanceStore store) {
    this.store = store;
  }

  @Override
  public StepSpec spec() {
    return SPEC;
  }

  @Override
  public StepResult run(StepContext context) throws Exception {
    RunDetail detail = store.runDetail(context.runId())
        .orElseThrow(() -> new NeuriteException("run " + context.runId() + " is not in the provenance store"));
    String markdown = render(context.param("title", String.class), detail, context.stepId());
    Path file = context.artifacts().write("summary.md", "report",
        tmp -> Files.writeString(tmp, markdown, StandardCharsets.UTF_8));
    return StepResult.of("report", file);
  }

  static String render(String title, RunDetail detail, String selfId) {
    StringBuilder md = new StringBuilder();
    md.append("# ").append(title).append("\n\n");
    md.append("Workflow **").append(detail.run().start().workflowName()).append("**, run ").append(detail.run().id())
        .append(", started ").append(DateTimeFormatter.ISO_INSTANT.format(detail.run().startedAt()))
        .append(" by ").append(detail.run().start().process().user()).append('@').append(detail.run().start().process().host())
        .append(" on ").append(detail.run().start().device()).append(".\n\n");
    md.append("Versions: Neurite ").append(detail.run().start().versions().neurite()).append(", ")
        .append(detail.run().start().versions().engine()).append(" (DJL ").append(detail.run().start().versions().djl()).append("), ")
        .append(detail.run().start().versions().jvm()).append(".\n\n");
    md.append("Parameters: `").append(detail.run().start().paramsJson()).append("`\n\n");
    md.append("## Steps\n\n| step | uses | status | time | provider |\n|---|---|---|---|---|\n");
    for (StepRecord step : detail.steps()) {
      if (step.start().stepId().equals(selfId)) {
        continue;
      }
      md.append("| ").append(step.start().stepId()).append(" | ").append(step.start().stepName()).append(" | ").append(step.status())
          .append(step.cachedFrom() == null ? "" : " (record " + step.cachedFrom() + ")").append(" | ")
          .append(step.durationMillis() == null ? "" : step.durationMillis() + " ms").append(" | ")
          .append(step.start().bundleSymbolicName()).append(' ').append(step.start().bundleVersion()).append(" |\n");
    }
    if (!detail.sources().isEmpty()) {
      md.append("\n## Models and datasets\n\n| kind | name | path | content SHA-256 |\n|---|---|---|---|\n");
      for (SourceIdentity source : detail.sources()) {
        md.append("| ").append(source.kind()).append(" | ").append(source.name()).append(" | ").append(source.sourcePath())
            .append(" | `").append(source.contentHash()).append("` |\n");
      }
    }
    if (!detail.artifacts().isEmpty()) {
      md.append("\n## Artifacts\n\n| kind | path (under runs/) | bytes | SHA-256 |\n|---|---|---|---|\n");
      for (Artifact artifact : detail.artifacts()) {
        md.append("| ").append(artifact.kind()).append(" | ").append(artifact.path()).append(" | ")
            .append(artifact.sizeBytes()).append(" | `").append(artifact.sha256()).append("` |\n");
      }
    }
    if (!detail.metrics().isEmpty()) {
      md.append("\n## Metrics\n\n| name | group | value |\n|---|---|---|\n");
      for (Metric metric : detail.metrics()) {
        md.append("| ").append(metric.name()).append(" | ").append(metric.group()).append(" | ")
            .append(String.format("%.6g", metric.value())).append(" |\n");
      }
    }
    return md.toString();
  }
}
