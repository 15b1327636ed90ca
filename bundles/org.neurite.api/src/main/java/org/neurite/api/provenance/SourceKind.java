package org.neurite.api.provenance;

/** What a {@link SourceIdentity} identifies. */
public enum SourceKind {
  MODEL,
  DATASET
}
