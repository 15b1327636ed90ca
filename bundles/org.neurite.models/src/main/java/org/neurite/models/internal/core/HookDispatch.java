package org.neurite.models.internal.core;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.neurite.api.NeuriteException;
import org.neurite.api.hook.Hooks;
import org.neurite.api.model.HookPoint;
import org.neurite.api.model.ModelSpec;
import org.neurite.api.model.TokenBatch;

/**
 * The hooks of one forward pass, resolved against the model's hook points before anything runs.
 * {@link #at} is called at every hook point; it costs one map lookup where no hook applies.
 */
final class HookDispatch {
  private final Map<String, List<Hooks.Action>> byName;
  private final TokenBatch batch;
  private final NDManager results;
  private final Map<String, NDArray> recorded = new LinkedHashMap<>();
  private final Map<String, NDArray> leaves = new LinkedHashMap<>();
  private NDManager current;

  private HookDispatch(Map<String, List<Hooks.Action>> byName, TokenBatch batch, NDManager results) {
    this.byName = byName;
    this.batch = batch;
    this.results = results;
    this.current = results;
  }

  /**
   * Resolves hooks against a model's hook points.
   *
   * @throws NeuriteException if a name matches no hook point, or gradients are asked without a target
   */
  static HookDispatch resolve(Hooks hooks, ModelSpec spec, String modelName, TokenBatch batch, NDManager results) {
    if (hooks.wantsGradients() != hooks.target().isPresent()) {
      throw new NeuriteException(hooks.wantsGradients()
          ? "Hooks ask for gradients but give no target: add .target(forward -> scalar) to say what to differentiate."
          : "Hooks give a gradient target but no gradient hook: add .gradient(\"blocks.*.mlp.hook_post\") (or another"
              + " hook point) to say where the gradient is taken.");
    }
    Map<String, List<Hooks.Action>> byName = new HashMap<>();
    for (Hooks.Action action : hooks.actions()) {
      boolean matched = false;
      for (HookPoint point : spec.hookPoints()) {
        if (action.matches(point.name())) {
          byName.computeIfAbsent(point.name(), k -> new ArrayList<>()).add(action);
          matched = true;
        }
      }
      if (!matched) {
        throw new NeuriteException("Hook '" + action.pattern() + "' matches no hook point of model " + modelName + " ("
            + spec.family() + ", " + spec.layers() + " layers)" + HookPointNames.suggestion(action.pattern(), spec)
            + ". `models --hooks " + modelName + "` lists them.");
      }
    }
    return new HookDispatch(byName, batch, results);
  }

  /** The manager intermediate values of the current block live in; replacements are moved there. */
  void enter(NDManager manager) {
    this.current = manager;
  }

  /** Whether any hook applies at this point (to skip work done only for hooks). */
  boolean active(String name) {
    return byName.containsKey(name);
  }

  /** Applies the hooks at one point: replacements, then the gradient leaf, then records and sinks. */
  NDArray at(String name, NDArray value) {
    List<Hooks.Action> actions = byName.get(name);
    if (actions == null) {
      return value;
    }
    NDArray out = value;
    for (Hooks.Action action : actions) {
      if (action.kind() == Hooks.Kind.REPLACE) {
        out = replaced(name, out, action.function().apply(name, out, batch));
      }
    }
    if (actions.stream().anyMatch(a -> a.kind() == Hooks.Kind.GRADIENT)) {
      NDArray leaf = results.zeros(out.getShape(), out.getDataType(), out.getDevice());
      leaf.setRequiresGradient(true);
      leaves.put(name, leaf);
      out = out.add(leaf);
    }
    for (Hooks.Action action : actions) {
      if (action.kind() == Hooks.Kind.RECORD && !recorded.containsKey(name)) {
        NDArray kept = out.stopGradient();
        kept.attach(results);
        recorded.put(name, kept);
      } else if (action.kind() == Hooks.Kind.SINK) {
        try (NDArray view = out.stopGradient()) {
          action.sink().accept(name, view, batch);
        }
      }
    }
    return out;
  }

  private NDArray replaced(String name, NDArray before, NDArray after) {
    if (after == null) {
      throw new NeuriteException("The replacement hook at " + name + " returned null; return an array of shape "
          + before.getShape() + ".");
    }
    if (!after.getShape().equals(before.getShape())) {
      throw new NeuriteException("The replacement hook at " + name + " returned shape " + after.getShape()
          + "; it must keep the shape " + before.getShape() + ".");
    }
    if (after == before) {
      return before;
    }
    // A view of our own: the forward pass frees what it owns, never an array the hook's author keeps.
    NDArray own = after.reshape(after.getShape());
    own.attach(current);
    return own.getDataType() == before.getDataType() ? own : own.toType(before.getDataType(), false);
  }

  Map<String, NDArray> recorded() {
    return recorded;
  }

  Map<String, NDArray> leaves() {
    return leaves;
  }
}
