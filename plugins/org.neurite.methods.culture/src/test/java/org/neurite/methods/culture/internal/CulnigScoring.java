package org.neurite.methods.culture.internal;

import java.util.List;
import java.util.TreeSet;
import org.neurite.analysis.attribution.Attributions;
import org.neurite.analysis.attribution.GroupMeans;
import org.neurite.analysis.attribution.Target;
import org.neurite.analysis.batch.Batches;
import org.neurite.analysis.batch.Tokenization;
import org.neurite.analysis.capture.Pooling;
import org.neurite.analysis.capture.Positions;
import org.neurite.analysis.conformance.PlantedTestbed;
import org.neurite.api.analysis.UnitScores;
import org.neurite.api.data.Example;
import org.neurite.api.model.LanguageModel;
import org.neurite.api.model.TokenBatch;

/**
 * CULNIG's scores of a set of examples as the workflow's {@code attribute} step computes them
 * (grad_x_act, target answer, positions all, pooling max, weight_by_probability, normalise dataset,
 * clip_negative for a control set), composed from the same primitives: left-padded batches, the
 * group of each example its country.
 */
final class CulnigScoring {
  private CulnigScoring() {}

  static UnitScores score(LanguageModel model, List<Example> examples, List<String> hooks, boolean control,
      int batchSize) {
    TreeSet<String> groups = new TreeSet<>();
    examples.forEach(x -> groups.add(x.group()));
    GroupMeans sums = new GroupMeans(List.copyOf(groups));
    Attributions attributions = new Attributions(PlantedTestbed.BACKEND, "cpu");
    Target target = Target.answerLogProb(model.tokenizer().orElseThrow(), "test");
    Batches batches = new Batches(examples.stream(), new Tokenization(model, 256), "group", batchSize,
        TokenBatch.Padding.LEFT);
    while (batches.hasNext()) {
      Batches.Batch batch = batches.next();
      attributions.gradientTimesActivation(model, batch, hooks, target, Positions.ALL, Pooling.MAX, true)
          .forEach((hook, result) -> sums.add(hook, batch, control ? GroupMeans.clippedAtZero(result.scores())
              : result.scores()));
    }
    return sums.scoresOverDataset("grad_x_act/answer");
  }

  /** Every gate_proj and q/k/v hook point of the model (and up_proj, which CULNIG scores but never selects). */
  static List<String> hooks(LanguageModel model) {
    List<String> hooks = new java.util.ArrayList<>();
    for (int l = 0; l < model.spec().layers(); l++) {
      for (String site : new String[] {"attn.hook_q", "attn.hook_k", "attn.hook_v", "mlp.hook_pre",
          "mlp.hook_pre_linear"}) {
        hooks.add("blocks." + l + "." + site);
      }
    }
    return hooks;
  }
}
