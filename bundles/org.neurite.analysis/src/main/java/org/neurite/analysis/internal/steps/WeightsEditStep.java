package org.neurite.analysis.internal.steps;

import java.util.ArrayList;
import java.util.List;
import org.neurite.analysis.weights.NeuronWeights;
import org.neurite.analysis.weights.WeightEdit;
import org.neurite.api.analysis.NeuronSet;
import org.neurite.api.context.StepContext;
import org.neurite.api.model.LanguageModel;
import org.neurite.api.model.ModelRepository;
import org.neurite.api.step.NeuriteStep;
import org.neurite.api.step.ParamSpec;
import org.neurite.api.step.ParamType;
import org.neurite.api.step.Step;
import org.neurite.api.step.StepResult;
import org.neurite.api.step.StepSpec;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * {@code weights.edit}: a new model folder whose MLP neurons of a neuron set have their output
 * weights multiplied by a factor (0 removes them): a persistent edit, for unlearning or pruning,
 * written and loaded back like {@code model.export}.
 */
@Component(service = Step.class)
@NeuriteStep(name = "weights.edit")
public final class WeightsEditStep implements Step {
  private static final StepSpec SPEC = StepSpec.named("weights.edit")
      .summary("scales (0 = removes) the output weights of a neuron set's MLP neurons; writes and loads the new folder")
      .input("model", LanguageModel.class, "the model")
      .input("neurons", NeuronSet.class, "units of blocks.L.mlp.hook_post")
      .param(ParamSpec.optional("factor", ParamType.NUMBER, "0", "what each neuron's output weights are multiplied by"))
      .param(ParamSpec.optional("groups", ParamType.STRING_LIST, "[]", "whose units; [] = every group"))
      .output("model", LanguageModel.class, "the edited folder, loaded")
      .build();

  private final ModelRepository repository;

  @Activate
  public WeightsEditStep(@Reference ModelRepository repository) {
    this.repository = repository;
  }

  @Override
  public StepSpec spec() {
    return SPEC;
  }

  @Override
  @SuppressWarnings("unchecked")
  public StepResult run(StepContext context) throws Exception {
    LanguageModel model = context.input("model", LanguageModel.class);
    NeuronSet neurons = context.input("neurons", NeuronSet.class);
    List<String> groups = context.param("groups", List.class);
    double factor = context.param("factor", Double.class);
    var names = repository.open(model.source().toString()).tensors().names();
    List<WeightEdit> edits = new ArrayList<>();
    StepInputs.unitsByHook(context, neurons, groups).forEach((hook, units) ->
        edits.add(NeuronWeights.outputOf(model.spec(), names, hook, units, factor)));
    context.metric("units", "", edits.stream().mapToInt(e -> e.indices().length).sum());
    return StepResult.of("model", ExportedFolders.write(context, repository, model, edits));
  }
}
