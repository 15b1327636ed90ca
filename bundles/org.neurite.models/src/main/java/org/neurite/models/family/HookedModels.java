package org.neurite.models.family;

import org.neurite.api.model.LanguageModel;
import org.neurite.models.internal.core.DecoderModel;
import org.neurite.models.internal.core.EncoderModel;

/**
 * The shared hooked transformers a family's parts become: every intermediate value of their
 * forward pass is a TransformerLens hook point, listed with its shape in the model's
 * {@link org.neurite.api.model.ModelSpec#hookPoints()}.
 */
public final class HookedModels {
  private HookedModels() {}

  /**
   * A pre-norm causal decoder.
   *
   * @param family the family's name ({@link org.neurite.api.family.ModelFamily#name()})
   * @param architecture the config's first {@code architectures} entry, or a name for it
   */
  public static LanguageModel decoder(String family, String architecture, DecoderSizes sizes, ModelOrigin origin,
      DecoderParts parts) {
    return new DecoderModel(origin, DecoderModel.spec(family, architecture, sizes, origin, parts), parts);
  }

  /**
   * A post-norm bidirectional encoder.
   *
   * @param heads attention heads (the head width is d_model / heads)
   */
  public static LanguageModel encoder(String family, String architecture, int heads, ModelOrigin origin,
      EncoderParts parts) {
    return new EncoderModel(origin, EncoderModel.spec(family, architecture, heads, origin, parts), parts);
  }
}
