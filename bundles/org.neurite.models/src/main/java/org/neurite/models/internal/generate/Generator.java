package org.neurite.models.internal.generate;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.neurite.api.NeuriteException;
import org.neurite.api.generate.FinishReason;
import org.neurite.api.generate.Generated;
import org.neurite.api.generate.Generation;
import org.neurite.api.generate.GenerationHooks;
import org.neurite.api.generate.GenerationOptions;
import org.neurite.api.hook.Hooks;
import org.neurite.api.hook.TokenSink;
import org.neurite.api.model.Forward;
import org.neurite.api.model.TextTokenizer;
import org.neurite.api.model.TokenBatch;
import org.neurite.models.internal.core.DecoderModel;
import org.neurite.models.internal.core.KvCache;

/**
 * Generation on a hooked decoder: the prompts run once, left-padded, filling a key/value cache;
 * then each step runs one token per sequence against the cache, until every sequence has met its
 * EOS, a stop string, its token budget or an abstention. The cache and every step's arrays live in
 * a scope of this generation, freed when it ends; only recorded values reach the caller's scope.
 */
public final class Generator {
  private final DecoderModel model;

  public Generator(DecoderModel model) {
    this.model = model;
  }

  public Generation generate(List<long[]> prompts, GenerationOptions options, GenerationHooks hooks, NDManager scope) {
    if (prompts.isEmpty()) {
      throw new NeuriteException("Generation needs at least one prompt.");
    }
    TextTokenizer tokenizer = model.tokenizer().orElse(null);
    if (!options.stopStrings().isEmpty() && tokenizer == null) {
      throw new NeuriteException("Stop strings " + options.stopStrings() + " need the model's tokenizer to decode the"
          + " output, and model " + model.name() + " has none (no tokenizer.json in " + model.source()
          + "). Add the tokenizer, or stop on EOS ids and the token budget only.");
    }
    for (GenerationHooks.Scoped scoped : hooks.scoped()) {
      if (scoped.hooks().wantsGradients()) {
        throw new NeuriteException("Gradient hooks (" + scoped.hooks() + ") do not apply during generation: take"
            + " gradients with a forward pass over the generated sequence.");
      }
    }
    Set<Long> eos = options.ignoreEos() ? Set.of()
        : options.eosIds().isEmpty() ? EosTokens.of(model.source()) : Set.copyOf(options.eosIds());
    int n = prompts.size();
    int vocab = (int) model.spec().vocab();
    Sampler sampler = new Sampler(options);
    Random[] randoms = new Random[n];
    List<List<Long>> outputs = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      randoms[i] = new Random(options.seed() + i);
      outputs.add(new ArrayList<>());
    }
    FinishReason[] finish = new FinishReason[n];
    boolean[] finished = new boolean[n];
    List<Generation.Recorded> recorded = new ArrayList<>();
    TokenBatch batch = TokenBatch.of(prompts, TokenBatch.Padding.LEFT);
    try (NDManager generation = scope.newSubManager()) {
      KvCache cache = KvCache.open(generation, model.spec().layers(), n);
      for (int step = 0; ; step++) {
        StepControl control = new StepControl(step, batch, finished);
        float[] logits = run(batch, cache, hooksAt(step, hooks, control), generation, scope, step, recorded);
        long[] next = new long[n];
        for (int row = 0; row < n; row++) {
          List<Long> out = outputs.get(row);
          next[row] = out.isEmpty() ? prompts.get(row)[prompts.get(row).length - 1] : out.get(out.size() - 1);
          if (finished[row]) {
            continue;
          }
          String abstained = control.abstention(row);
          if (abstained != null) {
            finish[row] = FinishReason.abstained(abstained);
            finished[row] = true;
            continue;
          }
          long token = sampler.choose(logits, row * vocab, vocab, randoms[row]);
          out.add(token);
          next[row] = token;
          for (TokenSink sink : hooks.tokenSinks()) {
            sink.accept(row, token);
          }
          FinishReason reason = eos.contains(token) ? FinishReason.eos()
              : stopped(tokenizer, out, options.stopStrings()) ? FinishReason.stop()
              : out.size() >= options.maxNewTokens() ? FinishReason.length() : null;
          if (reason != null) {
            finish[row] = reason;
            finished[row] = true;
          }
        }
        if (allOf(finished)) {
          break;
        }
        List<long[]> tokens = new ArrayList<>();
        for (long t : next) {
          tokens.add(new long[] {t});
        }
        batch = TokenBatch.of(tokens, TokenBatch.Padding.LEFT);
      }
    }
    List<Generated> sequences = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      long[] ids = outputs.get(i).stream().mapToLong(Long::longValue).toArray();
      sequences.add(new Generated(i, prompts.get(i), ids, tokenizer == null ? "" : tokenizer.decode(ids), finish[i],
          options.seed() + i));
    }
    return new Generation(sequences, recorded);
  }

  /** One step: the logits of each sequence's last position, [batch * vocab]; recorded values move to {@code scope}. */
  private float[] run(TokenBatch batch, KvCache cache, Hooks hooks, NDManager generation, NDManager scope, int step,
      List<Generation.Recorded> recorded) {
    try (NDManager work = generation.newSubManager()) {
      Forward forward = model.forward(batch, cache, hooks, work);
      forward.recorded().forEach((name, value) -> {
        value.attach(scope);
        recorded.add(new Generation.Recorded(step, name, value));
      });
      NDArray hidden = forward.hiddenStates();
      NDArray last = hidden.get(":, -1, :");
      NDArray logits = model.logits(last);
      return logits.toType(DataType.FLOAT32, false).toFloatArray();
    }
  }

  /** The plain hooks of step {@code step}: those whose positions include it, and the sinks bound to this step. */
  static Hooks hooksAt(int step, GenerationHooks hooks, StepControl control) {
    Hooks at = Hooks.none();
    for (GenerationHooks.Scoped scoped : hooks.scoped()) {
      if (scoped.positions().includes(step)) {
        for (Hooks.Action action : scoped.hooks().actions()) {
          at = switch (action.kind()) {
            case RECORD -> at.record(action.pattern());
            case SINK -> at.record(action.pattern(), action.sink());
            case REPLACE -> at.replace(action.pattern(), action.function());
            case GRADIENT -> throw new IllegalStateException("gradient hooks are refused before generation starts");
          };
        }
      }
    }
    for (GenerationHooks.Sink sink : hooks.sinks()) {
      if (sink.positions().includes(step)) {
        at = at.record(sink.pattern(), (name, value, batch) -> sink.sink().accept(control, name, value));
      }
    }
    return at;
  }

  private static boolean stopped(TextTokenizer tokenizer, List<Long> out, List<String> stops) {
    if (stops.isEmpty()) {
      return false;
    }
    String text = tokenizer.decode(out.stream().mapToLong(Long::longValue).toArray());
    return stops.stream().anyMatch(text::contains);
  }

  private static boolean allOf(boolean[] flags) {
    for (boolean f : flags) {
      if (!f) {
        return false;
      }
    }
    return true;
  }
}
