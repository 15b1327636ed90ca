package org.neurite.workflow.internal;

import java.lang.System.Logger.Level;
import java.lang.System.Logger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.neurite.api.NeuriteException;
import org.neurite.api.context.StepCancelledException;
import org.neurite.api.listener.RunStep;
import org.neurite.api.provenance.MemoHit;
import org.neurite.api.provenance.RunStatus;
import org.neurite.api.provenance.StepFinish;
import org.neurite.api.provenance.StepInput;
import org.neurite.api.provenance.StepOutput;
import org.neurite.api.provenance.StepRecord;
import org.neurite.api.provenance.StepStart;
import org.neurite.api.provenance.StepStatus;
import org.neurite.api.step.PortSpec;
import org.neurite.api.step.StepResult;
import org.neurite.api.workflow.RunOutcome;
import org.neurite.api.workflow.StepOutcome;

/**
 * Runs the steps of one plan in order, recording each as it starts and ends. A step is reused
 * rather than run when it completed earlier in this run (resume) or when an earlier successful
 * step had the same memo key (cache). Values flow lazily: a reused output, and an output an earlier
 * run recorded ({@code ${runs.N.step.output}}), is restored by its recorded type only when a step
 * that consumes it actually runs.
 */
final class RunExecution {
  private static final Logger LOG = System.getLogger(RunExecution.class.getName());

  private final Plan plan;
  private final RunContext run;
  private final Map<String, RegisteredStep> steps;
  private final boolean noCache;
  private final Map<String, StepRecord> completedEarlier;
  private final Map<String, StepState> states = new HashMap<>();
  private final Map<String, String> memoKeys = new LinkedHashMap<>();
  private final List<StepOutcome> outcomes = new ArrayList<>();
  private volatile Long runningRecord;
  private volatile String runningStep;
  private volatile long runningSince;
  /** Set under this object's lock: the run's end is recorded, by the run itself or by {@link #forceCancel}. */
  private boolean ended;
  private boolean forced;

  RunExecution(Plan plan, RunContext run, Map<String, RegisteredStep> steps, boolean noCache,
      Map<String, StepRecord> completedEarlier) {
    this.plan = plan;
    this.run = run;
    this.steps = steps;
    this.noCache = noCache;
    this.completedEarlier = completedEarlier;
  }

  /**
   * Records the run {@code CANCELLED} now, with its running step, unless the run recorded its end
   * already: for a step that did not stop at a cancellation check in time while the process stops.
   * Whatever the step does after this is not recorded.
   *
   * @return false if the run had already recorded its end
   */
  synchronized boolean forceCancel(String reason, Duration waited) {
    if (ended) {
      return false;
    }
    ended = true;
    forced = true;
    Long record = runningRecord;
    String step = runningStep;
    if (record != null) {
      run.store().finishStep(record, StepFinish.cancelled(Duration.ofNanos(System.nanoTime() - runningSince)));
    }
    run.store().finishRun(run.runId(), RunStatus.CANCELLED, reason + (step == null ? "" : " during step " + step)
        + " (the step did not stop within " + seconds(waited) + "; its work is not recorded)");
    return true;
  }

  private static String seconds(Duration d) {
    long ms = d.toMillis();
    return ms % 1000 == 0 ? ms / 1000 + " s" : ms + " ms";
  }

  /** Records the end of a step, unless {@link #forceCancel} recorded the run's end first. */
  private synchronized void endStep(long record, StepFinish finish) {
    if (!forced) {
      run.store().finishStep(record, finish);
    }
  }

  private synchronized void endRun(RunStatus status, String message) {
    if (!ended) {
      ended = true;
      run.store().finishRun(run.runId(), status, message);
    }
  }

  private synchronized boolean forced() {
    return forced;
  }

  RunOutcome execute() {
    long started = System.nanoTime();
    int total = plan.steps().size();
    int index = 0;
    RunStatus status = RunStatus.SUCCEEDED;
    String message = null;
    for (Plan.PlannedStep planned : plan.steps()) {
      index++;
      if (run.cancellation().cancelled()) {
        status = RunStatus.CANCELLED;
        message = run.cancellation().reason() + " before step " + planned.id();
        break;
      }
      RegisteredStep step = steps.get(planned.spec().name());
      if (step == null) {
        status = RunStatus.FAILED;
        message = "step service " + planned.spec().name() + " went away during the run";
        break;
      }
      RunStep event = new RunStep(run.runId(), index, total, planned.id(), planned.spec().name());
      try {
        run.listener().stepStarted(event);
        StepOutcome outcome = runOne(planned, step, event);
        outcomes.add(outcome);
        if (outcome.status() == StepStatus.CANCELLED) {
          status = RunStatus.CANCELLED;
          message = run.cancellation().reason() + " during step " + planned.id();
          break;
        }
      } catch (StepFailure failure) {
        outcomes.add(failure.outcome);
        status = RunStatus.FAILED;
        message = "step " + planned.id() + " (" + planned.spec().name() + ") failed: " + failure.getMessage();
        break;
      } catch (RuntimeException e) {
        if (!forced()) {
          throw e;
        }
        // the run was recorded cancelled by a stopping process, whose database may be closing
        LOG.log(Level.DEBUG, "Run " + run.runId() + " went on after it was recorded cancelled", e);
        status = RunStatus.CANCELLED;
        message = run.cancellation().reason() + " during step " + planned.id();
        break;
      }
    }
    endRun(status, message);
    RunOutcome outcome = new RunOutcome(run.runId(), status, message, outcomes, Duration.ofNanos(System.nanoTime() - started));
    run.listener().runFinished(outcome);
    return outcome;
  }

  private StepOutcome runOne(Plan.PlannedStep planned, RegisteredStep step, RunStep event) throws StepFailure {
    long started = System.nanoTime();
    String paramsJson = MemoKey.canonicalParams(planned.params());
    List<StepInput> inputs = new ArrayList<>();
    Map<String, String> inputHashes = new LinkedHashMap<>();
    Map<String, Supplier<Object>> inputValues = new LinkedHashMap<>();
    planned.inputs().forEach((name, ref) -> {
      StepState producer = states.get(ref.target());
      StepOutput output = producer.outputs().get(ref.output());
      inputs.add(new StepInput(name, producer.recordId(), ref.output(), output.valueHash()));
      inputHashes.put(name, output.valueHash());
      inputValues.put(name, producer.values().get(ref.output()));
    });
    planned.recorded().forEach((name, recorded) -> {
      PortSpec port = planned.spec().input(name).orElseThrow();
      StepOutput output = recorded.output();
      inputs.add(new StepInput(name, recorded.stepRecordId(), output.name(), output.valueHash()));
      inputHashes.put(name, output.valueHash());
      inputValues.put(name, new Lazy(() -> OutputCodec.restore(output, port, run.runsDir(), run.codecs(),
          new EngineValueFiles(run, null))));
    });
    // a step that reads its run's records (a report) describes that run: its key names the run, so
    // another run never shows it as its own; a resume of the same run still reuses it
    List<String> earlierKeys = new ArrayList<>();
    if (planned.spec().readsRun()) {
      earlierKeys.add("run " + run.runId());
      planned.after().stream().map(memoKeys::get).forEach(earlierKeys::add);
    }
    Map<String, Object> params = new LinkedHashMap<>();
    planned.params().forEach((name, json) -> params.put(name,
        ParamTypes.toJava(planned.spec().param(name).orElseThrow().type(), json, run.workspace())));
    Map<String, String> keyParts = new LinkedHashMap<>(inputHashes);
    sources(planned, step, event, params, inputValues).forEach((name, hash) -> keyParts.put("source:" + name, hash));
    String memoKey = MemoKey.of(step, paramsJson, keyParts, earlierKeys);
    memoKeys.put(planned.id(), memoKey);

    StepRecord earlier = completedEarlier.get(planned.id());
    if (earlier != null && memoKey.equals(earlier.start().memoKey())) {
      Optional<String> problem = run.store().artifactProblem(earlier.id(), run.runsDir());
      if (problem.isEmpty()) {
        states.put(planned.id(), reuse(planned, step, earlier.cachedFrom() != null ? earlier.cachedFrom() : earlier.id(),
            earlier.outputs()));
        run.listener().stepCached(event, earlier.id(), run.runId(), true);
        return new StepOutcome(planned.id(), planned.spec().name(), earlier.status(), Duration.ZERO, earlier.cachedFrom());
      }
      LOG.log(Level.INFO, "Step {0} of run {1} runs again: {2}", planned.id(), run.runId(), problem.get());
    }
    StepStart start = new StepStart(run.runId(), planned.id(), planned.spec().name(), step.bundle(), step.bundleVersion(),
        paramsJson, inputs, memoKey);
    if (!noCache) {
      Optional<MemoHit> hit = run.store().findReusable(memoKey, run.runsDir());
      if (hit.isPresent()) {
        StepRecord origin = hit.get().step();
        long originId = origin.cachedFrom() != null ? origin.cachedFrom() : origin.id();
        long record = run.store().beginStep(start);
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        endStep(record, StepFinish.cached(originId, origin.outputs(), took));
        states.put(planned.id(), reuse(planned, step, originId, origin.outputs()));
        run.listener().stepCached(event, originId, origin.start().runId(), false);
        return new StepOutcome(planned.id(), planned.spec().name(), StepStatus.CACHED, took, originId);
      }
    }
    long record = run.store().beginStep(start);
    runningSince = started;
    runningStep = planned.id();
    runningRecord = record;
    EngineStepContext context = new EngineStepContext(run, event, record, params, inputValues);
    try {
      StepResult result = step.step().run(context);
      Duration took = Duration.ofNanos(System.nanoTime() - started);
      if (run.cancellation().cancelled()) {
        // what a cancelled step returns is discarded: it may have stopped half-way
        return cancelled(planned, record, event, took);
      }
      List<StepOutput> outputs = persistOutputs(planned, step, result, context);
      endStep(record, StepFinish.succeeded(outputs, took));
      Map<String, Supplier<Object>> values = new LinkedHashMap<>();
      for (PortSpec port : planned.spec().outputs()) {
        Object value = result.outputs().get(port.name());
        values.put(port.name(), () -> value);
      }
      Map<String, StepOutput> byName = new LinkedHashMap<>();
      outputs.forEach(o -> byName.put(o.name(), o));
      states.put(planned.id(), new StepState(record, byName, values));
      run.listener().stepDone(event, took);
      return new StepOutcome(planned.id(), planned.spec().name(), StepStatus.SUCCEEDED, took, null);
    } catch (Exception | LinkageError e) {
      Duration took = Duration.ofNanos(System.nanoTime() - started);
      if (e instanceof StepCancelledException || run.cancellation().cancelled()) {
        if (!(e instanceof StepCancelledException)) {
          // e.g. the database closing under a stopping process: the cancellation, not the step, ended it
          LOG.log(Level.INFO, "Step " + planned.id() + " of run " + run.runId()
              + " threw after the run was cancelled; it is recorded cancelled", e);
        }
        return cancelled(planned, record, event, took);
      }
      endStep(record, StepFinish.failed(e, took));
      boolean userError = e instanceof NeuriteException;
      if (!userError) {
        LOG.log(Level.ERROR, "Step " + planned.id() + " (" + planned.spec().name() + ") of run " + run.runId()
            + " failed with an unexpected error", e);
      }
      String message = e.getMessage() == null ? e.getClass().getName() : e.getMessage();
      String shown = userError ? message : e + " (a bug in " + step.bundle() + "; stack trace in the log)";
      run.listener().stepFailed(event, took, shown, false);
      throw new StepFailure(shown,
          new StepOutcome(planned.id(), planned.spec().name(), StepStatus.FAILED, took, null));
    } finally {
      runningRecord = null;
      runningStep = null;
    }
  }

  private StepOutcome cancelled(Plan.PlannedStep planned, long record, RunStep event, Duration took) {
    endStep(record, StepFinish.cancelled(took));
    run.listener().stepCancelled(event, took);
    return new StepOutcome(planned.id(), planned.spec().name(), StepStatus.CANCELLED, took, null);
  }

  /** What the step reads from outside the workflow, hashed (see Step.sources); a failure here fails the step. */
  private Map<String, String> sources(Plan.PlannedStep planned, RegisteredStep step, RunStep event,
      Map<String, Object> params, Map<String, Supplier<Object>> inputValues) throws StepFailure {
    EngineStepContext context = new EngineStepContext(run, event, 0, params, inputValues);
    try {
      return step.step().sources(context);
    } catch (Exception | LinkageError e) {
      boolean userError = e instanceof NeuriteException;
      if (!userError) {
        LOG.log(Level.ERROR, "Step " + planned.id() + " (" + planned.spec().name() + ") could not name its sources", e);
      }
      String shown = userError ? e.getMessage() : e + " (a bug in " + step.bundle() + "; stack trace in the log)";
      run.listener().stepFailed(event, Duration.ZERO, shown, true);
      throw new StepFailure(shown,
          new StepOutcome(planned.id(), planned.spec().name(), StepStatus.FAILED, Duration.ZERO, null));
    }
  }

  private List<StepOutput> persistOutputs(Plan.PlannedStep planned, RegisteredStep step, StepResult result,
      EngineStepContext context) throws Exception {
    for (String name : result.outputs().keySet()) {
      if (planned.spec().output(name).isEmpty()) {
        throw new IllegalStateException("step " + step.spec().name() + " returned output '" + name + "', which its spec does not declare");
      }
    }
    List<StepOutput> outputs = new ArrayList<>();
    for (PortSpec port : planned.spec().outputs()) {
      Object value = result.outputs().get(port.name());
      if (value == null) {
        throw new IllegalStateException("step " + step.spec().name() + " did not return its declared output '" + port.name() + "'");
      }
      outputs.add(OutputCodec.persist(step.spec().name(), port, value, run.runsDir(), context.artifactHashes(),
          run.codecs(), new EngineValueFiles(run, context, port.name())));
    }
    return outputs;
  }

  /** A step whose outputs come from an earlier record: each value is restored when first used. */
  private StepState reuse(Plan.PlannedStep planned, RegisteredStep step, long originId, List<StepOutput> recorded) {
    Map<String, StepOutput> byName = new LinkedHashMap<>();
    recorded.forEach(o -> byName.put(o.name(), o));
    Map<String, Supplier<Object>> values = new LinkedHashMap<>();
    for (PortSpec port : planned.spec().outputs()) {
      StepOutput output = byName.get(port.name());
      if (output == null) {
        throw new IllegalStateException("step record " + originId + " has no output '" + port.name() + "'");
      }
      values.put(port.name(), new Lazy(() -> OutputCodec.restore(output, port, run.runsDir(), run.codecs(),
          new EngineValueFiles(run, null))));
    }
    return new StepState(originId, byName, values);
  }

  /** Evaluates once, on first use. */
  private static final class Lazy implements Supplier<Object> {
    private final java.util.concurrent.Callable<Object> source;
    private Object value;
    private boolean done;

    Lazy(java.util.concurrent.Callable<Object> source) {
      this.source = source;
    }

    @Override
    public synchronized Object get() {
      if (!done) {
        try {
          value = source.call();
        } catch (RuntimeException e) {
          throw e;
        } catch (Exception e) {
          throw new IllegalStateException("could not restore a recorded output: " + e.getMessage(), e);
        }
        done = true;
      }
      return value;
    }
  }

  /** A step failed; the run stops there. */
  private static final class StepFailure extends Exception {
    private static final long serialVersionUID = 1L;
    private final transient StepOutcome outcome;

    StepFailure(String message, StepOutcome outcome) {
      super(message);
      this.outcome = outcome;
    }
  }

}
