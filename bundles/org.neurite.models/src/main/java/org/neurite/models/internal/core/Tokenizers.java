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

/** A folder's {@code tokenizer.json} through DJL's Hugging Face tokenizers, without padding or truncation. */
public final class Tokenizers implements TextTokenizer, AutoCloseable {
  private final HuggingFaceTokenizer tokenizer;

  private Tokenizers(HuggingFaceTokenizer tokenizer) {
    this.tokenizer = tokenizer;
  }

  /** The folder's tokenizer, if it has a {@code tokenizer.json}. */
  public static Optional<TextTokenizer> open(ModelSource source) {
    Optional<Path> file = source.tokenizerFile();
    if (file.isEmpty()) {
      return Optional.empty();
    }
    try {
      HuggingFaceTokenizer tokenizer = DjlRuntime.withDjlClassLoader(() -> HuggingFaceTokenizer.builder()
          .optTokenizerPath(file.get())
          .optAddSpecialTokens(true)
          .optPadding(false)
          .optTruncation(false)
          .build());
      return Optional.of(new Tokenizers(tokenizer));
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

  @Override
  public void close() {
    tokenizer.close();
  }
}
