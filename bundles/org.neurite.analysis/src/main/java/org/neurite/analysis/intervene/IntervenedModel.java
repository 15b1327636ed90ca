package org.neurite.analysis.intervene;

import ai.djl.ndarray.NDManager;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.neurite.api.generate.Generated;
import org.neurite.api.generate.Generation;
import org.neurite.api.generate.GenerationHooks;
import org.neurite.api.generate.GenerationOptions;
import org.neurite.api.hook.Hooks;
import org.neurite.api.hook.TokenSink;
import org.neurite.api.model.Forward;
import org.neurite.api.model.LanguageModel;
import org.neurite.api.model.ModelSpec;
import org.neurite.api.model.TextTokenizer;
import org.neurite.api.model.TokenBatch;

/**
 * A model with interventions applied: every forward pass carries their replace hooks (after the
 * caller's own hooks are resolved, so the caller's records see the intervened values), so every
 * evaluator works on base, intervened and control models alike. It shares the base model's weights
 * and does not own them: closing it does nothing.
 */
public final class IntervenedModel implements LanguageModel {
  private final LanguageModel base;
  private final List<Intervention> interventions;
  private final List<Abstention> abstentions;
  private final String label;

  /**
   * @param label what the interventions are, e.g. {@code targeted} or {@code control(seed 7)}
   */
  public IntervenedModel(LanguageModel base, List<Intervention> interventions, String label) {
    this(base, interventions, List.of(), label);
  }

  /**
   * @param abstentions checked at every decoding step of a generation (forward passes ignore them)
   * @param label what the interventions are
   */
  public IntervenedModel(LanguageModel base, List<Intervention> interventions, List<Abstention> abstentions,
      String label) {
    this.base = base;
    this.interventions = List.copyOf(interventions);
    this.abstentions = List.copyOf(abstentions);
    this.label = label;
  }

  public List<Abstention> abstentions() {
    return abstentions;
  }

  public LanguageModel base() {
    return base;
  }

  public List<Intervention> interventions() {
    return interventions;
  }

  public String label() {
    return label;
  }

  @Override
  public Forward forward(TokenBatch batch, Hooks hooks, NDManager scope) {
    Hooks all = Hooks.none();
    for (Intervention intervention : interventions) {
      all = intervention.addTo(all);
    }
    for (Hooks.Action action : hooks.actions()) {
      all = switch (action.kind()) {
        case RECORD -> all.record(action.pattern());
        case SINK -> all.record(action.pattern(), action.sink());
        case REPLACE -> all.replace(action.pattern(), action.function());
        case GRADIENT -> all.gradient(action.pattern());
      };
    }
    if (hooks.target().isPresent()) {
      all = all.target(hooks.target().get());
    }
    return base.forward(batch, all, scope);
  }

  /**
   * Generation with the interventions applied at every position of every step, before the caller's
   * hooks, and the abstentions checked at every step (after the interventions); an abstained
   * sequence answers its abstention's text.
   */
  @Override
  public Generation generate(List<long[]> prompts, GenerationOptions options, GenerationHooks hooks, NDManager scope) {
    Hooks all = Hooks.none();
    for (Intervention intervention : interventions) {
      all = intervention.addTo(all);
    }
    GenerationHooks combined = GenerationHooks.of(all);
    for (GenerationHooks.Scoped scoped : hooks.scoped()) {
      combined = combined.on(scoped.positions(), scoped.hooks());
    }
    for (GenerationHooks.Sink sink : hooks.sinks()) {
      combined = combined.sink(sink.positions(), sink.pattern(), sink.sink());
    }
    for (TokenSink tokens : hooks.tokenSinks()) {
      combined = combined.tokens(tokens);
    }
    for (Abstention abstention : abstentions) {
      combined = combined.sink(org.neurite.api.generate.Positions.ALL, abstention.hook(), abstention.sink());
    }
    Generation g = base.generate(prompts, options, combined, scope);
    if (abstentions.isEmpty()) {
      return g;
    }
    List<Generated> answers = new java.util.ArrayList<>();
    for (Generated s : g.sequences()) {
      Generated a = s;
      for (Abstention abstention : abstentions) {
        a = abstention.answer(a);
      }
      answers.add(a);
    }
    return new Generation(answers, g.recorded());
  }

  @Override
  public String name() {
    return base.name() + "+" + label;
  }

  @Override
  public ModelSpec spec() {
    return base.spec();
  }

  @Override
  public Path source() {
    return base.source();
  }

  @Override
  public String contentHash() {
    return base.contentHash();
  }

  @Override
  public String device() {
    return base.device();
  }

  @Override
  public Optional<TextTokenizer> tokenizer() {
    return base.tokenizer();
  }

  /** Nothing to free: the weights are the base model's. */
  @Override
  public void close() {}

  @Override
  public String toString() {
    return name() + " [" + java.util.stream.Stream.concat(interventions.stream().map(Intervention::describe),
        abstentions.stream().map(Abstention::toString)).collect(Collectors.joining("; ")) + "]";
  }
}
