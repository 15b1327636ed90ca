package org.neurite.models.internal.core;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.neurite.api.hook.GradientTarget;
import org.neurite.api.hook.Hooks;
import org.neurite.api.model.Forward;
import org.neurite.api.model.LanguageModel;
import org.neurite.api.model.ModelSpec;
import org.neurite.api.model.TextTokenizer;
import org.neurite.api.model.TokenBatch;
import org.neurite.models.family.ModelOrigin;

/**
 * What every hooked model shares: identity, weights scope, tokenizer, and the frame of a forward
 * pass -- hooks resolved before anything runs, gradient recording on for this thread only, every
 * intermediate value in a scope freed when its block ends, and the results in the caller's scope.
 */
public abstract class HookedModel implements LanguageModel {
  /** What a family's pass leaves: hidden states, the head that turns them into logits (or null), further outputs. */
  protected record Outcome(NDArray hidden, UnaryOperator<NDArray> head, Map<String, NDArray> outputs) {}

  /** One block of a pass: the residual stream in, the residual stream out. */
  @FunctionalInterface
  protected interface Block {
    NDArray apply(int layer, NDArray x);
  }

  protected final ModelOrigin origin;
  protected final ModelSpec spec;

  protected HookedModel(ModelOrigin origin, ModelSpec spec) {
    this.origin = origin;
    this.spec = spec;
  }

  /** Checks a batch against the model's limits before any tensor is made. */
  protected abstract void check(TokenBatch batch);

  /** The family's pass: embeddings, blocks (through {@link #blocks}) and final norm, computed in {@code work}. */
  protected abstract Outcome pass(TokenBatch batch, HookDispatch hooks, NDManager work);

  /** A family's pass over a batch whose hooks are resolved. */
  @FunctionalInterface
  protected interface Pass {
    Outcome run(HookDispatch hooks, NDManager work);
  }

  @Override
  public final Forward forward(TokenBatch batch, Hooks hooks, NDManager scope) {
    check(batch);
    return framed(batch, hooks, scope, (hooked, work) -> pass(batch, hooked, work));
  }

  /**
   * The frame of every forward pass around {@code pass}: hooks resolved, gradients recorded only
   * if asked, intermediate values freed, results in {@code scope}.
   */
  protected final Forward framed(TokenBatch batch, Hooks hooks, NDManager scope, Pass pass) {
    return framed(batch, hooks, hooks.target().orElse(null), scope, pass);
  }

  /**
   * A forward pass that back-propagates {@code target} before it ends, while every value of the graph
   * (and every constant PyTorch's autograd keeps for the backward pass) is still alive: every array that
   * requires a gradient and on which the target depends -- the parameters of a model being trained --
   * receives it. {@code hooks} may record and replace, but take no gradients of their own.
   */
  public final Forward backward(TokenBatch batch, Hooks hooks, GradientTarget target, NDManager scope) {
    if (hooks.wantsGradients() || hooks.target().isPresent()) {
      throw new IllegalArgumentException("backward takes its target apart from the hooks, which take no gradients");
    }
    check(batch);
    return framed(batch, hooks, java.util.Objects.requireNonNull(target, "target"), scope,
        (hooked, work) -> pass(batch, hooked, work));
  }

  private Forward framed(TokenBatch batch, Hooks hooks, GradientTarget target, NDManager scope, Pass pass) {
    HookDispatch hooked = HookDispatch.resolve(hooks, spec, name(), batch, scope);
    boolean gradients = target != null;
    boolean previousMode = gradients && origin.backend().recordGradients(true);
    try (NDManager work = scope.newSubManager()) {
      hooked.enter(work);
      NDArray mask = scope.create(batch.mask(), new Shape(batch.size(), batch.length()));
      Outcome outcome = pass.run(hooked, work);
      outcome.hidden().attach(scope);
      outcome.outputs().values().forEach(o -> o.attach(scope));
      HookedForward forward = new HookedForward(name(), batch, outcome.hidden(), mask, outcome.head(),
          outcome.outputs(), hooked.recorded());
      if (gradients) {
        forward.differentiate(target, hooked.leaves(), origin.backend());
      }
      return forward;
    } finally {
      if (gradients) {
        origin.backend().recordGradients(previousMode);
      }
    }
  }

  /** Runs {@code layers} blocks, each in a scope of its own that is freed when the block ends. */
  protected static NDArray blocks(NDArray x, int layers, HookDispatch hooked, NDManager work, Block block) {
    NDArray residual = x;
    for (int l = 0; l < layers; l++) {
      try (NDManager scope = work.newSubManager()) {
        hooked.enter(scope);
        residual.attach(scope);
        residual = block.apply(l, residual);
        residual.attach(work);
      }
    }
    hooked.enter(work);
    return residual;
  }

  @Override
  public String name() {
    return origin.source().name();
  }

  @Override
  public ModelSpec spec() {
    return spec;
  }

  @Override
  public Path source() {
    return origin.source().folder();
  }

  @Override
  public String contentHash() {
    return origin.source().contentHash();
  }

  @Override
  public String device() {
    return origin.device();
  }

  @Override
  public Optional<TextTokenizer> tokenizer() {
    return origin.tokenizer();
  }

  /** The scope holding the weights: nothing a forward pass makes may end up here. */
  public NDManager weights() {
    return origin.weights();
  }

  /** The compute type of the weights. */
  protected DataType type() {
    return origin.type();
  }

  /** Frees the weights and, with them, the tokenizer (its native memory belongs to the weights scope). */
  @Override
  public void close() {
    origin.weights().close();
    if (origin.source() instanceof AutoCloseable files) {
      try {
        files.close();
      } catch (Exception e) {
        throw new IllegalStateException("closing the files of " + name() + " failed", e);
      }
    }
  }

  @Override
  public String toString() {
    return name() + " (" + spec.summary() + ", " + device() + ")";
  }
}
