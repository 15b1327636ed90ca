package org.neurite.api.analysis;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * A selection of units, each with the score it was selected by and the group it belongs to (a
 * unit may belong to several groups: one member per group). On disk: one JSON file
 * ({@code {"name", "statistic", "members": [{"hook", "index", "score", "group"}, ...]}}).
 *
 * @param name what the set is, e.g. {@code lape-language-specific}
 * @param statistic the score its members carry
 * @param members the units, each once per group, in the order given
 */
public record NeuronSet(String name, String statistic, List<Member> members) {

  /** One unit in one group. */
  public record Member(Unit unit, double score, String group) {
    public Member {
      Objects.requireNonNull(unit, "unit");
      Objects.requireNonNull(group, "group");
    }
  }

  public NeuronSet {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(statistic, "statistic");
    Set<String> seen = new LinkedHashSet<>();
    for (Member m : members) {
      if (!seen.add(m.group() + "\u0000" + m.unit())) {
        throw new IllegalArgumentException("unit " + m.unit() + " is twice in group " + m.group() + " of set " + name);
      }
    }
    members = List.copyOf(members);
  }

  /** The groups, in first-seen order. */
  public List<String> groups() {
    return members.stream().map(Member::group).distinct().toList();
  }

  /** The distinct units, in model order. */
  public List<Unit> units() {
    return members.stream().map(Member::unit).distinct().sorted().toList();
  }

  /** The distinct units of one group, in model order. */
  public List<Unit> units(String group) {
    return members.stream().filter(m -> m.group().equals(group)).map(Member::unit).distinct().sorted().toList();
  }

  /** The members of one group. */
  public NeuronSet group(String group) {
    return filtered(name + "/" + group, m -> m.group().equals(group));
  }

  /** How many units of a group each hook point holds (every hook point of the set, zero included), in model order. */
  public Map<String, Integer> perHookCounts(String group) {
    Map<String, Integer> counts = new TreeMap<>(Comparator.comparing((String hook) -> new Unit(hook, 0)));
    members.forEach(m -> counts.putIfAbsent(m.unit().hook(), 0));
    members.stream().filter(m -> m.group().equals(group)).forEach(m -> counts.merge(m.unit().hook(), 1, Integer::sum));
    return counts;
  }

  /** The members whose (unit, group) is in this set or the other; a pair in both keeps this set's score. */
  public NeuronSet union(NeuronSet other) {
    Map<String, Member> all = new LinkedHashMap<>();
    members.forEach(m -> all.put(key(m), m));
    other.members.forEach(m -> all.putIfAbsent(key(m), m));
    return new NeuronSet(name + "|" + other.name, statistic, new ArrayList<>(all.values()));
  }

  /** The members whose (unit, group) is also in the other set. */
  public NeuronSet intersection(NeuronSet other) {
    Set<String> theirs = keys(other);
    return filtered(name + "&" + other.name, m -> theirs.contains(key(m)));
  }

  /** The members whose (unit, group) is not in the other set. */
  public NeuronSet difference(NeuronSet other) {
    Set<String> theirs = keys(other);
    return filtered(name + "-" + other.name, m -> !theirs.contains(key(m)));
  }

  /** The members whose unit is in none of the other set's groups (e.g. excluding a control set's units). */
  public NeuronSet excludingUnits(NeuronSet other) {
    Set<Unit> theirs = new LinkedHashSet<>(other.units());
    return filtered(name + "-units(" + other.name + ")", m -> !theirs.contains(m.unit()));
  }

  private NeuronSet filtered(String newName, Predicate<Member> keep) {
    return new NeuronSet(newName, statistic, members.stream().filter(keep).toList());
  }

  private static Set<String> keys(NeuronSet set) {
    Set<String> keys = new LinkedHashSet<>();
    set.members.forEach(m -> keys.add(key(m)));
    return keys;
  }

  private static String key(Member m) {
    return m.group() + "\u0000" + m.unit().hook() + "\u0000" + m.unit().index();
  }
}
