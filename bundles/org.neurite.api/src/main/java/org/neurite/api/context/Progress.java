package org.neurite.api.context;

import org.osgi.annotation.versioning.ProviderType;

/** Progress of one long piece of work inside a step; closing it marks the work finished. */
@ProviderType
public interface Progress extends AutoCloseable {
  /** Advances by {@code units} of the declared total. */
  void advance(long units);

  @Override
  void close();
}
