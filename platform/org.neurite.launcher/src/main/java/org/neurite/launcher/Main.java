package org.neurite.launcher;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;

/**
 * {@code bin/neurite}: boots Felix with the distribution's bundles and the workspace, then opens the
 * console or runs one command. Exit status 0 means the command succeeded; 1 a command failed;
 * 2 Neurite could not start.
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
    FrameworkBoot boot = null;
    try {
      LaunchOptions options = LaunchOptions.parse(args, env, home, currentDir);
      Workspace.prepare(options.workspace(), options.home().resolve("workspace-template"));
      Path log = Logging.configure(options.workspace());
      Map<String, String> properties = Configuration.load(options.home(), options.workspace(), version());
      engineEnvironment(properties);
      LOG.log(Level.INFO, "Neurite {0} starting: home {1}, workspace {2}, command {3}",
          version(), options.home(), options.workspace(), options.command());
      boot = FrameworkBoot.start(properties, options.home(), options.workspace());
      long booted = System.nanoTime();
      int status = options.interactive()
          ? InteractiveConsole.run(boot.context(), options.workspace(), version(), out, err)
          : runOnce(boot, options, out, err, log);
      if (env.containsKey("NEURITE_TIMING")) {
        err.printf("neurite: boot %d ms, command %d ms%n", (booted - started) / 1_000_000,
            (System.nanoTime() - booted) / 1_000_000);
      }
      return status;
    } catch (LaunchException e) {
      err.println("neurite: " + e.getMessage());
      LOG.log(Level.ERROR, "Neurite could not start", e);
      return 2;
    } catch (Exception | LinkageError e) {
      err.println("neurite: could not start: " + e);
      e.printStackTrace(err);
      LOG.log(Level.ERROR, "Neurite could not start", e);
      return 2;
    } finally {
      if (boot != null) {
        boot.stop();
      }
    }
  }

  private static int runOnce(FrameworkBoot boot, LaunchOptions options, PrintStream out, PrintStream err, Path log)
      throws Exception {
    GogoSession.awaitCommand(boot.context(), options.command().get(0), 10_000);
    try (GogoSession session = GogoSession.open(boot.context(), InputStream.nullInputStream(), out, err, 10_000)) {
      return execute(session, CommandLine.join(options.command()), out, err, log);
    }
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
      if (userError != null) {
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
