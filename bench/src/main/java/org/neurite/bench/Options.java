package org.neurite.bench;

import java.util.LinkedHashMap;
import java.util.Map;

/** {@code --name value} integer options over defaults; an unknown name is an error that lists the known ones. */
final class Options {
  private Options() {}

  static Map<String, Integer> parse(String[] args, Map<String, Integer> defaults) {
    Map<String, Integer> values = new LinkedHashMap<>(defaults);
    for (int i = 0; i < args.length; i++) {
      String name = args[i].replaceFirst("^--", "");
      if (!values.containsKey(name) || i + 1 >= args.length) {
        throw new IllegalArgumentException("unknown option or missing value: " + args[i] + "; options: " + defaults.keySet());
      }
      values.put(name, Integer.parseInt(args[++i]));
    }
    return values;
  }
}
