package org.neurite.launcher;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The commands of a Gogo session, as the completer needs them: names from the session, options and
 * arguments from what the console's {@code help COMMAND} returns, model names from {@code models}.
 * Anything the console cannot answer (it is optional) completes to nothing.
 */
final class SessionCommands implements ConsoleCompleter.CommandSource {
  private static final Logger LOG = System.getLogger(SessionCommands.class.getName());
  private static final String OWN_SCOPE = "neurite:";

  private final GogoSession session;

  SessionCommands(GogoSession session) {
    this.session = session;
  }

  @Override
  public Set<String> commands() {
    Set<String> names = new TreeSet<>();
    try {
      for (String qualified : session.commands()) {
        String name = qualified.substring(qualified.indexOf(':') + 1);
        if (qualified.equals(OWN_SCOPE + "default")) {
          continue;
        }
        names.add(name);
        if (!qualified.startsWith(OWN_SCOPE)) {
          names.add(qualified);
        }
      }
    } catch (Exception e) {
      LOG.log(Level.DEBUG, "Cannot list the session's commands", e);
    }
    return names;
  }

  @Override
  public List<ConsoleCompleter.Signature> signatures(String command) {
    try {
      Object help = session.call("neurite:help " + CommandLine.quote(command));
      return Values.list(help, "usages").stream().map(usage -> new ConsoleCompleter.Signature(
          Values.list(usage, "options").stream().map(o -> new ConsoleCompleter.Option(
              Values.list(o, "names").stream().map(String::valueOf).toList(), Boolean.TRUE.equals(Values.get(o, "flag"))))
              .toList(),
          Values.list(usage, "arguments").stream().map(a -> new ConsoleCompleter.Argument(
              (String) Values.get(a, "name"), (String) Values.get(a, "kind"),
              Boolean.TRUE.equals(Values.get(a, "repeatable")))).toList()))
          .toList();
    } catch (Exception e) {
      return List.of();
    }
  }

  @Override
  public List<String> models() {
    try {
      return Values.list(session.call("neurite:models"), "models").stream().map(m -> (String) Values.get(m, "name"))
          .toList();
    } catch (Exception e) {
      return List.of();
    }
  }
}
