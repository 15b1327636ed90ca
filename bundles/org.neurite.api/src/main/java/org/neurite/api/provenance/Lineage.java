package org.neurite.api.provenance;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where something came from: the step records that produced it, followed back through their
 * inputs and through reuse ({@link StepRecord#cachedFrom()}) to the records that computed them,
 * each visited once.
 *
 * @param subject what was asked about, as the user wrote it (a run id, a path, a hash)
 * @param steps the step records, by increasing depth
 */
public record Lineage(String subject, List<LineageStep> steps) {

  public Lineage {
    steps = List.copyOf(steps);
  }

  /** Every model and dataset the subject was derived from, one per distinct content hash. */
  public List<SourceIdentity> sources() {
    Map<String, SourceIdentity> byHash = new LinkedHashMap<>();
    for (LineageStep step : steps) {
      for (SourceIdentity source : step.sources()) {
        byHash.putIfAbsent(source.kind() + ":" + source.contentHash(), source);
      }
    }
    return new ArrayList<>(byHash.values());
  }
}
