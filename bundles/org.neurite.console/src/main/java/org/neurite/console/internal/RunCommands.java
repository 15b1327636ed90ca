package org.neurite.console.internal;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.neurite.api.NeuriteException;
import org.neurite.api.provenance.Artifact;
import org.neurite.api.provenance.ComparedValue;
import org.neurite.api.provenance.Lineage;
import org.neurite.api.provenance.LineageStep;
import org.neurite.api.provenance.Metric;
import org.neurite.api.provenance.ProvenanceStore;
import org.neurite.api.provenance.Run;
import org.neurite.api.provenance.RunComparison;
import org.neurite.api.provenance.RunDetail;
import org.neurite.api.provenance.RunSummary;
import org.neurite.api.provenance.SourceIdentity;
import org.neurite.api.provenance.StepRecord;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** {@code runs}, {@code show}, {@code lineage}, {@code diff}: reading the provenance record. */
@Component(
    service = RunCommands.class,
    property = {"osgi.command.scope=neurite", "osgi.command.function=runs", "osgi.command.function=show",
        "osgi.command.function=lineage", "osgi.command.function=diff"})
public final class RunCommands {
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneId.systemDefault());

  private final ProvenanceStore store;

  @Activate
  public RunCommands(@Reference ProvenanceStore store) {
    this.store = store;
  }

  @Descriptor("list runs, newest first")
  public String runs(@Descriptor("how many to show") @Parameter(names = {"-l", "--limit"}, absentValue = "20") int limit) {
    List<RunSummary> runs = store.listRuns(limit);
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

  @Descriptor("show a run: its steps, parameters, sources, artifacts and metrics")
  public String show(@Descriptor("the run's id (see runs)") long run) {
    RunDetail detail = store.runDetail(run).orElseThrow(() -> noRun(run));
    Run r = detail.run();
    StringBuilder out = new StringBuilder();
    out.append("run ").append(r.id()).append("  ").append(r.workflowName()).append("  ").append(r.status())
        .append(r.attempt() > 1 ? " (attempt " + r.attempt() + ")" : "").append('\n');
    out.append("  file      ").append(r.workflowSource()).append("  sha256 ").append(r.workflowSha256()).append('\n');
    out.append("  started   ").append(TIME.format(r.startedAt())).append(" by ").append(r.process().user()).append('@')
        .append(r.process().host()).append(" pid ").append(r.process().pid()).append(", took ")
        .append(took(r.startedAt(), r.endedAt())).append('\n');
    out.append("  versions  Neurite ").append(r.versions().neurite()).append(", ").append(r.versions().engine())
        .append(", DJL ").append(r.versions().djl()).append(", ").append(r.versions().jvm()).append('\n');
    out.append("  device    ").append(r.device()).append("\n  params    ").append(r.paramsJson()).append('\n');
    if (r.message() != null) {
      out.append("  message   ").append(r.message()).append('\n');
    }
    out.append("steps\n");
    for (StepRecord s : detail.steps()) {
      out.append(String.format("  %6d  %-14s %-18s %-11s %8s  %s %s%n", s.id(), s.stepId(), s.stepName(),
          s.status() + (s.cachedFrom() == null ? "" : "*"), s.durationMillis() == null ? "" : s.durationMillis() + " ms",
          s.bundleSymbolicName(), s.bundleVersion()));
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

  @Descriptor("what produced an artifact (by path under runs/ or SHA-256) or a run: steps, models and datasets")
  public String lineage(@Descriptor("an artifact's path or SHA-256, or a run id") String subject) {
    Lineage lineage = subject.matches("\\d+")
        ? store.lineageOfRun(Long.parseLong(subject)).orElseThrow(() -> noRun(Long.parseLong(subject)))
        : store.lineageOfArtifact(subject).orElseThrow(() -> new NeuriteException("No recorded artifact has the path or"
            + " SHA-256 '" + subject + "'; `show RUN` lists a run's artifacts."));
    StringBuilder out = new StringBuilder("lineage of ").append(lineage.subject()).append('\n');
    for (LineageStep step : lineage.steps()) {
      StepRecord s = step.step();
      out.append("  ".repeat(step.depth() + 1)).append(s.stepId()).append(" (").append(s.stepName()).append(", step record ")
          .append(s.id()).append(", run ").append(s.runId()).append(" ").append(step.workflowName()).append(", ")
          .append(s.bundleSymbolicName()).append(' ').append(s.bundleVersion()).append(")\n");
      for (Artifact a : step.artifacts()) {
        out.append("  ".repeat(step.depth() + 2)).append("wrote ").append(a.path()).append("  ").append(a.sha256()).append('\n');
      }
    }
    sources(lineage.sources(), out);
    return out.toString();
  }

  @Descriptor("compare two runs: parameters, versions, steps and metrics side by side")
  public String diff(@Descriptor("the first run") long left, @Descriptor("the second run") long right) {
    RunComparison c = store.compareRuns(left, right)
        .orElseThrow(() -> new NeuriteException("Run " + left + " or run " + right + " does not exist; `runs` lists them."));
    StringBuilder out = new StringBuilder(String.format("%-40s  %-28s  %-28s%n", "", "run " + left, "run " + right));
    section("parameters", c.params(), out);
    section("versions", c.versions(), out);
    section("steps", c.steps(), out);
    section("metrics", c.metrics(), out);
    return out.toString();
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

  private static NeuriteException noRun(long run) {
    return new NeuriteException("There is no run " + run + "; `runs` lists them.");
  }
}
