package org.neurite.api.step;

import java.util.Objects;

/**
 * One declared parameter of a step.
 *
 * @param name the key used in a workflow's {@code with} block
 * @param type its type
 * @param defaultValue the value used when a workflow gives none, as the JSON text of that value
 *     ({@code "0.95"}, {@code "\"mean\""}); {@code null} makes the parameter required
 * @param help one line saying what it does
 */
public record ParamSpec(String name, ParamType type, String defaultValue, String help) {
  public ParamSpec {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(help, "help");
  }

  /** A parameter that every use of the step must set. */
  public static ParamSpec required(String name, ParamType type, String help) {
    return new ParamSpec(name, type, null, help);
  }

  /** A parameter with a default, given as JSON text. */
  public static ParamSpec optional(String name, ParamType type, String defaultJson, String help) {
    return new ParamSpec(name, type, Objects.requireNonNull(defaultJson, "defaultJson"), help);
  }

  public boolean isRequired() {
    return defaultValue == null;
  }
}
