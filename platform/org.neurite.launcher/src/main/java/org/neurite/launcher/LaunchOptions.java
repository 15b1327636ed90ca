package org.neurite.launcher;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What the command line and the environment ask for.
 *
 * @param home the distribution folder (bin/, conf/, bundles/)
 * @param workspace the workspace folder, created from the template when missing
 * @param command the console command and its arguments; empty opens the interactive console
 */
record LaunchOptions(Path home, Path workspace, List<String> command) {

  static final String USAGE = """
      usage: neurite [--workspace DIR] [COMMAND [ARGS...]]
        with no COMMAND, opens the interactive console; otherwise runs COMMAND once and exits
        (0 on success). The workspace is DIR, else $NEURITE_WORKSPACE, else ./workspace.""";

  static LaunchOptions parse(String[] args, Map<String, String> env, Path home, Path currentDir) {
    Path workspace = null;
    List<String> command = new ArrayList<>();
    int i = 0;
    while (i < args.length && command.isEmpty()) {
      String arg = args[i];
      if (arg.equals("--workspace") || arg.equals("-w")) {
        if (i + 1 >= args.length) {
          throw new LaunchException("--workspace needs a folder.\n" + USAGE);
        }
        workspace = currentDir.resolve(args[i + 1]);
        i += 2;
      } else if (arg.startsWith("--workspace=")) {
        workspace = currentDir.resolve(arg.substring("--workspace=".length()));
        i++;
      } else {
        break;
      }
    }
    for (; i < args.length; i++) {
      command.add(args[i]);
    }
    if (workspace == null) {
      String fromEnv = env.get("NEURITE_WORKSPACE");
      workspace = fromEnv != null && !fromEnv.isBlank() ? currentDir.resolve(fromEnv) : currentDir.resolve("workspace");
    }
    return new LaunchOptions(home.toAbsolutePath().normalize(), workspace.toAbsolutePath().normalize(), List.copyOf(command));
  }

  boolean interactive() {
    return command.isEmpty();
  }
}
