package org.neurite.organism;

import java.util.List;
import org.neurite.api.NeuriteException;

/**
 * The sizes of a synthetic world and of the corpus drawn from it.
 *
 * @param seed fixes every choice: the same options give the same bytes
 * @param languages how many invented languages (2 to {@value World#MAX_LANGUAGES})
 * @param cultures how many cultures (2 to {@value World#MAX_CULTURES})
 * @param items foods, customs and places per culture, each (at least 2)
 * @param relations the relations, from {@link World#RELATIONS}
 * @param subjects subjects per relation and culture (at least 2: they are split between identify and eval)
 * @param sentences training sentences per language
 * @param skillSamples training samples per skill (arithmetic, copy, translation)
 * @param refusals training prompts of each kind, harmful and harmless
 * @param heldout fresh samples per language, skill and kind of prompt in each of the identify and eval splits
 */
public record WorldOptions(long seed, int languages, int cultures, int items, List<String> relations, int subjects,
    int sentences, int skillSamples, int refusals, int heldout) {

  public WorldOptions {
    relations = List.copyOf(relations);
    range("languages", languages, 2, World.MAX_LANGUAGES);
    range("cultures", cultures, 2, World.MAX_CULTURES);
    range("items", items, 2, 50);
    range("subjects", subjects, 2, 50);
    range("sentences", sentences, 1, 100_000);
    range("skill_samples", skillSamples, 1, 100_000);
    range("refusals", refusals, 1, 100_000);
    range("heldout", heldout, 1, 100_000);
    if (relations.isEmpty()) {
      throw new NeuriteException("Corpus parameter 'relations' is empty; name at least one of " + World.RELATIONS + ".");
    }
    for (String r : relations) {
      if (!World.RELATIONS.contains(r)) {
        throw new NeuriteException("Corpus parameter 'relations' names '" + r + "'; the world has the relations "
            + World.RELATIONS + ".");
      }
    }
    if (relations.stream().distinct().count() != relations.size()) {
      throw new NeuriteException("Corpus parameter 'relations' names a relation twice: " + relations + ".");
    }
  }

  /** The defaults of the step {@code corpus.synthetic}. */
  public static WorldOptions defaults(long seed) {
    return new WorldOptions(seed, 3, 3, 4, List.of("capital_of", "ceo_of", "currency_of"), 4, 60, 40, 30, 10);
  }

  private static void range(String name, int value, int low, int high) {
    if (value < low || value > high) {
      throw new NeuriteException("Corpus parameter '" + name + "' is " + value + "; it must be from " + low + " to "
          + high + ".");
    }
  }
}
