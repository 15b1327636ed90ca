package org.neurite.api.hook;

import org.osgi.annotation.versioning.ConsumerType;

/** Receives each token as a generation produces it, e.g. to print it: the prompt's index and the token id. */
@ConsumerType
@FunctionalInterface
public interface TokenSink {
  void accept(int sequence, long tokenId);
}
