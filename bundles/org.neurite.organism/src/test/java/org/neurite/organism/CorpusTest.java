package org.neurite.organism;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neurite.api.NeuriteException;
import org.neurite.api.model.TextTokenizer;
import org.neurite.backend.djl.internal.DjlTensorBackend;

/** The synthetic world: reproducible to the byte, every label present, covered by its own tokenizer. */
class CorpusTest {
  private static final List<String> LABELS = List.of("lang", "culture", "relation", "skill", "harmful", "split");
  @TempDir Path dir;

  private Path write(WorldOptions options, String name) throws Exception {
    Path file = dir.resolve(name);
    Corpus.writeJsonl(Corpus.of(World.of(options)), file);
    return file;
  }

  private static List<JsonObject> lines(Path file) throws Exception {
    return Files.readAllLines(file).stream().map(l -> JsonParser.parseString(l).getAsJsonObject()).toList();
  }

  @Test
  void theSameSeedGivesTheSameBytesAndAnotherSeedOthers() throws Exception {
    Path a = write(WorldOptions.defaults(5), "a.jsonl");
    Path b = write(WorldOptions.defaults(5), "b.jsonl");
    Path c = write(WorldOptions.defaults(6), "c.jsonl");
    assertEquals(-1L, Files.mismatch(a, b));
    assertNotEquals(-1L, Files.mismatch(a, c));
    Path ta = dir.resolve("a.json");
    Path tb = dir.resolve("b.json");
    WordLevelTokenizer.write(WordLevelTokenizer.vocabulary(Corpus.of(World.of(WorldOptions.defaults(5)))), ta);
    WordLevelTokenizer.write(WordLevelTokenizer.vocabulary(Corpus.of(World.of(WorldOptions.defaults(5)))), tb);
    assertEquals(-1L, Files.mismatch(ta, tb));
  }

  @Test
  void everySampleCarriesEveryLabelAndEveryGroupOccurs() throws Exception {
    WorldOptions options = new WorldOptions(9, 4, 3, 4, List.of("capital_of", "ceo_of"), 4, 20, 10, 10, 5);
    World world = World.of(options);
    List<JsonObject> lines = lines(write(options, "c.jsonl"));
    for (JsonObject o : lines) {
      for (String key : LABELS) {
        assertTrue(o.has(key), o + " lacks " + key);
      }
      assertEquals(o.get("prompt").getAsString() + o.get("response").getAsString(), o.get("text").getAsString());
      assertEquals(o.get("response").getAsString(), o.getAsJsonArray("choices").get(o.get("answer").getAsInt())
          .getAsString(), o.toString());
    }
    assertEquals(Set.of("velan", "korit", "sumai", "drevo", "none"), values(lines, "lang"));
    assertEquals(Set.of("Amber", "Coral", "Jade", "none"), values(lines, "culture"));
    assertEquals(Set.of("capital_of", "ceo_of", "none"), values(lines, "relation"));
    assertEquals(Set.of("language", "culture", "relation", "arithmetic", "copy", "translation", "refusal"),
        values(lines, "skill"));
    assertEquals(Set.of("true", "false"), values(lines, "harmful"));
    assertEquals(Set.of("train", "identify", "eval"), values(lines, "split"));
    for (JsonObject o : lines) {
      boolean refused = o.get("response").getAsString().equals(Corpus.REFUSAL);
      assertEquals(o.get("harmful").getAsBoolean(), refused, o.toString());
    }
    Set<String> identify = subjects(lines, "identify");
    Set<String> eval = subjects(lines, "eval");
    assertEquals(2 * 3 * 2, identify.size(), "half the subjects of each relation and culture");
    assertEquals(2 * 3 * 2, eval.size());
    assertTrue(identify.stream().noneMatch(eval::contains), "a subject in both identify and eval");
    assertTrue(subjects(lines, "train").containsAll(identify) && subjects(lines, "train").containsAll(eval),
        "every fact is trained on");
    Set<String> seen = new HashSet<>();
    for (World.Language l : world.languages()) {
      Set<String> words = new HashSet<>(l.nouns());
      words.addAll(l.verbs());
      words.addAll(l.words().values());
      for (String w : words) {
        assertTrue(seen.add(w), w + " belongs to two languages");
      }
    }
    assertEquals(4, world.languages().stream().map(World.Language::wordOrder).distinct().count());
  }

  private static Set<String> values(List<JsonObject> lines, String key) {
    return lines.stream().map(o -> o.get(key).getAsString()).collect(Collectors.toCollection(TreeSet::new));
  }

  private static Set<String> subjects(List<JsonObject> lines, String split) {
    return lines.stream().filter(o -> o.get("skill").getAsString().equals("relation"))
        .filter(o -> o.get("split").getAsString().equals(split))
        .map(o -> o.get("relation").getAsString() + " " + last(o.get("prompt").getAsString()))
        .collect(Collectors.toSet());
  }

  private static String last(String text) {
    String[] words = text.split(" ");
    return words[words.length - 1];
  }

  @Test
  void itsTokenizerCoversEveryTextAndChoiceWithNoUnknownToken() throws Exception {
    List<Sample> samples = Corpus.of(World.of(WorldOptions.defaults(3)));
    List<String> vocabulary = WordLevelTokenizer.vocabulary(samples);
    Path file = dir.resolve("tokenizer.json");
    WordLevelTokenizer.write(vocabulary, file);
    DjlTensorBackend backend = new DjlTensorBackend();
    try (NDManager owner = backend.newScope("cpu")) {
      TextTokenizer tokenizer = backend.tokenizer(file, owner);
      int unknown = vocabulary.indexOf("<unk>");
      long tokens = 0;
      for (Sample s : samples) {
        for (String text : concat(s.text(), s.choices())) {
          long[] ids = tokenizer.encode(text, false);
          assertTrue(Arrays.stream(ids).noneMatch(id -> id == unknown), "unknown token in " + text);
          assertEquals(text.trim(), tokenizer.decode(ids), "decoding gives the words back");
          assertEquals(text.trim().split(" ").length, ids.length, "one id per word of " + text);
          tokens += ids.length;
        }
      }
      assertTrue(tokens > 10_000, tokens + " tokens");
      assertEquals(List.of((long) unknown), Arrays.stream(tokenizer.encode("zzqx", false)).boxed().toList(),
          "a word outside the corpus is the unknown token");
    }
  }

  private static List<String> concat(String first, List<String> rest) {
    List<String> all = new java.util.ArrayList<>(rest);
    all.add(0, first);
    return all;
  }

  @Test
  void theCorpusReadsAsDatasetJsonlReadsItWithEveryField() throws Exception {
    List<Sample> samples = Corpus.of(World.of(WorldOptions.defaults(4)));
    Path file = write(WorldOptions.defaults(4), "d.jsonl");
    var dataset = org.neurite.datasets.jsonl.JsonlDatasets.open("corpus", file, "sha", "text", "lang", LABELS, "prompt",
        "response", "choices", "answer");
    List<org.neurite.api.data.Example> examples;
    try (var stream = dataset.examples()) {
      examples = stream.toList();
    }
    assertEquals(samples.size(), examples.size());
    for (int i = 0; i < samples.size(); i++) {
      Sample s = samples.get(i);
      org.neurite.api.data.Example e = examples.get(i);
      assertEquals(s.id(), e.id());
      assertEquals(s.text(), e.text());
      assertEquals(new org.neurite.api.data.Example.Completion(s.prompt(), s.response()), e.completion());
      assertEquals(new org.neurite.api.data.Example.Choices(s.choices(), s.answer()), e.choices());
      assertEquals(s.lang(), e.group());
      assertEquals(s.split(), e.labelOf("split").orElseThrow());
      assertEquals(Boolean.toString(s.harmful()), e.labelOf("harmful").orElseThrow());
    }
  }

  @Test
  void badSizesAreRefusedByName() {
    NeuriteException languages = assertThrows(NeuriteException.class, () -> new WorldOptions(1, 7, 3, 4,
        List.of("capital_of"), 4, 1, 1, 1, 1));
    assertEquals("Corpus parameter 'languages' is 7; it must be from 2 to 6.", languages.getMessage());
    NeuriteException relation = assertThrows(NeuriteException.class, () -> new WorldOptions(1, 3, 3, 4,
        List.of("mayor_of"), 4, 1, 1, 1, 1));
    assertEquals("Corpus parameter 'relations' names 'mayor_of'; the world has the relations " + World.RELATIONS + ".",
        relation.getMessage());
  }
}
