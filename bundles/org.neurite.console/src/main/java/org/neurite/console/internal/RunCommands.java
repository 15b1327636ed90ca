package org.neurite.console.internal;

import java.util.List;
import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.apache.felix.service.command.annotations.GogoCommand;
import org.neurite.api.NeuriteException;
import org.neurite.api.provenance.Lineage;
import org.neurite.api.provenance.ProvenanceStore;
import org.neurite.api.provenance.RunComparison;
import org.neurite.api.provenance.RunDetail;
import org.neurite.api.provenance.RunSummary;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** {@code runs}, {@code show}, {@code lineage}, {@code diff}: reading the provenance record. */
@Component(service = RunCommands.class)
@GogoCommand(scope = "neurite", function = {"runs", "show", "lineage", "diff"})
public final class RunCommands {
  private final ProvenanceStore store;

  /** What {@code runs} lists, newest first. */
  public record RunList(List<RunSummary> runs) {
    public RunList {
      runs = List.copyOf(runs);
    }
  }

  /** Two runs compared. */
  public record RunDiff(long left, long right, RunComparison comparison) {}

  @Activate
  public RunCommands(@Reference ProvenanceStore store) {
    this.store = store;
  }

  @Descriptor("list runs, newest first")
  public RunList runs(@Descriptor("how many to show") @Parameter(names = {"-l", "--limit"}, absentValue = "20") int limit) {
    return new RunList(store.listRuns(limit));
  }

  @Descriptor("show a run: its steps, parameters, sources, artifacts and metrics")
  public RunDetail show(@Descriptor("the run's id (see runs)") long run) {
    return store.runDetail(run).orElseThrow(() -> noRun(run));
  }

  @Descriptor("what produced an artifact (by path under runs/ or SHA-256) or a run: steps, models and datasets")
  public Lineage lineage(@Descriptor("an artifact's path or SHA-256, or a run id") String subject) {
    return subject.matches("\\d+")
        ? store.lineageOfRun(Long.parseLong(subject)).orElseThrow(() -> noRun(Long.parseLong(subject)))
        : store.lineageOfArtifact(subject).orElseThrow(() -> new NeuriteException("No recorded artifact has the path or"
            + " SHA-256 '" + subject + "'; `show RUN` lists a run's artifacts."));
  }

  @Descriptor("compare two runs: parameters, versions, steps and metrics side by side")
  public RunDiff diff(@Descriptor("the first run") long left, @Descriptor("the second run") long right) {
    RunComparison c = store.compareRuns(left, right)
        .orElseThrow(() -> new NeuriteException("Run " + left + " or run " + right + " does not exist; `runs` lists them."));
    return new RunDiff(left, right, c);
  }

  private static NeuriteException noRun(long run) {
    return new NeuriteException("There is no run " + run + "; `runs` lists them.");
  }
}
