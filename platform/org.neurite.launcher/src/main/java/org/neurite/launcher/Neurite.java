package org.neurite.launcher;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.osgi.framework.BundleContext;

/**
 * Neurite embedded in a JVM: boots the distribution found at {@code home} on a workspace, runs
 * console commands, and stops. {@code bin/neurite} is a thin front end over this class; tests and
 * notebooks use it directly.
 *
 * <p>One per JVM: the PyTorch natives can be loaded by one class loader only, so a second
 * framework in the same JVM cannot start the engine again.
 */
public final class Neurite implements AutoCloseable {
  /**
   * How long stopping waits for the running runs to record that they were cancelled (a step stops
   * at its next cancellation check) before it records them itself and stops the framework.
   */
  public static final Duration RUN_STOP_WAIT = Duration.ofSeconds(5);

  private static final System.Logger LOG = System.getLogger(Neurite.class.getName());

  private final FrameworkBoot boot;
  private final GogoSession session;
  private final Thread shutdownHook;
  private boolean stopped;

  private Neurite(FrameworkBoot boot, GogoSession session) {
    this.boot = boot;
    this.session = session;
    this.shutdownHook = new Thread(() -> stop("cancelled: the JVM is exiting"), "neurite-shutdown");
  }

  /**
   * Starts Neurite.
   *
   * @param home the distribution (holds conf/, bundles/, workspace-template/)
   * @param workspace the workspace, created from the template when missing
   * @param out where commands print (and where results are not printed: {@link #execute} returns them)
   * @throws RuntimeException with a message for the user when Neurite cannot start, e.g. when the
   *     provenance database cannot be used (the message says why and what to do)
   */
  public static Neurite start(Path home, Path workspace, OutputStream out, OutputStream err) throws Exception {
    Path absoluteHome = home.toAbsolutePath().normalize();
    Path absoluteWorkspace = workspace.toAbsolutePath().normalize();
    Workspace.prepare(absoluteWorkspace, absoluteHome.resolve("workspace-template"));
    Map<String, String> properties = Configuration.load(absoluteHome, absoluteWorkspace, Main.version());
    engineEnvironment(properties);
    H2Binding.defaultsUnlessSet();
    FrameworkBoot boot = FrameworkBoot.start(properties, absoluteHome, absoluteWorkspace);
    try {
      ProvenanceCheck.require(boot.context(), 10_000);
      Neurite neurite = new Neurite(boot, GogoSession.open(boot.context(), InputStream.nullInputStream(), out, err, 10_000));
      // a JVM that exits without closing Neurite still cancels its runs before the framework stops
      Runtime.getRuntime().addShutdownHook(neurite.shutdownHook);
      return neurite;
    } catch (Exception | Error e) {
      boot.stop();
      throw e;
    }
  }

  /** The framework's bundle context, for inspection. */
  public BundleContext context() {
    return boot.context();
  }

  /**
   * Runs one console command line, e.g. {@code info} or {@code run workflows/x.json}.
   *
   * @return the result as the console prints it, or null when the command returns nothing
   * @throws Exception what the command threw; an {@code org.neurite.api.NeuriteException} is a
   *     user error whose message says how to fix it
   */
  public String execute(String commandLine) throws Exception {
    return session.format(call(commandLine));
  }

  /**
   * Runs one console command line and returns the command's value itself rather than its text: for
   * {@code run} the run's outcome, for {@code show} the run's detail, for {@code runs} the list.
   * The value's class belongs to a bundle, which the caller does not share; read its components with
   * {@link Values#get}, e.g. {@code Values.get(neurite.call("run x.json"), "status")}.
   *
   * @return the value, or null when the command returns nothing
   * @throws Exception as {@link #execute}; a {@link CommandLineException} when the words do not fit
   *     the command, naming the argument and what it takes
   */
  public Object call(String commandLine) throws Exception {
    List<String> words = List.of(commandLine.trim().split("\\s+", 2));
    GogoSession.awaitCommand(boot.context(), words.get(0), 10_000);
    return session.call(commandLine);
  }

  /** The text a command's value is printed as (what {@link #execute} returns); null for null. */
  public String format(Object value) throws Exception {
    return session.format(value);
  }

  GogoSession session() {
    return session;
  }

  /**
   * Asks every workflow run in progress to stop, and returns at once: each stops at its step's next
   * cancellation check and is recorded {@code CANCELLED} with {@code reason} in its message; the
   * command that started it returns. Safe from any thread (the console calls it on Ctrl-C).
   *
   * @param reason how the run's message begins, e.g. {@code cancelled by Ctrl-C in the console}
   * @return the ids of the runs asked to stop (empty when none runs)
   */
  public List<Long> cancelRuns(String reason) throws Exception {
    return RunControl.cancel(boot.context(), reason);
  }

  /**
   * Stops Neurite in order: cancels every run in progress and waits up to {@link #RUN_STOP_WAIT}
   * for each to record {@code CANCELLED} (one whose step has not stopped by then is recorded so
   * without it), then stops the framework, which closes the provenance database last. Does nothing
   * the second time.
   */
  public synchronized void stop(String reason) {
    if (stopped) {
      return;
    }
    stopped = true;
    try {
      List<Long> cancelled = RunControl.stop(boot.context(), reason, RUN_STOP_WAIT);
      if (!cancelled.isEmpty()) {
        LOG.log(System.Logger.Level.INFO, "Runs {0} {1}", cancelled, reason);
      }
    } catch (Exception | LinkageError e) {
      LOG.log(System.Logger.Level.WARNING, "Could not cancel the running runs before stopping", e);
    }
    try {
      session.close();
    } catch (Exception e) {
      LOG.log(System.Logger.Level.WARNING, "The console session did not close cleanly", e);
    } finally {
      boot.stop();
    }
    if (Thread.currentThread() != shutdownHook) {
      try {
        Runtime.getRuntime().removeShutdownHook(shutdownHook);
      } catch (IllegalStateException exiting) {
        // the JVM is already shutting down; the hook finds Neurite stopped
      }
    }
  }

  /** {@link #stop} for a run still in progress: it is recorded cancelled because Neurite was closed. */
  @Override
  public void close() {
    stop("cancelled: Neurite was closed");
  }

  /** DJL reads these as system properties: offline, no telemetry, natives in the installation's cache. */
  private static void engineEnvironment(Map<String, String> properties) {
    System.setProperty("ai.djl.offline", "true");
    System.setProperty("OPT_OUT_TRACKING", "true");
    String cache = properties.get("neurite.djl.cache");
    if (cache != null) {
      System.setProperty("DJL_CACHE_DIR", cache);
      System.setProperty("ENGINE_CACHE_DIR", cache);
    }
  }
}
