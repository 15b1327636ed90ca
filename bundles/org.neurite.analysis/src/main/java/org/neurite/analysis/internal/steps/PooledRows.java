package org.neurite.analysis.internal.steps;

import java.util.List;
import org.neurite.analysis.capture.Pooling;
import org.neurite.analysis.capture.Positions;
import org.neurite.api.context.StepContext;
import org.neurite.api.hook.Hooks;
import org.neurite.api.model.LanguageModel;
import org.neurite.api.step.ParamSpec;
import org.neurite.api.step.ParamType;
import org.neurite.api.step.StepSpec;

/**
 * Which values become rows, as the steps that read hook points over a dataset ({@code stats.units},
 * {@code capture}) take it: the hook points, the positions, and how they are pooled.
 */
record PooledRows(List<String> hooks, Positions positions, Pooling pooling) {

  static StepSpec.Builder params(StepSpec.Builder spec) {
    return spec
        .param(ParamSpec.optional("hooks", ParamType.STRING_LIST, "[\"blocks.*.mlp.hook_post\"]",
            "hook points (a * stands for one name segment)"))
        .param(ParamSpec.optional("positions", ParamType.STRING, "\"all\"",
            "which tokens: all, last, first, response, prompt"))
        .param(ParamSpec.optional("pooling", ParamType.STRING, "\"tokens\"",
            "rows: tokens (one per token), or one per example: mean, max, max_with_padding, last"));
  }

  @SuppressWarnings("unchecked")
  static PooledRows of(StepContext context, LanguageModel model) {
    String where = "Step " + context.stepId();
    return new PooledRows(StepInputs.hooks(model, context.param("hooks", List.class), where),
        Positions.parse(context.param("positions", String.class), where),
        Pooling.parse(context.param("pooling", String.class), where));
  }

  /** Hooks that record every one of the hook points. */
  Hooks recording() {
    Hooks record = Hooks.none();
    for (String hook : hooks) {
      record = record.record(hook);
    }
    return record;
  }
}
