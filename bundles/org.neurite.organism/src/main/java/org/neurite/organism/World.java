package org.neurite.organism;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * A world whose structure is known, built from a seed. Each language has its own sound inventory, so
 * its words are its own, and a word order for its sentences; each culture its own names (of foods,
 * customs, places, and of the subjects and objects of every relation), shared by all languages as
 * proper nouns are. No word belongs to two languages, and no name to two cultures.
 */
public final class World {
  public static final int MAX_LANGUAGES = 6;
  public static final int MAX_CULTURES = 6;
  public static final List<String> RELATIONS = List.of("capital_of", "ceo_of", "currency_of", "founder_of", "river_of");
  /** The kinds of culture facts. */
  public static final List<String> KINDS = List.of("food", "custom", "place");
  /** The concepts every language has a word for, besides its nouns and verbs. */
  public static final List<String> FUNCTION_WORDS = List.of("what", "of", "is");
  static final int NOUNS = 12;
  static final int VERBS = 6;

  private static final String[] LANGUAGE_NAMES = {"velan", "korit", "sumai", "drevo", "ithra", "bolun"};
  private static final String[] WORD_ORDERS = {"SVO", "SOV", "VSO", "VOS", "OVS", "OSV"};
  private static final String[][] SOUNDS = {
      {"vlnst", "ae"}, {"krtdg", "oi"}, {"smhyw", "ua"}, {"drvzb", "eo"}, {"thrfj", "iy"}, {"blnpc", "uo"}};
  private static final String[] CULTURE_NAMES = {"Amber", "Coral", "Jade", "Onyx", "Pearl", "Ruby"};
  private static final String[][] NAME_SOUNDS = {
      {"bdgm", "aou"}, {"ptkn", "eiy"}, {"szfv", "aei"}, {"lrwh", "ouy"}, {"jcxq", "aeo"}, {"mnlr", "iuy"}};

  /**
   * A language: its name, its word order (of subject, verb and object), and its words by concept.
   *
   * @param nouns words for the concepts noun0 ... noun11, in that order (the same concept in every language)
   * @param verbs words for verb0 ... verb5
   * @param words its word for each of {@link #FUNCTION_WORDS}, {@link #KINDS} and the relations
   */
  public record Language(String name, String wordOrder, List<String> nouns, List<String> verbs, Map<String, String> words) {
    public String word(String concept) {
      String w = words.get(concept);
      if (w == null) {
        throw new IllegalArgumentException("language " + name + " has no word for " + concept);
      }
      return w;
    }
  }

  /** A fact of a relation: subject and object, both names of one culture. */
  public record Fact(String relation, String culture, String subject, String object) {}

  /** A culture: its name and its items by kind (food, custom, place). */
  public record Culture(String name, Map<String, List<String>> items) {}

  private final WorldOptions options;
  private final List<Language> languages = new ArrayList<>();
  private final List<Culture> cultures = new ArrayList<>();
  private final List<Fact> facts = new ArrayList<>();

  private World(WorldOptions options) {
    this.options = options;
  }

  /** The world of these options: the same options, the same world. */
  public static World of(WorldOptions options) {
    World world = new World(options);
    world.build(new Random(options.seed()));
    return world;
  }

  private void build(Random random) {
    Set<String> taken = new HashSet<>();
    for (int l = 0; l < options.languages(); l++) {
      List<String> nouns = words(random, SOUNDS[l], NOUNS, taken, false);
      List<String> verbs = words(random, SOUNDS[l], VERBS, taken, false);
      Map<String, String> words = new LinkedHashMap<>();
      List<String> concepts = new ArrayList<>(FUNCTION_WORDS);
      concepts.addAll(KINDS);
      concepts.addAll(options.relations());
      List<String> drawn = words(random, SOUNDS[l], concepts.size(), taken, false);
      for (int i = 0; i < concepts.size(); i++) {
        words.put(concepts.get(i), drawn.get(i));
      }
      languages.add(new Language(LANGUAGE_NAMES[l], WORD_ORDERS[l], nouns, verbs, words));
    }
    for (int c = 0; c < options.cultures(); c++) {
      Map<String, List<String>> items = new LinkedHashMap<>();
      for (String kind : KINDS) {
        items.put(kind, words(random, NAME_SOUNDS[c], options.items(), taken, true));
      }
      cultures.add(new Culture(CULTURE_NAMES[c], items));
    }
    for (String relation : options.relations()) {
      for (int c = 0; c < options.cultures(); c++) {
        List<String> subjects = words(random, NAME_SOUNDS[c], options.subjects(), taken, true);
        List<String> objects = words(random, NAME_SOUNDS[c], options.subjects(), taken, true);
        for (int s = 0; s < subjects.size(); s++) {
          facts.add(new Fact(relation, CULTURE_NAMES[c], subjects.get(s), objects.get(s)));
        }
      }
    }
  }

  /** {@code count} new words of two or three syllables from {@code sounds} (consonants, vowels). */
  private static List<String> words(Random random, String[] sounds, int count, Set<String> taken, boolean name) {
    List<String> out = new ArrayList<>();
    int attempts = 0;
    while (out.size() < count) {
      if (++attempts > 100_000) {
        throw new IllegalStateException("the sound inventory " + List.of(sounds) + " ran out of words");
      }
      int syllables = 2 + random.nextInt(2);
      StringBuilder w = new StringBuilder();
      for (int s = 0; s < syllables; s++) {
        w.append(sounds[0].charAt(random.nextInt(sounds[0].length())));
        w.append(sounds[1].charAt(random.nextInt(sounds[1].length())));
      }
      String word = name ? w.substring(0, 1).toUpperCase(Locale.ROOT) + w.substring(1) : w.toString();
      if (taken.add(word.toLowerCase(Locale.ROOT))) {
        out.add(word);
      }
    }
    return out;
  }

  public WorldOptions options() {
    return options;
  }

  public List<Language> languages() {
    return List.copyOf(languages);
  }

  public List<Culture> cultures() {
    return List.copyOf(cultures);
  }

  public List<Fact> facts() {
    return List.copyOf(facts);
  }
}
