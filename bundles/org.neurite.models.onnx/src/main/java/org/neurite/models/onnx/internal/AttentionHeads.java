package org.neurite.models.onnx.internal;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.neurite.api.NeuriteException;

/**
 * Finds the number of attention heads, which no tensor shape carries, from the graph itself. Two
 * kinds of evidence are read:
 *
 * <ol>
 *   <li>the head split: the Reshape applied to the query, key or value projection (after its bias
 *       Add) has a target shape whose last two entries are constants {@code [..., heads, head_dim]}
 *       with {@code heads * head_dim == hidden}; the shape is a constant tensor or a Concat whose
 *       trailing inputs are constants;
 *   <li>the score scale: the attention scores (a MatMul of two computed values) are divided by
 *       {@code sqrt(head_dim)} or multiplied by {@code 1 / sqrt(head_dim)}, a scalar constant.
 * </ol>
 *
 * The head split decides when present, and the scale must agree with it; the scale alone decides
 * when the graph has no readable head split.
 */
final class AttentionHeads {
  /** How far past a projection the head-split Reshape may sit: its bias Add, and a scaling of the query. */
  private static final int MAX_STEPS = 3;

  private AttentionHeads() {}

  /**
   * The number of heads.
   *
   * @param projections the query, key and value MatMul nodes of every layer
   * @throws NeuriteException if the graph shows no head count or contradicts itself
   */
  static int find(OnnxModel model, long hidden, Collection<OnnxNode> projections) {
    Set<Long> fromSplit = new TreeSet<>();
    for (OnnxNode projection : projections) {
      for (OnnxNode reshape : reshapesAfter(model, projection)) {
        long[] trailing = trailingConstants(model, reshape.inputs().get(1));
        if (trailing.length >= 2) {
          long heads = trailing[trailing.length - 2];
          long headDim = trailing[trailing.length - 1];
          if (heads > 0 && headDim > 0 && heads * headDim == hidden) {
            fromSplit.add(heads);
          }
        }
      }
    }
    Set<Long> fromScale = new TreeSet<>();
    for (long headDim : scaledHeadDims(model)) {
      if (headDim > 0 && hidden % headDim == 0) {
        fromScale.add(hidden / headDim);
      }
    }
    if (fromSplit.size() > 1) {
      throw new NeuriteException("The ONNX file " + model.source() + " splits the attention into different head"
          + " counts in different places " + fromSplit + " (hidden size " + hidden + "). Neurite imports BERT"
          + " encoders whose layers all have the same number of heads.");
    }
    if (fromSplit.size() == 1) {
      long heads = fromSplit.iterator().next();
      if (!fromScale.isEmpty() && !fromScale.equals(Set.of(heads))) {
        throw new NeuriteException("The ONNX file " + model.source() + " is inconsistent about its attention"
            + " heads: the head-split Reshape nodes give " + heads + " heads of " + hidden / heads + ", but the"
            + " attention-score scale gives " + fromScale + " heads. Export the model again without graph edits.");
      }
      return (int) heads;
    }
    if (fromScale.size() == 1) {
      return fromScale.iterator().next().intValue();
    }
    throw new NeuriteException("Cannot determine the number of attention heads of the ONNX file " + model.source()
        + ": no Reshape after the query/key/value projections has a constant [..., heads, head_dim] target with"
        + " heads * head_dim = " + hidden + ", and " + (fromScale.isEmpty()
            ? "no attention-score scale sqrt(head_dim) was found"
            : "the attention-score scales suggest several counts " + fromScale) + ". Export the encoder with"
        + " torch.onnx.export or Hugging Face Optimum (opset 11 to 17, no dynamic head count), which keep the head"
        + " split as constants.");
  }

  /** The Reshape nodes that take the projection's output, directly or after a few element-wise nodes. */
  private static List<OnnxNode> reshapesAfter(OnnxModel model, OnnxNode projection) {
    List<OnnxNode> reshapes = new ArrayList<>();
    Deque<String> frontier = new ArrayDeque<>(projection.outputs());
    Set<String> seen = new HashSet<>();
    for (int step = 0; step <= MAX_STEPS && !frontier.isEmpty(); step++) {
      Deque<String> next = new ArrayDeque<>();
      for (String value : frontier) {
        for (OnnxNode consumer : model.consumers(value)) {
          if (consumer.opType().equals("Reshape") && consumer.inputs().size() == 2
              && consumer.inputs().get(0).equals(value)) {
            reshapes.add(consumer);
          } else if (Set.of("Add", "Mul", "Div").contains(consumer.opType())) {
            consumer.outputs().stream().filter(seen::add).forEach(next::add);
          }
        }
      }
      frontier = next;
    }
    return reshapes;
  }

  /**
   * The constant entries at the end of a shape value: all of a constant tensor, or the values of a
   * Concat's trailing constant inputs.
   */
  private static long[] trailingConstants(OnnxModel model, String shapeValue) {
    Optional<OnnxTensor> constant = integerConstant(model, shapeValue);
    if (constant.isPresent()) {
      return constant.get().longs();
    }
    Optional<OnnxNode> concat = model.producer(shapeValue).filter(n -> n.opType().equals("Concat"));
    if (concat.isEmpty()) {
      return new long[0];
    }
    List<String> inputs = concat.get().inputs();
    long[] trailing = new long[0];
    for (int i = inputs.size() - 1; i >= 0; i--) {
      Optional<OnnxTensor> part = integerConstant(model, inputs.get(i));
      if (part.isEmpty()) {
        break;
      }
      long[] values = part.get().longs();
      long[] joined = Arrays.copyOf(values, values.length + trailing.length);
      System.arraycopy(trailing, 0, joined, values.length, trailing.length);
      trailing = joined;
    }
    return trailing;
  }

  private static Optional<OnnxTensor> integerConstant(OnnxModel model, String value) {
    return model.constant(value).filter(t -> (t.dataType() == OnnxDataType.INT64 || t.dataType() == OnnxDataType.INT32)
        && t.data() != null && !t.external() && t.dims().length <= 1);
  }

  /**
   * The head sizes implied by each Div or Mul that scales attention scores (the output of a MatMul
   * of two computed values) by a scalar constant.
   */
  private static List<Long> scaledHeadDims(OnnxModel model) {
    List<Long> dims = new ArrayList<>();
    for (OnnxNode node : model.nodes()) {
      boolean div = node.opType().equals("Div");
      if (!(div || node.opType().equals("Mul")) || node.inputs().size() != 2) {
        continue;
      }
      for (int side = 0; side < 2; side++) {
        if (div && side == 0) {
          continue;
        }
        String scaleName = node.inputs().get(side);
        String scores = node.inputs().get(1 - side);
        Optional<OnnxTensor> scale = model.constant(scaleName).filter(t -> t.elements() == 1 && !t.external()
            && t.data() != null && (t.dataType() == OnnxDataType.FLOAT || t.dataType() == OnnxDataType.DOUBLE));
        if (scale.isEmpty() || !isScores(model, scores)) {
          continue;
        }
        double s = scale.get().doubles()[0];
        double headDim = div ? s * s : 1 / (s * s);
        long rounded = Math.round(headDim);
        if (s > 0 && rounded > 1 && Math.abs(headDim - rounded) < 1e-3 * rounded) {
          dims.add(rounded);
        }
      }
    }
    return dims;
  }

  private static boolean isScores(OnnxModel model, String value) {
    return model.producer(value).filter(p -> p.opType().equals("MatMul") && p.inputs().size() == 2
        && model.constant(p.inputs().get(0)).isEmpty() && model.constant(p.inputs().get(1)).isEmpty()).isPresent();
  }
}
