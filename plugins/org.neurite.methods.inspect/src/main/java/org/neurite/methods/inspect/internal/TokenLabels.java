package org.neurite.methods.inspect.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.neurite.api.NeuriteException;
import org.neurite.api.analysis.NeuronSet;
import org.neurite.api.model.TextTokenizer;

/**
 * Token ids as people read them, and the search for neurons by token. A token's text is the
 * tokenizer's decoding of that one id ({@code " dog"} for GPT-2's {@code Ġdog}); its label is that
 * text without surrounding white space ({@code dog}), or {@code #id} when nothing is left. A query
 * matches every id whose label equals it, so {@code dog} finds both {@code "dog"} and {@code " dog"}.
 */
final class TokenLabels {
  private final Optional<TextTokenizer> tokenizer;
  private final Map<Long, String> texts = new HashMap<>();

  TokenLabels(Optional<TextTokenizer> tokenizer) {
    this.tokenizer = tokenizer;
  }

  /** The token's text, as decoded; {@code #id} without a tokenizer. */
  String text(long id) {
    return texts.computeIfAbsent(id, i -> tokenizer.map(t -> t.decode(new long[] {i})).orElse("#" + i));
  }

  /** The token's label: its text, trimmed; {@code #id} when that is empty. */
  String label(long id) {
    String trimmed = text(id).strip();
    return trimmed.isEmpty() ? "#" + id : trimmed;
  }

  /**
   * Every query's matching ids, over the whole vocabulary.
   *
   * @throws NeuriteException if the model has no tokenizer, or a query matches no token
   */
  Map<String, List<Long>> ids(List<String> queries, int vocab, String where) {
    if (tokenizer.isEmpty()) {
      throw new NeuriteException(where + ": the model's folder has no tokenizer.json, so tokens cannot be looked up"
          + " by text; leave tokens empty.");
    }
    Map<String, List<Long>> byLabel = new HashMap<>();
    for (long id = 0; id < vocab; id++) {
      byLabel.computeIfAbsent(label(id), l -> new ArrayList<>()).add(id);
    }
    Map<String, List<Long>> out = new LinkedHashMap<>();
    for (String query : queries) {
      List<Long> ids = byLabel.get(query.strip());
      if (ids == null) {
        throw new NeuriteException(where + ": no token of the vocabulary reads '" + query + "' (compared without"
            + " surrounding spaces); give a single token the model has, e.g. one from the decode table.");
      }
      out.put(query, List.copyOf(ids));
    }
    return out;
  }

  /**
   * The neurons found by token, as a neuron set on {@code blocks.L.mlp.hook_post}: for each query,
   * every neuron one of whose first {@code rank} tokens matches it (score: that token's
   * probability), group = the query; with no queries, every neuron in the group of its top token's
   * label.
   */
  NeuronSet neurons(List<Decoding.Top> units, Map<String, List<Long>> queries, int rank) {
    List<NeuronSet.Member> members = new ArrayList<>();
    if (queries.isEmpty()) {
      for (Decoding.Top top : units) {
        members.add(new NeuronSet.Member(top.unit(), top.probabilities()[0], label(top.ids()[0])));
      }
    } else {
      queries.forEach((query, ids) -> {
        for (Decoding.Top top : units) {
          for (int r = 0; r < Math.min(rank, top.ids().length); r++) {
            if (ids.contains(top.ids()[r])) {
              members.add(new NeuronSet.Member(top.unit(), top.probabilities()[r], query));
              break;
            }
          }
        }
      });
    }
    return new NeuronSet("decode", "vocabulary_probability", members);
  }
}
