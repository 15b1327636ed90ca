package org.neurite.analysis.internal.steps;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.neurite.analysis.select.Selection;
import org.neurite.api.analysis.NeuronSet;
import org.neurite.api.analysis.UnitScores;
import org.neurite.api.context.StepContext;
import org.neurite.api.step.NeuriteStep;
import org.neurite.api.step.ParamSpec;
import org.neurite.api.step.ParamType;
import org.neurite.api.step.Step;
import org.neurite.api.step.StepResult;
import org.neurite.api.step.StepSpec;
import org.osgi.service.component.annotations.Component;

/** {@code select}: units by a rule over unit scores, per group. */
@Component(service = Step.class)
@NeuriteStep(name = "select")
public final class SelectStep implements Step {
  private static final StepSpec SPEC = StepSpec.named("select")
      .summary("selects units by their scores, per group: top rate, top k, top k per hook point, above a value or quantile")
      .input("scores", UnitScores.class, "the unit scores")
      .param(ParamSpec.optional("rule", ParamType.STRING, "\"top_rate\"",
          "top_rate, top_k, top_k_per_hook, above or above_quantile"))
      .param(ParamSpec.optional("value", ParamType.NUMBER, "0.01",
          "the rule's value: a rate (0.01 = top 1%), a k, a threshold or a quantile"))
      .param(ParamSpec.optional("groups", ParamType.STRING_LIST, "[]", "the groups to select for; [] = every group"))
      .output("neurons", NeuronSet.class, "the selected units with their score and group")
      .build();

  @Override
  public StepSpec spec() {
    return SPEC;
  }

  @Override
  @SuppressWarnings("unchecked")
  public StepResult run(StepContext context) {
    UnitScores scores = context.input("scores", UnitScores.class);
    String rule = context.param("rule", String.class).toLowerCase(Locale.ROOT);
    double value = context.param("value", Double.class);
    List<String> groups = context.param("groups", List.class);
    if (groups.isEmpty()) {
      groups = scores.groups();
    }
    Selection selection = new Selection(scores, "Step " + context.stepId());
    List<NeuronSet.Member> members = new ArrayList<>();
    for (String group : groups) {
      NeuronSet chosen = switch (rule) {
        case "top_rate" -> selection.topRate(group, value);
        case "top_k" -> selection.topK(group, integer(context, value));
        case "top_k_per_hook" -> selection.topKPerHook(group, integer(context, value));
        case "above" -> selection.above(group, value);
        case "above_quantile" -> selection.aboveQuantile(group, value);
        default -> throw Steps.bad(context, "rule", "'" + rule + "' is not one of top_rate, top_k, top_k_per_hook, above,"
            + " above_quantile.");
      };
      members.addAll(chosen.members());
      context.metric("units", group, chosen.members().size());
      chosen.perHookCounts(group).forEach((hook, count) -> context.metric("units/" + hook, group, count));
    }
    return StepResult.of("neurons", new NeuronSet(scores.statistic() + "/" + rule + "(" + value + ")",
        scores.statistic(), members));
  }

  private static int integer(StepContext context, double value) {
    if (value != Math.rint(value) || value < 1) {
      throw Steps.bad(context, "value", value + " must be a whole number of units (at least 1) for this rule.");
    }
    return (int) value;
  }
}
