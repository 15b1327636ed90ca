package org.neurite.console.internal;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.felix.service.command.Descriptor;
import org.neurite.api.step.ParamSpec;
import org.neurite.api.step.PortSpec;
import org.neurite.api.step.Step;
import org.neurite.api.step.StepSpec;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

/** {@code steps}: every registered step with its parameters, inputs and outputs. */
@Component(
    service = StepCommands.class,
    property = {"osgi.command.scope=neurite", "osgi.command.function=steps"})
public final class StepCommands {
  private final Map<Step, StepSpec> steps = new ConcurrentHashMap<>();

  @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
  void addStep(Step step) {
    steps.put(step, step.spec());
  }

  void removeStep(Step step) {
    steps.remove(step);
  }

  @Descriptor("list every registered step with its parameters, inputs and outputs")
  public String steps() {
    Map<String, StepSpec> byName = new TreeMap<>();
    steps.values().forEach(spec -> byName.put(spec.name(), spec));
    if (byName.isEmpty()) {
      return "no steps registered (drop a plugin jar into the workspace's plugins/ folder to add some)";
    }
    StringBuilder out = new StringBuilder();
    byName.values().forEach(spec -> describe(spec, out));
    return out.toString();
  }

  static void describe(StepSpec spec, StringBuilder out) {
    out.append(spec.name()).append("  ").append(spec.summary()).append('\n');
    for (ParamSpec p : spec.params()) {
      out.append("    param  ").append(p.name()).append(" : ").append(p.type().jsonName())
          .append(p.isRequired() ? " (required)" : " = " + p.defaultValue())
          .append("  ").append(p.help()).append('\n');
    }
    ports("input ", spec.inputs(), out);
    ports("output", spec.outputs(), out);
  }

  private static void ports(String label, List<PortSpec> ports, StringBuilder out) {
    for (PortSpec port : ports) {
      out.append("    ").append(label).append(' ').append(port.name()).append(" : ")
          .append(port.type().getSimpleName()).append("  ").append(port.help()).append('\n');
    }
  }
}
