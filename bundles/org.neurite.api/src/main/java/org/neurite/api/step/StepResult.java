package org.neurite.api.step;

import java.util.LinkedHashMap;
import java.util.Map;

/** The outputs of one step run, by declared output name. */
public record StepResult(Map<String, Object> outputs) {
  public StepResult {
    outputs = Map.copyOf(outputs);
  }

  /** A result with no outputs (a step run only for its artifacts and metrics). */
  public static StepResult empty() {
    return new StepResult(Map.of());
  }

  /** A result with one output. */
  public static StepResult of(String name, Object value) {
    return new StepResult(Map.of(name, value));
  }

  /** A result with several outputs, given as name, value, name, value, ... */
  public static StepResult of(Object... namesAndValues) {
    if (namesAndValues.length % 2 != 0) {
      throw new IllegalArgumentException("names and values must come in pairs");
    }
    Map<String, Object> map = new LinkedHashMap<>();
    for (int i = 0; i < namesAndValues.length; i += 2) {
      map.put((String) namesAndValues[i], namesAndValues[i + 1]);
    }
    return new StepResult(map);
  }
}
