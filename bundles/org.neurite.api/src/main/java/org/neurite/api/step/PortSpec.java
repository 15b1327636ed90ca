package org.neurite.api.step;

import java.util.Objects;

/**
 * One declared input or output of a step: a value that flows between steps, such as a model, a
 * dataset or a set of unit scores. In a workflow an input is bound by reference to an earlier
 * step's output, e.g. {@code "model": "${load.model}"}.
 *
 * @param name the input or output name
 * @param type the Java type of the value; an output can feed an input whose type it is assignable to
 * @param help one line saying what it is
 */
public record PortSpec(String name, Class<?> type, String help) {
  public PortSpec {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(help, "help");
  }
}
