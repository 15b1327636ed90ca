package org.neurite.report.internal;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.neurite.api.provenance.Artifact;
import org.neurite.api.provenance.Metric;
import org.neurite.api.provenance.Run;
import org.neurite.api.provenance.RunDetail;
import org.neurite.api.provenance.SourceIdentity;
import org.neurite.api.provenance.StepRecord;

/**
 * Renders a run as one HTML file that needs no network: the styles, the chart data (JSON), the
 * charting library and the script that draws the charts are all inside it. Every section has an id
 * and {@code data-points} (how many numbers it shows); every chart is a {@code div.chart} whose
 * script sets {@code data-rendered="true"} once drawn; every number a chart shows is also in a table,
 * so the file reads without JavaScript too.
 */
final class HtmlReport {
  /** Gson escapes {@code <}, {@code >} and {@code &}, so the data cannot end its {@code <script>} element. */
  private static final Gson GSON = new GsonBuilder().create();

  private final StringBuilder html = new StringBuilder(1 << 16);
  private final JsonObject charts = new JsonObject();
  private final List<String[]> contents = new ArrayList<>();
  private final StringBuilder body = new StringBuilder(1 << 16);

  private HtmlReport() {}

  static String render(String title, RunDetail detail, RunContent content, ChartLibrary library, Instant written) {
    return new HtmlReport().write(title, detail, content, library, written);
  }

  private String write(String title, RunDetail detail, RunContent content, ChartLibrary library, Instant written) {
    header(title, detail, library, written);
    params(detail.run().start().paramsJson());
    steps(content.steps());
    sources(detail.sources());
    artifacts(detail.artifacts());
    content.neuronSets().forEach(this::neuronSet);
    content.ablations().forEach(this::ablation);
    Map<String, List<RunContent.Series>> curves = new LinkedHashMap<>();
    content.series().forEach(s -> curves.computeIfAbsent(s.stepId(), k -> new ArrayList<>()).add(s));
    curves.forEach(this::curves);
    content.metrics().forEach(this::metrics);

    html.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>")
        .append(Html.escape(title)).append("</title>\n<meta name=\"generator\" content=\"Neurite report.html; charts: ")
        .append(Html.escape(library.describe())).append("\">\n<style>\n").append(resource("report.css"))
        .append("</style>\n</head>\n<body>\n<noscript><p class=\"note\">The charts need JavaScript; every number they"
            + " show is in the tables below them.</p></noscript>\n<nav id=\"contents\"><ul>\n");
    contents.forEach(c -> html.append("<li><a href=\"#").append(c[0]).append("\">").append(Html.escape(c[1]))
        .append("</a></li>\n"));
    html.append("</ul></nav>\n").append(body);
    html.append("<script type=\"application/json\" id=\"neurite-charts\">").append(GSON.toJson(charts))
        .append("</script>\n<script>\n").append(library.script()).append("\n</script>\n<script>\n")
        .append(resource("report.js")).append("</script>\n</body>\n</html>\n");
    return html.toString();
  }

  private void open(String id, String kind, String heading, int points) {
    contents.add(new String[] {id, heading});
    body.append("<section id=\"").append(id).append("\" class=\"report-section\" data-kind=\"").append(kind)
        .append("\" data-points=\"").append(points).append("\">\n<h2>").append(Html.escape(heading)).append("</h2>\n");
  }

  private void close() {
    body.append("</section>\n");
  }

  private void chart(String id, String caption, JsonObject spec, int rows) {
    charts.add(id, spec);
    body.append("<figure><div class=\"chart\" id=\"").append(id).append("\" data-chart-type=\"")
        .append(spec.get("type").getAsString()).append("\" style=\"height:").append(Math.max(280, 90 + 26 * rows))
        .append("px\"></div><figcaption>").append(Html.escape(caption)).append("</figcaption></figure>\n");
  }

  private void header(String title, RunDetail detail, ChartLibrary library, Instant written) {
    Run run = detail.run();
    List<List<String>> rows = new ArrayList<>();
    rows.add(List.of("run", run.id() + " (" + run.status() + ", attempt " + run.attempt() + ")"));
    rows.add(List.of("workflow", run.start().workflowName() + " — " + String.valueOf(run.start().workflowSource())));
    rows.add(List.of("workflow SHA-256", run.start().workflowSha256()));
    rows.add(List.of("started", DateTimeFormatter.ISO_INSTANT.format(run.startedAt()) + " by "
        + run.start().process().user() + "@" + run.start().process().host() + " (pid " + run.start().process().pid()
        + ")"));
    rows.add(List.of("device", String.valueOf(run.start().device())));
    rows.add(List.of("versions", "Neurite " + run.start().versions().neurite() + ", " + run.start().versions().engine()
        + " (DJL " + run.start().versions().djl() + "), " + run.start().versions().jvm()));
    rows.add(List.of("workspace", String.valueOf(run.start().workspace())));
    rows.add(List.of("charts", library.describe()));
    rows.add(List.of("written", DateTimeFormatter.ISO_INSTANT.format(written)));
    contents.add(new String[] {"run", "Run " + run.id()});
    body.append("<header id=\"run\" class=\"report-section\" data-kind=\"run\" data-points=\"").append(rows.size())
        .append("\">\n<h1>").append(Html.escape(title)).append("</h1>\n")
        .append(Html.table("facts", List.of("", ""), rows)).append("</header>\n");
  }

  private void params(String paramsJson) {
    JsonElement parsed = JsonParser.parseString(paramsJson);
    List<List<String>> rows = new ArrayList<>();
    if (parsed.isJsonObject()) {
      // the engine records {"params": {name: value, ...}, "device": ...}: one row per workflow parameter
      parsed.getAsJsonObject().entrySet().forEach(e -> {
        if (e.getKey().equals("params") && e.getValue().isJsonObject()) {
          e.getValue().getAsJsonObject().entrySet().forEach(p -> rows.add(List.of(p.getKey(), value(p.getValue()))));
        } else {
          rows.add(List.of(e.getKey(), value(e.getValue())));
        }
      });
    }
    open("params", "params", "Parameters", rows.size());
    body.append(rows.isEmpty() ? "<p>The workflow has no parameters.</p>\n"
        : Html.table("params", List.of("parameter", "value"), rows));
    close();
  }

  private static String value(JsonElement e) {
    return e.isJsonPrimitive() && e.getAsJsonPrimitive().isString() ? e.getAsString() : e.toString();
  }

  private void steps(List<StepRecord> steps) {
    List<List<String>> rows = new ArrayList<>();
    for (StepRecord s : steps) {
      rows.add(List.of(s.start().stepId(), s.start().stepName(),
          s.status() + (s.cachedFrom() == null ? "" : " (record " + s.cachedFrom() + ")"),
          s.durationMillis() == null ? "" : s.durationMillis() + " ms",
          s.start().bundleSymbolicName() + " " + s.start().bundleVersion(), parameters(s.start().paramsJson()),
          s.errorMessage() == null ? "" : s.errorMessage()));
    }
    open("steps", "steps", "Steps", rows.size());
    body.append(Html.table("steps", List.of("step", "uses", "status", "time", "provider", "parameters", "error"), rows));
    close();
  }

  private static String parameters(String json) {
    JsonElement parsed = JsonParser.parseString(json);
    if (!parsed.isJsonObject()) {
      return json;
    }
    List<String> parts = new ArrayList<>();
    parsed.getAsJsonObject().entrySet().forEach(e -> parts.add(e.getKey() + "=" + value(e.getValue())));
    return String.join(", ", parts);
  }

  private void sources(List<SourceIdentity> sources) {
    List<List<String>> rows = new ArrayList<>();
    sources.forEach(s -> rows.add(List.of(String.valueOf(s.kind()), s.name(), String.valueOf(s.sourcePath()),
        s.contentHash(), s.detailsJson() == null ? "" : s.detailsJson())));
    open("sources", "sources", "Models and datasets", rows.size());
    body.append(rows.isEmpty() ? "<p>No step recorded a model or dataset.</p>\n"
        : Html.table("sources", List.of("kind", "name", "path", "content SHA-256", "details"), rows));
    close();
  }

  private void artifacts(List<Artifact> artifacts) {
    List<List<String>> rows = new ArrayList<>();
    artifacts.forEach(a -> rows.add(List.of(a.kind(), a.path(), Long.toString(a.sizeBytes()), a.sha256())));
    open("artifacts", "artifacts", "Artifacts", rows.size());
    body.append(rows.isEmpty() ? "<p>No step wrote a file.</p>\n"
        : Html.table("artifacts", List.of("kind", "path (under runs/)", "bytes", "SHA-256"), rows));
    close();
  }

  private void neuronSet(RunContent.NeuronCounts set) {
    String id = Html.id("neurons", set.stepId(), set.output());
    open(id, "neuron-set", "Neuron set " + set.name() + " (" + set.stepId() + "." + set.output() + ")", set.points());
    body.append("<p>Units per hook point per group, by ").append(Html.escape(set.statistic())).append("; file runs/")
        .append(Html.escape(set.path())).append(".</p>\n");
    JsonObject spec = new JsonObject();
    spec.addProperty("type", "stacked-bars");
    spec.addProperty("yName", "units");
    spec.add("categories", strings(set.hooks()));
    JsonArray series = new JsonArray();
    for (int g = 0; g < set.groups().size(); g++) {
      JsonObject s = new JsonObject();
      s.addProperty("name", set.groups().get(g));
      JsonArray data = new JsonArray();
      for (int count : set.counts()[g]) {
        data.add(count);
      }
      s.add("data", data);
      series.add(s);
    }
    spec.add("series", series);
    chart("chart-" + id, "units of each group, stacked, per hook point", spec, 0);
    List<String> header = new ArrayList<>(List.of("hook point"));
    header.addAll(set.groups());
    List<List<String>> rows = new ArrayList<>();
    for (int h = 0; h < set.hooks().size(); h++) {
      List<String> row = new ArrayList<>(List.of(set.hooks().get(h)));
      for (int g = 0; g < set.groups().size(); g++) {
        row.add(Integer.toString(set.counts()[g][h]));
      }
      rows.add(row);
    }
    body.append(Html.table("data neuron-counts", header, rows));
    close();
  }

  private void ablation(RunContent.Effects effects) {
    String id = Html.id("ablation", effects.stepId());
    boolean relative = !effects.relative().isEmpty();
    open(id, "ablation", "Ablation " + effects.stepId() + " (neurons " + effects.neurons() + ")", effects.points());
    body.append("<p>Measure: ").append(Html.escape(effects.measure())).append(". Rows: the group whose units were"
        + " ablated; columns: the group measured. Beside each ablation, its random control: as many units, drawn at"
        + " random from the same hook points (seed ").append(effects.seed()).append(").")
        .append(relative ? " Charted: " + Html.escape(effects.relative()) + " against the unablated model." : "")
        .append(" File runs/").append(Html.escape(effects.path())).append(".</p>\n<div class=\"pair\">\n");
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    for (Map<String, RunContent.Cell> row : effects.cells().values()) {
      for (RunContent.Cell c : row.values()) {
        for (double v : relative ? new double[] {c.targetedRelative(), c.controlRelative()}
            : new double[] {c.targeted(), c.control()}) {
          if (Double.isFinite(v)) {
            min = Math.min(min, v);
            max = Math.max(max, v);
          }
        }
      }
    }
    for (boolean targeted : new boolean[] {true, false}) {
      JsonObject spec = new JsonObject();
      spec.addProperty("type", "heatmap");
      spec.add("x", strings(effects.measured()));
      spec.add("y", strings(effects.ablated()));
      spec.add("min", number(Double.isFinite(min) ? min : 0));
      spec.add("max", number(Double.isFinite(max) ? max : 1));
      spec.addProperty("name", (targeted ? "targeted " : "random control ") + (relative ? effects.relative() : "value"));
      JsonArray data = new JsonArray();
      for (int y = 0; y < effects.ablated().size(); y++) {
        for (int x = 0; x < effects.measured().size(); x++) {
          RunContent.Cell c = effects.cells().get(effects.ablated().get(y)).get(effects.measured().get(x));
          double v = c == null ? Double.NaN : relative ? (targeted ? c.targetedRelative() : c.controlRelative())
              : (targeted ? c.targeted() : c.control());
          JsonArray point = new JsonArray();
          point.add(x);
          point.add(y);
          point.add(number(v));
          data.add(point);
        }
      }
      spec.add("data", data);
      chart("chart-" + id + (targeted ? "-targeted" : "-control"), targeted ? "ablating each group's units"
          : "ablating its random control", spec, effects.ablated().size());
    }
    body.append("</div>\n");
    List<String> header = new ArrayList<>(List.of("ablated", "measured", "base", "targeted", "control"));
    if (relative) {
      header.add("targeted " + effects.relative());
      header.add("control " + effects.relative());
    }
    List<List<String>> rows = new ArrayList<>();
    effects.cells().forEach((a, row) -> row.forEach((g, c) -> {
      List<String> cells = new ArrayList<>(List.of(a, g, Html.number(c.base()), Html.number(c.targeted()),
          Html.number(c.control())));
      if (relative) {
        cells.add(Html.number(c.targetedRelative()));
        cells.add(Html.number(c.controlRelative()));
      }
      rows.add(cells);
    }));
    body.append(Html.table("data effects", header, rows));
    close();
  }

  private void curves(String stepId, List<RunContent.Series> series) {
    String id = Html.id("curves", stepId);
    open(id, "curves", "Curves of " + stepId, series.stream().mapToInt(s -> s.x().length).sum());
    for (RunContent.Series s : series) {
      JsonObject spec = new JsonObject();
      spec.addProperty("type", "line");
      spec.addProperty("name", s.name());
      JsonArray data = new JsonArray();
      for (int i = 0; i < s.x().length; i++) {
        JsonArray point = new JsonArray();
        point.add(s.x()[i]);
        point.add(number(s.y()[i]));
        data.add(point);
      }
      spec.add("data", data);
      chart("chart-" + Html.id(id, s.name()), s.name() + " by step", spec, 0);
    }
    List<String> header = new ArrayList<>(List.of("step"));
    series.forEach(s -> header.add(s.name()));
    Map<Long, String[]> byStep = new java.util.TreeMap<>();
    for (int k = 0; k < series.size(); k++) {
      RunContent.Series s = series.get(k);
      for (int i = 0; i < s.x().length; i++) {
        byStep.computeIfAbsent(s.x()[i], x -> new String[series.size()])[k] = Html.number(s.y()[i]);
      }
    }
    List<List<String>> rows = new ArrayList<>();
    byStep.forEach((x, values) -> {
      List<String> row = new ArrayList<>(List.of(Long.toString(x)));
      for (String v : values) {
        row.add(v == null ? "" : v);
      }
      rows.add(row);
    });
    body.append("<details><summary>the numbers (").append(rows.size()).append(" steps)</summary>\n")
        .append(Html.table("data curves", header, rows)).append("</details>\n");
    close();
  }

  private void metrics(String stepId, List<Metric> metrics) {
    String id = Html.id("metrics", stepId);
    open(id, "metrics", "Metrics of " + stepId, metrics.size());
    List<List<String>> rows = new ArrayList<>();
    metrics.forEach(m -> rows.add(List.of(m.name(), m.group(), Html.number(m.value()))));
    body.append(Html.table("data metrics", List.of("name", "group", "value"), rows));
    close();
  }

  private static JsonArray strings(List<String> values) {
    JsonArray array = new JsonArray();
    values.forEach(array::add);
    return array;
  }

  /** A finite number, or JSON null (JSON has no NaN). */
  private static JsonElement number(double v) {
    return Double.isFinite(v) ? new JsonPrimitive(v) : JsonNull.INSTANCE;
  }

  private static String resource(String name) {
    try (InputStream in = HtmlReport.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("the report bundle has no resource " + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
