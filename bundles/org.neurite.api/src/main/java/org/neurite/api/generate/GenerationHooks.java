package org.neurite.api.generate;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.neurite.api.hook.GenerationSink;
import org.neurite.api.hook.Hooks;
import org.neurite.api.hook.TokenSink;

/**
 * The hooks of a generation, each restricted to some {@link Positions}: plain {@link Hooks} (record,
 * replace; gradients are refused) applied at every step they include, and {@link GenerationSink}s,
 * which see the step's index and may end a sequence with a reason. A value built per call, as
 * {@link Hooks} is:
 *
 * <pre>{@code
 * GenerationHooks hooks = GenerationHooks.none()
 *     .on(Positions.GENERATED, Hooks.none().replace("blocks.3.hook_resid_post", steer))
 *     .sink(Positions.ALL, "blocks.5.mlp.hook_post", (step, name, value) -> {
 *       if (...) step.abstain(0, "skill neurons fired");
 *     });
 * }</pre>
 *
 * <p>Values recorded with {@link Hooks#record(String)} are kept, with their step index, in
 * {@link Generation#recorded()}.
 */
public final class GenerationHooks {
  /** Plain hooks for some positions. */
  public record Scoped(Positions positions, Hooks hooks) {
    public Scoped {
      Objects.requireNonNull(positions, "positions");
      Objects.requireNonNull(hooks, "hooks");
    }
  }

  /** A sink for some positions, at the hook points its pattern matches. */
  public record Sink(Positions positions, String pattern, GenerationSink sink) {
    public Sink {
      Objects.requireNonNull(positions, "positions");
      Objects.requireNonNull(pattern, "pattern");
      Objects.requireNonNull(sink, "sink");
    }
  }

  private static final GenerationHooks NONE = new GenerationHooks(List.of(), List.of(), List.of());

  private final List<Scoped> scoped;
  private final List<Sink> sinks;
  private final List<TokenSink> tokens;

  private GenerationHooks(List<Scoped> scoped, List<Sink> sinks, List<TokenSink> tokens) {
    this.scoped = List.copyOf(scoped);
    this.sinks = List.copyOf(sinks);
    this.tokens = List.copyOf(tokens);
  }

  /** No hooks. */
  public static GenerationHooks none() {
    return NONE;
  }

  /** {@code hooks} at every step. */
  public static GenerationHooks of(Hooks hooks) {
    return NONE.on(Positions.ALL, hooks);
  }

  /** Adds {@code hooks}, applied at the steps {@code positions} includes. */
  public GenerationHooks on(Positions positions, Hooks hooks) {
    List<Scoped> more = new ArrayList<>(scoped);
    more.add(new Scoped(positions, hooks));
    return new GenerationHooks(more, sinks, tokens);
  }

  /** Adds a sink at the hook points {@code pattern} matches, called at the steps {@code positions} includes. */
  public GenerationHooks sink(Positions positions, String pattern, GenerationSink sink) {
    List<Sink> more = new ArrayList<>(sinks);
    more.add(new Sink(positions, pattern, sink));
    return new GenerationHooks(scoped, more, tokens);
  }

  /** Adds a sink that receives every generated token as it is chosen (EOS included). */
  public GenerationHooks tokens(TokenSink sink) {
    List<TokenSink> more = new ArrayList<>(tokens);
    more.add(Objects.requireNonNull(sink, "sink"));
    return new GenerationHooks(scoped, sinks, more);
  }

  public List<TokenSink> tokenSinks() {
    return tokens;
  }

  public List<Scoped> scoped() {
    return scoped;
  }

  public List<Sink> sinks() {
    return sinks;
  }
}
