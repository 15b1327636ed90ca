package org.neurite.datasets.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neurite.api.NeuriteException;
import org.neurite.api.data.Example;
import org.neurite.support.files.ContentHash;

/** The fields methods need: prompt + response, several labels, multiple choice, patching pairs, ids. */
class MethodFieldsTest {
  @TempDir Path dir;

  private static Fields fields(String text, List<String> labels, String prompt, String response, List<String> choices,
      String answer, String corrupted, String target, String corruptedTarget, String ids) {
    return new Fields(text, "", "lang", "", labels, prompt, response, choices, answer, corrupted, target, corruptedTarget,
        ids);
  }

  private List<Example> read(String format, String name, String content, Fields fields) throws Exception {
    Path file = Files.writeString(dir.resolve(name), content);
    var options = FileDatasetStep.fieldsOption(fields);
    if (format.equals("csv")) {
      options.addProperty("delimiter", ",");
    }
    FileDataset dataset = new FileDataset("d", format, file, ContentHash.sha256(file), options);
    try (Stream<Example> examples = dataset.examples()) {
      return examples.toList();
    }
  }

  @Test
  void promptAndResponseMakeTheTextAndKeepTheirBoundary() throws Exception {
    List<Example> examples = read("jsonl", "chat.jsonl",
        "{\"q\": \"Capital of France?\", \"a\": \" Paris.\", \"lang\": \"en\", \"culture\": \"fr\", \"split\": \"test\"}\n",
        fields("", List.of("culture", "split"), "q", "a", List.of(), "", "", "", "", ""));
    Example e = examples.get(0);
    assertEquals("Capital of France? Paris.", e.text());
    assertEquals(new Example.Completion("Capital of France?", " Paris."), e.completion());
    assertEquals("en", e.group());
    assertEquals(Map.of("culture", "fr", "split", "test"), e.labels());
  }

  @Test
  void multipleChoiceTakesAListOrOneFieldPerOptionAndAnIndexLetterOrText() throws Exception {
    List<Example> list = read("jsonl", "mcq.jsonl",
        "{\"question\": \"2+2?\", \"options\": [\"3\", \"4\", \"5\"], \"gold\": 1, \"lang\": \"en\"}\n"
            + "{\"question\": \"3+3?\", \"options\": [\"6\", \"7\"], \"gold\": \"A\", \"lang\": \"en\"}\n"
            + "{\"question\": \"5+5?\", \"options\": [\"1\", \"10\"], \"gold\": \"1\", \"lang\": \"en\"}\n",
        fields("question", List.of(), "", "", List.of("options"), "gold", "", "", "", ""));
    assertEquals(new Example.Choices(List.of("3", "4", "5"), 1), list.get(0).choices());
    assertEquals("B", list.get(0).choices().answerLetter());
    assertEquals(0, list.get(1).choices().answer(), "a letter");
    assertEquals(1, list.get(2).choices().answer(), "a number is an index, even where a choice has that text");

    List<Example> columns = read("csv", "mcq.csv", "question,A,B,C,D,answer,lang\nWhich?,w,x,y,z,C,en\n",
        fields("question", List.of(), "", "", List.of("A", "B", "C", "D"), "answer", "", "", "", ""));
    assertEquals(new Example.Choices(List.of("w", "x", "y", "z"), 2), columns.get(0).choices());
  }

  @Test
  void anAnswerOutOfRangeNamesTheLineAndTheRange() {
    NeuriteException e = assertThrows(NeuriteException.class, () -> read("jsonl", "bad.jsonl",
        "{\"question\": \"ok?\", \"options\": [\"a\", \"b\"], \"gold\": 0, \"lang\": \"en\"}\n"
            + "{\"question\": \"2+2?\", \"options\": [\"3\", \"4\", \"5\", \"6\"], \"gold\": 4, \"lang\": \"en\"}\n",
        fields("question", List.of(), "", "", List.of("options"), "gold", "", "", "", "")));
    assertTrue(e.getMessage().endsWith("bad.jsonl:2: the answer 4 is out of range for 4 choices; give an index 0-3 or a"
        + " letter A-D."), e.getMessage());
    NeuriteException text = assertThrows(NeuriteException.class, () -> read("jsonl", "bad2.jsonl",
        "{\"question\": \"2+2?\", \"options\": [\"3\", \"4\"], \"gold\": \"four\", \"lang\": \"en\"}\n",
        fields("question", List.of(), "", "", List.of("options"), "gold", "", "", "", "")));
    assertTrue(text.getMessage().contains(":1: the answer \"four\" is none of the choices [3, 4]"), text.getMessage());
  }

  @Test
  void aMissingLabelFieldNamesTheKeysAndTheParameter() {
    NeuriteException e = assertThrows(NeuriteException.class, () -> read("jsonl", "l.jsonl",
        "{\"text\": \"hi\", \"lang\": \"en\"}\n", fields("text", List.of("culture"), "", "", List.of(), "", "", "", "", "")));
    assertTrue(e.getMessage().endsWith("l.jsonl:1: the field \"culture\" is missing; its keys are [text, lang]. Fix the"
        + " line, or set the step's labels parameter to another field."), e.getMessage());
  }

  @Test
  void cleanCorruptedPairsAndPreTokenisedIds() throws Exception {
    List<Example> pairs = read("jsonl", "pairs.jsonl",
        "{\"clean\": \"The Eiffel Tower is in\", \"corrupt\": \"The Colosseum is in\", \"a\": \" Paris\","
            + " \"b\": \" Rome\", \"lang\": \"en\", \"tok\": [464, 412, 3]}\n",
        fields("clean", List.of(), "", "", List.of(), "", "corrupt", "a", "b", "tok"));
    Example e = pairs.get(0);
    assertEquals(new Example.Contrast("The Colosseum is in", " Paris", " Rome"), e.contrast());
    assertArrayEquals(new long[] {464, 412, 3}, e.ids());

    List<Example> answers = read("jsonl", "facts.jsonl", "{\"prompt\": \"The Eiffel Tower is in\", \"a\": \" Paris\", \"lang\": \"en\"}\n",
        fields("prompt", List.of(), "", "", List.of(), "", "", "a", "", ""));
    assertEquals(new Example.Contrast(null, " Paris", null), answers.get(0).contrast(),
        "a target alone is the answer the prompt should get (knowledge neurons), no pair");

    List<Example> idsOnly = read("csv", "ids.csv", "tok,lang\n\"3 17 42\",en\n",
        fields("text", List.of(), "", "", List.of(), "", "", "", "", "tok"));
    assertArrayEquals(new long[] {3, 17, 42}, idsOnly.get(0).ids());
    assertNull(idsOnly.get(0).text(), "no text column: the ids are the input");
    NeuriteException bad = assertThrows(NeuriteException.class, () -> read("jsonl", "badids.jsonl",
        "{\"tok\": [1, -2], \"lang\": \"en\"}\n", fields("", List.of(), "", "", List.of(), "", "", "", "", "tok")));
    assertTrue(bad.getMessage().contains(":1: the ids field \"tok\" must hold token ids (integers >= 0); element 1 is -2."),
        bad.getMessage());
  }

  @Test
  void fieldsRecordedBeforeTheyExistedReadAsEmpty() {
    var old = new com.google.gson.JsonObject();
    old.addProperty("text", "text");
    old.addProperty("label", "");
    old.addProperty("group", "lang");
    old.addProperty("id", "");
    assertEquals(new Fields("text", "", "lang", ""), Fields.fromJson(old), "a dataset recorded by an older Neurite");
  }
}
