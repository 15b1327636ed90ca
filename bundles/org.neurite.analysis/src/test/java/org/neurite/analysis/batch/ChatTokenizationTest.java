package org.neurite.analysis.batch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neurite.analysis.conformance.PlantedTestbed;
import org.neurite.api.NeuriteException;
import org.neurite.api.data.Example;
import org.neurite.api.model.TextTokenizer;
import org.neurite.testbed.PlantedModel;

/**
 * A chat dataset as the model reads it: each text a user message in the model's chat template with
 * the generation prompt, encoded without further special tokens; a response follows the rendered
 * prompt; a model without a template is one clear message.
 */
class ChatTokenizationTest {
  @TempDir static Path dir;
  static PlantedTestbed planted;

  @BeforeAll
  static void load() throws Exception {
    planted = new PlantedTestbed(dir, new PlantedModel().groups(3).plantedPerGroup(2).dMlp(32).seed(3), "float32", 1);
  }

  @AfterAll
  static void close() {
    planted.close();
  }

  @Test
  void textsAndPromptsAreWrappedInTheModelsTemplate() throws Exception {
    Tokenization plain = new Tokenization(planted.model, 64);
    NeuriteException none = assertThrows(NeuriteException.class, plain::withChat);
    assertTrue(none.getMessage().contains("has no chat template"), none.getMessage());

    Files.writeString(planted.model.source().resolve("chat_template.jinja"),
        "{% for m in messages %}g1_0 {{ m.content }}{% endfor %}{% if add_generation_prompt %} g2_0{% endif %}");
    Tokenization chat = plain.withChat();
    TextTokenizer tokenizer = planted.model.tokenizer().orElseThrow();
    assertEquals("g1_0 g0_1 g0_2 g2_0", chat.promptText("g0_1 g0_2"));
    TokenizedExample text = chat.tokenize(new Example(1, "1", "g0_1 g0_2", null, null), "");
    assertArrayEquals(tokenizer.encode("g1_0 g0_1 g0_2 g2_0", false), text.ids());

    Example completion = new Example(2, "2", "g0_1 g0_3", null, null, null, new Example.Completion("g0_1", " g0_3"),
        null, null, null);
    TokenizedExample both = chat.tokenize(completion, "");
    long[] prompt = tokenizer.encode("g1_0 g0_1 g2_0", false);
    assertArrayEquals(tokenizer.encode("g1_0 g0_1 g2_0 g0_3", false), both.ids());
    assertEquals(prompt.length, both.responseStart());

    NeuriteException ids = assertThrows(NeuriteException.class, () -> chat.tokenize(new Example(3, "3", null, null,
        null, null, null, null, null, new long[] {1, 2}), ""));
    assertEquals("Example 3 (line 3) gives token ids, which cannot be wrapped in a chat template; give the dataset"
        + " texts, or set its chat parameter to false.", ids.getMessage());
  }
}
