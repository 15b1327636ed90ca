package org.neurite.console.internal;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.neurite.api.analysis.NeuronSet;
import org.neurite.api.analysis.Unit;
import org.neurite.api.analysis.UnitScores;

/**
 * What {@code neurons} shows of a neuron set or of unit scores: per group, the units with the
 * highest scores and how many units each hook point (layer) holds; and the CSV it exports, one row
 * per unit and group ({@code source,statistic,group,hook,index,score}).
 */
final class NeuronTables {
  static final String CSV_HEADER = "source,statistic,group,hook,index,score";

  private NeuronTables() {}

  /** One unit with its score. */
  record Row(Unit unit, double score) {}

  /**
   * One group of one file. For a neuron set, {@code perHook} counts the group's members per hook
   * point; for unit scores, where the {@code top} units lie.
   */
  record Group(String group, int units, Map<String, Integer> perHook, List<Row> top) {}

  /** One neuron set or unit-scores file, summarised. */
  record Summary(String source, String kind, String name, String statistic, List<Group> groups, List<Row[]> all,
      List<String> allGroups) {}

  static Summary of(String source, NeuronSet set, int top) {
    List<Group> groups = new ArrayList<>();
    List<Row[]> all = new ArrayList<>();
    for (String group : set.groups()) {
      List<Row> rows = set.members().stream().filter(m -> m.group().equals(group))
          .map(m -> new Row(m.unit(), m.score())).toList();
      Map<String, Integer> perHook = new LinkedHashMap<>();
      set.perHookCounts(group).forEach((hook, count) -> {
        if (count > 0) {
          perHook.put(hook, count);
        }
      });
      groups.add(new Group(group, rows.size(), perHook, highest(rows, top)));
      all.add(rows.toArray(Row[]::new));
    }
    return new Summary(source, "neuron set", set.name(), set.statistic(), groups, all, set.groups());
  }

  static Summary of(String source, UnitScores scores, int top) {
    List<Group> groups = new ArrayList<>();
    List<Row[]> all = new ArrayList<>();
    for (String group : scores.groups()) {
      List<Row> rows = new ArrayList<>();
      for (String hook : scores.hooks()) {
        scores.of(hook, group).ifPresent(values -> {
          for (int i = 0; i < values.length; i++) {
            rows.add(new Row(new Unit(hook, i), values[i]));
          }
        });
      }
      List<Row> highest = highest(rows, top);
      groups.add(new Group(group, rows.size(), perHook(highest), highest));
      all.add(rows.toArray(Row[]::new));
    }
    return new Summary(source, "unit scores", scores.statistic(), scores.statistic(), groups, all, scores.groups());
  }

  /** The {@code n} highest-scoring rows, highest first, NaN scores left out; ties in model order. */
  static List<Row> highest(List<Row> rows, int n) {
    return rows.stream().filter(r -> !Double.isNaN(r.score()))
        .sorted(Comparator.comparingDouble(Row::score).reversed().thenComparing(Row::unit)).limit(n).toList();
  }

  private static Map<String, Integer> perHook(List<Row> rows) {
    Map<String, Integer> counts = new TreeMap<>(Comparator.comparing((String hook) -> new Unit(hook, 0)));
    rows.forEach(r -> counts.merge(r.unit().hook(), 1, Integer::sum));
    return counts;
  }

  /** Writes every unit of every summary, one row per unit and group. */
  static int writeCsv(List<Summary> summaries, Path file) throws IOException {
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    int rows = 0;
    try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      out.write(CSV_HEADER + "\n");
      for (Summary s : summaries) {
        for (int g = 0; g < s.allGroups().size(); g++) {
          for (Row r : s.all().get(g)) {
            out.write(String.join(",", csv(s.source()), csv(s.statistic()), csv(s.allGroups().get(g)),
                csv(r.unit().hook()), Integer.toString(r.unit().index()), Double.toString(r.score())) + "\n");
            rows++;
          }
        }
      }
    }
    return rows;
  }

  private static String csv(String field) {
    return field.matches("[^,\"\\r\\n]*") ? field : '"' + field.replace("\"", "\"\"") + '"';
  }

  /** The console text of the summaries. */
  static String text(List<Summary> summaries, int top) {
    StringBuilder out = new StringBuilder();
    for (Summary s : summaries) {
      out.append(s.kind()).append(' ').append(s.name());
      if (!s.name().equals(s.statistic())) {
        out.append(" (").append(s.statistic()).append(')');
      }
      out.append("  ").append(s.source()).append('\n');
      for (Group g : s.groups()) {
        out.append(String.format("  group %s: %d units%n", g.group(), g.units()));
        out.append(s.kind().equals("neuron set") ? "    per hook point:" : "    top " + g.top().size() + " per hook point:");
        g.perHook().forEach((hook, count) -> out.append(' ').append(hook).append('=').append(count));
        out.append('\n');
        out.append(String.format("    %4s  %-34s %7s  %s%n", "rank", "hook", "index", "score"));
        for (int i = 0; i < g.top().size(); i++) {
          Row r = g.top().get(i);
          out.append(String.format("    %4d  %-34s %7d  %.6g%n", i + 1, r.unit().hook(), r.unit().index(), r.score()));
        }
        if (g.top().size() < g.units() && g.top().size() == top) {
          out.append(String.format("    ... %d more (--top N shows more, --csv FILE writes all)%n", g.units() - top));
        }
      }
    }
    return out.toString();
  }
}
