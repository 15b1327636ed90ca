package org.neurite.models.internal;

import org.neurite.testkit.FuzzBounds;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;
import org.neurite.api.NeuriteException;
import org.neurite.support.config.TokenizerJson;

/**
 * Any bytes as a {@code tokenizer.json}, loaded with the options a model folder's tokenizer is
 * loaded with (special tokens added, no padding, no truncation): it loads and encodes and decodes
 * text, or gives an error that loading turns into one message naming the file. The tokenizer is
 * native (Rust) code: a crash there ends the JVM, which Jazzer reports as a finding.
 */
class TokenizerFuzzTest {
  private static final List<String> TEXTS = List.of("", "Hello world", "héllo, wörld! 東京 \u0000 \ud83d\ude00 ##s");
  private static Path file;

  @FuzzTest(maxDuration = "10s")
  void load(byte[] input) throws IOException {
    Path path = file();
    Files.write(path, input);
    FuzzBounds.check(input.length, 256, 32 << 20, path.toString(), () -> {
      try (HuggingFaceTokenizer tokenizer = open(path)) {
        for (String text : TEXTS) {
          Encoding encoding = use(path, () -> tokenizer.encode(text, true, false));
          assertEquals(encoding.getIds().length, encoding.getTokens().length, text);
          use(path, () -> tokenizer.decode(encoding.getIds(), false));
        }
      }
    });
  }

  /**
   * As the models bundle opens a folder's tokenizer: the file is checked first ({@link TokenizerJson}),
   * and any failure of the library is one message naming the file.
   */
  private static HuggingFaceTokenizer open(Path path) {
    TokenizerJson.check(path);
    try {
      return HuggingFaceTokenizer.builder().optTokenizerPath(path).optAddSpecialTokens(true).optPadding(false)
          .optTruncation(false).build();
    } catch (IOException | RuntimeException e) {
      throw new NeuriteException("The tokenizer " + path + " cannot be loaded (" + e.getMessage() + ").", e);
    }
  }

  /** As the models bundle encodes and decodes: an error of the library (a Java exception) names the file. */
  private static <T> T use(Path path, Supplier<T> call) {
    try {
      return call.get();
    } catch (RuntimeException e) {
      throw new NeuriteException("The tokenizer " + path + " cannot encode or decode (" + e.getMessage() + ").", e);
    }
  }

  private static synchronized Path file() {
    if (file == null) {
      try {
        file = Files.createTempDirectory("fuzz-tokenizer").resolve("tokenizer.json");
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return file;
  }
}
