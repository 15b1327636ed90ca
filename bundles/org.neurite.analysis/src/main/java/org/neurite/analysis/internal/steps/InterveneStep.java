package org.neurite.analysis.internal.steps;

import java.util.List;
import java.util.Map;
import org.neurite.analysis.capture.Positions;
import org.neurite.analysis.intervene.IntervenedModel;
import org.neurite.analysis.intervene.Intervention;
import org.neurite.analysis.intervene.Operation;
import org.neurite.analysis.intervene.RandomControl;
import org.neurite.api.analysis.NeuronSet;
import org.neurite.api.context.StepContext;
import org.neurite.api.model.LanguageModel;
import org.neurite.api.step.NeuriteStep;
import org.neurite.api.step.ParamSpec;
import org.neurite.api.step.ParamType;
import org.neurite.api.step.Step;
import org.neurite.api.step.StepResult;
import org.neurite.api.step.StepSpec;
import org.osgi.service.component.annotations.Component;

/**
 * {@code intervene}: a model whose every forward pass carries an intervention on a neuron set,
 * and, always beside it, the same intervention on its same-size random control (same hook points,
 * same counts per hook point, a recorded seed). Every evaluator takes either.
 */
@Component(service = Step.class)
@NeuriteStep(name = "intervene")
public final class InterveneStep implements Step {
  private static final StepSpec SPEC = StepSpec.named("intervene")
      .summary("a model intervened on a neuron set (zero, scale or clamp), and the same on a same-size random control")
      .input("model", LanguageModel.class, "the model")
      .input("neurons", NeuronSet.class, "the units")
      .param(ParamSpec.optional("groups", ParamType.STRING_LIST, "[]",
          "whose units: the neuron set's groups to take together; [] = every group"))
      .param(ParamSpec.optional("operation", ParamType.STRING, "\"zero\"", "zero, scale or clamp"))
      .param(ParamSpec.optional("value", ParamType.NUMBER, "0", "the factor of scale, the constant of clamp"))
      .param(ParamSpec.optional("positions", ParamType.STRING, "\"all\"",
          "where: all, last, first, response or prompt tokens"))
      .param(ParamSpec.optional("seed", ParamType.INTEGER, "1", "the seed of the random control"))
      .output("model", IntervenedModel.class, "the model with the intervention on the chosen units")
      .output("control", IntervenedModel.class, "the model with the same intervention on random units, same counts")
      .build();

  @Override
  public StepSpec spec() {
    return SPEC;
  }

  @Override
  @SuppressWarnings("unchecked")
  public StepResult run(StepContext context) {
    LanguageModel model = context.input("model", LanguageModel.class);
    NeuronSet neurons = context.input("neurons", NeuronSet.class);
    List<String> groups = context.param("groups", List.class);
    Map<String, int[]> units = StepInputs.unitsByHook(context, neurons, groups);
    Operation operation = Steps.operation(context);
    Positions positions = Positions.parse(context.param("positions", String.class), "Step " + context.stepId());
    long seed = context.param("seed", Long.class);
    Map<String, int[]> control = RandomControl.draw(units, model.spec(), seed);
    int count = units.values().stream().mapToInt(u -> u.length).sum();
    context.metric("units", "", count);
    context.metric("control.seed", "", seed);
    String what = neurons.name() + " " + (groups.isEmpty() ? neurons.groups() : groups);
    return StepResult.of(
        "model", new IntervenedModel(model, Intervention.of(units, operation, positions), "targeted " + what),
        "control", new IntervenedModel(model, Intervention.of(control, operation, positions),
            "control " + what + " (seed " + seed + ")"));
  }
}
