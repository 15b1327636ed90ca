package org.neurite.console.internal;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.neurite.api.NeuriteException;
import org.neurite.api.provenance.RunStatus;
import org.neurite.api.step.ParamSpec;
import org.neurite.api.step.PortSpec;
import org.neurite.api.step.StepSpec;
import org.neurite.api.workflow.RunOptions;
import org.neurite.api.workflow.RunOutcome;
import org.neurite.api.workflow.WorkflowRunner;
import org.neurite.api.workspace.Workspace;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** {@code run}, {@code resume}, {@code validate} and {@code steps}: workflows and the steps they use. */
@Component(
    service = WorkflowCommands.class,
    property = {"osgi.command.scope=neurite", "osgi.command.function=run", "osgi.command.function=resume",
        "osgi.command.function=validate", "osgi.command.function=steps"})
public final class WorkflowCommands {
  private final WorkflowRunner runner;
  private final Workspace workspace;

  @Activate
  public WorkflowCommands(@Reference WorkflowRunner runner, @Reference Workspace workspace) {
    this.runner = runner;
    this.workspace = workspace;
  }

  @Descriptor("run a workflow file; steps whose work was done before are reused (cached)")
  public void run(
      @Descriptor("run every step, even when an identical earlier step could be reused")
      @Parameter(names = {"-n", "--no-cache"}, presentValue = "true", absentValue = "false") boolean noCache,
      @Descriptor("device for tensor work: cpu or cuda:N (default: the workflow's device parameter, else cpu)")
      @Parameter(names = {"-d", "--device"}, absentValue = "") String device,
      @Descriptor("the workflow file (relative: to the current folder, else to the workspace)") String file,
      @Descriptor("parameter overrides: --set key=value, repeatable") String... overrides) {
    RunOptions options = new RunOptions(overrides(overrides), noCache, device.isEmpty() ? null : device);
    RunOutcome outcome = runner.run(resolve(file), options, System.out);
    failUnlessSucceeded(outcome);
  }

  @Descriptor("check a workflow file against the registered steps without running it")
  public String validate(
      @Descriptor("the workflow file") String file,
      @Descriptor("parameter overrides to check too: --set key=value, repeatable") String... overrides) {
    String name = runner.validate(resolve(file), new RunOptions(overrides(overrides), false, null));
    return "ok: workflow " + name + " is valid";
  }

  @Descriptor("continue a failed, cancelled or interrupted run from its last completed step")
  public void resume(@Descriptor("the run's id (see runs)") long run) {
    failUnlessSucceeded(runner.resume(run, System.out));
  }

  @Descriptor("list every registered step with its parameters, inputs and outputs")
  public String steps() {
    List<StepSpec> specs = runner.steps();
    if (specs.isEmpty()) {
      return "no steps registered (drop a plugin jar into the workspace's plugins/ folder to add some)";
    }
    StringBuilder out = new StringBuilder();
    specs.forEach(spec -> describe(spec, out));
    return out.toString();
  }

  @Descriptor("show one step with its parameters, inputs and outputs")
  public String steps(@Descriptor("the step's name, e.g. dataset.jsonl") String name) {
    StepSpec spec = runner.step(name).orElseThrow(() -> new NeuriteException("No step named '" + name
        + "' is registered; `steps` lists them."));
    StringBuilder out = new StringBuilder();
    describe(spec, out);
    return out.toString();
  }

  static void describe(StepSpec spec, StringBuilder out) {
    out.append(spec.name()).append("  ").append(spec.summary()).append('\n');
    for (ParamSpec p : spec.params()) {
      out.append("    param  ").append(p.name()).append(" : ").append(p.type().jsonName())
          .append(p.isRequired() ? " (required)" : " = " + p.defaultValue())
          .append("  ").append(p.help()).append('\n');
    }
    ports("input ", spec.inputs(), out);
    ports("output", spec.outputs(), out);
  }

  private static void ports(String label, List<PortSpec> ports, StringBuilder out) {
    for (PortSpec port : ports) {
      out.append("    ").append(label).append(' ').append(port.name()).append(" : ")
          .append(port.type().getSimpleName()).append("  ").append(port.help()).append('\n');
    }
  }

  /**
   * Gogo gives an option one value, so the repeatable {@code --set key=value} arrives among the
   * trailing arguments; this reads those pairs and refuses anything else.
   */
  static Map<String, String> overrides(String[] args) {
    Map<String, String> overrides = new LinkedHashMap<>();
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      String pair;
      if (arg.equals("--set") || arg.equals("-s")) {
        if (i + 1 >= args.length) {
          throw new NeuriteException("--set needs key=value, e.g. --set top_k=50");
        }
        pair = args[++i];
      } else if (arg.startsWith("--set=")) {
        pair = arg.substring("--set=".length());
      } else {
        throw new NeuriteException("Unexpected argument '" + arg + "': after the workflow file only --set key=value"
            + " may follow (options such as --no-cache go before the file).");
      }
      int eq = pair.indexOf('=');
      if (eq <= 0) {
        throw new NeuriteException("--set " + pair + ": write it as key=value, e.g. --set top_k=50");
      }
      overrides.put(pair.substring(0, eq), pair.substring(eq + 1));
    }
    return overrides;
  }

  private Path resolve(String file) {
    return workspace.existing(file, "workflow file");
  }

  private static void failUnlessSucceeded(RunOutcome outcome) {
    if (outcome.status() != RunStatus.SUCCEEDED) {
      throw new NeuriteException("run " + outcome.runId() + " " + outcome.status() + ": " + outcome.message()
          + (outcome.status() == RunStatus.SUCCEEDED ? "" : ". `show " + outcome.runId() + "` has the details; `resume "
              + outcome.runId() + "` continues it."));
    }
  }
}
