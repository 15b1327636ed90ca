package org.neurite.itests.plugin.internal;

import java.util.LinkedHashMap;
import java.util.Map;
import org.neurite.api.analysis.UnitScores;
import org.neurite.api.context.StepContext;
import org.neurite.api.step.NeuriteStep;
import org.neurite.api.step.Step;
import org.neurite.api.step.StepResult;
import org.neurite.api.step.StepSpec;
import org.osgi.service.component.annotations.Component;

/**
 * {@code itest.scores}: fixed unit scores for two groups over four units of one hook point. A value of
 * a platform type whose codec lives in another bundle (the analysis bundle's {@code unit-scores}), so
 * a test can remove this plugin and still use the recorded output.
 */
@Component
@NeuriteStep(name = "itest.scores")
public final class ScoresStep implements Step {
  /** The hook point the scores are for. */
  public static final String HOOK = "blocks.0.mlp.hook_post";

  private static final StepSpec SPEC = StepSpec.named("itest.scores")
      .summary("fixed unit scores: en favours units 1 and 3, fr units 0 and 2 (integration-test plugin)")
      .output("scores", UnitScores.class, "scores of 4 units of " + HOOK + " for groups en and fr")
      .build();

  @Override
  public StepSpec spec() {
    return SPEC;
  }

  @Override
  public StepResult run(StepContext context) {
    Map<String, float[]> byGroup = new LinkedHashMap<>();
    byGroup.put("en", new float[] {0.1f, 0.9f, 0.3f, 0.7f});
    byGroup.put("fr", new float[] {0.8f, 0.2f, 0.6f, 0.4f});
    return StepResult.of("scores", new UnitScores("itest", Map.of(HOOK, byGroup)));
  }
}
