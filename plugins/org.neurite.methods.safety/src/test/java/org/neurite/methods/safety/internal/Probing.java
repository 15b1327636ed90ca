package org.neurite.methods.safety.internal;

import java.util.List;
import java.util.Map;
import org.neurite.analysis.batch.Batches;
import org.neurite.analysis.batch.Tokenization;
import org.neurite.analysis.capture.Pooling;
import org.neurite.analysis.capture.Positions;
import org.neurite.analysis.conformance.PlantedTestbed;
import org.neurite.analysis.contrast.ProbeOptions;
import org.neurite.api.data.Example;
import org.neurite.api.model.LanguageModel;
import org.neurite.api.model.TokenBatch;

/** The step's path without a workflow: pooled rows of some examples, batched as the step batches them, then the probes. */
final class Probing {
  private Probing() {}

  static NeuroStrike.Features features(LanguageModel model, List<Example> examples, List<String> hooks,
      Pooling pooling, String labelField, String positive, String negative, int batchSize) {
    PooledFeatures pooled = new PooledFeatures(model, hooks, Positions.ALL, pooling, labelField, positive, negative,
        "Step probe");
    Batches batches = new Batches(examples.stream(), new Tokenization(model, 128), labelField, batchSize,
        TokenBatch.Padding.LEFT);
    try (var scope = PlantedTestbed.BACKEND.newScope("cpu")) {
      while (batches.hasNext()) {
        pooled.add(batches.next(), scope);
      }
    }
    return pooled.features();
  }

  static NeuroStrike.Result run(NeuroStrike.Features features, ProbeOptions probe, int layers,
      Map<String, double[]> initial) {
    try (var scope = PlantedTestbed.BACKEND.newScope("cpu")) {
      return NeuroStrike.run(features, new NeuroStrike.Options(probe, 3, true, List.of(25, 50, 75, 100), "safety"),
          layers, initial, scope, "Step probe");
    }
  }
}
