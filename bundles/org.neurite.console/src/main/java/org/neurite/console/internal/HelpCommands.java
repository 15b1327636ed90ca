package org.neurite.console.internal;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.apache.felix.service.command.annotations.GogoCommand;
import org.neurite.api.NeuriteException;
import org.neurite.support.text.ClosestNames;
import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;

/**
 * {@code help}: Neurite's commands first, each with its one-line description, the framework's
 * (Felix, Gogo) under {@code help --all}, and one command's options and arguments with
 * {@code help COMMAND}. Also Gogo's {@code default} function, which Gogo calls for a name that is no
 * command: it answers at once with the closest names.
 *
 * <p>Commands are read from the service registry (every service with {@code osgi.command.scope}
 * and {@code osgi.command.function}), their descriptions from Gogo's {@link Descriptor} and
 * {@link Parameter} annotations, so a plugin's commands are described as Neurite's are.
 */
@Component(service = HelpCommands.class)
@GogoCommand(scope = "neurite", function = {"help", HelpCommands.NOT_FOUND})
public final class HelpCommands {
  static final String SCOPE = "neurite";
  /** Gogo calls the function named {@code default}, when there is one, for a command it cannot find. */
  static final String NOT_FOUND = "default";

  private final BundleContext context;

  /** One command and what it does. */
  public record CommandSummary(String scope, String name, String description) {
    public String qualifiedName() {
      return scope + ":" + name;
    }
  }

  /**
   * What {@code help} lists: Neurite's commands, and with {@code --all} the framework's too.
   *
   * @param frameworkCount how many framework commands there are, listed or not
   */
  public record CommandList(List<CommandSummary> neurite, List<CommandSummary> framework, int frameworkCount) {
    public CommandList {
      neurite = List.copyOf(neurite);
      framework = List.copyOf(framework);
    }
  }

  /** {@code help COMMAND}: every way to call one command. */
  public record CommandHelp(String scope, String name, List<Usage> usages) {
    public CommandHelp {
      usages = List.copyOf(usages);
    }
  }

  /** One way to call a command (one Java method): what it does, its options, its arguments in order. */
  public record Usage(String description, List<OptionHelp> options, List<ArgumentHelp> arguments) {
    public Usage {
      options = List.copyOf(options);
      arguments = List.copyOf(arguments);
    }
  }

  /**
   * An option.
   *
   * @param flag true for a switch that takes no value
   * @param type the Java type of its value ({@code long}, {@code int}, {@code double}, {@code boolean},
   *     {@code String}, ...)
   * @param kind the type as a user reads it: "whole number", "number", "true or false", "text", "path"
   * @param absentValue its value when it is not given
   */
  public record OptionHelp(List<String> names, boolean flag, String type, String kind, String absentValue,
      String description) {
    public OptionHelp {
      names = List.copyOf(names);
    }
  }

  /**
   * A positional argument.
   *
   * @param name its name in the Java method ({@code run}, {@code file}, {@code model}, ...)
   * @param repeatable true for the last argument of a method that takes any number of them
   */
  public record ArgumentHelp(String name, String type, String kind, String description, boolean repeatable) {}

  @Activate
  public HelpCommands(BundleContext context) {
    this.context = context;
  }

  @Descriptor("list Neurite's commands with what each does, or describe one")
  public Object help(
      @Descriptor("list the framework's commands (Felix, Gogo) too")
      @Parameter(names = {"-a", "--all"}, presentValue = "true", absentValue = "false") boolean all,
      @Descriptor("the command to describe: its options and arguments") String... commands) {
    Map<String, Command> catalog = catalog();
    if (commands.length == 0) {
      List<CommandSummary> neurite = new ArrayList<>();
      List<CommandSummary> framework = new ArrayList<>();
      for (Command c : catalog.values()) {
        (c.scope().equals(SCOPE) ? neurite : framework).add(new CommandSummary(c.scope(), c.name(), c.summary()));
      }
      return new CommandList(neurite, all ? framework : List.of(), framework.size());
    }
    if (commands.length > 1) {
      throw new NeuriteException("help describes one command at a time; give one of " + String.join(", ", commands) + ".");
    }
    return describe(commands[0], catalog);
  }

  /** Gogo calls this for a name that is no command (see {@link #NOT_FOUND}). */
  @Descriptor("answers a name that is no command with the closest command names")
  public Object _default(CommandSession session, Object... words) {
    String name = words.length == 0 ? "" : String.valueOf(words[0]);
    Set<String> names = new LinkedHashSet<>();
    Map<String, Command> catalog = catalog();
    catalog.values().forEach(c -> names.add(c.name()));
    List<String> close = ClosestNames.to(name, names, 3);
    throw new NeuriteException("Command not found: " + name
        + (close.isEmpty() ? "" : "; did you mean " + String.join(" or ", close) + "?")
        + " `help` lists Neurite's commands, `help --all` every command.");
  }

  private CommandHelp describe(String name, Map<String, Command> catalog) {
    Command command = find(name, catalog);
    if (command == null) {
      Set<String> names = new LinkedHashSet<>();
      catalog.values().forEach(c -> names.add(c.name()));
      List<String> close = ClosestNames.to(name.contains(":") ? name.substring(name.indexOf(':') + 1) : name, names, 3);
      throw new NeuriteException("No command named '" + name + "'"
          + (close.isEmpty() ? "" : " (did you mean " + String.join(", ", close) + "?)") + "; `help` lists them.");
    }
    return new CommandHelp(command.scope(), command.name(), command.usages());
  }

  /** A name as Gogo resolves it in a Neurite session: qualified as given, else Neurite's scope first. */
  private static Command find(String name, Map<String, Command> catalog) {
    if (name.contains(":")) {
      return catalog.get(name);
    }
    Command own = catalog.get(SCOPE + ":" + name);
    if (own != null) {
      return own;
    }
    return catalog.values().stream().filter(c -> c.name().equals(name)).findFirst().orElse(null);
  }

  /** Every registered command, Neurite's first, each scope sorted by name; the not-found hook left out. */
  Map<String, Command> catalog() {
    ServiceReference<?>[] references;
    try {
      references = context.getAllServiceReferences(null, "(&(osgi.command.scope=*)(osgi.command.function=*))");
    } catch (InvalidSyntaxException e) {
      throw new IllegalStateException(e);
    }
    Map<String, Command> commands = new TreeMap<>(Comparator.comparing((String q) -> !q.startsWith(SCOPE + ":"))
        .thenComparing(Comparator.naturalOrder()));
    for (ServiceReference<?> reference : references == null ? new ServiceReference<?>[0] : references) {
      String scope = String.valueOf(reference.getProperty("osgi.command.scope"));
      Class<?> type = commandClass(reference);
      if (type == null) {
        continue;
      }
      for (String function : functions(reference.getProperty("osgi.command.function"))) {
        if (scope.equals(SCOPE) && function.equals(NOT_FOUND)) {
          continue;
        }
        List<Usage> usages = usages(type, function);
        commands.merge(scope + ":" + function, new Command(scope, function, usages),
            (a, b) -> a.usages().isEmpty() ? b : a);
      }
    }
    return commands;
  }

  /**
   * The class whose methods Gogo calls. Commands are registered under their own class (Neurite's,
   * Felix's, Gogo's), which is loaded without activating the component, so that {@code help} and the
   * not-found answer start nothing (no tensor engine, no database); only a command registered under
   * an interface is asked for its object.
   */
  private Class<?> commandClass(ServiceReference<?> reference) {
    Object classes = reference.getProperty(org.osgi.framework.Constants.OBJECTCLASS);
    if (classes instanceof String[] names && names.length > 0 && reference.getBundle() != null) {
      try {
        Class<?> type = reference.getBundle().loadClass(names[0]);
        if (!type.isInterface()) {
          return type;
        }
      } catch (ClassNotFoundException e) {
        // registered under a class its bundle cannot load by name: ask for the object
      }
    }
    Object target = context.getService(reference);
    if (target == null) {
      return null;
    }
    try {
      return target.getClass();
    } finally {
      context.ungetService(reference);
    }
  }

  private static List<String> functions(Object property) {
    if (property instanceof String[] array) {
      return List.of(array);
    }
    if (property instanceof java.util.Collection<?> collection) {
      return collection.stream().map(String::valueOf).toList();
    }
    return List.of(String.valueOf(property));
  }

  /** The public methods Gogo would call for {@code function}, fewest parameters first. */
  static List<Usage> usages(Class<?> type, String function) {
    List<Method> methods = new ArrayList<>();
    for (Method m : type.getMethods()) {
      String name = m.getName();
      if (!Modifier.isStatic(m.getModifiers()) && m.getDeclaringClass() != Object.class
          && (name.equalsIgnoreCase(function) || name.equalsIgnoreCase("_" + function))) {
        methods.add(m);
      }
    }
    methods.sort(Comparator.comparingInt(Method::getParameterCount).thenComparing(Method::toString));
    return methods.stream().map(HelpCommands::usage).toList();
  }

  private static Usage usage(Method method) {
    Descriptor described = method.getAnnotation(Descriptor.class);
    List<OptionHelp> options = new ArrayList<>();
    List<ArgumentHelp> arguments = new ArrayList<>();
    java.lang.reflect.Parameter[] params = method.getParameters();
    for (int i = 0; i < params.length; i++) {
      java.lang.reflect.Parameter p = params[i];
      if (CommandSession.class.isAssignableFrom(p.getType())) {
        continue;
      }
      Descriptor d = p.getAnnotation(Descriptor.class);
      String description = d == null ? "" : d.value();
      Parameter option = p.getAnnotation(Parameter.class);
      boolean repeatable = method.isVarArgs() && i == params.length - 1;
      Class<?> type = repeatable ? p.getType().getComponentType() : p.getType();
      if (option != null) {
        boolean flag = !Parameter.UNSPECIFIED.equals(option.presentValue());
        options.add(new OptionHelp(List.of(option.names()), flag, type.getSimpleName(), kind(type),
            option.absentValue(), description));
      } else {
        String name = p.isNamePresent() ? p.getName() : "arg" + (arguments.size() + 1);
        arguments.add(new ArgumentHelp(name, type.getSimpleName(), kind(type), description, repeatable));
      }
    }
    return new Usage(described == null ? "" : described.value(), options, arguments);
  }

  /** A Java type as a user reads it. */
  static String kind(Class<?> type) {
    if (type == long.class || type == int.class || type == short.class || type == byte.class || type == Long.class
        || type == Integer.class || type == Short.class || type == Byte.class) {
      return "whole number";
    }
    if (type == double.class || type == float.class || type == Double.class || type == Float.class) {
      return "number";
    }
    if (type == boolean.class || type == Boolean.class) {
      return "true or false";
    }
    if (Path.class.isAssignableFrom(type) || type == java.io.File.class) {
      return "path";
    }
    return "text";
  }

  /** A command as the catalog holds it. */
  record Command(String scope, String name, List<Usage> usages) {
    String qualifiedName() {
      return scope + ":" + name;
    }

    /** The description of the simplest way to call it. */
    String summary() {
      return usages.stream().map(Usage::description).filter(d -> !d.isEmpty()).findFirst().orElse("");
    }
  }
}
