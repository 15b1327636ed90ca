package org.neurite.methods.unlearning.internal;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.neurite.api.NeuriteException;
import org.neurite.api.context.StepContext;
import org.neurite.api.step.NeuriteStep;
import org.neurite.api.step.ParamSpec;
import org.neurite.api.step.ParamType;
import org.neurite.api.step.Step;
import org.neurite.api.step.StepResult;
import org.neurite.api.step.StepSpec;
import org.osgi.service.component.annotations.Component;

/**
 * {@code eval.relative_drop}: the skill-unlearning measure (METHODS.md A3), per skill the relative
 * drop {@code (base − unlearned)/base} of a score from three {@code eval.generation} runs (base
 * model, unlearned model, random control), the forgotten skill beside the retained ones.
 */
@Component(service = Step.class)
@NeuriteStep(name = "eval.relative_drop")
public final class RelativeDropStep implements Step {
  private static final StepSpec SPEC = StepSpec.named("eval.relative_drop")
      .summary("relative drop (base - unlearned) / base per skill, beside the random control's")
      .input("base", Path.class, "the scores of eval.generation on the base model")
      .input("unlearned", Path.class, "the scores of eval.generation on the unlearned model")
      .input("control", Path.class, "the scores of eval.generation on the random control")
      .param(ParamSpec.optional("scorer", ParamType.STRING, "\"exact\"", "which score: exact, prefix, numeric"))
      .param(ParamSpec.optional("forget", ParamType.STRING, "\"arithmetic\"", "the forgotten skill, marked in the"
          + " result"))
      .output("drops", Path.class, "drops.json: per skill base, unlearned and control rates and relative drops")
      .build();

  @Override
  public StepSpec spec() {
    return SPEC;
  }

  @Override
  public StepResult run(StepContext context) throws Exception {
    String where = "Step " + context.stepId();
    String scorer = context.param("scorer", String.class);
    String forget = context.param("forget", String.class);
    JsonObject base = groups(context.input("base", Path.class), "base", where);
    JsonObject unlearned = groups(context.input("unlearned", Path.class), "unlearned", where);
    JsonObject control = groups(context.input("control", Path.class), "control", where);
    if (!base.has(forget)) {
      throw new NeuriteException(where + ": the base scores have no skill '" + forget + "' (they have "
          + base.keySet() + "); give forget one of them.");
    }
    JsonObject out = new JsonObject();
    out.addProperty("scorer", scorer);
    out.addProperty("forget", forget);
    JsonObject skills = new JsonObject();
    for (Map.Entry<String, JsonElement> e : base.entrySet()) {
      String skill = e.getKey();
      double b = rate(base, skill, scorer, "base", where);
      double u = rate(unlearned, skill, scorer, "unlearned", where);
      double c = rate(control, skill, scorer, "control", where);
      JsonObject cell = new JsonObject();
      cell.addProperty("forgotten", skill.equals(forget));
      cell.addProperty("base", b);
      cell.addProperty("unlearned", u);
      cell.addProperty("control", c);
      cell.addProperty("drop", drop(b, u));
      cell.addProperty("control_drop", drop(b, c));
      context.metric("drop", skill, drop(b, u));
      context.metric("control_drop", skill, drop(b, c));
      skills.add(skill, cell);
    }
    out.add("skills", skills);
    return StepResult.of("drops", Reports.write(context, "drops.json", out));
  }

  /** {@code (base − x)/base}; NaN when the base score is 0 (nothing to drop from). */
  static double drop(double base, double x) {
    return base == 0 ? Double.NaN : (base - x) / base;
  }

  private static JsonObject groups(Path file, String which, String where) throws Exception {
    try {
      JsonObject json = JsonParser.parseString(Files.readString(file, StandardCharsets.UTF_8)).getAsJsonObject();
      if (!json.has("groups")) {
        throw new IllegalStateException("no \"groups\"");
      }
      return json.getAsJsonObject("groups");
    } catch (RuntimeException e) {
      throw new NeuriteException(where + ": the " + which + " input " + file + " is not the scores of an eval.generation"
          + " step (" + e.getMessage() + "); bind it to ${<eval step>.scores}.");
    }
  }

  private static double rate(JsonObject groups, String skill, String scorer, String which, String where) {
    if (!groups.has(skill) || !groups.getAsJsonObject(skill).has(scorer)) {
      throw new NeuriteException(where + ": the " + which + " scores have no " + scorer + " score for skill '" + skill
          + "'; run every eval.generation on the same dataset with scorers [\"" + scorer + "\"].");
    }
    return groups.getAsJsonObject(skill).getAsJsonObject(scorer).get("rate").getAsDouble();
  }
}
