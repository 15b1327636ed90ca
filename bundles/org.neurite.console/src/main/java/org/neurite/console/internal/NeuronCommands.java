package org.neurite.console.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.apache.felix.service.command.annotations.GogoCommand;
import org.neurite.api.NeuriteException;
import org.neurite.api.provenance.ProvenanceStore;
import org.neurite.api.provenance.RunDetail;
import org.neurite.api.provenance.StepOutput;
import org.neurite.api.provenance.StepRecord;
import org.neurite.api.workspace.Workspace;
import org.neurite.support.files.StoredOutputs;
import org.neurite.support.units.NeuronSetFiles;
import org.neurite.support.units.UnitScoresFiles;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** {@code neurons}: the units of a neuron set or of unit scores, from a file or from a run's recorded outputs. */
@Component(service = NeuronCommands.class)
@GogoCommand(scope = "neurite", function = {"neurons"})
public final class NeuronCommands {
  private static final String SET_TYPE = "neuron-set";
  private static final String SCORES_TYPE = "unit-scores";
  private final ProvenanceStore store;
  private final Workspace workspace;

  /** What {@code neurons} shows, and the CSV file it wrote (null when none was asked for). */
  public record NeuronReport(List<NeuronTables.Summary> summaries, int top, String csv, int csvRows) {
    public NeuronReport {
      summaries = List.copyOf(summaries);
    }
  }

  @Activate
  public NeuronCommands(@Reference ProvenanceStore store, @Reference Workspace workspace) {
    this.store = store;
    this.workspace = workspace;
  }

  @Descriptor("show the top units and per-layer counts per group of a neuron set or unit scores")
  public NeuronReport neurons(
      @Descriptor("units to show per group") @Parameter(names = {"-n", "--top"}, absentValue = "10") int top,
      @Descriptor("also write every unit (source,statistic,group,hook,index,score) to this CSV file")
          @Parameter(names = {"--csv"}, absentValue = "") String csv,
      @Descriptor("a run id (its neuron sets and unit scores), or a neurons.json / scores.safetensors file")
          String subject) throws IOException {
    if (top < 1) {
      throw new NeuriteException("neurons --top " + top + ": give at least 1.");
    }
    List<NeuronTables.Summary> summaries = subject.matches("\\d+")
        ? ofRun(Long.parseLong(subject), top) : List.of(ofFile(subject, top));
    if (csv.isBlank()) {
      return new NeuronReport(summaries, top, null, 0);
    }
    Path file = workspace.output(csv);
    return new NeuronReport(summaries, top, file.toString(), NeuronTables.writeCsv(summaries, file));
  }

  private List<NeuronTables.Summary> ofRun(long run, int top) {
    RunDetail detail = store.runDetail(run)
        .orElseThrow(() -> new NeuriteException("There is no run " + run + "; `runs` lists them."));
    List<NeuronTables.Summary> summaries = new ArrayList<>();
    List<String> types = new ArrayList<>();
    for (StepRecord step : detail.steps()) {
      for (StepOutput output : step.outputs()) {
        types.add(step.start().stepId() + "." + output.name() + " (" + output.type() + ")");
        String stored = StoredOutputs.path(output);
        if ((output.type().equals(SET_TYPE) || output.type().equals(SCORES_TYPE)) && stored != null) {
          Path file = workspace.runs().resolve(stored);
          String source = step.start().stepId() + "." + output.name();
          summaries.add(output.type().equals(SET_TYPE)
              ? NeuronTables.of(source, NeuronSetFiles.read(file), top)
              : NeuronTables.of(source, UnitScoresFiles.read(file), top));
        }
      }
    }
    if (summaries.isEmpty()) {
      throw new NeuriteException("Run " + run + " recorded no neuron set and no unit scores (its outputs: "
          + (types.isEmpty() ? "none" : String.join(", ", types)) + "); give a run with a select, stats or attribute"
          + " step, or a file.");
    }
    return summaries;
  }


  private NeuronTables.Summary ofFile(String subject, int top) {
    Path file = workspace.find(subject).orElseGet(() -> workspace.existing(subject, "neuron set or unit-scores file",
        workspace.runs()));
    if (!Files.isRegularFile(file)) {
      throw new NeuriteException(file + " is a folder; give its neurons.json or scores.safetensors, or a run id.");
    }
    String name = file.getFileName().toString();
    if (name.endsWith(".safetensors")) {
      return NeuronTables.of(subject, UnitScoresFiles.read(file), top);
    }
    if (name.endsWith(".json")) {
      return NeuronTables.of(subject, NeuronSetFiles.read(file), top);
    }
    throw new NeuriteException(file + " is neither a neuron set (.json) nor unit scores (.safetensors); give a file"
        + " a select, stats or attribute step wrote, or a run id.");
  }
}
