package org.neurite.methods.language.internal;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.nio.file.Path;
import java.util.Locale;
import org.neurite.analysis.contrast.EntropyNormalisation;
import org.neurite.api.NeuriteException;
import org.neurite.api.analysis.NeuronSet;
import org.neurite.api.context.StepContext;
import org.neurite.api.step.NeuriteStep;
import org.neurite.api.step.ParamSpec;
import org.neurite.api.step.ParamType;
import org.neurite.api.step.Step;
import org.neurite.api.step.StepResult;
import org.neurite.api.step.StepSpec;
import org.osgi.service.component.annotations.Component;

/**
 * {@code neurons.language_classes}: language-specific, -related and general neurons (METHODS.md A5),
 * from per-language statistics of response tokens. docs/methods/language-classes.md.
 */
@Component(service = Step.class)
@NeuriteStep(name = "neurons.language_classes")
public final class LanguageClassesStep implements Step {
  private static final StepSpec SPEC = StepSpec.named("neurons.language_classes")
      .summary("language-specific / related / general neurons (A5): entropy minus lambda x max probability, lowest"
          + " top_rate, classified by how many languages pass the 95th-percentile bar; lambda searched by default")
      .input("stats", Path.class, "the manifest of a stats.units step over the MLP activations of the response"
          + " tokens (positions response), grouped by language")
      .param(ParamSpec.optional("top_rate", ParamType.NUMBER, "0.01", "the fraction of all units kept, lowest score"
          + " first"))
      .param(ParamSpec.optional("bar_ratio", ParamType.NUMBER, "0.95", "tau: this quantile of all probabilities"))
      .param(ParamSpec.optional("search_lambda", ParamType.BOOLEAN, "true", "search lambda: the largest in"
          + " [lambda_low, lambda_high] for which no selected unit is general (the authors' autosweep)"))
      .param(ParamSpec.optional("lambda", ParamType.NUMBER, "0", "the weight of the max term, when search_lambda is"
          + " false (the authors report 0.0196 for Mistral)"))
      .param(ParamSpec.optional("lambda_low", ParamType.NUMBER, "0", "the search's lower end"))
      .param(ParamSpec.optional("lambda_high", ParamType.NUMBER, "0.2", "the search's upper end"))
      .param(ParamSpec.optional("lambda_eps", ParamType.NUMBER, "0.001", "the search's resolution"))
      .param(ParamSpec.optional("normalisation", ParamType.STRING, "\"code\"", "code: H/ln(l) - lambda max p /"
          + " (H_l/l) as the authors' code computes it; paper: H - lambda max p (Eq. 5)"))
      .output("neurons", NeuronSet.class, "the selected units, as members of groups specific:LANG, related:LANG (one"
          + " per language above tau) and general")
      .output("report", Path.class, "classes.json: lambda, tau, every selected unit's class and languages, counts"
          + " per class and layer")
      .build();

  @Override
  public StepSpec spec() {
    return SPEC;
  }

  @Override
  public StepResult run(StepContext context) throws Exception {
    String where = "Step " + context.stepId();
    LanguageProbabilities p = LanguageProbabilities.ofInput(context);
    double lambda = context.param("search_lambda", Boolean.class) ? Double.NaN : context.param("lambda", Double.class);
    LanguageClasses.Options options = new LanguageClasses.Options(context.param("top_rate", Double.class),
        context.param("bar_ratio", Double.class), lambda,
        context.param("lambda_low", Double.class), context.param("lambda_high", Double.class),
        context.param("lambda_eps", Double.class), normalisation(context.param("normalisation", String.class), where));
    LanguageClasses.Result result = LanguageClasses.run(p, options, where);
    context.metric("lambda", "", result.lambda());
    context.metric("tau", "", result.tau());
    for (String kind : new String[] {"specific", "related", "general"}) {
      context.metric("units", kind, result.count(kind));
    }
    Path report = LanguageProbabilities.writeReport(context, "classes.json", report(options, result));
    return StepResult.of("neurons", result.neurons(), "report", report);
  }

  static EntropyNormalisation normalisation(String name, String where) {
    return switch (name.toLowerCase(Locale.ROOT)) {
      case "code" -> EntropyNormalisation.AUTHORS_CODE;
      case "paper" -> EntropyNormalisation.PAPER;
      default -> throw new NeuriteException(where + ": normalisation '" + name + "' is not one of code, paper.");
    };
  }

  private static JsonObject report(LanguageClasses.Options options, LanguageClasses.Result result) {
    JsonObject json = new JsonObject();
    json.addProperty("method", "language_classes");
    json.addProperty("normalisation", options.normalisation().name().toLowerCase(Locale.ROOT));
    json.addProperty("top_rate", options.topRate());
    json.addProperty("lambda", result.lambda());
    json.addProperty("lambda_searched", result.searched());
    json.addProperty("tau", result.tau());
    JsonArray units = new JsonArray();
    for (LanguageClasses.Classified c : result.units()) {
      JsonObject u = new JsonObject();
      u.addProperty("hook", c.unit().hook());
      u.addProperty("index", c.unit().index());
      u.addProperty("score", c.score());
      u.addProperty("class", c.kind());
      JsonArray languages = new JsonArray();
      c.languages().forEach(languages::add);
      u.add("languages", languages);
      units.add(u);
    }
    json.add("units", units);
    JsonObject counts = new JsonObject();
    for (String kind : new String[] {"specific", "related", "general"}) {
      JsonObject perHook = new JsonObject();
      result.perHook(kind).forEach(perHook::addProperty);
      counts.add(kind, perHook);
    }
    json.add("per_class", counts);
    return json;
  }
}
