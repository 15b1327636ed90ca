package org.neurite.api.step;

/** The types a step parameter can have; workflow files give them as JSON values. */
public enum ParamType {
  /** A JSON string. */
  STRING,
  /** A JSON integer (a number with no fraction). */
  INTEGER,
  /** A JSON number. */
  NUMBER,
  /** {@code true} or {@code false}. */
  BOOLEAN,
  /** A file or folder; relative paths resolve against the workspace. */
  PATH,
  /** A JSON array of strings. */
  STRING_LIST,
  /** A JSON array of integers. */
  INTEGER_LIST;

  /** The lower-case name used in messages and the workflow schema. */
  public String jsonName() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
