package org.neurite.backend.djl.internal;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.neurite.api.NeuriteException;
import org.neurite.api.model.TextTokenizer;
import org.neurite.djl.DjlRuntime;

/**
 * A {@code tokenizer.json} through DJL's Hugging Face tokenizers, without padding or truncation.
 * Its native handle is attached to the scope that opened it and freed when that scope closes.
 */
final class HfTokenizer implements TextTokenizer {
  private final HuggingFaceTokenizer tokenizer;

  private HfTokenizer(HuggingFaceTokenizer tokenizer) {
    this.tokenizer = tokenizer;
  }

  /** Opens {@code file} and hands its native memory to {@code owner}. */
  static TextTokenizer open(Path file, NDManager owner) {
    if (!owner.isOpen()) {
      throw new IllegalStateException("the scope to own the tokenizer " + file + " is closed");
    }
    HuggingFaceTokenizer tokenizer;
    try {
      tokenizer = DjlRuntime.withDjlClassLoader(() -> HuggingFaceTokenizer.builder()
          .optTokenizerPath(file)
          .optAddSpecialTokens(true)
          .optPadding(false)
          .optTruncation(false)
          .build());
    } catch (IOException e) {
      throw new NeuriteException("Cannot read the tokenizer " + file + ": " + e.getMessage(), e);
    } catch (RuntimeException e) {
      throw new NeuriteException("The tokenizer " + file + " cannot be loaded (" + e.getMessage()
          + "); it must be a Hugging Face tokenizer.json.", e);
    } catch (Exception e) {
      throw new IllegalStateException("loading " + file, e);
    }
    owner.attachInternal("tokenizer-" + UUID.randomUUID(), tokenizer);
    return new HfTokenizer(tokenizer);
  }

  @Override
  public long[] encode(String text) {
    return encode(text, true);
  }

  @Override
  public long[] encode(String text, boolean addSpecialTokens) {
    return tokenizer.encode(text, addSpecialTokens, false).getIds();
  }

  @Override
  public List<String> tokens(String text) {
    return Arrays.asList(tokenizer.encode(text, true, false).getTokens());
  }

  @Override
  public String decode(long[] ids) {
    return tokenizer.decode(ids, false);
  }
}
