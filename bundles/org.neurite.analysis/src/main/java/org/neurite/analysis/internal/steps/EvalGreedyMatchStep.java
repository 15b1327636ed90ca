package org.neurite.analysis.internal.steps;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.nio.file.Path;
import org.neurite.analysis.batch.DatasetLoop;
import org.neurite.analysis.eval.GreedyMatch;
import org.neurite.analysis.eval.GroupAverage;
import org.neurite.analysis.intervene.IntervenedModel;
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

/**
 * {@code eval.greedy_match}: whether greedy decoding from each prompt gives its response (or its
 * first {@code prefix_tokens} tokens), per example and as a rate per group: which facts a model
 * knows (relation neurons keep only those for detection), or an intervened model's accuracy.
 */
@Component(service = Step.class)
@NeuriteStep(name = "eval.greedy_match")
public final class EvalGreedyMatchStep implements Step {
  private static final StepSpec SPEC = DatasetLoop.params(StepSpec.named("eval.greedy_match")
      .summary("whether greedy decoding from each prompt gives its response: per example and per group")
      .input("model", LanguageModel.class, "a causal model, or an intervened one")
      .input("dataset", Dataset.class, "prompts and responses, with their groups")
      .param(ParamSpec.optional("prefix_tokens", ParamType.INTEGER, "0", "how many leading response tokens must match"
          + " (relation neurons: 2); 0 for the whole response")))
      .output("matches", Path.class, "matches.json: per example (index in dataset order, id, group) whether it"
          + " matched, and the rate per group")
      .build();

  @Override
  public StepSpec spec() {
    return SPEC;
  }

  @Override
  public StepResult run(StepContext context) throws Exception {
    LanguageModel model = context.input("model", LanguageModel.class);
    Dataset dataset = context.input("dataset", Dataset.class);
    long prefix = context.param("prefix_tokens", Long.class);
    if (prefix < 0) {
      throw Steps.bad(context, "prefix_tokens", prefix + " is negative; give 0 (the whole response) or more.");
    }
    GreedyMatch greedy = new GreedyMatch(context.backend(), context.device(), (int) prefix);
    GroupAverage rate = new GroupAverage();
    JsonArray examples = new JsonArray();
    DatasetLoop.run(context, model, dataset, "greedy match", batch -> {
      boolean[] matched = greedy.matches(model, batch);
      for (int i = 0; i < matched.length; i++) {
        var x = batch.examples().get(i);
        String group = x.group() == null ? "all" : x.group();
        rate.add(group, matched[i]);
        JsonObject e = new JsonObject();
        e.addProperty("index", examples.size());
        e.addProperty("id", x.example().id());
        e.addProperty("group", group);
        e.addProperty("match", matched[i]);
        examples.add(e);
      }
    });
    JsonObject groups = new JsonObject();
    for (String g : rate.groups()) {
      JsonObject entry = new JsonObject();
      entry.addProperty("rate", rate.mean(g));
      entry.addProperty("examples", rate.count(g));
      groups.add(g, entry);
      context.metric("rate", g, rate.mean(g));
    }
    JsonObject out = new JsonObject();
    out.addProperty("kind", "greedy-matches");
    out.addProperty("model", model instanceof IntervenedModel intervened ? intervened.label() : model.name());
    out.addProperty("prefix_tokens", prefix);
    out.add("groups", groups);
    out.add("examples", examples);
    Path file = Steps.writeJson(context, "matches.json", "matches", out);
    return StepResult.of("matches", file);
  }
}
