package org.neurite.api.data;

import java.nio.file.Path;
import java.util.stream.Stream;
import org.osgi.annotation.versioning.ProviderType;

/**
 * A dataset read from a file, streamed: nothing is held in memory but the example being read.
 * Persisted by the datasets bundle's value codec (type {@code dataset}) by its file and content hash,
 * so a changed file is a different dataset.
 */
@ProviderType
public interface Dataset {
  /** A short name (the file name without extension unless the workflow gave one). */
  String name();

  /** {@code jsonl}, {@code csv} or {@code text}. */
  String format();

  /** The file it reads. */
  Path path();

  /** SHA-256 of the file's bytes. */
  String contentHash();

  /**
   * Streams the examples in file order. Close the stream (try-with-resources) to close the file.
   *
   * @throws org.neurite.api.NeuriteException from the stream when a line is malformed, naming the
   *     file and the line
   */
  Stream<Example> examples();

  /**
   * Whether its texts are user messages to be wrapped in the model's chat template before the model
   * reads them (the dataset steps' {@code chat} parameter); false by default.
   */
  default boolean chat() {
    return false;
  }
}
