package org.neurite.analysis.contrast;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.Objects;
import org.neurite.api.NeuriteException;

/**
 * Each unit's value as a classifier of a binary label: average precision (relation-specific
 * neurons, B2) and the area under the ROC curve (EigenShift's neuron experts and the AurA
 * baseline, B3), with ties handled as scikit-learn does.
 *
 * <p>Average precision {@code AP = Σ_k (R_k − R_{k−1})·P_k} over the distinct values taken as
 * thresholds from the largest down ({@code x ≥ threshold} counts as positive; tied rows enter
 * together), {@code R_0 = 0}: sklearn's {@code average_precision_score}. AUROC
 * {@code = P(x_pos > x_neg) + ½·P(x_pos = x_neg)} over all positive-negative pairs, which equals
 * sklearn's trapezoidal {@code roc_auc_score}.
 *
 * <p>For a {@code [n, U]} array the columns are sorted on the tensor backend, a block of units at
 * a time, and scanned in Java.
 */
public final class UnitRanking {
  /** Values sorted per block: at most this many cells copied out at once. */
  private static final int BLOCK_CELLS = 4_000_000;

  private UnitRanking() {}

  /** Average precision of every unit, {@code values [n, U]}, {@code labels [n]}: {@code [U]}. */
  public static double[] averagePrecision(NDArray values, boolean[] labels) {
    return scoreColumns(values, labels, true);
  }

  /** AUROC of every unit, {@code values [n, U]}, {@code labels [n]}: {@code [U]}. */
  public static double[] auroc(NDArray values, boolean[] labels) {
    return scoreColumns(values, labels, false);
  }

  /** Average precision of one unit's values {@code [n]}. */
  public static double averagePrecision(double[] scores, boolean[] labels) {
    return scoreOne(scores, labels, true);
  }

  /** AUROC of one unit's values {@code [n]}. */
  public static double auroc(double[] scores, boolean[] labels) {
    return scoreOne(scores, labels, false);
  }

  private static double scoreOne(double[] scores, boolean[] labels, boolean precision) {
    Objects.requireNonNull(scores, "scores");
    int positives = checkLabels(labels, scores.length);
    Integer[] order = new Integer[scores.length];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
      checkFinite(scores[i], 0, i);
    }
    java.util.Arrays.sort(order, (a, b) -> Double.compare(scores[b], scores[a]));
    double[] sorted = new double[scores.length];
    boolean[] sortedLabels = new boolean[scores.length];
    for (int i = 0; i < order.length; i++) {
      sorted[i] = scores[order[i]];
      sortedLabels[i] = labels[order[i]];
    }
    return scan(sorted, sortedLabels, 0, 1, scores.length, positives, precision, 0);
  }

  private static double[] scoreColumns(NDArray values, boolean[] labels, boolean precision) {
    Objects.requireNonNull(values, "values");
    Shape shape = values.getShape();
    if (shape.dimension() != 2) {
      throw new NeuriteException("Values to rank must have shape [n, U] (one row per example); got " + shape + ".");
    }
    int n = Math.toIntExact(shape.get(0));
    int units = Math.toIntExact(shape.get(1));
    int positives = checkLabels(labels, n);
    double[] labelValues = new double[n];
    for (int i = 0; i < n; i++) {
      labelValues[i] = labels[i] ? 1 : 0;
    }
    double[] result = new double[units];
    int block = Math.max(1, BLOCK_CELLS / n);
    try (NDManager scope = values.getManager().newSubManager()) {
      scope.tempAttachAll(values);
      NDArray label = scope.create(labelValues, new Shape(n, 1));
      for (int from = 0; from < units; from += block) {
        int width = Math.min(block, units - from);
        try (NDManager step = scope.newSubManager()) {
          NDArray columns = values.get(":, " + from + ":" + (from + width));
          step.tempAttachAll(columns);
          NDArray d = columns.toType(DataType.FLOAT64, false);
          NDArray order = d.argSort(0, false);
          double[] sorted = d.gather(order, 0).toDoubleArray();
          double[] sortedLabel = label.broadcast(n, width).gather(order, 0).toDoubleArray();
          boolean[] isPositive = new boolean[sortedLabel.length];
          for (int i = 0; i < sortedLabel.length; i++) {
            isPositive[i] = sortedLabel[i] > 0.5;
          }
          for (int c = 0; c < width; c++) {
            result[from + c] = scan(sorted, isPositive, c, width, n, positives, precision, from);
          }
        }
      }
    }
    return result;
  }

  /** One column, sorted from the largest value down, read at {@code column + i·stride}. */
  private static double scan(double[] sorted, boolean[] positive, int column, int stride, int n, int positives,
      boolean precision, int unitOffset) {
    int negatives = n - positives;
    long truePositives = 0;
    long falsePositives = 0;
    double ap = 0;
    double previousRecall = 0;
    double pairs = 0;
    int i = 0;
    while (i < n) {
      double value = sorted[column + i * stride];
      checkFinite(value, unitOffset + column, -1);
      long tiedPositives = 0;
      long tiedNegatives = 0;
      int j = i;
      while (j < n && sorted[column + j * stride] == value) {
        if (positive[column + j * stride]) {
          tiedPositives++;
        } else {
          tiedNegatives++;
        }
        j++;
      }
      // negatives below this value: all not yet seen and not tied
      pairs += tiedPositives * (double) (negatives - falsePositives - tiedNegatives) + 0.5 * tiedPositives * tiedNegatives;
      truePositives += tiedPositives;
      falsePositives += tiedNegatives;
      double recall = (double) truePositives / positives;
      ap += (recall - previousRecall) * truePositives / (truePositives + falsePositives);
      previousRecall = recall;
      i = j;
    }
    return precision ? ap : pairs / ((double) positives * negatives);
  }

  private static void checkFinite(double value, int unit, int row) {
    if (!Double.isFinite(value)) {
      throw new NeuriteException("Unit " + unit + (row >= 0 ? ", row " + row : "") + " has the value " + value
          + ": average precision and AUROC need finite values. Drop or fill those rows first.");
    }
  }

  /** The number of positives, after checking there is one label per row and both classes occur. */
  static int checkLabels(boolean[] labels, int rows) {
    if (labels == null || labels.length != rows) {
      throw new NeuriteException("There are " + rows + " rows but " + (labels == null ? 0 : labels.length)
          + " labels: give one label per row, in the same order.");
    }
    int positives = 0;
    for (boolean label : labels) {
      positives += label ? 1 : 0;
    }
    if (positives == 0 || positives == rows) {
      throw new NeuriteException("All " + rows + " labels are " + (positives == 0 ? "negative" : "positive")
          + ": a unit can only be scored as a classifier against both classes. Add examples of the other class"
          + " (e.g. prompts of other relations as negatives).");
    }
    return positives;
  }
}
