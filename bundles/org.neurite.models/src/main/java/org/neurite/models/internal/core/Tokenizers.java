package org.neurite.models.internal.core;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.neurite.api.NeuriteException;
import org.neurite.api.model.ModelSource;
import org.neurite.api.model.TextTokenizer;
import org.neurite.djl.DjlRuntime;
import org.neurite.support.config.TokenizerJson;

/** A folder's {@code tokenizer.json} through DJL's Hugging Face tokenizers, without padding or truncation. */
public final class Tokenizers implements TextTokenizer, AutoCloseable {
  private final HuggingFaceTokenizer tokenizer;
  private final Path file;

  private Tokenizers(HuggingFaceTokenizer tokenizer, Path file) {
    this.tokenizer = tokenizer;
    this.file = file;
  }

  /** The folder's tokenizer, if it has a {@code tokenizer.json}. */
  public static Optional<TextTokenizer> open(ModelSource source) {
    Optional<Path> file = source.tokenizerFile();
    if (file.isEmpty()) {
      return Optional.empty();
    }
    TokenizerJson.check(file.get()); // some malformed files abort the process inside the native library
    try {
      HuggingFaceTokenizer tokenizer = DjlRuntime.withDjlClassLoader(() -> HuggingFaceTokenizer.builder()
          .optTokenizerPath(file.get())
          .optAddSpecialTokens(true)
          .optPadding(false)
          .optTruncation(false)
          .build());
      return Optional.of(new Tokenizers(tokenizer, file.get()));
    } catch (IOException e) {
      throw new NeuriteException("Cannot read the tokenizer " + file.get() + ": " + e.getMessage(), e);
    } catch (RuntimeException e) {
      throw new NeuriteException("The tokenizer " + file.get() + " cannot be loaded (" + e.getMessage()
          + "); it must be a Hugging Face tokenizer.json.", e);
    } catch (Exception e) {
      throw new IllegalStateException("loading " + file.get(), e);
    }
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

  /** The library's error (e.g. a WordLevel vocabulary without its unk_token) as one message naming the file. */
  private NeuriteException failed(String what, RuntimeException e) {
    return new NeuriteException("The tokenizer " + file + " cannot " + what + " this text (" + e.getMessage()
        + "); fix its tokenizer.json or use the one saved with the model.", e);
  }

  @Override
  public void close() {
    tokenizer.close();
  }
}
