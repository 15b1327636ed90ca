package org.neurite.models.internal.core;

import ai.djl.ndarray.NDArray;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.neurite.api.NeuriteException;
import org.neurite.api.backend.TensorBackend;
import org.neurite.api.model.Forward;
import org.neurite.api.model.TokenBatch;

/** The result of one forward pass; every array lives in the caller's scope. */
final class HookedForward implements Forward {
  private final String modelName;
  private final TokenBatch batch;
  private final NDArray hidden;
  private final NDArray mask;
  private final UnaryOperator<NDArray> head;
  private final Map<String, NDArray> outputs;
  private final Map<String, NDArray> recorded;
  private final Map<String, NDArray> gradients = new LinkedHashMap<>();
  private NDArray logits;
  private double targetValue = Double.NaN;

  HookedForward(String modelName, TokenBatch batch, NDArray hidden, NDArray mask, UnaryOperator<NDArray> head,
      Map<String, NDArray> outputs, Map<String, NDArray> recorded) {
    this.modelName = modelName;
    this.batch = batch;
    this.hidden = hidden;
    this.mask = mask;
    this.head = head;
    this.outputs = outputs;
    this.recorded = recorded;
  }

  @Override
  public TokenBatch batch() {
    return batch;
  }

  @Override
  public NDArray hiddenStates() {
    return hidden;
  }

  @Override
  public synchronized NDArray logits() {
    if (head == null) {
      throw new NeuriteException("Model " + modelName + " has no language-model head, so it gives no logits: use its"
          + " hidden states, or load a checkpoint that includes the head (e.g. BertForMaskedLM).");
    }
    if (logits == null) {
      logits = head.apply(hidden);
    }
    return logits;
  }

  @Override
  public Optional<NDArray> output(String name) {
    return Optional.ofNullable(outputs.get(name));
  }

  @Override
  public NDArray attentionMask() {
    return mask;
  }

  @Override
  public NDArray recorded(String hookName) {
    NDArray value = recorded.get(hookName);
    if (value == null) {
      throw new NeuriteException("Nothing was recorded at '" + hookName + "': add Hooks.record(\"" + hookName
          + "\") to the forward pass. Recorded here: " + recorded.keySet());
    }
    return value;
  }

  @Override
  public Map<String, NDArray> recorded() {
    return Collections.unmodifiableMap(recorded);
  }

  @Override
  public NDArray gradient(String hookName) {
    NDArray value = gradients.get(hookName);
    if (value == null) {
      throw new NeuriteException("No gradient was taken at '" + hookName + "': add Hooks.gradient(\"" + hookName
          + "\") and a target to the forward pass. Gradients here: " + gradients.keySet());
    }
    return value;
  }

  @Override
  public Map<String, NDArray> gradients() {
    return Collections.unmodifiableMap(gradients);
  }

  @Override
  public double targetValue() {
    return targetValue;
  }

  /** Computes the target, back-propagates, and keeps each leaf's gradient. */
  void differentiate(org.neurite.api.hook.GradientTarget target, Map<String, NDArray> leaves, TensorBackend backend) {
    NDArray value = target.apply(this);
    if (value == null) {
      throw new NeuriteException("The gradient target returned null; return the scalar (or array to sum) to differentiate.");
    }
    try (NDArray scalar = value.getShape().isScalar() ? value.reshape(value.getShape()) : value.sum()) {
      targetValue = scalar.toType(ai.djl.ndarray.types.DataType.FLOAT64, false).getDouble();
      backend.backward(scalar);
    }
    leaves.forEach((name, leaf) -> gradients.put(name, gradientOf(leaf)));
  }

  /** A leaf's accumulated gradient, or zeros where the target does not depend on it. */
  private static NDArray gradientOf(NDArray leaf) {
    NDArray gradient = leaf.getGradient();
    if (gradient.getShape().equals(leaf.getShape())) {
      return gradient;
    }
    gradient.close();
    return leaf.zerosLike();
  }
}
