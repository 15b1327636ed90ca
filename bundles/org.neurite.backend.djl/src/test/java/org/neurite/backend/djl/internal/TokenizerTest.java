package org.neurite.backend.djl.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neurite.api.NeuriteException;
import org.neurite.api.model.TextTokenizer;

/** Tokenizers opened through the backend: no padding or truncation, owned by the scope that opened them. */
class TokenizerTest {
  /** A word-level tokenizer that also asks for padding to 8 and truncation to 2, which must not apply. */
  private static final String TOKENIZER = """
      {"version": "1.0",
       "truncation": {"direction": "Right", "max_length": 2, "strategy": "LongestFirst", "stride": 0},
       "padding": {"strategy": {"Fixed": 8}, "direction": "Right", "pad_to_multiple_of": null,
                   "pad_id": 0, "pad_type_id": 0, "pad_token": "[PAD]"},
       "added_tokens": [], "normalizer": null, "pre_tokenizer": {"type": "Whitespace"},
       "post_processor": null, "decoder": null,
       "model": {"type": "WordLevel", "vocab": {"[PAD]": 0, "[UNK]": 1, "neurons": 2, "carry": 3, "languages": 4},
                 "unk_token": "[UNK]"}}
      """;

  private static DjlTensorBackend backend;
  @TempDir Path dir;

  @BeforeAll
  static void start() {
    backend = new DjlTensorBackend(() -> Engine.getEngine("PyTorch"));
  }

  @AfterAll
  static void stop() {
    backend.close();
  }

  @Test
  void encodesWithoutPaddingOrTruncation() throws IOException {
    Path file = Files.writeString(dir.resolve("tokenizer.json"), TOKENIZER);
    try (NDManager scope = backend.newScope("cpu")) {
      TextTokenizer tokenizer = backend.tokenizer(file, scope);
      assertArrayEquals(new long[] {2, 3, 4}, tokenizer.encode("neurons carry languages"));
      assertArrayEquals(new long[] {2, 1}, tokenizer.encode("neurons dream", false));
      assertEquals(List.of("neurons", "carry"), tokenizer.tokens("neurons carry"));
      assertEquals("neurons languages", tokenizer.decode(new long[] {2, 4}));
    }
    assertEquals(0, backend.openScopes());
  }

  @Test
  void closingTheOwnerFreesTheTokenizer() throws IOException {
    Path file = Files.writeString(dir.resolve("tokenizer.json"), TOKENIZER);
    NDManager scope = backend.newScope("cpu");
    TextTokenizer tokenizer = backend.tokenizer(file, scope);
    assertArrayEquals(new long[] {3}, tokenizer.encode("carry"));
    scope.close();
    assertThrows(IllegalStateException.class, () -> tokenizer.encode("carry"), "the native tokenizer was freed");
  }

  @Test
  void aFileThatIsNoTokenizerIsOneMessage() throws IOException {
    Path file = Files.writeString(dir.resolve("tokenizer.json"), "{\"model\": 3}");
    try (NDManager scope = backend.newScope("cpu")) {
      NeuriteException error = assertThrows(NeuriteException.class, () -> backend.tokenizer(file, scope));
      assertTrue(error.getMessage().startsWith("The tokenizer " + file + " cannot be loaded"), error.getMessage());
      assertTrue(error.getMessage().endsWith("it must be a Hugging Face tokenizer.json."), error.getMessage());
    }
  }
}
