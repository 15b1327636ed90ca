package org.neurite.analysis.intervene;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import java.util.List;
import org.neurite.analysis.capture.Positions;
import org.neurite.api.hook.HookFunction;
import org.neurite.api.hook.Hooks;
import org.neurite.api.model.TokenBatch;

/**
 * One operation on chosen units of one hook point, at chosen positions: the value there becomes
 * {@code mask * op(x) + (1 - mask) * x}, where the mask is 1 at (chosen position, chosen unit).
 *
 * @param hook the hook point, e.g. {@code blocks.1.mlp.hook_post}
 * @param units the unit indices, sorted and distinct
 * @param operation what is done to them
 * @param positions where in each sequence (padding never)
 */
public record Intervention(String hook, int[] units, Operation operation, Positions positions) {

  public Intervention {
    units = Arrays.stream(units).distinct().sorted().toArray();
    if (units.length > 0 && units[0] < 0) {
      throw new IllegalArgumentException("negative unit index at " + hook);
    }
  }

  @Override
  public int[] units() {
    return units.clone();
  }

  /** The replace hook that performs it; it checks the unit indices against the hook point's width. */
  public HookFunction function() {
    return (name, value, batch) -> apply(value, batch);
  }

  /** Adds this intervention's replace hook to {@code hooks}. */
  public Hooks addTo(Hooks hooks) {
    return units.length == 0 ? hooks : hooks.replace(hook, function());
  }

  NDArray apply(NDArray value, TokenBatch batch) {
    Shape shape = value.getShape();
    if (shape.dimension() > 3) {
      // [batch, pos, heads, d_head]: the units are the flattened channels h * d_head + d
      return apply(value.reshape(shape.get(0), shape.get(1), shape.size() / (shape.get(0) * shape.get(1))), batch)
          .reshape(shape);
    }
    long width = shape.get(shape.dimension() - 1);
    if (units[units.length - 1] >= width) {
      throw new org.neurite.api.NeuriteException("Unit " + units[units.length - 1] + " is outside hook point " + hook
          + ", which has " + width + " units (0-" + (width - 1) + ").");
    }
    NDManager scope = value.getManager();
    float[] unitMask = new float[(int) width];
    for (int u : units) {
      unitMask[u] = 1f;
    }
    NDArray mask = scope.create(positions.mask(batch), new Shape(batch.size(), batch.length(), 1))
        .mul(scope.create(unitMask, new Shape(1, 1, width))).toType(value.getDataType(), false);
    NDArray changed = operation.apply(value, batch, scope);
    return changed.mul(mask).add(value.mul(mask.neg().add(1)));
  }

  /** {@code zero blocks.1.mlp.hook_post [7, 9] at all}. */
  public String describe() {
    return operation.describe() + " " + hook + " " + Arrays.toString(units) + " at " + positions.name().toLowerCase();
  }

  /** The interventions of a set of units, one per hook point. */
  public static List<Intervention> of(java.util.Map<String, int[]> unitsByHook, Operation operation, Positions positions) {
    return unitsByHook.entrySet().stream().map(e -> new Intervention(e.getKey(), e.getValue(), operation, positions))
        .toList();
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Intervention i && i.hook.equals(hook) && Arrays.equals(i.units, units)
        && i.operation.equals(operation) && i.positions == positions;
  }

  @Override
  public int hashCode() {
    return hook.hashCode() * 31 + Arrays.hashCode(units);
  }
}
