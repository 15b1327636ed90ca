package org.neurite.api.step;

/**
 * An output value that can be recorded and reused without redoing the work that made it: a
 * reference to files plus their content hashes, not the data itself. Two values with equal
 * persisted forms are the same value (the form is hashed for memoization), so the form must
 * include the content hashes of the files it refers to.
 *
 * <p>The step that declared the output restores it with {@link Step#restore}. Outputs that are
 * files written through {@link Artifacts}, strings, numbers and booleans need nothing of this.
 */
public interface Persistable {
  /** A JSON object describing the value, from which {@link Step#restore} can rebuild it. */
  String persistedForm();
}
