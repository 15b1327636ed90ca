package org.neurite.analysis.internal.steps;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.neurite.analysis.attribution.AttributionCall;
import org.neurite.analysis.attribution.AttributionMethod;
import org.neurite.analysis.attribution.GroupMeans;
import org.neurite.analysis.attribution.Target;
import org.neurite.analysis.batch.Batches;
import org.neurite.analysis.batch.DatasetLoop;
import org.neurite.analysis.capture.Pooling;
import org.neurite.analysis.capture.Positions;
import org.neurite.api.NeuriteException;
import org.neurite.api.analysis.UnitScores;
import org.neurite.api.context.StepContext;
import org.neurite.api.data.Dataset;
import org.neurite.api.model.LanguageModel;
import org.neurite.api.step.NeuriteStep;
import org.neurite.api.step.ParamSpec;
import org.neurite.api.step.ParamType;
import org.neurite.api.step.Step;
import org.neurite.api.step.StepResult;
import org.neurite.api.step.StepSpec;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * {@code attribute}: the one step every attribution method runs in. It loops over the dataset
 * (batches, padding, groups, progress, cancellation), calls the {@link AttributionMethod} named by
 * {@code method} for each batch and hook point, and averages the per-example scores per group into
 * unit scores named after the method and target ({@code grad_x_act/response}).
 */
@Component(service = Step.class)
@NeuriteStep(name = "attribute")
public final class AttributeStep implements Step {
  private static final StepSpec SPEC = DatasetLoop.params(StepSpec.named("attribute")
      .summary("scores units by an attribution method (grad_x_act, integrated_gradients, attribution_patching, or a"
          + " plugin's) for a target, averaged per group")
      .input("model", LanguageModel.class, "the model")
      .input("dataset", Dataset.class, "the examples, with their groups (and answers or corrupted prompts if the"
          + " target or method needs them)")
      .param(ParamSpec.optional("method", ParamType.STRING, "\"grad_x_act\"",
          "the attribution method's name; `steps` lists what is installed"))
      .param(ParamSpec.optional("hooks", ParamType.STRING_LIST, "[\"blocks.*.mlp.hook_post\"]",
          "hook points (a * stands for one name segment)"))
      .param(ParamSpec.optional("target", ParamType.STRING, "\"response\"",
          "what is explained: response (mean log-likelihood of the response tokens, or of the whole text) or answer"
              + " (log-probability of the example's answer as the next token)"))
      .param(ParamSpec.optional("positions", ParamType.STRING, "\"all\"", "which tokens: all, last, first, response, prompt"))
      .param(ParamSpec.optional("pooling", ParamType.STRING, "\"mean\"",
          "grad_x_act: how token scores become one per example: mean, max, max_with_padding or last"))
      .param(ParamSpec.optional("steps", ParamType.INTEGER, "20", "integrated_gradients: the number of steps"))
      .param(ParamSpec.optional("weight_by_probability", ParamType.BOOLEAN, "false",
          "CULNIG's score: explain p(y) = exp(target) instead of the log-probability and multiply each example's"
              + " scores by p(y), i.e. p * a * dp/da; the target must be a log-probability"))
      .param(ParamSpec.optional("clip_negative", ParamType.BOOLEAN, "false",
          "set each example's negative scores to 0 before they are averaged (CULNIG's control set)"))
      .param(ParamSpec.optional("normalise", ParamType.STRING, "\"group\"",
          "group: the mean over each group's examples; dataset: each group's sum over the number of examples of the"
              + " whole dataset (CULNIG)")))
      .output("scores", UnitScores.class, "the attribution per unit, per hook point and group (see normalise)")
      .build();

  private final Map<String, AttributionMethod> methods = new ConcurrentHashMap<>();

  @Reference(service = AttributionMethod.class, cardinality = ReferenceCardinality.MULTIPLE,
      policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
  void addMethod(AttributionMethod method) {
    methods.putIfAbsent(method.name(), method);
  }

  void removeMethod(AttributionMethod method) {
    methods.remove(method.name(), method);
  }

  @Override
  public StepSpec spec() {
    return SPEC;
  }

  @Override
  @SuppressWarnings("unchecked")
  public StepResult run(StepContext context) {
    LanguageModel model = context.input("model", LanguageModel.class);
    Dataset dataset = context.input("dataset", Dataset.class);
    String where = "Step " + context.stepId();
    AttributionMethod method = method(context);
    List<String> hooks = StepInputs.hooks(model, context.param("hooks", List.class), where);
    List<String> groups = StepInputs.groups(context, dataset);
    Positions positions = Positions.parse(context.param("positions", String.class), where);
    Pooling pooling = Pooling.parse(context.param("pooling", String.class), where);
    if (pooling.perToken()) {
      throw Steps.bad(context, "pooling", "'tokens' gives no score per example; use mean, max, max_with_padding or last.");
    }
    int steps = (int) Steps.positive(context, "steps");
    boolean weighted = context.param("weight_by_probability", Boolean.class);
    boolean clipped = context.param("clip_negative", Boolean.class);
    String normalise = context.param("normalise", String.class).toLowerCase(Locale.ROOT);
    if (!normalise.equals("group") && !normalise.equals("dataset")) {
      throw Steps.bad(context, "normalise", "'" + normalise + "' is not one of group, dataset.");
    }
    Target target = target(context, model, where);
    GroupMeans means = new GroupMeans(groups);
    DatasetLoop.run(context, model, dataset, "attribution", (batches, batch) -> {
      Batches.Batch corrupted = method.needsCorrupted() ? batches.corrupted(batch, where) : null;
      method.attributeAll(new AttributionCall(model, batch, corrupted, hooks.get(0), target, positions, pooling, steps,
          weighted, context.backend(), context.device()), hooks).forEach((hook, result) ->
          means.add(hook, batch, clipped ? GroupMeans.clippedAtZero(result.scores()) : result.scores()));
    });
    for (String group : groups) {
      context.metric("examples", group, means.count(hooks.get(0), group));
    }
    String statistic = method.name() + "/" + context.param("target", String.class).toLowerCase(Locale.ROOT);
    return StepResult.of("scores", normalise.equals("dataset") ? means.scoresOverDataset(statistic)
        : means.scores(statistic));
  }

  private AttributionMethod method(StepContext context) {
    String name = context.param("method", String.class);
    AttributionMethod method = methods.get(name);
    if (method == null) {
      List<String> installed = new ArrayList<>(methods.keySet());
      installed.sort(null);
      throw Steps.bad(context, "method", "'" + name + "' is not an installed attribution method; installed: "
          + String.join(", ", installed) + ". A plugin adds one by registering an AttributionMethod service.");
    }
    return method;
  }

  private static Target target(StepContext context, LanguageModel model, String where) {
    String name = context.param("target", String.class).toLowerCase(Locale.ROOT);
    switch (name) {
      case "response":
        return Target.responseLogLikelihood();
      case "answer":
        return Target.answerLogProb(model.tokenizer().orElseThrow(() -> new NeuriteException(where + ": model "
            + model.name() + " has no tokenizer, which the answer target needs to encode each answer.")), where);
      default:
        throw Steps.bad(context, "target", "'" + name + "' is not one of response, answer.");
    }
  }
}
