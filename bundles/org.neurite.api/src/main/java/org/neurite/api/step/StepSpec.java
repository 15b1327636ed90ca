package org.neurite.api.step;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a step declares about itself: its name, a one-line summary, its parameters, inputs and
 * outputs. The engine validates a workflow against these before anything runs.
 *
 * <p>{@code readsRun} marks a step that reads the records of the earlier steps of its run (a
 * report): it runs after all of them and is reused only when all of them were.
 */
public record StepSpec(
    String name, String summary, List<ParamSpec> params, List<PortSpec> inputs, List<PortSpec> outputs,
    boolean readsRun) {

  public StepSpec {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(summary, "summary");
    params = List.copyOf(params);
    inputs = List.copyOf(inputs);
    outputs = List.copyOf(outputs);
  }

  /** Starts a spec for the step with this name. */
  public static Builder named(String name) {
    return new Builder(name);
  }

  public Optional<ParamSpec> param(String paramName) {
    return params.stream().filter(p -> p.name().equals(paramName)).findFirst();
  }

  public Optional<PortSpec> input(String inputName) {
    return inputs.stream().filter(p -> p.name().equals(inputName)).findFirst();
  }

  public Optional<PortSpec> output(String outputName) {
    return outputs.stream().filter(p -> p.name().equals(outputName)).findFirst();
  }

  /** Builds a {@link StepSpec} one declaration at a time. */
  public static final class Builder {
    private final String name;
    private String summary = "";
    private final List<ParamSpec> params = new ArrayList<>();
    private final List<PortSpec> inputs = new ArrayList<>();
    private final List<PortSpec> outputs = new ArrayList<>();
    private boolean readsRun;

    private Builder(String name) {
      this.name = Objects.requireNonNull(name, "name");
    }

    public Builder summary(String text) {
      this.summary = text;
      return this;
    }

    public Builder param(ParamSpec param) {
      params.add(param);
      return this;
    }

    public Builder input(String inputName, Class<?> type, String help) {
      inputs.add(new PortSpec(inputName, type, help));
      return this;
    }

    public Builder output(String outputName, Class<?> type, String help) {
      outputs.add(new PortSpec(outputName, type, help));
      return this;
    }

    /** Declares that the step reads the records of the earlier steps of its run. */
    public Builder readsRun() {
      this.readsRun = true;
      return this;
    }

    public StepSpec build() {
      return new StepSpec(name, summary, params, inputs, outputs, readsRun);
    }
  }
}
