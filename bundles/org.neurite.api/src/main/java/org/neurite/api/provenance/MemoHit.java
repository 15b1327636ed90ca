package org.neurite.api.provenance;

import java.util.List;

/**
 * A succeeded step record whose outputs can be reused: same memo key, and every artifact it
 * recorded still exists under the runs/ folder with the recorded size and SHA-256.
 *
 * @param step the succeeded step record (its outputs are the ones to reuse)
 * @param artifacts its artifacts, all verified
 */
public record MemoHit(StepRecord step, List<Artifact> artifacts) {
  public MemoHit {
    artifacts = List.copyOf(artifacts);
  }
}
