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
import org.neurite.support.config.TokenizerJson;

/**
 * A {@code tokenizer.json} through DJL's Hugging Face tokenizers, without padding or truncation.
 * Its native handle is attached to the scope that opened it and freed when that scope closes.
 */
final class HfTokenizer implements TextTokenizer {
  private final HuggingFaceTokenizer tokenizer;
  private final Path file;

  private HfTokenizer(HuggingFaceTokenizer tokenizer, Path file) {
    this.tokenizer = tokenizer;
    this.file = file;
  }

  /** Opens {@code file} and hands its native memory to {@code owner}. */
  static TextTokenizer open(Path file, NDManager owner) {
    if (!owner.isOpen()) {
      throw new IllegalStateException("the scope to own the tokenizer " + file + " is closed");
    }
    TokenizerJson.check(file); // some malformed files abort the process inside the native library
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
    return new HfTokenizer(tokenizer, file);
  }

  @Override
  public long[] encode(String text) {
    return encode(text, true);
  }

  @Override
  public long[] encode(String text, boolean addSpecialTokens) {
    try {
      return tokenizer.encode(text, addSpecialTokens, false).getIds();
    } catch (RuntimeException e) {
      throw failed("encode", e);
    }
  }

  @Override
  public List<String> tokens(String text) {
    try {
      return Arrays.asList(tokenizer.encode(text, true, false).getTokens());
    } catch (RuntimeException e) {
      throw failed("encode", e);
    }
  }

  @Override
  public String decode(long[] ids) {
    try {
      return tokenizer.decode(ids, false);
    } catch (RuntimeException e) {
      throw failed("decode", e);
    }
  }

  /**
   * The library's error (e.g. a WordLevel vocabulary without its unk_token) as one message naming the
   * file. A tokenizer used after the scope that owned it closed (its model was unloaded) is a bug of the
   * caller, not of the file: that stays an {@link IllegalStateException}.
   */
  private RuntimeException failed(String what, RuntimeException e) {
    if (e instanceof IllegalStateException) {
      return new IllegalStateException("The tokenizer " + file + " was used after the scope that owned it was closed"
          + " (its model was unloaded): " + e.getMessage(), e);
    }
    return new NeuriteException("The tokenizer " + file + " cannot " + what + " this text (" + e.getMessage()
        + "); fix its tokenizer.json or use the one saved with the model.", e);
  }
}
