package org.neurite.methods.knowledge.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.neurite.analysis.select.Consensus;
import org.neurite.api.NeuriteException;
import org.neurite.api.analysis.NeuronSet;
import org.neurite.api.analysis.Unit;

/**
 * Knowledge neurons (Dai et al., ACL 2022; {@code Hunter-DDM/knowledge-neurons}): from each prompt's
 * integrated-gradients attribution of the answer's probability to every FFN unit at the target
 * position, the units above a fraction of the prompt's largest attribution; a fact's knowledge
 * neurons are those most of its paraphrases keep, with the fraction searched per relation; a
 * relation's neurons are those shared by enough of its facts.
 */
final class KnowledgeNeurons {
  private KnowledgeNeurons() {}

  /** One prompt's attributions: per hook point (layer), one value per unit. */
  record Prompt(String id, String fact, String relation, Map<String, double[]> attributions) {}

  /**
   * The authors' thresholds and search ({@code 1_analyze_mlm.py}, {@code 2_get_kn.py}).
   *
   * @param prefilter a prompt's units at or above this fraction of its largest attribution are written out (0.1)
   * @param threshold of those, the units at or above this fraction of the largest are kept (0.2)
   * @param start the consensus fraction p the search starts at (0.7)
   * @param step how far p moves per try (0.05)
   * @param tries the most analyses (6)
   * @param low fewer knowledge neurons per fact than this on average lowers p (2)
   * @param high more than this raises it (5)
   * @param minimumPrompts a unit must be kept by at least this many of a fact's prompts (3)
   * @param relationShare a relation's neurons are shared by at least this fraction of its facts (0.1)
   */
  record Options(double prefilter, double threshold, double start, double step, int tries, double low, double high,
      int minimumPrompts, double relationShare) {}

  /** A relation's outcome. */
  record Relation(String name, Consensus.Adaptive search, List<String> facts, List<Unit> neurons) {}

  /** A prompt's kept units: the two thresholds over every hook point pooled. */
  static Set<Unit> kept(Prompt prompt, Options options) {
    double max = Double.NEGATIVE_INFINITY;
    for (double[] a : prompt.attributions().values()) {
      for (double v : a) {
        max = Math.max(max, v);
      }
    }
    List<Unit> prefiltered = new ArrayList<>();
    List<Double> values = new ArrayList<>();
    for (Map.Entry<String, double[]> e : prompt.attributions().entrySet()) {
      double[] a = e.getValue();
      for (int u = 0; u < a.length; u++) {
        if (a[u] >= max * options.prefilter()) {
          prefiltered.add(new Unit(e.getKey(), u));
          values.add(a[u]);
        }
      }
    }
    double written = values.stream().mapToDouble(Double::doubleValue).max().orElse(-999);
    Set<Unit> kept = new TreeSet<>();
    for (int i = 0; i < prefiltered.size(); i++) {
      if (values.get(i) >= written * options.threshold()) {
        kept.add(prefiltered.get(i));
      }
    }
    return kept;
  }

  /** Every relation's search and neurons, relations and facts in the order their first prompt comes. */
  static List<Relation> select(List<Prompt> prompts, Options options, String where) {
    Map<String, Map<String, List<Set<Unit>>>> byRelation = new LinkedHashMap<>();
    for (Prompt p : prompts) {
      if (p.fact() == null || p.relation() == null) {
        throw new NeuriteException(where + ": prompt " + p.id() + " has no " + (p.fact() == null ? "fact" : "relation")
            + "; every prompt needs the fact it asks (the fact field) and its relation (the group).");
      }
      byRelation.computeIfAbsent(p.relation(), r -> new LinkedHashMap<>())
          .computeIfAbsent(p.fact(), f -> new ArrayList<>()).add(kept(p, options));
    }
    List<Relation> out = new ArrayList<>();
    byRelation.forEach((relation, facts) -> {
      List<List<Set<Unit>>> perFact = new ArrayList<>(facts.values());
      Consensus.Adaptive search = Consensus.adaptive(perFact, options.start(), options.step(), options.tries(),
          options.low(), options.high(), options.minimumPrompts());
      List<Unit> shared = Consensus.keptInAtLeast(search.kept(), options.relationShare(), 0);
      out.add(new Relation(relation, search, List.copyOf(facts.keySet()), shared));
    });
    return out;
  }

  /** Each relation's neurons (group: the relation; score: how many of its facts have the unit). */
  static NeuronSet relationNeurons(String name, List<Relation> relations) {
    List<NeuronSet.Member> members = new ArrayList<>();
    for (Relation r : relations) {
      for (Unit u : r.neurons()) {
        long facts = r.search().kept().stream().filter(k -> k.contains(u)).count();
        members.add(new NeuronSet.Member(u, facts, r.name()));
      }
    }
    return new NeuronSet(name, "knowledge_neurons", members);
  }

  /** Each fact's knowledge neurons (group: the fact; score: the relation's fraction p). */
  static NeuronSet factNeurons(String name, List<Relation> relations) {
    List<NeuronSet.Member> members = new ArrayList<>();
    for (Relation r : relations) {
      for (int f = 0; f < r.facts().size(); f++) {
        for (Unit u : r.search().kept().get(f)) {
          members.add(new NeuronSet.Member(u, r.search().p(), r.facts().get(f)));
        }
      }
    }
    return new NeuronSet(name, "knowledge_neurons", members);
  }
}
