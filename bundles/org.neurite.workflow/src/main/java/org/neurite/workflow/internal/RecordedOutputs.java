package org.neurite.workflow.internal;

import java.util.List;
import java.util.Optional;
import java.util.function.LongFunction;
import org.neurite.api.provenance.RunDetail;
import org.neurite.api.provenance.StepOutput;
import org.neurite.api.provenance.StepRecord;
import org.neurite.api.step.PortSpec;

/**
 * Resolves {@code ${runs.N.step.output}} against provenance: the run exists, its step completed,
 * it recorded that output, and the output's recorded type fits the input (the rules the engine
 * restores by, {@link OutputCodec#misfit}). The step that produced it need not be installed: the
 * value comes back through the codec of its recorded type.
 */
final class RecordedOutputs {
  /** For validating without a provenance store: no run is known. */
  static final RecordedOutputs NONE = new RecordedOutputs(run -> Optional.empty(), new ValueCodecs());

  private final LongFunction<Optional<RunDetail>> runs;
  private final ValueCodecs codecs;

  RecordedOutputs(LongFunction<Optional<RunDetail>> runs, ValueCodecs codecs) {
    this.runs = runs;
    this.codecs = codecs;
  }

  /** The recorded input, or one problem saying what is wrong and what to do. */
  record Resolution(RecordedInput input, String problem) {}

  Resolution resolve(Reference ref, PortSpec input) {
    String refers = "input '" + input.name() + "' refers to " + ref + ", but ";
    Optional<RunDetail> found = runs.apply(ref.run());
    if (found.isEmpty()) {
      return problem(refers + "there is no run " + ref.run() + "; `runs` lists the recorded runs");
    }
    RunDetail run = found.get();
    String ofRun = "step '" + ref.target() + "' of run " + ref.run() + " (" + run.run().start().workflowName() + ")";
    List<StepRecord> records = run.steps().stream().filter(s -> s.start().stepId().equals(ref.target())).toList();
    if (records.isEmpty()) {
      List<String> ids = run.steps().stream().map(s -> s.start().stepId()).distinct().toList();
      return problem(refers + "run " + ref.run() + " (" + run.run().start().workflowName() + ") has no step '"
          + ref.target() + "'; its steps: " + (ids.isEmpty() ? "none" : String.join(", ", ids)));
    }
    Optional<StepRecord> completed = records.stream().filter(s -> s.status().completed()).reduce((a, b) -> b);
    if (completed.isEmpty()) {
      return problem(refers + ofRun + " did not complete (" + records.get(records.size() - 1).status()
          + "); `resume " + ref.run() + "` first, or refer to a run in which it completed");
    }
    StepRecord record = completed.get();
    List<StepOutput> outputs = record.outputs();
    Optional<StepOutput> output;
    if (ref.output() == null) {
      if (outputs.size() != 1) {
        return problem(refers + ofRun + " recorded " + outputs.size() + " outputs; name one: " + names(ref, outputs));
      }
      output = Optional.of(outputs.get(0));
    } else {
      output = outputs.stream().filter(o -> o.name().equals(ref.output())).findFirst();
      if (output.isEmpty()) {
        return problem(refers + ofRun + " recorded no output '" + ref.output() + "'; its outputs: " + names(ref, outputs));
      }
    }
    Reference named = new Reference(ref.run(), ref.target(), output.get().name());
    OutputCodec.Misfit misfit = OutputCodec.misfit(output.get(), input.type(), codecs);
    if (misfit != null) {
      return problem("input '" + input.name() + "' needs " + input.type().getSimpleName() + ", but " + named + " "
          + misfit.what() + "; " + misfit.fix());
    }
    return new Resolution(new RecordedInput(named, record.id(), output.get()), null);
  }

  private static Resolution problem(String message) {
    return new Resolution(null, message);
  }

  private static String names(Reference ref, List<StepOutput> outputs) {
    return outputs.isEmpty() ? "none" : String.join(", ", outputs.stream()
        .map(o -> "${runs." + ref.run() + "." + ref.target() + "." + o.name() + "}").toList());
  }
}
