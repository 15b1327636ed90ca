package org.neurite.api.analysis;

import java.util.Objects;

/**
 * One unit of a model: a coordinate of the value at a hook point, e.g. neuron 7 of
 * {@code blocks.1.mlp.hook_post}.
 *
 * @param hook the hook point's name
 * @param index the coordinate along the hook point's last dimension
 */
public record Unit(String hook, int index) implements Comparable<Unit> {
  public Unit {
    Objects.requireNonNull(hook, "hook");
    if (index < 0) {
      throw new IllegalArgumentException("unit index " + index + " of " + hook + " is negative");
    }
  }

  /** The layer in {@code blocks.L....}, or -1 for hook points outside the blocks. */
  public int layer() {
    if (!hook.startsWith("blocks.")) {
      return -1;
    }
    int end = hook.indexOf('.', 7);
    try {
      return Integer.parseInt(hook.substring(7, end < 0 ? hook.length() : end));
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /** Hook points in model order (layer, then name), then index. */
  @Override
  public int compareTo(Unit other) {
    int byLayer = Integer.compare(layer(), other.layer());
    if (byLayer != 0) {
      return byLayer;
    }
    int byHook = hook.compareTo(other.hook);
    return byHook != 0 ? byHook : Integer.compare(index, other.index);
  }

  @Override
  public String toString() {
    return hook + "[" + index + "]";
  }
}
