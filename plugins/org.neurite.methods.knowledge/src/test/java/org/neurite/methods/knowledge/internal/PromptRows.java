package org.neurite.methods.knowledge.internal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.neurite.analysis.batch.Batches;
import org.neurite.analysis.batch.Tokenization;
import org.neurite.analysis.capture.Pooling;
import org.neurite.analysis.capture.Positions;
import org.neurite.analysis.conformance.PlantedTestbed;
import org.neurite.analysis.intervene.HookWidths;
import org.neurite.api.data.Example;
import org.neurite.api.hook.Hooks;
import org.neurite.api.model.Forward;
import org.neurite.api.model.LanguageModel;
import org.neurite.api.model.TokenBatch;

/**
 * One row per example at some hook points, pooled as {@code capture} pools them (the mean over the
 * chosen positions; batches left-padded), as the relation method's input.
 */
final class PromptRows {
  private PromptRows() {}

  static RelationNeurons of(LanguageModel model, List<Example> examples, List<String> relations, List<String> hooks,
      Positions positions, boolean[] known, int batchSize) {
    int n = examples.size();
    Map<String, Integer> widths = new LinkedHashMap<>();
    Map<String, float[]> values = new LinkedHashMap<>();
    for (String hook : hooks) {
      int w = HookWidths.of(model.spec(), hook);
      widths.put(hook, w);
      values.put(hook, new float[n * w]);
    }
    int[] group = new int[n];
    long[] example = new long[n];
    Hooks record = Hooks.none();
    for (String hook : hooks) {
      record = record.record(hook);
    }
    Batches batches = new Batches(examples.stream(), new Tokenization(model, 64), "group", batchSize,
        TokenBatch.Padding.LEFT);
    int at = 0;
    while (batches.hasNext()) {
      Batches.Batch batch = batches.next();
      float[] mask = positions.mask(batch);
      try (NDManager scope = PlantedTestbed.BACKEND.newScope("cpu")) {
        Forward forward = model.forward(batch.tokens(), record, scope);
        for (String hook : hooks) {
          NDArray v = forward.recorded(hook);
          NDArray flat = v.reshape(v.getShape().get(0), v.getShape().get(1), widths.get(hook));
          float[] rows = Pooling.MEAN.pool(flat, mask, scope).toType(DataType.FLOAT32, false).toFloatArray();
          System.arraycopy(rows, 0, values.get(hook), at * widths.get(hook), rows.length);
        }
      }
      for (int i = 0; i < batch.examples().size(); i++) {
        group[at + i] = relations.indexOf(batch.examples().get(i).group());
        example[at + i] = at + i;
      }
      at += batch.examples().size();
    }
    List<String> names = new ArrayList<>(relations);
    return new RelationNeurons(names, values, widths, group, example, known == null ? all(n) : known);
  }

  static boolean[] all(int n) {
    boolean[] b = new boolean[n];
    java.util.Arrays.fill(b, true);
    return b;
  }
}
