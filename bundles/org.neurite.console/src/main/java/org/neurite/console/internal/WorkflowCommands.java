package org.neurite.console.internal;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.apache.felix.service.command.annotations.GogoCommand;
import org.neurite.api.NeuriteException;
import org.neurite.api.provenance.RunStatus;
import org.neurite.api.step.StepSpec;
import org.neurite.api.workflow.RunOptions;
import org.neurite.api.workflow.RunOutcome;
import org.neurite.api.workflow.WorkflowRunner;
import org.neurite.api.workspace.Workspace;
import org.neurite.support.text.ClosestNames;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** {@code run}, {@code resume}, {@code validate} and {@code steps}: workflows and the steps they use. */
@Component(service = WorkflowCommands.class)
@GogoCommand(scope = "neurite", function = {"run", "resume", "validate", "steps"})
public final class WorkflowCommands {
  /**
   * The session variable by which the launcher says that the session's output is a terminal, so
   * progress is drawn as a bar rewritten in place rather than printed as lines.
   */
  static final String TERMINAL = "neurite.terminal";

  private final WorkflowRunner runner;
  private final Workspace workspace;

  /** A workflow file that passed validation. */
  public record Validated(String workflow, String file) {}

  /** Registered steps, by name. */
  public record StepList(List<StepSpec> steps) {
    public StepList {
      steps = List.copyOf(steps);
    }
  }

  @Activate
  public WorkflowCommands(@Reference WorkflowRunner runner, @Reference Workspace workspace) {
    this.runner = runner;
    this.workspace = workspace;
  }

  @Descriptor("run a workflow file; steps whose work was done before are reused (cached)")
  public RunOutcome run(
      CommandSession session,
      @Descriptor("run every step, even when an identical earlier step could be reused")
      @Parameter(names = {"-n", "--no-cache"}, presentValue = "true", absentValue = "false") boolean noCache,
      @Descriptor("device for tensor work: cpu or cuda:N (default: the workflow's device parameter, else cpu)")
      @Parameter(names = {"-d", "--device"}, absentValue = "") String device,
      @Descriptor("the workflow file (relative: to the current folder, else to the workspace)") String file,
      @Descriptor("parameter overrides: --set key=value, repeatable") String... overrides) {
    RunOptions options = new RunOptions(overrides(overrides), noCache, device.isEmpty() ? null : device);
    RunOutcome outcome = runner.run(resolve(file), options, listener(session));
    return failUnlessSucceeded(outcome);
  }

  @Descriptor("check a workflow file against the registered steps without running it")
  public Validated validate(
      @Descriptor("the workflow file") String file,
      @Descriptor("parameter overrides to check too: --set key=value, repeatable") String... overrides) {
    Path path = resolve(file);
    return new Validated(runner.validate(path, new RunOptions(overrides(overrides), false, null)), path.toString());
  }

  @Descriptor("continue a failed, cancelled or interrupted run from its last completed step")
  public RunOutcome resume(CommandSession session, @Descriptor("the run's id (see runs)") long run) {
    return failUnlessSucceeded(runner.resume(run, listener(session)));
  }

  @Descriptor("list every registered step with its parameters, inputs and outputs")
  public StepList steps() {
    return new StepList(runner.steps());
  }

  @Descriptor("show one step with its parameters, inputs and outputs")
  public StepSpec steps(@Descriptor("the step's name, e.g. dataset.jsonl") String name) {
    return runner.step(name).orElseThrow(() -> new NeuriteException("No step named '" + name
        + "' is registered" + suggestion(name, runner.steps().stream().map(StepSpec::name).toList())
        + "; `steps` lists them."));
  }

  /**
   * Gogo gives an option one value, so the repeatable {@code --set key=value} arrives among the
   * trailing arguments; this reads those pairs and refuses anything else, a key given twice, and
   * a pair without a key.
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
      String key = pair.substring(0, eq);
      String previous = overrides.put(key, pair.substring(eq + 1));
      if (previous != null) {
        throw new NeuriteException("--set " + key + " is given twice (" + key + "=" + previous + " and " + pair
            + "); give each parameter once.");
      }
    }
    return overrides;
  }

  private Path resolve(String file) {
    return workspace.existing(file, "workflow file");
  }

  private static RunOutcome failUnlessSucceeded(RunOutcome outcome) {
    if (outcome.status() != RunStatus.SUCCEEDED) {
      throw new NeuriteException("run " + outcome.runId() + " " + outcome.status() + ": " + outcome.message()
          + ". `show " + outcome.runId() + "` has the details; `resume " + outcome.runId() + "` continues it.");
    }
    return outcome;
  }

  /** Progress to the command's output: a bar on a terminal, else a line at every tenth. */
  private static ConsoleRunListener listener(CommandSession session) {
    return new ConsoleRunListener(System.out, Boolean.TRUE.equals(session.get(TERMINAL)));
  }

  private static String suggestion(String wanted, List<String> known) {
    List<String> close = ClosestNames.to(wanted, known, 3);
    return close.isEmpty() ? "" : " (did you mean " + String.join(", ", close) + "?)";
  }
}
