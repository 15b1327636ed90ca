package org.neurite.datasets.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neurite.api.NeuriteException;
import org.neurite.api.data.Example;
import org.neurite.support.files.ContentHash;

/** The where parameter: only matching records become examples, in JSON Lines and CSV alike. */
class RecordFilterTest {
  @TempDir Path dir;

  private List<String> ids(String format, String content, List<String> where) throws Exception {
    Path file = Files.writeString(dir.resolve("d." + format), content);
    var options = FileDatasetStep.fieldsOption(new Fields("text", "", "lang", "id"));
    if (format.equals("csv")) {
      options.addProperty("delimiter", ",");
    }
    options.add("where", RecordFilter.parse(where, "test").toJson());
    FileDataset dataset = new FileDataset("d", format, file, ContentHash.sha256(file), options);
    // the filter travels with the persisted form, so a restored dataset reads the same examples
    FileDataset restored = FileDataset.fromPersistedForm(dataset.persistedForm());
    try (Stream<Example> examples = restored.examples()) {
      return examples.map(Example::id).toList();
    }
  }

  @Test
  void keepsRecordsWhoseFieldsHoldOneOfTheValues() throws Exception {
    String jsonl = "{\"id\": \"a\", \"text\": \"x\", \"lang\": \"velan\", \"split\": \"eval\", \"harmful\": true, \"n\": 3}\n"
        + "{\"id\": \"b\", \"text\": \"x\", \"lang\": \"korit\", \"split\": \"train\", \"harmful\": false, \"n\": 3}\n"
        + "{\"id\": \"c\", \"text\": \"x\", \"lang\": \"sumai\", \"split\": \"eval\", \"harmful\": false, \"n\": 4}\n"
        + "{\"id\": \"d\", \"text\": \"x\", \"lang\": \"velan\"}\n";
    assertEquals(List.of("a", "c"), ids("jsonl", jsonl, List.of("split=eval")));
    assertEquals(List.of("a"), ids("jsonl", jsonl, List.of("split=eval", "harmful=true")));
    assertEquals(List.of("a", "b"), ids("jsonl", jsonl, List.of("n=3")));
    assertEquals(List.of("a", "b", "d"), ids("jsonl", jsonl, List.of("lang=velan|korit")));
    assertEquals(List.of("a", "b", "c", "d"), ids("jsonl", jsonl, List.of()));
    String csv = "id,text,lang,split\na,x,velan,eval\nb,x,korit,train\nc,x,sumai,eval\n";
    assertEquals(List.of("a", "c"), ids("csv", csv, List.of("split=eval")));
    assertEquals(List.of("b"), ids("csv", csv, List.of("split=train|dev")));
  }

  @Test
  void malformedConditionsSayHowToWriteThem() {
    for (String bad : List.of("split", "=eval", "split=", "split=a||b")) {
      NeuriteException e = assertThrows(NeuriteException.class, () -> RecordFilter.parse(List.of(bad), "Step data"));
      assertTrue(e.getMessage().startsWith("Step data: the where condition \"" + bad + "\""), e.getMessage());
    }
    NeuriteException twice = assertThrows(NeuriteException.class,
        () -> RecordFilter.parse(List.of("split=a", "split=b"), "Step data"));
    assertTrue(twice.getMessage().contains("split=a|b"), twice.getMessage());
  }

  @Test
  void aCsvFilterOnAMissingColumnIsOneMessageAtTheHeader() throws Exception {
    NeuriteException e = assertThrows(NeuriteException.class,
        () -> ids("csv", "id,text,lang\na,x,velan\n", List.of("split=eval")));
    assertTrue(e.getMessage().contains("no column \"split\""), e.getMessage());
  }
}
