package org.neurite.provenance.h2.internal;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import org.neurite.api.provenance.ComparedValue;
import org.neurite.api.provenance.Metric;
import org.neurite.api.provenance.Run;
import org.neurite.api.provenance.RunComparison;
import org.neurite.api.provenance.RunDetail;
import org.neurite.api.provenance.StepRecord;

/** Puts two runs side by side: parameters, versions, steps and metrics. */
final class RunComparer {
  private final RunQueries queries;

  RunComparer(RunQueries queries) {
    this.queries = queries;
  }

  Optional<RunComparison> compare(long leftId, long rightId) {
    Optional<RunDetail> left = queries.runDetail(leftId);
    Optional<RunDetail> right = queries.runDetail(rightId);
    if (left.isEmpty() || right.isEmpty()) {
      return Optional.empty();
    }
    RunDetail l = left.get();
    RunDetail r = right.get();
    return Optional.of(new RunComparison(l.run(), r.run(),
        side(params(l.run()), params(r.run())),
        side(versions(l.run()), versions(r.run())),
        side(steps(l), steps(r)),
        side(metrics(l), metrics(r))));
  }

  private static List<ComparedValue> side(Map<String, String> left, Map<String, String> right) {
    TreeSet<String> keys = new TreeSet<>(left.keySet());
    keys.addAll(right.keySet());
    List<ComparedValue> rows = new ArrayList<>();
    for (String key : keys) {
      rows.add(new ComparedValue(key, left.get(key), right.get(key)));
    }
    return rows;
  }

  /** Top-level parameters as compact JSON; a text that is not a JSON object is shown whole. */
  static Map<String, String> params(Run run) {
    Map<String, String> out = new TreeMap<>();
    try {
      JsonElement parsed = JsonParser.parseString(run.start().paramsJson());
      if (parsed.isJsonObject()) {
        JsonObject object = parsed.getAsJsonObject();
        for (Map.Entry<String, JsonElement> entry : object.entrySet()) {
          out.put(entry.getKey(), entry.getValue().toString());
        }
        return out;
      }
    } catch (JsonParseException e) {
      // shown whole below
    }
    out.put("(parameters)", run.start().paramsJson());
    return out;
  }

  private static Map<String, String> versions(Run run) {
    Map<String, String> out = new LinkedHashMap<>();
    out.put("workflow", run.start().workflowName() + " sha256:" + run.start().workflowSha256());
    out.put("neurite", run.start().versions().neurite());
    out.put("jvm", run.start().versions().jvm());
    out.put("djl", run.start().versions().djl());
    out.put("engine", run.start().versions().engine());
    out.put("device", run.start().device());
    out.put("host", run.start().process().host());
    out.put("user", run.start().process().user());
    return out;
  }

  /** Per step id, the latest record: status and the provider that ran it. */
  private static Map<String, String> steps(RunDetail detail) {
    Map<String, String> out = new TreeMap<>();
    for (StepRecord step : detail.steps()) {
      out.put(step.start().stepId(), step.status() + " " + step.start().stepName() + " ("
          + step.start().bundleSymbolicName() + " " + step.start().bundleVersion() + ")");
    }
    return out;
  }

  /** Per {@code stepId/group/name}, the latest value. */
  private static Map<String, String> metrics(RunDetail detail) {
    Map<String, String> out = new TreeMap<>();
    for (Metric metric : detail.metrics()) {
      out.put(metric.stepId() + "/" + metric.group() + "/" + metric.name(), Double.toString(metric.value()));
    }
    return out;
  }
}
