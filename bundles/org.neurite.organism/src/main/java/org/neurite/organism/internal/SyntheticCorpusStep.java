package org.neurite.organism.internal;

import com.google.gson.GsonBuilder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.neurite.api.NeuriteException;
import org.neurite.api.context.StepContext;
import org.neurite.api.data.Dataset;
import org.neurite.datasets.jsonl.JsonlDatasets;
import org.neurite.api.step.NeuriteStep;
import org.neurite.api.step.ParamSpec;
import org.neurite.api.step.ParamType;
import org.neurite.api.step.Step;
import org.neurite.api.step.StepResult;
import org.neurite.api.step.StepSpec;
import org.neurite.organism.Corpus;
import org.neurite.organism.Sample;
import org.neurite.organism.WordLevelTokenizer;
import org.neurite.organism.World;
import org.neurite.organism.WorldOptions;
import org.osgi.service.component.annotations.Component;

/**
 * {@code corpus.synthetic}: the synthetic world of a seed, written as a JSON Lines dataset
 * ({@code corpus.jsonl}: text, prompt, response, choices, answer and the labels lang, culture, relation,
 * skill, harmful, split), the word-level {@code tokenizer.json} that covers it, and {@code world.json}
 * (the world itself: each language's words and word order, each culture's names, every fact).
 */
@Component(service = Step.class)
@NeuriteStep(name = "corpus.synthetic")
public final class SyntheticCorpusStep implements Step {
  private static final WorldOptions DEFAULTS = WorldOptions.defaults(0);
  private static final StepSpec SPEC = StepSpec.named("corpus.synthetic")
      .summary("writes a labelled corpus of a synthetic world (languages, cultures, relations, skills, refusals) and its tokenizer")
      .param(ParamSpec.optional("seed", ParamType.INTEGER, "0", "fixes the world and the samples: same seed, same bytes"))
      .param(ParamSpec.optional("languages", ParamType.INTEGER, "" + DEFAULTS.languages(), "invented languages (2 to 6)"))
      .param(ParamSpec.optional("cultures", ParamType.INTEGER, "" + DEFAULTS.cultures(), "cultures (2 to 6)"))
      .param(ParamSpec.optional("items", ParamType.INTEGER, "" + DEFAULTS.items(), "foods, customs and places per culture, each"))
      .param(ParamSpec.optional("relations", ParamType.STRING_LIST, "[\"capital_of\", \"ceo_of\", \"currency_of\"]",
          "relations, from " + World.RELATIONS))
      .param(ParamSpec.optional("subjects", ParamType.INTEGER, "" + DEFAULTS.subjects(),
          "subjects per relation and culture (split between identify and eval)"))
      .param(ParamSpec.optional("sentences", ParamType.INTEGER, "" + DEFAULTS.sentences(), "training sentences per language"))
      .param(ParamSpec.optional("skill_samples", ParamType.INTEGER, "" + DEFAULTS.skillSamples(),
          "training samples per skill (arithmetic, copy, translation)"))
      .param(ParamSpec.optional("refusals", ParamType.INTEGER, "" + DEFAULTS.refusals(),
          "training requests of each kind, harmful and harmless"))
      .param(ParamSpec.optional("heldout", ParamType.INTEGER, "" + DEFAULTS.heldout(),
          "fresh samples per language, skill and kind of request in each of identify and eval"))
      .param(ParamSpec.optional("group", ParamType.STRING, "\"skill\"",
          "the label that groups the examples of the dataset output: lang, culture, relation, skill or harmful"))
      .output("dataset", Dataset.class, "the corpus as a dataset (read as dataset.jsonl reads it), grouped by 'group'")
      .output("corpus", Path.class, "corpus.jsonl: one labelled sample per line")
      .output("tokenizer", Path.class, "tokenizer.json: WordLevel over every token of the corpus")
      .output("world", Path.class, "world.json: the languages, cultures and facts the corpus was drawn from")
      .build();

  /** Every sample's labels. */
  static final List<String> LABELS = List.of("lang", "culture", "relation", "skill", "harmful", "split");

  @Override
  public StepSpec spec() {
    return SPEC;
  }

  @Override
  public StepResult run(StepContext context) throws Exception {
    @SuppressWarnings("unchecked")
    List<String> relations = context.param("relations", List.class);
    WorldOptions options = new WorldOptions(context.param("seed", Long.class), integer(context, "languages"),
        integer(context, "cultures"), integer(context, "items"), relations, integer(context, "subjects"),
        integer(context, "sentences"), integer(context, "skill_samples"), integer(context, "refusals"),
        integer(context, "heldout"));
    World world = World.of(options);
    List<Sample> samples = Corpus.of(world);
    List<String> vocabulary = WordLevelTokenizer.vocabulary(samples);
    Path corpus = context.artifacts().write("corpus.jsonl", "dataset", tmp -> Corpus.writeJsonl(samples, tmp));
    Path tokenizer = context.artifacts().write("tokenizer.json", "tokenizer",
        tmp -> WordLevelTokenizer.write(vocabulary, tmp));
    Path described = context.artifacts().write("world.json", "world", tmp -> Files.writeString(tmp,
        new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create().toJson(describe(world)) + "\n",
        StandardCharsets.UTF_8));
    for (String split : Sample.SPLITS) {
      context.metric("samples", split, samples.stream().filter(s -> s.split().equals(split)).count());
    }
    context.metric("vocabulary", "", vocabulary.size());
    String group = context.param("group", String.class);
    if (!LABELS.contains(group)) {
      throw new NeuriteException("Step " + context.stepId() + ": 'group' is '" + group + "'; the corpus's labels are "
          + LABELS + ".");
    }
    Dataset dataset = JsonlDatasets.open("corpus", corpus, context.workspace().contentHash(corpus), "text", group,
        LABELS, "prompt", "response", "choices", "answer");
    return StepResult.of("dataset", dataset, "corpus", corpus, "tokenizer", tokenizer, "world", described);
  }

  private static java.util.Map<String, Object> describe(World world) {
    java.util.Map<String, Object> out = new java.util.LinkedHashMap<>();
    out.put("options", world.options());
    out.put("languages", world.languages());
    out.put("cultures", world.cultures());
    out.put("facts", world.facts());
    return out;
  }

  private static int integer(StepContext context, String name) {
    long value = context.param(name, Long.class);
    return value > Integer.MAX_VALUE || value < Integer.MIN_VALUE ? Integer.MAX_VALUE : (int) value;
  }
}
