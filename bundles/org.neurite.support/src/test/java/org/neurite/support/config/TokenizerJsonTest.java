package org.neurite.support.config;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neurite.api.NeuriteException;

/**
 * The post-processors that abort the native tokenizers library (0.21) when it encodes, each found
 * by fuzzing or by reading how the library reads a template, are refused with one message first.
 */
class TokenizerJsonTest {
  private static final String CLS = "{\"SpecialToken\":{\"id\":\"[CLS]\",\"type_id\":0}}";
  private static final String UNDEFINED = "{\"SpecialToken\":{\"id\":\"[X]\",\"type_id\":0}}";
  private static final String A = "{\"Sequence\":{\"id\":\"A\",\"type_id\":0}}";
  private static final String B = "{\"Sequence\":{\"id\":\"B\",\"type_id\":1}}";
  private static final String SPECIAL = "\"special_tokens\":{\"[CLS]\":{\"id\":\"[CLS]\",\"ids\":[2],\"tokens\":[\"[UNK]\"]}}";

  @TempDir Path dir;

  @Test
  void aTemplateTheLibraryCanApplyPasses() throws IOException {
    assertDoesNotThrow(() -> TokenizerJson.check(file(template("\"type\":\"TemplateProcessing\"", CLS + "," + A))));
    assertDoesNotThrow(() -> TokenizerJson.check(file("{\"post_processor\":{\"type\":\"ByteLevel\"}}")));
  }

  @Test
  void anUndefinedSpecialTokenIsRefusedWhateverTheProcessorIsCalled() throws IOException {
    for (String type : new String[] {"\"type\":\"TemplateProcessing\"", "\"type\":\"BertProcessing\"", "\"x\":0",
        "\"type\":\"TemplateProcessing\",\"type\":\"TemplateProcessing\""}) {
      refused(template(type, UNDEFINED + "," + A), "uses the special token '[X]'");
    }
    refused("{\"post_processor\":{\"type\":\"Sequence\",\"processors\":[" + processor("\"x\":0", UNDEFINED) + "]}}",
        "uses the special token '[X]'");
  }

  @Test
  void theSecondSequenceInTheSingleTemplateIsRefused() throws IOException {
    refused(template("\"type\":\"TemplateProcessing\"", B), "single template uses the second sequence");
    refused(template("\"type\":\"TemplateProcessing\"", "\"$b:1\""), "single template uses the second sequence");
  }

  @Test
  void aSpecialTokenWithMoreIdsThanTokensIsRefused() throws IOException {
    String json = "{\"post_processor\":{\"type\":\"TemplateProcessing\",\"single\":[" + CLS + "," + A + "],\"pair\":["
        + A + "," + B + "],\"special_tokens\":{\"[CLS]\":{\"id\":\"[CLS]\",\"ids\":[2,3],\"tokens\":[\"a\"]}}}}";
    refused(json, "special token '[CLS]' has 2 ids but 1 tokens");
  }

  @Test
  void aTemplateStringIsSplitAtSingleSpacesAsTheLibrarySplitsIt() throws IOException {
    // two spaces make an empty piece, which the library takes for a special token named ""
    refused(template("\"type\":\"TemplateProcessing\"", "\"[CLS]  $A\""), "uses the special token ''");
    refused(template("\"type\":\"TemplateProcessing\"", "\"[CLS]\\t$A\""), "uses the special token '[CLS]\t$A'");
  }

  private void refused(String json, String expected) throws IOException {
    Path file = file(json);
    NeuriteException e = assertThrows(NeuriteException.class, () -> TokenizerJson.check(file));
    assertTrue(e.getMessage().contains(expected) && e.getMessage().contains(file.toString()), e.getMessage());
  }

  private static String template(String type, String single) {
    return "{\"post_processor\":" + processor(type, single) + "}";
  }

  private static String processor(String type, String single) {
    String pieces = single.startsWith("\"") && !single.startsWith("\"$b") ? single : "[" + single + "]";
    return "{" + type + ",\"single\":" + pieces + ",\"pair\":[" + A + "," + B + "]," + SPECIAL + "}";
  }

  private Path file(String json) throws IOException {
    return Files.writeString(dir.resolve("tokenizer.json"), json);
  }
}
