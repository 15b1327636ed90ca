package org.neurite.datasets.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neurite.api.NeuriteException;
import org.neurite.api.data.Example;
import org.neurite.support.files.ContentHash;

class FileDatasetTest {
  @TempDir Path dir;

  private FileDataset dataset(String format, Path file, Fields fields, String delimiter) throws java.io.IOException {
    var options = FileDatasetStep.fieldsOption(fields);
    if (delimiter != null) {
      options.addProperty("delimiter", delimiter);
    }
    return new FileDataset("d", format, file, ContentHash.sha256(file), options);
  }

  private static List<Example> all(FileDataset dataset) {
    try (Stream<Example> examples = dataset.examples()) {
      return examples.toList();
    }
  }

  @Test
  void jsonlReadsFieldsAndSkipsBlankLines() throws Exception {
    Path file = Files.writeString(dir.resolve("a.jsonl"),
        "{\"text\": \"hello\", \"lang\": \"en\", \"n\": 3}\n\n{\"text\": \"salut\", \"lang\": \"fr\", \"n\": 4}\n");
    List<Example> examples = all(dataset("jsonl", file, new Fields("text", "n", "lang", ""), null));
    assertEquals(List.of(new Example(1, "1", "hello", "3", "en"), new Example(3, "3", "salut", "4", "fr")), examples);
  }

  @Test
  void malformedJsonLineIsReportedWithItsNumber() throws Exception {
    Path file = Files.writeString(dir.resolve("bad.jsonl"), "{\"text\": \"ok\"}\n{\"text\": \"broken\"\n");
    NeuriteException error = assertThrows(NeuriteException.class, () -> all(dataset("jsonl", file, new Fields("text", "", "", ""), null)));
    assertTrue(error.getMessage().startsWith(file + ":2: not valid JSON"), error.getMessage());
  }

  @Test
  void missingTextFieldNamesTheKeysThatExist() throws Exception {
    Path file = Files.writeString(dir.resolve("b.jsonl"), "{\"sentence\": \"ok\"}\n");
    NeuriteException error = assertThrows(NeuriteException.class, () -> all(dataset("jsonl", file, new Fields("text", "", "", ""), null)));
    assertTrue(error.getMessage().contains(":1: the text field \"text\" is missing; its keys are [sentence]"), error.getMessage());
  }

  @Test
  void csvHandlesQuotesDelimitersAndNewlinesInFields() throws Exception {
    Path file = Files.writeString(dir.resolve("c.csv"),
        "id,text,group\n1,plain,a\n2,\"with, comma and \"\"quotes\"\"\",b\n3,\"two\nlines\",c\n4,last,a\n");
    List<Example> examples = all(dataset("csv", file, new Fields("text", "", "group", "id"), ","));
    assertEquals(4, examples.size());
    assertEquals("with, comma and \"quotes\"", examples.get(1).text());
    assertEquals("two\nlines", examples.get(2).text());
    assertEquals(6, examples.get(3).line(), "line numbers count the physical lines");
    assertNull(examples.get(0).label());
  }

  @Test
  void csvRowWithWrongFieldCountIsReported() throws Exception {
    Path file = Files.writeString(dir.resolve("d.csv"), "text,group\nfine,a\ntoo,many,fields\n");
    NeuriteException error = assertThrows(NeuriteException.class, () -> all(dataset("csv", file, new Fields("text", "", "group", ""), ",")));
    assertTrue(error.getMessage().startsWith(file + ":3: 3 fields, but the header has 2"), error.getMessage());
  }

  @Test
  void csvMissingColumnListsTheHeader() throws Exception {
    Path file = Files.writeString(dir.resolve("e.csv"), "sentence\nx\n");
    NeuriteException error = assertThrows(NeuriteException.class, () -> all(dataset("csv", file, new Fields("text", "", "", ""), ",")));
    assertTrue(error.getMessage().contains(":1: no column \"text\" in the header [sentence]"), error.getMessage());
  }

  @Test
  void textFileGivesOneExamplePerNonBlankLine() throws Exception {
    Path file = Files.writeString(dir.resolve("f.txt"), "one\n\n  two  \n");
    List<Example> examples = all(dataset("text", file, new Fields("", "", "de", ""), null));
    assertEquals(List.of(new Example(1, "1", "one", null, "de"), new Example(3, "3", "two", null, "de")), examples);
  }

  @Test
  void persistedFormRoundTripsAndCarriesTheHash() throws Exception {
    Path file = Files.writeString(dir.resolve("g.jsonl"), "{\"text\": \"x\"}\n");
    FileDataset dataset = dataset("jsonl", file, new Fields("text", "", "", ""), null);
    FileDataset back = FileDataset.fromPersistedForm(dataset.persistedForm());
    assertEquals(dataset.persistedForm(), back.persistedForm());
    assertTrue(dataset.persistedForm().contains(ContentHash.sha256(file)));
    assertEquals(all(dataset), all(back));
  }

  @Test
  void aChatDatasetSaysSoAndKeepsItThroughItsPersistedForm() throws Exception {
    Path file = Files.writeString(dir.resolve("c.jsonl"), "{\"text\": \"Hi\"}\n");
    FileDataset plain = dataset("jsonl", file, new Fields("text", "", "", ""), null);
    var options = FileDatasetStep.fieldsOption(new Fields("text", "", "", ""));
    options.addProperty("chat", true);
    FileDataset chat = new FileDataset("d", "jsonl", file, ContentHash.sha256(file), options);
    assertFalse(plain.chat());
    assertTrue(chat.chat());
    assertTrue(FileDataset.fromPersistedForm(chat.persistedForm()).chat());
    assertFalse(FileDataset.fromPersistedForm(plain.persistedForm()).chat());
    assertFalse(plain.persistedForm().contains("chat"), "a plain dataset's form (its memo key) is as before");
  }

  /** 200,000 lines streamed: the heap in use afterwards does not hold the file. */
  @Test
  void largeFileIsStreamed() throws Exception {
    Path file = dir.resolve("big.jsonl");
    try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      for (int i = 0; i < 200_000; i++) {
        out.write("{\"text\": \"sentence number " + i + " with some padding to make it longer\", \"g\": \"" + (i % 3) + "\"}\n");
      }
    }
    FileDataset dataset = dataset("jsonl", file, new Fields("text", "", "g", ""), null);
    long count;
    try (Stream<Example> examples = dataset.examples()) {
      count = examples.filter(e -> e.group().equals("1")).count();
    }
    assertEquals(66_667, count);
  }
}
