package org.neurite.workflow.internal;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.lang.System.Logger.Level;
import java.lang.System.Logger;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.neurite.api.NeuriteException;
import org.neurite.api.backend.TensorBackend;
import org.neurite.api.listener.RunListener;
import org.neurite.api.listener.RunStarted;
import org.neurite.api.provenance.ProvenanceStore;
import org.neurite.api.provenance.Run;
import org.neurite.api.provenance.RunStart;
import org.neurite.api.provenance.RunStatus;
import org.neurite.api.provenance.RuntimeVersions;
import org.neurite.api.provenance.StepRecord;
import org.neurite.api.step.NeuriteStep;
import org.neurite.api.step.Step;
import org.neurite.api.step.StepSpec;
import org.neurite.api.value.ValueCodec;
import org.neurite.api.workflow.RunOptions;
import org.neurite.api.workflow.RunOutcome;
import org.neurite.api.workflow.WorkflowRunner;
import org.neurite.api.workspace.Workspace;
import org.neurite.support.files.ContentHash;
import org.neurite.support.process.CurrentProcess;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * The workflow engine: the one component that tracks {@link Step} services (by their
 * {@code neurite.step.name} property, dynamically, so a plugin installed at run time is usable at
 * once), validates workflow files against them and runs them with provenance.
 */
@Component(service = WorkflowRunner.class)
public final class WorkflowEngine implements WorkflowRunner {
  private static final Logger LOG = System.getLogger(WorkflowEngine.class.getName());
  private static final String NAME_PROPERTY = NeuriteStep.PREFIX_ + "name";

  private final ProvenanceStore store;
  private final TensorBackend backend;
  private final Workspace workspace;
  private final String neuriteVersion;
  private final Map<String, RegisteredStep> steps = new ConcurrentHashMap<>();
  private final ValueCodecs codecs = new ValueCodecs();
  private final Map<Long, ActiveRun> active = new ConcurrentHashMap<>();

  @Activate
  public WorkflowEngine(@Reference ProvenanceStore store, @Reference TensorBackend backend,
      @Reference Workspace workspace, BundleContext context) {
    this(store, backend, workspace, String.valueOf(context.getProperty("neurite.version")));
  }

  /** Outside OSGi (tests, tools): an engine over a given workspace. */
  WorkflowEngine(ProvenanceStore store, TensorBackend backend, Workspace workspace, String neuriteVersion) {
    this.store = store;
    this.backend = backend;
    this.workspace = workspace;
    this.neuriteVersion = neuriteVersion;
  }

  @Reference(service = Step.class, cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
      policyOption = ReferencePolicyOption.GREEDY)
  void addStep(ServiceReference<Step> reference, Step step) {
    Object property = reference.getProperty(NAME_PROPERTY);
    StepSpec spec = step.spec();
    Bundle bundle = reference.getBundle();
    if (property == null || !spec.name().equals(property.toString())) {
      LOG.log(Level.ERROR, "Ignoring step {0} of bundle {1}: its service property {2}={3} does not equal its spec name;"
          + " annotate it with @NeuriteStep(name = \"{0}\")", spec.name(), bundle.getSymbolicName(), NAME_PROPERTY, property);
      return;
    }
    String version = bundle.getVersion().toString();
    String provider = version.endsWith("SNAPSHOT") ? version + "@" + bundle.getLastModified() : version;
    add(new RegisteredStep(step, spec, bundle.getSymbolicName(), version, provider));
  }

  @Reference(service = ValueCodec.class, cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
      policyOption = ReferencePolicyOption.GREEDY)
  void addCodec(ValueCodec<?> codec) {
    if (!codecs.add(codec)) {
      LOG.log(Level.WARNING, "Two value codecs are registered for type {0}; using the first", codec.typeName());
    }
  }

  void removeCodec(ValueCodec<?> codec) {
    codecs.remove(codec);
  }

  void removeStep(ServiceReference<Step> reference, Step step) {
    steps.values().removeIf(r -> r.step() == step);
  }

  void add(RegisteredStep step) {
    RegisteredStep previous = steps.putIfAbsent(step.spec().name(), step);
    if (previous != null && previous.step() != step.step()) {
      LOG.log(Level.WARNING, "Two bundles provide step {0}: {1} and {2}; using {1}", step.spec().name(),
          previous.bundle(), step.bundle());
    }
  }

  @Override
  public List<StepSpec> steps() {
    return steps.values().stream().map(RegisteredStep::spec).sorted(Comparator.comparing(StepSpec::name)).toList();
  }

  @Override
  public Optional<StepSpec> step(String name) {
    return Optional.ofNullable(steps.get(name)).map(RegisteredStep::spec);
  }

  @Override
  public String validate(Path file, RunOptions options) {
    return plan(WorkflowParser.read(file), options).definition().name();
  }

  private Plan plan(WorkflowDefinition definition, RunOptions options) {
    return plan(definition, options, Map.of());
  }

  private Plan plan(WorkflowDefinition definition, RunOptions options, Map<String, JsonElement> recorded) {
    Map<String, StepSpec> registry = new HashMap<>();
    steps.forEach((name, r) -> registry.put(name, r.spec()));
    Plan plan = Validator.validate(definition, registry, options, recorded, new RecordedOutputs(store::runDetail, codecs));
    backend.device(plan.device());
    return plan;
  }

  @Override
  public RunOutcome run(Path file, RunOptions options, RunListener listener) {
    Listeners listeners = new Listeners(listener);
    Plan plan = plan(WorkflowParser.read(file), options);
    String text = plan.definition().text();
    RunStart start = new RunStart(plan.definition().name(), file.toAbsolutePath().toString(), text,
        ContentHash.sha256(text), runParams(plan, options.noCache()), CurrentProcess.identity(), versions(), plan.device(), workspace.root().toString());
    long runId = store.beginRun(start);
    Path folder;
    try {
      folder = RunFolders.claim(workspace.runs(), store.run(runId).orElseThrow());
    } catch (RuntimeException e) {
      store.finishRun(runId, RunStatus.FAILED, "could not create the run's folder: " + e.getMessage());
      throw e;
    }
    listeners.runStarted(new RunStarted(runId, plan.definition().name(), plan.steps().size(), plan.device(), 1, 0));
    return execute(plan, runId, folder, options.noCache(), Map.of(), listeners);
  }

  @Override
  public RunOutcome resume(long runId, RunListener listener) {
    Listeners listeners = new Listeners(listener);
    Run earlier = store.run(runId).orElseThrow(() -> new NeuriteException("There is no run " + runId + "; `runs` lists them."));
    if (earlier.status() == RunStatus.SUCCEEDED) {
      throw new NeuriteException("Run " + runId + " already succeeded; there is nothing to resume.");
    }
    // The values as recorded, typed: re-reading them as --set text would split a list element at its commas.
    JsonObject recorded = JsonParser.parseString(earlier.start().paramsJson()).getAsJsonObject();
    Map<String, JsonElement> params = new LinkedHashMap<>();
    recorded.getAsJsonObject("params").entrySet().forEach(e -> params.put(e.getKey(), e.getValue()));
    // the run's options as it was started: a --no-cache run reuses no other run's steps when resumed either
    boolean noCache = recorded.has("noCache") && recorded.get("noCache").getAsBoolean();
    RunOptions options = new RunOptions(Map.of(), noCache, recorded.get("device").getAsString());
    Path source = Path.of(earlier.start().workflowSource() == null ? "resumed.json" : earlier.start().workflowSource());
    Plan plan = plan(WorkflowParser.parse(source, earlier.start().workflowText()), options, params);
    Run resumed = store.resumeRun(runId, CurrentProcess.identity());
    Path folder = RunFolders.ofResumed(workspace.runs(), earlier);
    Map<String, StepRecord> completed = new HashMap<>();
    store.completedSteps(runId).forEach(r -> completed.put(r.start().stepId(), r));
    listeners.runStarted(new RunStarted(runId, plan.definition().name(), plan.steps().size(), plan.device(),
        resumed.attempt(), completed.size()));
    return execute(plan, runId, folder, noCache, completed, listeners);
  }

  @Override
  public List<Long> cancelRuns(String reason) {
    List<Long> ids = new ArrayList<>();
    active.forEach((runId, running) -> {
      running.cancellation().cancel(reason);
      ids.add(runId);
    });
    ids.sort(null);
    return ids;
  }

  @Override
  public List<Long> stopRuns(String reason, Duration wait) {
    List<Long> ids = cancelRuns(reason);
    long deadline = System.nanoTime() + wait.toNanos();
    for (long runId : ids) {
      ActiveRun running = active.get(runId);
      if (running == null) {
        continue;
      }
      try {
        long left = Math.max(0, deadline - System.nanoTime());
        if (!running.ended().await(left, TimeUnit.NANOSECONDS) && running.execution().forceCancel(
            running.cancellation().reason(), wait)) {
          LOG.log(Level.WARNING, "Run {0} did not stop within {1} ms of being cancelled; it is recorded CANCELLED "
              + "while its step still runs", runId, wait.toMillis());
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        running.execution().forceCancel(running.cancellation().reason(), wait);
      }
    }
    return ids;
  }

  private RunOutcome execute(Plan plan, long runId, Path folder, boolean noCache, Map<String, StepRecord> completed,
      Listeners listener) {
    Cancellation cancellation = new Cancellation();
    RunContext context = new RunContext(runId, plan.device(), workspace, workspace.runs(), folder, store, backend, codecs,
        listener, cancellation);
    RunExecution execution = new RunExecution(plan, context, Map.copyOf(steps), noCache, completed);
    ScheduledExecutorService heartbeat = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "neurite-heartbeat-" + runId);
      t.setDaemon(true);
      return t;
    });
    long interval = Math.max(1, store.heartbeatInterval().toMillis());
    heartbeat.scheduleAtFixedRate(() -> heartbeat(runId, cancellation), interval, interval, TimeUnit.MILLISECONDS);
    ActiveRun running = new ActiveRun(execution, cancellation, new CountDownLatch(1));
    active.put(runId, running);
    try {
      return execution.execute();
    } finally {
      active.remove(runId);
      running.ended().countDown();
      heartbeat.shutdownNow();
    }
  }

  private void heartbeat(long runId, Cancellation cancellation) {
    try {
      if (!store.heartbeat(runId)) {
        LOG.log(Level.WARNING, "Run {0} was marked interrupted by another process; stopping it", runId);
        cancellation.cancel("stopped because another process marked the run interrupted");
      }
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "Heartbeat of run " + runId + " failed", e);
    }
  }

  /** A run in progress in this engine: how to cancel it, and when it has recorded its end. */
  private record ActiveRun(RunExecution execution, Cancellation cancellation, CountDownLatch ended) {}

  /** The effective parameters and the run's options, as recorded (and read back by {@link #resume}). */
  private String runParams(Plan plan, boolean noCache) {
    JsonObject params = new JsonObject();
    plan.params().forEach(params::add);
    JsonObject json = new JsonObject();
    json.add("params", params);
    json.addProperty("device", plan.device());
    if (noCache) {
      json.addProperty("noCache", true);
    }
    return json.toString();
  }

  private RuntimeVersions versions() {
    return new RuntimeVersions(neuriteVersion, System.getProperty("java.vm.name") + " " + System.getProperty("java.version"),
        backend.djlVersion(), backend.engineName() + " " + backend.engineVersion());
  }
}
