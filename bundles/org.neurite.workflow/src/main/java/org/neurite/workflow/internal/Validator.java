package org.neurite.workflow.internal;

import com.google.gson.JsonElement;
import com.google.gson.JsonPrimitive;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import org.neurite.api.step.ParamSpec;
import org.neurite.api.step.ParamType;
import org.neurite.api.step.PortSpec;
import org.neurite.api.step.StepSpec;
import org.neurite.api.workflow.RunOptions;
import org.neurite.support.text.ClosestNames;

/**
 * Checks a whole workflow against the registered steps before anything runs, and reports every
 * problem at once: unknown steps (with the closest names), unknown, missing or mistyped parameters,
 * dangling references, references to undeclared outputs, incompatible input types, cycles,
 * duplicate ids, bad overrides.
 */
final class Validator {
  static final String DEVICE = "device";

  private final WorkflowDefinition workflow;
  private final Map<String, StepSpec> registry;
  private final RecordedOutputs recorded;
  private final Problems problems;

  private Validator(WorkflowDefinition workflow, Map<String, StepSpec> registry, RecordedOutputs recorded) {
    this.workflow = workflow;
    this.registry = registry;
    this.recorded = recorded;
    this.problems = new Problems(workflow.source());
  }

  /** Validates without provenance: a reference to an earlier run's output finds no run. */
  static Plan validate(WorkflowDefinition workflow, Map<String, StepSpec> registry, RunOptions options) {
    return validate(workflow, registry, options, Map.of(), RecordedOutputs.NONE);
  }

  /**
   * Validates with parameter values that are already typed (a resumed run's recorded values), applied
   * after the workflow's defaults and before the text overrides of {@code options}; references to
   * earlier runs' outputs ({@code ${runs.N.step.output}}) are resolved through {@code recorded}.
   */
  static Plan validate(WorkflowDefinition workflow, Map<String, StepSpec> registry, RunOptions options,
      Map<String, JsonElement> typedParams, RecordedOutputs recorded) {
    Validator v = new Validator(workflow, registry, recorded);
    Map<String, JsonElement> params = v.effectiveParams(typedParams, options);
    String device = options.device() != null ? options.device()
        : params.containsKey(DEVICE) ? params.get(DEVICE).getAsString() : "cpu";
    List<Plan.PlannedStep> steps = v.steps(params);
    v.problems.throwIfAny();
    List<Plan.PlannedStep> ordered = v.order(steps);
    v.problems.throwIfAny();
    return new Plan(workflow, params, device, ordered);
  }

  private Map<String, JsonElement> effectiveParams(Map<String, JsonElement> typed, RunOptions options) {
    Map<String, JsonElement> params = new LinkedHashMap<>();
    workflow.params().forEach((name, p) -> params.put(name, p.defaultValue()));
    typed.forEach((name, value) -> {
      WorkflowDefinition.Param declared = workflow.params().get(name);
      String mismatch = declared == null ? "the workflow has no such parameter" : ParamTypes.check(declared.type(), value);
      if (mismatch != null) {
        problems.add(null, "recorded parameter '" + name + "' = " + value + ": " + mismatch);
      } else {
        params.put(name, value);
      }
    });
    options.overrides().forEach((name, text) -> {
      WorkflowDefinition.Param declared = workflow.params().get(name);
      if (declared == null) {
        problems.add(null, "--set " + name + ": the workflow has no parameter '" + name + "'"
            + suggestion(name, workflow.params().keySet()) + "; declared: " + listOrNone(workflow.params().keySet()));
        return;
      }
      if (text.isBlank() && declared.type() != ParamType.STRING && declared.type() != ParamType.STRING_LIST) {
        problems.add(null, "--set " + name + "=" + text + ": no value for parameter '" + name + "' ("
            + declared.type().jsonName() + "); give one after the '=', or leave --set " + name
            + " out to keep the workflow's value " + declared.defaultValue());
        return;
      }
      JsonElement value = ParamTypes.fromText(declared.type(), text);
      if (value == null) {
        problems.add(null, "--set " + name + "=" + text + ": parameter '" + name + "' must be "
            + declared.type().jsonName() + "; give a value of that type");
      } else {
        params.put(name, value);
      }
    });
    return params;
  }

  private List<Plan.PlannedStep> steps(Map<String, JsonElement> params) {
    Set<String> ids = new HashSet<>();
    Map<String, StepSpec> specsById = new HashMap<>();
    for (WorkflowDefinition.StepUse use : workflow.steps()) {
      if (!ids.add(use.id())) {
        problems.add(use.id(), "the id is used by another step too; give every step its own id");
      }
      StepSpec spec = registry.get(use.uses());
      if (spec == null) {
        problems.add(use.id(), "unknown step \"" + use.uses() + "\"" + suggestion(use.uses(), registry.keySet())
            + ". Run `steps` for the list, or install the plugin that provides it into plugins/.");
      } else {
        specsById.putIfAbsent(use.id(), spec);
      }
    }
    List<Plan.PlannedStep> planned = new ArrayList<>();
    List<String> earlier = new ArrayList<>();
    for (WorkflowDefinition.StepUse use : workflow.steps()) {
      StepSpec spec = registry.get(use.uses());
      if (spec != null) {
        planned.add(plan(use, spec, params, specsById, earlier));
      }
      earlier.add(use.id());
    }
    return planned;
  }

  private Plan.PlannedStep plan(WorkflowDefinition.StepUse use, StepSpec spec, Map<String, JsonElement> params,
      Map<String, StepSpec> specsById, List<String> earlier) {
    Map<String, JsonElement> values = new LinkedHashMap<>();
    Map<String, Reference> inputs = new LinkedHashMap<>();
    Map<String, RecordedInput> recordedInputs = new LinkedHashMap<>();
    for (Map.Entry<String, JsonElement> entry : use.with().entrySet()) {
      String key = entry.getKey();
      Optional<ParamSpec> param = spec.param(key);
      Optional<PortSpec> input = spec.input(key);
      if (param.isPresent()) {
        JsonElement value = paramValue(use.id(), param.get(), entry.getValue(), params);
        if (value != null) {
          values.put(key, value);
        }
      } else if (input.isPresent() && whole(entry.getValue()).filter(Reference::isRecorded).isPresent()) {
        RecordedOutputs.Resolution resolution = recorded.resolve(whole(entry.getValue()).get(), input.get());
        if (resolution.problem() != null) {
          problems.add(use.id(), resolution.problem());
        } else {
          recordedInputs.put(key, resolution.input());
        }
      } else if (input.isPresent()) {
        Reference ref = inputReference(use.id(), input.get(), entry.getValue(), specsById);
        if (ref != null) {
          inputs.put(key, ref);
        }
      } else {
        Set<String> known = new LinkedHashSet<>();
        spec.params().forEach(p -> known.add(p.name()));
        spec.inputs().forEach(p -> known.add(p.name()));
        problems.add(use.id(), "step " + spec.name() + " has no parameter or input '" + key + "'"
            + suggestion(key, known) + "; it takes: " + listOrNone(known));
      }
    }
    for (ParamSpec p : spec.params()) {
      if (!values.containsKey(p.name()) && !use.with().containsKey(p.name())) {
        if (p.isRequired()) {
          problems.add(use.id(), "missing required parameter '" + p.name() + "' (" + p.type().jsonName() + ": "
              + p.help() + "); add \"" + p.name() + "\": ... to its \"with\"");
        } else {
          values.put(p.name(), ParamTypes.parseDefault(p.defaultValue()));
        }
      }
    }
    for (PortSpec in : spec.inputs()) {
      if (!inputs.containsKey(in.name()) && !use.with().containsKey(in.name())) {
        problems.add(use.id(), "missing input '" + in.name() + "' (" + in.type().getSimpleName() + ": " + in.help()
            + "); bind it to an earlier step's output, e.g. \"" + in.name() + "\": \"${STEP.OUTPUT}\", or to an output"
            + " an earlier run recorded, \"${runs.RUN.STEP.OUTPUT}\"");
      }
    }
    List<String> after = new ArrayList<>();
    inputs.values().forEach(r -> after.add(r.target()));
    if (spec.readsRun()) {
      after.addAll(earlier);
    }
    return new Plan.PlannedStep(use.id(), spec, values, inputs, recordedInputs, List.copyOf(new LinkedHashSet<>(after)));
  }

  private JsonElement paramValue(String stepId, ParamSpec param, JsonElement given, Map<String, JsonElement> params) {
    JsonElement value = given;
    if (given.isJsonPrimitive() && given.getAsJsonPrimitive().isString()) {
      String text = given.getAsString();
      Optional<Reference> whole = Reference.parse(text);
      if (whole.isPresent() && !whole.get().isParam()) {
        problems.add(stepId, "parameter '" + param.name() + "' takes a value, not " + whole.get()
            + "; only inputs bind to other steps' outputs");
        return null;
      }
      if (whole.isPresent()) {
        String name = whole.get().output();
        if (name == null || !params.containsKey(name)) {
          problems.add(stepId, "parameter '" + param.name() + "' refers to " + whole.get()
              + ", which the workflow does not declare; declared: " + listOrNone(params.keySet()));
          return null;
        }
        value = params.get(name);
      } else {
        value = substituteEmbedded(stepId, param, text, params);
        if (value == null) {
          return null;
        }
      }
    }
    String mismatch = ParamTypes.check(param.type(), value);
    if (mismatch != null) {
      problems.add(stepId, "parameter '" + param.name() + "' " + mismatch + "; " + param.help());
      return null;
    }
    return value;
  }

  private JsonElement substituteEmbedded(String stepId, ParamSpec param, String text, Map<String, JsonElement> params) {
    Matcher m = Reference.EMBEDDED_PARAM.matcher(text);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      JsonElement value = params.get(m.group(1));
      if (value == null) {
        problems.add(stepId, "parameter '" + param.name() + "' refers to ${params." + m.group(1)
            + "}, which the workflow does not declare; declared: " + listOrNone(params.keySet()));
        return null;
      }
      m.appendReplacement(out, Matcher.quoteReplacement(value.isJsonPrimitive() ? value.getAsString() : value.toString()));
    }
    m.appendTail(out);
    return new JsonPrimitive(out.toString());
  }

  /** The reference a whole {@code with} value is, if it is one. */
  private static Optional<Reference> whole(JsonElement given) {
    return given.isJsonPrimitive() && given.getAsJsonPrimitive().isString()
        ? Reference.parse(given.getAsString()) : Optional.empty();
  }

  private Reference inputReference(String stepId, PortSpec input, JsonElement given, Map<String, StepSpec> specsById) {
    Optional<Reference> parsed = whole(given);
    if (parsed.isEmpty() || parsed.get().isParam()) {
      problems.add(stepId, "input '" + input.name() + "' must be a reference to an earlier step's output such as"
          + " \"${STEP.OUTPUT}\" or to an output an earlier run recorded, \"${runs.RUN.STEP.OUTPUT}\", not " + given);
      return null;
    }
    Reference ref = parsed.get();
    StepSpec producer = specsById.get(ref.target());
    if (producer == null) {
      boolean declared = workflow.steps().stream().anyMatch(s -> s.id().equals(ref.target()));
      if (!declared) {
        problems.add(stepId, "input '" + input.name() + "' refers to " + ref + ", but no step has the id '"
            + ref.target() + "'" + suggestion(ref.target(), workflow.steps().stream().map(WorkflowDefinition.StepUse::id).toList()));
      }
      return null;
    }
    PortSpec output;
    if (ref.output() == null) {
      if (producer.outputs().size() != 1) {
        problems.add(stepId, "input '" + input.name() + "' refers to " + ref + ", but step '" + ref.target()
            + "' has " + producer.outputs().size() + " outputs; name one: " + outputNames(ref.target(), producer));
        return null;
      }
      output = producer.outputs().get(0);
    } else {
      Optional<PortSpec> named = producer.output(ref.output());
      if (named.isEmpty()) {
        problems.add(stepId, "input '" + input.name() + "' refers to " + ref + ", but " + producer.name()
            + " has no output '" + ref.output() + "'; its outputs: " + outputNames(ref.target(), producer));
        return null;
      }
      output = named.get();
    }
    if (!input.type().isAssignableFrom(output.type())) {
      problems.add(stepId, "input '" + input.name() + "' needs " + input.type().getSimpleName() + ", but " + ref
          + " is " + output.type().getSimpleName() + "; bind it to an output of the right type");
      return null;
    }
    return Reference.step(ref.target(), output.name());
  }

  /** Dependencies first, otherwise file order; a cycle is a problem naming its steps. */
  private List<Plan.PlannedStep> order(List<Plan.PlannedStep> steps) {
    Map<String, Plan.PlannedStep> byId = new LinkedHashMap<>();
    steps.forEach(s -> byId.put(s.id(), s));
    List<Plan.PlannedStep> ordered = new ArrayList<>();
    Map<String, Integer> state = new HashMap<>();
    for (Plan.PlannedStep step : steps) {
      if (!visit(step, byId, state, new ArrayDeque<>(), ordered)) {
        break;
      }
    }
    return ordered;
  }

  private boolean visit(Plan.PlannedStep step, Map<String, Plan.PlannedStep> byId, Map<String, Integer> state,
      Deque<String> path, List<Plan.PlannedStep> ordered) {
    Integer s = state.get(step.id());
    if (s != null && s == 2) {
      return true;
    }
    if (s != null && s == 1) {
      List<String> cycle = new ArrayList<>(path);
      java.util.Collections.reverse(cycle);
      cycle = cycle.subList(cycle.indexOf(step.id()), cycle.size());
      problems.add(step.id(), "the steps form a cycle: " + String.join(" -> ", cycle) + " -> " + step.id()
          + "; a step can only use outputs of steps that do not depend on it");
      return false;
    }
    state.put(step.id(), 1);
    path.push(step.id());
    for (String dependency : step.after()) {
      Plan.PlannedStep before = byId.get(dependency);
      if (before != null && !visit(before, byId, state, path, ordered)) {
        path.pop();
        return false;
      }
    }
    path.pop();
    state.put(step.id(), 2);
    ordered.add(step);
    return true;
  }

  private static String outputNames(String stepId, StepSpec spec) {
    return listOrNone(spec.outputs().stream().map(o -> "${" + stepId + "." + o.name() + "}").toList());
  }

  private static String suggestion(String wanted, java.util.Collection<String> known) {
    List<String> close = ClosestNames.to(wanted, known, 3);
    return close.isEmpty() ? "" : " (did you mean " + String.join(", ", close) + "?)";
  }

  private static String listOrNone(java.util.Collection<String> names) {
    return names.isEmpty() ? "none" : String.join(", ", names);
  }

}
