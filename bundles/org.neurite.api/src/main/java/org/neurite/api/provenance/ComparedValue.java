package org.neurite.api.provenance;

import java.util.Objects;

/**
 * One row of a side-by-side comparison; a side is null where that run has no such value.
 *
 * @param key the parameter name, version name, {@code stepId/group/name} of a metric, or step id
 */
public record ComparedValue(String key, String left, String right) {

  /** True when both sides are equal (both absent counts as equal). */
  public boolean same() {
    return Objects.equals(left, right);
  }
}
