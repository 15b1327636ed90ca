package org.neurite.api.value;

import org.neurite.api.context.ValueFiles;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * The one persisted form of a type of value that flows between steps (a dataset, a model, unit
 * scores, a neuron set): JSON, plus files written through {@link ValueFiles} for arrays
 * (safetensors). The engine records a step's output in this form and restores it by its type,
 * whichever step produced it, so a cached result stays readable after the producing plugin is
 * gone. Registered as a service by the bundle that owns the type; the engine tracks them.
 *
 * <p>Two values with equal persisted forms are the same value (the form is hashed into the memo
 * keys of the steps that read it), so the form must include the content hashes of every file it
 * refers to.
 *
 * @param <T> the Java type of the values
 */
@ConsumerType
public interface ValueCodec<T> {

  /**
   * The service property a codec may carry with its {@link #typeName()}, so that another codec can
   * target it (an intervened model's codec uses the model codec: {@code (neurite.value.type=model)}).
   */
  String TYPE_PROPERTY = "neurite.value.type";

  /**
   * The type's name as provenance records it, lower case with dashes: {@code dataset},
   * {@code model}, {@code unit-scores}, {@code neuron-set}. Constant: recorded outputs refer to it.
   */
  String typeName();

  /** The values it persists: every value that is an instance of this type. */
  Class<T> type();

  /**
   * The persisted form of a value: a JSON object.
   *
   * @param files where to write the arrays it refers to; their content hashes go into the form
   */
  String persist(T value, ValueFiles files) throws Exception;

  /**
   * Rebuilds a value from its persisted form, checking that the files it refers to are unchanged.
   *
   * @throws org.neurite.api.NeuriteException if a file it refers to is gone or changed, saying how
   *     to recompute it
   */
  T restore(String form, ValueFiles files) throws Exception;

  /** One line that tells a person what the value is, from its form alone (for {@code show RUN}). */
  default String describe(String form) {
    return form;
  }
}
