package org.neurite.models.onnx.internal;

/**
 * Bytes that are not valid protobuf: the parser turns it into a
 * {@link org.neurite.api.NeuriteException} that names the file.
 */
final class ProtoFormatException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final long offset;
  private final boolean truncated;

  ProtoFormatException(long offset, String problem, boolean truncated) {
    super("at byte " + offset + ", " + problem);
    this.offset = offset;
    this.truncated = truncated;
  }

  /** Where in the data the problem was found. */
  long offset() {
    return offset;
  }

  /** Whether the data ended before a field did: the sign of a cut-off file. */
  boolean truncated() {
    return truncated;
  }
}
