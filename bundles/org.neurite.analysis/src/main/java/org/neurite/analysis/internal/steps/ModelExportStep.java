package org.neurite.analysis.internal.steps;

import java.util.ArrayList;
import java.util.List;
import org.neurite.analysis.capture.Positions;
import org.neurite.analysis.intervene.IntervenedModel;
import org.neurite.analysis.intervene.Intervention;
import org.neurite.analysis.intervene.Operation;
import org.neurite.analysis.weights.NeuronWeights;
import org.neurite.analysis.weights.WeightEdit;
import org.neurite.api.NeuriteException;
import org.neurite.api.context.StepContext;
import org.neurite.api.model.LanguageModel;
import org.neurite.api.model.ModelRepository;
import org.neurite.api.step.NeuriteStep;
import org.neurite.api.step.Step;
import org.neurite.api.step.StepResult;
import org.neurite.api.step.StepSpec;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * {@code model.export}: any model as a Hugging Face folder that loads back with the same outputs. A
 * loaded model is copied; an intervened one (from {@code intervene}) has its interventions written
 * into the weights, which is exact for zeroing or scaling {@code blocks.L.mlp.hook_post} units at
 * every position (the matching slice of the down projection is scaled); other interventions have
 * no weight form and are refused by name.
 */
@Component(service = Step.class)
@NeuriteStep(name = "model.export")
public final class ModelExportStep implements Step {
  private static final StepSpec SPEC = StepSpec.named("model.export")
      .summary("writes a model (an intervened one with its interventions in the weights) as a Hugging Face folder")
      .input("model", LanguageModel.class, "the model, loaded or intervened")
      .output("model", LanguageModel.class, "the exported folder, loaded back")
      .build();

  private final ModelRepository repository;

  @Activate
  public ModelExportStep(@Reference ModelRepository repository) {
    this.repository = repository;
  }

  @Override
  public StepSpec spec() {
    return SPEC;
  }

  @Override
  public StepResult run(StepContext context) throws Exception {
    LanguageModel model = context.input("model", LanguageModel.class);
    LanguageModel base = model;
    List<WeightEdit> edits = new ArrayList<>();
    if (model instanceof IntervenedModel intervened) {
      base = intervened.base();
      var names = repository.open(base.source().toString()).tensors().names();
      for (Intervention i : intervened.interventions()) {
        edits.add(NeuronWeights.outputOf(base.spec(), names, i.hook(), i.units(), factor(context, i)));
      }
    }
    return StepResult.of("model", ExportedFolders.write(context, repository, base, edits));
  }

  private static double factor(StepContext context, Intervention i) {
    if (i.positions() != Positions.ALL) {
      throw cannot(context, i, "it acts at " + i.positions().name().toLowerCase() + " positions only, and weights act"
          + " at every position");
    }
    if (i.operation() instanceof Operation.Zero) {
      return 0;
    }
    if (i.operation() instanceof Operation.Scale scale) {
      return scale.factor();
    }
    throw cannot(context, i, "only zeroing and scaling a neuron's output have a weight form");
  }

  private static NeuriteException cannot(StepContext context, Intervention i, String why) {
    return new NeuriteException("Step " + context.stepId() + ": the intervention '" + i.describe() + "' cannot be"
        + " written into the weights: " + why + ". Evaluate the intervened model directly instead of exporting it.");
  }
}
