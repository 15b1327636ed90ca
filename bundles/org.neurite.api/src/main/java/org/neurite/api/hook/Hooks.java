package org.neurite.api.hook;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What one forward pass does at its hook points, built per call:
 *
 * <pre>{@code
 * Hooks hooks = Hooks.none()
 *     .record("blocks.*.mlp.hook_post")                        // kept: forward.recorded(name)
 *     .replace("blocks.3.mlp.hook_post", zeroUnits)            // an intervention
 *     .gradient("blocks.*.mlp.hook_post")                      // forward.gradient(name)
 *     .target(f -> f.logits().get(0, last, answer));           // ...of this quantity
 * }</pre>
 *
 * <p>A name may hold {@code *}, which stands for one dotted segment (a layer number). Every name
 * must match at least one hook point of the model, so a typo is an error, not a silent no-op.
 * At a hook point, replacements apply first (in the order added); the gradient is taken with
 * respect to the resulting value, and records and sinks see that value too. Hooks are values:
 * each method returns a new {@code Hooks}; nothing is installed in the model.
 */
public final class Hooks {
  /** What a hook does. */
  public enum Kind { RECORD, SINK, REPLACE, GRADIENT }

  /** One hook: a name pattern and what to do there. */
  public record Action(Kind kind, String pattern, HookFunction function, HookSink sink) {
    /** Whether this action applies at the named hook point. */
    public boolean matches(String hookName) {
      return Hooks.matches(pattern, hookName);
    }
  }

  private static final Hooks NONE = new Hooks(List.of(), null);

  private final List<Action> actions;
  private final GradientTarget target;

  private Hooks(List<Action> actions, GradientTarget target) {
    this.actions = List.copyOf(actions);
    this.target = target;
  }

  /** No hooks: a plain forward pass. */
  public static Hooks none() {
    return NONE;
  }

  /** Keeps the value at matching hook points; read it with {@link Forward#recorded(String)}. */
  public Hooks record(String pattern) {
    return with(new Action(Kind.RECORD, pattern, null, null));
  }

  /** Passes the value at matching hook points to {@code sink} as the forward pass runs. */
  public Hooks record(String pattern, HookSink sink) {
    return with(new Action(Kind.SINK, pattern, null, Objects.requireNonNull(sink, "sink")));
  }

  /** Replaces the value at matching hook points with what {@code function} returns. */
  public Hooks replace(String pattern, HookFunction function) {
    return with(new Action(Kind.REPLACE, pattern, Objects.requireNonNull(function, "function"), null));
  }

  /**
   * Takes the gradient of the {@link #target} with respect to the value at matching hook points;
   * read it with {@link Forward#gradient(String)}.
   */
  public Hooks gradient(String pattern) {
    return with(new Action(Kind.GRADIENT, pattern, null, null));
  }

  /** The quantity whose gradient the {@link #gradient} hooks receive. */
  public Hooks target(GradientTarget target) {
    return new Hooks(actions, Objects.requireNonNull(target, "target"));
  }

  /** Every hook, in the order added. */
  public List<Action> actions() {
    return actions;
  }

  public Optional<GradientTarget> target() {
    return Optional.ofNullable(target);
  }

  /** Whether any hook asks for gradients. */
  public boolean wantsGradients() {
    return actions.stream().anyMatch(a -> a.kind() == Kind.GRADIENT);
  }

  public boolean isEmpty() {
    return actions.isEmpty();
  }

  /**
   * Whether a hook name matches a pattern: equal, or equal with each {@code *} standing for one
   * segment between dots.
   */
  public static boolean matches(String pattern, String hookName) {
    if (pattern.indexOf('*') < 0) {
      return pattern.equals(hookName);
    }
    StringBuilder regex = new StringBuilder();
    for (String part : pattern.split("\\*", -1)) {
      if (regex.length() > 0) {
        regex.append("[^.]+");
      }
      regex.append(Pattern.quote(part));
    }
    return hookName.matches(regex.toString());
  }

  private Hooks with(Action action) {
    Objects.requireNonNull(action.pattern(), "pattern");
    List<Action> more = new ArrayList<>(actions);
    more.add(action);
    return new Hooks(more, target);
  }

  @Override
  public String toString() {
    StringBuilder s = new StringBuilder("Hooks[");
    for (Action a : actions) {
      s.append(a.kind().name().toLowerCase(java.util.Locale.ROOT)).append(' ').append(a.pattern()).append("; ");
    }
    return s.append(target == null ? "" : "target").append(']').toString();
  }
}
