package org.neurite.launcher;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The framework properties: the distribution's conf/neurite.properties, then the workspace's
 * conf/neurite.properties on top, with {@code ${neurite.home}}, {@code ${neurite.workspace}} and
 * any earlier key substituted.
 */
final class Configuration {
  private static final Pattern VARIABLE = Pattern.compile("\\$\\{([^}]+)}");

  private Configuration() {}

  static Map<String, String> load(Path home, Path workspace, String version) {
    Map<String, String> props = new LinkedHashMap<>();
    props.put("neurite.home", home.toString());
    props.put("neurite.workspace", workspace.toString());
    props.put("neurite.version", version);
    read(home.resolve("conf/neurite.properties"), props, true);
    read(workspace.resolve("conf/neurite.properties"), props, false);
    return props;
  }

  private static void read(Path file, Map<String, String> into, boolean required) {
    if (!Files.isRegularFile(file)) {
      if (required) {
        throw new LaunchException("Missing " + file + ": the distribution is incomplete. Rebuild it with ./neurite"
            + " (or mvn -B -DskipTests package) from the source folder.");
      }
      return;
    }
    Properties properties = new Properties();
    try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      properties.load(reader);
    } catch (IOException | IllegalArgumentException e) {
      throw new LaunchException("Cannot read " + file + ": " + e.getMessage() + ". Fix the file (Java properties format).", e);
    }
    for (String key : properties.stringPropertyNames().stream().sorted().toList()) {
      into.put(key, substitute(properties.getProperty(key), into, file, key));
    }
  }

  static String substitute(String value, Map<String, String> known, Path file, String key) {
    Matcher m = VARIABLE.matcher(value);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String name = m.group(1);
      String replacement = known.containsKey(name) ? known.get(name) : System.getProperty(name);
      if (replacement == null) {
        throw new LaunchException(file + ": " + key + " refers to ${" + name + "}, which is not defined."
            + " Define it earlier in the file or use neurite.home / neurite.workspace.");
      }
      m.appendReplacement(out, Matcher.quoteReplacement(replacement));
    }
    m.appendTail(out);
    return out.toString();
  }
}
