package org.neurite.launcher;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * {@code bin/neurite}: boots Felix with the distribution's bundles and the workspace, then opens the
 * console or runs one command. Exit status 0 means the command succeeded; 1 a command failed;
 * 2 Neurite could not start; 128 + N a signal N stopped it (130 Ctrl-C, 143 TERM; see {@link StopSignals}).
 */
public final class Main {
  private static final Logger LOG = System.getLogger(Main.class.getName());

  private Main() {}

  public static void main(String[] args) {
    System.exit(run(args, System.getenv(), home(), Path.of("").toAbsolutePath()));
  }

  static int run(String[] args, Map<String, String> env, Path home, Path currentDir) {
    long started = System.nanoTime();
    PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), true);
    PrintStream err = new PrintStream(new FileOutputStream(FileDescriptor.err), true);
    if (args.length == 1 && (args[0].equals("--help") || args[0].equals("-h"))) {
      out.println(LaunchOptions.USAGE);
      return 0;
    }
    Neurite neurite = null;
    try {
      LaunchOptions options = LaunchOptions.parse(args, env, home, currentDir);
      Workspace.prepare(options.workspace(), options.home().resolve("workspace-template"));
      Path log = Logging.configure(options.workspace());
      LOG.log(Level.INFO, "Neurite {0} starting: home {1}, workspace {2}, command {3}",
          version(), options.home(), options.workspace(), options.command());
      neurite = Neurite.start(options.home(), options.workspace(), out, err);
      StopSignals signals = StopSignals.install(neurite, !options.interactive());
      long booted = System.nanoTime();
      int status = options.interactive()
          ? InteractiveConsole.run(neurite, options.workspace(), version(), out, err)
          : runOnce(neurite, options.command(), out, err, log);
      // a signal stopped Neurite: the command returned because its run was cancelled
      status = signals.exitStatus().orElse(status);
      if (env.containsKey("NEURITE_TIMING")) {
        err.printf("neurite: boot %d ms, command %d ms%n", (booted - started) / 1_000_000,
            (System.nanoTime() - booted) / 1_000_000);
      }
      return status;
    } catch (LaunchException e) {
      err.println("neurite: " + e.getMessage());
      // the terminal has the message; the log keeps the cause
      LOG.log(Level.INFO, "Neurite could not start: " + e.getMessage(), e);
      return 2;
    } catch (Exception | LinkageError e) {
      err.println("neurite: could not start: " + e);
      e.printStackTrace(err);
      LOG.log(Level.ERROR, "Neurite could not start", e);
      return 2;
    } finally {
      if (neurite != null) {
        try {
          neurite.close();
        } catch (Exception e) {
          LOG.log(Level.WARNING, "Neurite did not stop cleanly", e);
        }
      }
    }
  }

  private static int runOnce(Neurite neurite, List<String> command, PrintStream out, PrintStream err, Path log)
      throws Exception {
    GogoSession.awaitCommand(neurite.context(), command.get(0), 10_000);
    // Java's console exists when both standard input and output are a terminal.
    neurite.session().terminal(System.console() != null);
    return execute(neurite.session(), CommandLine.join(command), out, err, log);
  }

  /** Runs one line in a session and prints its result or its failure; returns the exit status. */
  static int execute(GogoSession session, String line, PrintStream out, PrintStream err, Path log) {
    try {
      String result = session.execute(line);
      if (result != null && !result.isEmpty()) {
        out.println(result.endsWith("\n") ? result.substring(0, result.length() - 1) : result);
      }
      return 0;
    } catch (Exception | LinkageError e) {
      Throwable userError = Failure.userError(e);
      if (e instanceof CommandLineException) {
        err.println("error: " + e.getMessage());
        LOG.log(Level.INFO, "Command failed: " + line, e);
      } else if (userError != null) {
        err.println("error: " + userError.getMessage());
        LOG.log(Level.INFO, "Command failed: " + line, e);
      } else if (Failure.isCommandLineError(e)) {
        err.println("error: " + e.getMessage() + " (type help for the list of commands)");
        LOG.log(Level.INFO, "Command failed: " + line, e);
      } else {
        err.println("error: " + e + " (a bug; stack trace below and in " + log + ")");
        e.printStackTrace(err);
        LOG.log(Level.ERROR, "Command failed with an unexpected error: " + line, e);
      }
      return 1;
    }
  }

  static String version() {
    Properties props = new Properties();
    try (InputStream in = Main.class.getResourceAsStream("version.properties")) {
      if (in != null) {
        props.load(in);
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot read the launcher's version.properties", e);
    }
    return props.getProperty("version", "unknown");
  }

  private static Path home() {
    String home = System.getProperty("neurite.home");
    if (home == null) {
      throw new IllegalStateException("neurite.home is not set: start Neurite with bin/neurite");
    }
    return Path.of(home);
  }
}
