package org.neurite.methods.safety.internal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.neurite.analysis.batch.Batches;
import org.neurite.analysis.capture.Pooling;
import org.neurite.analysis.capture.Positions;
import org.neurite.analysis.intervene.HookWidths;
import org.neurite.api.NeuriteException;
import org.neurite.api.hook.Hooks;
import org.neurite.api.model.Forward;
import org.neurite.api.model.LanguageModel;

/**
 * One row per prompt at each hook point, pooled over its positions (NeuroStrike: the max over every
 * position of the padded batch), with the prompt's class: the value of its label field, which must
 * be the positive (harmful) or the negative value. Rows are kept as float32, as the authors keep
 * them ({@code .float().numpy()}), and handed to the probe in float64.
 */
final class PooledFeatures {
  private final LanguageModel model;
  private final List<String> hooks;
  private final Map<String, Integer> widths = new LinkedHashMap<>();
  private final Map<String, List<float[]>> rows = new LinkedHashMap<>();
  private final Hooks record;
  private final Positions positions;
  private final Pooling pooling;
  private final String positive;
  private final String negative;
  private final String labelField;
  private final String where;
  private final List<Boolean> labels = new ArrayList<>();
  private final List<String> ids = new ArrayList<>();

  PooledFeatures(LanguageModel model, List<String> hooks, Positions positions, Pooling pooling, String labelField,
      String positive, String negative, String where) {
    if (pooling.perToken()) {
      throw new NeuriteException(where + ": pooling 'tokens' gives one row per token; the probe needs one row per"
          + " prompt. Use max_with_padding (the authors'), max, mean or last.");
    }
    if (positive.equals(negative)) {
      throw new NeuriteException(where + ": positive and negative are both '" + positive + "'; name the harmful and"
          + " the harmless value of the label field " + labelField + ".");
    }
    this.model = model;
    this.hooks = List.copyOf(hooks);
    this.positions = positions;
    this.pooling = pooling;
    this.labelField = labelField;
    this.positive = positive;
    this.negative = negative;
    this.where = where;
    Hooks r = Hooks.none();
    for (String hook : hooks) {
      widths.put(hook, HookWidths.of(model.spec(), hook));
      rows.put(hook, new ArrayList<>());
      r = r.record(hook);
    }
    this.record = r;
  }

  /** Pools one batch: one forward pass recording every hook point, in a scope closed at the end. */
  void add(Batches.Batch batch, NDManager parent) {
    boolean[] label = new boolean[batch.examples().size()];
    for (int i = 0; i < label.length; i++) {
      var x = batch.examples().get(i);
      String value = x.group();
      if (value == null) {
        throw new NeuriteException(where + ": example " + x.example().id() + " (line " + x.example().line() + ") has"
            + " no label field '" + labelField + "'; give the dataset step the field as label (or keep it in labels)"
            + " and name it in group_by.");
      }
      if (!value.equals(positive) && !value.equals(negative)) {
        throw new NeuriteException(where + ": example " + x.example().id() + " (line " + x.example().line() + ") has "
            + labelField + " '" + value + "', neither the positive value '" + positive + "' nor the negative '" + negative
            + "'; set positive and negative to the field's two values.");
      }
      label[i] = value.equals(positive);
    }
    float[] mask = positions.mask(batch);
    try (NDManager scope = parent.newSubManager()) {
      Forward forward = model.forward(batch.tokens(), record, scope);
      for (String hook : hooks) {
        NDArray pooled = pooling.pool(forward.recorded(hook), mask, scope);
        float[] flat = pooled.toType(DataType.FLOAT32, false).toFloatArray();
        int width = widths.get(hook);
        for (int i = 0; i < label.length; i++) {
          float[] row = new float[width];
          System.arraycopy(flat, i * width, row, 0, width);
          rows.get(hook).add(row);
        }
      }
    }
    for (int i = 0; i < label.length; i++) {
      labels.add(label[i]);
      ids.add(batch.examples().get(i).example().id());
    }
  }

  /** The rows and classes gathered so far. */
  NeuroStrike.Features features() {
    if (labels.isEmpty()) {
      throw new NeuriteException(where + ": the dataset has no prompts.");
    }
    boolean[] y = new boolean[labels.size()];
    int positives = 0;
    for (int i = 0; i < y.length; i++) {
      y[i] = labels.get(i);
      positives += y[i] ? 1 : 0;
    }
    if (positives == 0 || positives == y.length) {
      throw new NeuriteException(where + ": every one of the " + y.length + " prompts has " + labelField + " '"
          + (positives == 0 ? negative : positive) + "'; the probe needs both harmful ('" + positive + "') and harmless ('"
          + negative + "') prompts.");
    }
    Map<String, double[][]> byHook = new LinkedHashMap<>();
    rows.forEach((hook, list) -> {
      double[][] x = new double[list.size()][];
      for (int i = 0; i < x.length; i++) {
        float[] r = list.get(i);
        x[i] = new double[r.length];
        for (int u = 0; u < r.length; u++) {
          x[i][u] = r[u];
        }
      }
      byHook.put(hook, x);
    });
    return new NeuroStrike.Features(byHook, y, List.copyOf(ids));
  }
}
