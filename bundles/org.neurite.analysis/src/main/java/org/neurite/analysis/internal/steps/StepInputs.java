package org.neurite.analysis.internal.steps;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.neurite.analysis.batch.Tokenization;
import org.neurite.analysis.capture.HookPatterns;
import org.neurite.analysis.select.Selection;
import org.neurite.api.NeuriteException;
import org.neurite.api.analysis.NeuronSet;
import org.neurite.api.context.StepContext;
import org.neurite.api.data.Dataset;
import org.neurite.api.data.Example;
import org.neurite.api.hook.Hooks;
import org.neurite.api.model.HookPoint;
import org.neurite.api.model.LanguageModel;

/** What analysis steps read from their inputs alike: the hook points a list of patterns names, the dataset's groups. */
final class StepInputs {
  private StepInputs() {}

  /** The groups of the dataset (one pass over its examples), or "all" when it has none. */
  static List<String> groups(StepContext context, Dataset dataset) {
    String field = context.param("group_by", String.class);
    TreeSet<String> seen = new TreeSet<>();
    boolean ungrouped = false;
    try (var examples = dataset.examples()) {
      for (var example : (Iterable<Example>) examples::iterator) {
        String g = Tokenization.group(example, field);
        if (g == null) {
          ungrouped = true;
        } else {
          seen.add(g);
        }
      }
    }
    if (ungrouped && !seen.isEmpty()) {
      throw new NeuriteException("Step " + context.stepId() + ": some examples of " + dataset.name() + " have no '"
          + field + "' and others do; give every example a group, or set group_by to \"\" for one group.");
    }
    if (seen.isEmpty()) {
      seen.add("all");
    }
    return List.copyOf(seen);
  }

  static List<String> hooks(LanguageModel model, List<String> patterns, String where) {
    return HookPatterns.expand(model, patterns, where);
  }

  /** The index of an example's group among the step's groups; "all" for an example without one. */
  static int groupIndex(String group, List<String> groups) {
    return groups.indexOf(group == null ? "all" : group);
  }

  /**
   * The units of some groups of a neuron set taken together, by hook point, sorted.
   *
   * @param groups the groups; empty for every group of the set
   */
  static Map<String, int[]> unitsByHook(StepContext context, NeuronSet neurons, List<String> groups) {
    List<String> chosen = groups.isEmpty() ? neurons.groups() : groups;
    Map<String, TreeSet<Integer>> merged = new LinkedHashMap<>();
    for (String group : chosen) {
      if (!neurons.groups().contains(group)) {
        throw Steps.bad(context, "groups", "names '" + group + "', which the neuron set " + neurons.name() + " does not"
            + " have; it has " + neurons.groups() + ".");
      }
      Selection.byHook(neurons, group).forEach((hook, units) -> {
        TreeSet<Integer> set = merged.computeIfAbsent(hook, h -> new TreeSet<>());
        for (int u : units) {
          set.add(u);
        }
      });
    }
    if (merged.isEmpty()) {
      throw Steps.bad(context, "neurons", "is empty for groups " + chosen + "; there is nothing to change. Loosen the"
          + " selection rule.");
    }
    Map<String, int[]> units = new LinkedHashMap<>();
    merged.forEach((hook, set) -> units.put(hook, set.stream().mapToInt(Integer::intValue).toArray()));
    return units;
  }
}
