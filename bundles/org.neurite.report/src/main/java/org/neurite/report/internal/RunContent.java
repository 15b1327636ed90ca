package org.neurite.report.internal;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.neurite.api.NeuriteException;
import org.neurite.api.analysis.NeuronSet;
import org.neurite.api.provenance.Metric;
import org.neurite.api.provenance.RunDetail;
import org.neurite.api.provenance.StepOutput;
import org.neurite.api.provenance.StepRecord;
import org.neurite.support.files.StoredOutputs;
import org.neurite.support.units.NeuronSetFiles;

/**
 * What a report shows of a run, read from its records and its files: the steps it covers, every
 * neuron set (units per hook point per group), every ablation effect matrix, every metric series
 * whose groups are step numbers, and the other metrics, per step.
 *
 * @param steps the step records shown (the report's own left out), in the order they started
 * @param neuronSets one per neuron-set output of a covered step
 * @param ablations one per effect matrix ({@code eval.ablation}'s {@code effects} artifact) of a covered step
 * @param series the metrics of a covered step whose groups are all whole numbers (training steps), two points or more
 * @param metrics the other metrics of the covered steps, by step id, in the order recorded
 */
record RunContent(
    List<StepRecord> steps,
    List<NeuronCounts> neuronSets,
    List<Effects> ablations,
    List<Series> series,
    Map<String, List<Metric>> metrics) {

  /** How many units of each group each hook point holds. {@code counts[g][h]} is group g at hook h. */
  record NeuronCounts(String stepId, String output, String name, String statistic, String path, List<String> hooks,
      List<String> groups, int[][] counts) {
    int points() {
      return hooks.size() * groups.size();
    }
  }

  /**
   * One effect matrix: for each ablated group (row) and measured group (column) the base, targeted
   * and control values, and, for causal measures, their comparison with the base ({@code relative}).
   */
  record Effects(String stepId, String path, String measure, String relative, String neurons, long seed,
      List<String> ablated, List<String> measured, Map<String, Map<String, Cell>> cells) {
    int points() {
      return ablated.size() * measured.size();
    }
  }

  /** One cell; {@code base} and the relative values are NaN where the measure has none (embedding shift). */
  record Cell(double base, double targeted, double control, double targetedRelative, double controlRelative) {}

  /** One metric of one step over step numbers, ascending. */
  record Series(String stepId, String name, long[] x, double[] y) {}

  private static final String SET_TYPE = "neuron-set";
  private static final String EFFECTS_KIND = "effects";

  /**
   * Reads a run.
   *
   * @param runs the workspace's runs/ folder, under which artifact paths lie
   * @param selfId the report step's id, left out
   * @param only step ids to cover; empty for every step
   * @throws NeuriteException if {@code only} names a step the run does not have, or a file is not what its record says
   */
  static RunContent of(RunDetail detail, Path runs, String selfId, List<String> only) {
    List<StepRecord> steps = detail.steps().stream().filter(s -> !s.start().stepId().equals(selfId)).toList();
    Set<String> ids = new LinkedHashSet<>();
    steps.forEach(s -> ids.add(s.start().stepId()));
    for (String id : only) {
      if (!ids.contains(id)) {
        throw new NeuriteException("report.html: steps names " + id + ", which this run does not have (so far: "
            + String.join(", ", ids) + "); give ids of earlier steps, or leave steps out for all of them.");
      }
    }
    Set<String> covered = only.isEmpty() ? ids : new LinkedHashSet<>(only);
    Map<String, String> kinds = new HashMap<>();
    detail.artifacts().forEach(a -> kinds.put(a.path(), a.kind()));
    Map<Long, String> stepOfRecord = new HashMap<>();
    for (StepRecord s : steps) {
      stepOfRecord.put(s.id(), s.start().stepId());
      if (s.cachedFrom() != null) {
        stepOfRecord.put(s.cachedFrom(), s.start().stepId());
      }
    }
    List<NeuronCounts> sets = new ArrayList<>();
    List<Effects> ablations = new ArrayList<>();
    for (StepRecord s : steps) {
      String id = s.start().stepId();
      if (!covered.contains(id)) {
        continue;
      }
      for (StepOutput out : s.outputs()) {
        String stored = StoredOutputs.path(out);
        if (stored == null) {
          continue;
        }
        if (out.type().equals(SET_TYPE)) {
          sets.add(counts(id, out.name(), stored, NeuronSetFiles.read(runs.resolve(stored))));
        } else if (EFFECTS_KIND.equals(kinds.get(stored))) {
          ablations.add(effects(id, stored, runs.resolve(stored)));
        }
      }
    }
    Set<String> charted = new LinkedHashSet<>();
    ablations.forEach(a -> charted.add(a.stepId()));
    Map<String, Map<String, List<Metric>>> byStep = new LinkedHashMap<>();
    for (Metric m : detail.metrics()) {
      String id = stepOfRecord.getOrDefault(m.stepRecordId(), m.stepId());
      if (covered.contains(id)) {
        byStep.computeIfAbsent(id, k -> new LinkedHashMap<>()).computeIfAbsent(m.name(), k -> new ArrayList<>()).add(m);
      }
    }
    List<Series> series = new ArrayList<>();
    Map<String, List<Metric>> tables = new LinkedHashMap<>();
    byStep.forEach((id, named) -> named.forEach((name, values) -> {
      if (values.size() >= 2 && values.stream().allMatch(m -> m.group().matches("\\d{1,18}"))) {
        series.add(series(id, name, values));
      } else if (!(charted.contains(id) && (name.contains(".targeted:") || name.contains(".control:")
          || name.endsWith(".base")))) {
        tables.computeIfAbsent(id, k -> new ArrayList<>()).addAll(values);
      }
    }));
    return new RunContent(steps, sets, ablations, series, tables);
  }


  private static NeuronCounts counts(String stepId, String output, String path, NeuronSet set) {
    List<String> groups = set.groups();
    List<String> hooks = new ArrayList<>(groups.isEmpty() ? List.of() : set.perHookCounts(groups.get(0)).keySet());
    int[][] counts = new int[groups.size()][hooks.size()];
    for (int g = 0; g < groups.size(); g++) {
      Map<String, Integer> perHook = set.perHookCounts(groups.get(g));
      for (int h = 0; h < hooks.size(); h++) {
        counts[g][h] = perHook.get(hooks.get(h));
      }
    }
    return new NeuronCounts(stepId, output, set.name(), set.statistic(), path, hooks, groups, counts);
  }

  private static Effects effects(String stepId, String path, Path file) {
    JsonObject json;
    try {
      json = JsonParser.parseString(Files.readString(file, StandardCharsets.UTF_8)).getAsJsonObject();
    } catch (IOException | JsonParseException | IllegalStateException e) {
      throw new NeuriteException("report.html: cannot read the effect matrix " + file + " of step " + stepId + ": "
          + e.getMessage(), e);
    }
    JsonObject matrix = json.getAsJsonObject("matrix");
    if (matrix == null) {
      throw new NeuriteException("report.html: " + file + " of step " + stepId + " has no \"matrix\"; it is not an"
          + " eval.ablation effect file.");
    }
    List<String> ablated = new ArrayList<>(matrix.keySet());
    Set<String> measured = new LinkedHashSet<>();
    String relative = null;
    Map<String, Map<String, Cell>> cells = new LinkedHashMap<>();
    for (String a : ablated) {
      JsonObject row = matrix.getAsJsonObject(a);
      measured.addAll(row.keySet());
      for (String g : row.keySet()) {
        JsonObject cell = row.getAsJsonObject(g);
        if (relative == null) {
          relative = cell.keySet().stream().filter(k -> k.startsWith("targeted_")).map(k -> k.substring(9))
              .findFirst().orElse("");
        }
        cells.computeIfAbsent(a, k -> new LinkedHashMap<>()).put(g, new Cell(number(cell, "base"),
            number(cell, "targeted"), number(cell, "control"), number(cell, "targeted_" + relative),
            number(cell, "control_" + relative)));
      }
    }
    return new Effects(stepId, path, text(json, "measure"), relative == null ? "" : relative, text(json, "neurons"),
        json.has("seed") ? json.get("seed").getAsLong() : -1, ablated, new ArrayList<>(measured), cells);
  }

  private static double number(JsonObject json, String key) {
    JsonElement e = json.get(key);
    return e == null || e.isJsonNull() ? Double.NaN : e.getAsDouble();
  }

  private static String text(JsonObject json, String key) {
    JsonElement e = json.get(key);
    return e == null || e.isJsonNull() ? "" : e.getAsString();
  }

  private static Series series(String stepId, String name, List<Metric> values) {
    List<Metric> sorted = values.stream().sorted((a, b) -> Long.compare(Long.parseLong(a.group()),
        Long.parseLong(b.group()))).toList();
    long[] x = new long[sorted.size()];
    double[] y = new double[sorted.size()];
    for (int i = 0; i < x.length; i++) {
      x[i] = Long.parseLong(sorted.get(i).group());
      y[i] = sorted.get(i).value();
    }
    return new Series(stepId, name, x, y);
  }
}
