package org.neurite.report.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neurite.api.NeuriteException;
import org.neurite.api.analysis.NeuronSet;
import org.neurite.api.analysis.Unit;
import org.neurite.api.provenance.Artifact;
import org.neurite.api.provenance.Metric;
import org.neurite.api.provenance.ProcessIdentity;
import org.neurite.api.provenance.Run;
import org.neurite.api.provenance.RunDetail;
import org.neurite.api.provenance.RunStart;
import org.neurite.api.provenance.RunStatus;
import org.neurite.api.provenance.RuntimeVersions;
import org.neurite.api.provenance.SourceIdentity;
import org.neurite.api.provenance.SourceKind;
import org.neurite.api.provenance.StepOutput;
import org.neurite.api.provenance.StepRecord;
import org.neurite.api.provenance.StepStart;
import org.neurite.api.provenance.StepStatus;
import org.neurite.support.units.NeuronSetFiles;

/**
 * The report of a run record built here (two neuron sets, an effect matrix, a training curve, other
 * metrics; the files written in the real on-disk forms): every section is there with its count of
 * data points, every chart has its data, and nothing refers to the network. Rendering in a browser
 * is checked by platform/itests' ReportIT.
 */
class HtmlReportTest {
  private static final Instant T = Instant.parse("2026-12-01T10:00:00Z");
  @TempDir Path runs;

  @Test
  void everySectionIsThereWithItsNumbers() throws Exception {
    String html = render(List.of());
    assertEquals(List.of("run", "params", "steps", "sources", "artifacts", "neurons-lang-neurons",
        "neurons-topic-neurons", "ablation-ablation", "curves-train", "metrics-train", "metrics-ablation",
        "metrics-lang"), sectionIds(html));
    assertEquals("3", points(html, "params"), "the workflow's two parameters and the device");
    assertTrue(html.contains("<tr><td>seed</td><td>1</td></tr>\n<tr><td>model</td><td>m</td></tr>\n"
        + "<tr><td>device</td><td>cpu</td></tr>"), html);
    assertEquals("6", points(html, "neurons-lang-neurons"), "3 hook points x 2 groups");
    assertEquals("4", points(html, "ablation-ablation"), "2 ablated x 2 measured groups");
    assertEquals("6", points(html, "curves-train"), "loss and lr at 3 steps");
    assertEquals("1", points(html, "metrics-train"), "resumed_from; the curves are charted");
    assertEquals("2", points(html, "metrics-ablation"), "control.seed and the relative change; base/targeted/control"
        + " are in the matrix");
    // units of fr per hook point: 2 at blocks.0, 0 at blocks.1, 1 at blocks.2 (model order)
    assertTrue(html.contains("<tr><td>blocks.0.mlp.hook_post</td><td>1</td><td>2</td></tr>"), html);
    assertTrue(html.contains("<tr><td>blocks.2.mlp.hook_post</td><td>1</td><td>1</td></tr>"), html);
    assertTrue(html.contains("<tr><td>en</td><td>fr</td><td>2.00000</td><td>2.50000</td><td>2.10000</td>"
        + "<td>1.25000</td><td>1.05000</td></tr>"), html);
    assertTrue(html.contains("\"chart-curves-train-loss\":{\"type\":\"line\",\"name\":\"loss\","
        + "\"data\":[[1,3.0],[2,2.5],[3,2.0]]}"), "the loss sorted by step");
    assertTrue(html.contains("Apache ECharts 5.3.1 (org.webjars.npm:echarts:5.3.1, Apache License Version 2.0"), html);
    for (String chart : List.of("chart-neurons-lang-neurons", "chart-neurons-topic-neurons", "chart-ablation-ablation-targeted",
        "chart-ablation-ablation-control", "chart-curves-train-loss", "chart-curves-train-lr")) {
      assertTrue(html.contains("<div class=\"chart\" id=\"" + chart + "\""), chart);
      assertTrue(html.contains("\"" + chart + "\":{"), chart + " has data");
    }
  }

  @Test
  void nothingIsLoadedFromElsewhere() throws Exception {
    String html = render(List.of());
    String script = ChartLibrary.echarts().script();
    assertTrue(html.contains(script), "ECharts inlined whole");
    String ours = html.replace(script, "");
    for (String external : List.of("<script src", "<link", "@import", "url(", "<img", "<iframe")) {
      assertFalse(ours.contains(external), external);
    }
    assertFalse(ours.contains("http:") || ours.contains("https:"), "no address outside the library");
    assertEquals(3, ours.split("<script", -1).length - 1, "the data, ECharts and the drawing script, all inline");
  }

  @Test
  void theStepsFilterKeepsOnlyTheNamedSteps() throws Exception {
    List<String> ids = sectionIds(render(List.of("topic", "train")));
    assertEquals(List.of("run", "params", "steps", "sources", "artifacts", "neurons-topic-neurons", "curves-train",
        "metrics-train"), ids);
  }

  @Test
  void anUnknownStepInTheFilterSaysWhichStepsThereAre() throws Exception {
    RunDetail detail = detail();
    NeuriteException e = assertThrows(NeuriteException.class,
        () -> RunContent.of(detail, runs, "report", List.of("nuerons")));
    assertEquals("report.html: steps names nuerons, which this run does not have (so far: model, lang, topic,"
        + " ablation, train); give ids of earlier steps, or leave steps out for all of them.", e.getMessage());
  }

  @Test
  void anEffectFileWithoutAMatrixIsNamed() throws Exception {
    RunDetail detail = detail();
    Files.writeString(runs.resolve("1/ablation/effects.json"), "{\"measure\": \"loss\"}");
    NeuriteException e = assertThrows(NeuriteException.class, () -> RunContent.of(detail, runs, "report", List.of()));
    assertEquals("report.html: " + runs.resolve("1/ablation/effects.json") + " of step ablation has no \"matrix\"; it"
        + " is not an eval.ablation effect file.", e.getMessage());
  }

  private String render(List<String> only) throws Exception {
    RunDetail detail = detail();
    return HtmlReport.render("A <test> report", detail, RunContent.of(detail, runs, "report", only),
        ChartLibrary.echarts(), T);
  }

  private static List<String> sectionIds(String html) {
    List<String> ids = new ArrayList<>();
    Matcher m = Pattern.compile("<(?:section|header) id=\"([^\"]+)\" class=\"report-section\"").matcher(html);
    while (m.find()) {
      ids.add(m.group(1));
    }
    return ids;
  }

  private static String points(String html, String id) {
    Matcher m = Pattern.compile("id=\"" + id + "\" class=\"report-section\" data-kind=\"[a-z-]+\" data-points=\"(\\d+)\"")
        .matcher(html);
    assertTrue(m.find(), id);
    return m.group(1);
  }

  private RunDetail detail() throws Exception {
    Files.createDirectories(runs.resolve("1/lang"));
    Files.createDirectories(runs.resolve("1/topic"));
    Files.createDirectories(runs.resolve("1/ablation"));
    String hook0 = "blocks.0.mlp.hook_post";
    String hook1 = "blocks.1.mlp.hook_post";
    String hook2 = "blocks.2.mlp.hook_post";
    NeuronSetFiles.write(new NeuronSet("lang", "active_probability", List.of(
        new NeuronSet.Member(new Unit(hook2, 7), 0.9, "en"), new NeuronSet.Member(new Unit(hook0, 3), 0.8, "en"),
        new NeuronSet.Member(new Unit(hook0, 1), 0.7, "fr"), new NeuronSet.Member(new Unit(hook0, 5), 0.6, "fr"),
        new NeuronSet.Member(new Unit(hook2, 2), 0.5, "fr"), new NeuronSet.Member(new Unit(hook1, 4), 0.4, "en"))),
        runs.resolve("1/lang/neurons.json"));
    NeuronSetFiles.write(new NeuronSet("topic", "active_probability", List.of(
        new NeuronSet.Member(new Unit(hook1, 9), 0.9, "sport"))), runs.resolve("1/topic/neurons.json"));
    Files.writeString(runs.resolve("1/ablation/effects.json"), """
        {"measure": "loss", "matrix": {
          "en": {"en": {"base": 2.0, "targeted": 3.0, "control": 2.2, "targeted_ratio": 1.5, "control_ratio": 1.1},
                 "fr": {"base": 2.0, "targeted": 2.5, "control": 2.1, "targeted_ratio": 1.25, "control_ratio": 1.05}},
          "fr": {"en": {"base": 2.0, "targeted": 2.1, "control": 2.0, "targeted_ratio": 1.05, "control_ratio": 1.0},
                 "fr": {"base": 2.0, "targeted": NaN, "control": 2.0, "targeted_ratio": NaN, "control_ratio": 1.0}}},
         "operation": "zero", "positions": "all", "seed": 1, "neurons": "lang"}
        """);
    List<StepRecord> steps = List.of(
        step(1, "model", "model.load", List.of()),
        step(2, "lang", "select", List.of(new StepOutput("neurons", "neuron-set", "h1", null,
            "{\"path\": \"1/lang/neurons.json\", \"name\": \"lang\", \"units\": 6}"))),
        step(3, "topic", "select", List.of(new StepOutput("neurons", "neuron-set", "h2", null,
            "{\"path\": \"1/topic/neurons.json\", \"name\": \"topic\", \"units\": 1}"))),
        step(4, "ablation", "eval.ablation", List.of(new StepOutput("effects", "path", "h3", "1/ablation/effects.json",
            null))),
        step(5, "train", "train.lm", List.of()),
        step(6, "report", "report.html", List.of()));
    List<Artifact> artifacts = List.of(
        new Artifact(1, 2, 1, "neuron-set", "1/lang/neurons.json", "aa", 100, T),
        new Artifact(2, 3, 1, "neuron-set", "1/topic/neurons.json", "bb", 50, T),
        new Artifact(3, 4, 1, "effects", "1/ablation/effects.json", "cc", 300, T));
    List<Metric> metrics = new ArrayList<>();
    long id = 1;
    for (int s : new int[] {3, 1, 2}) {
      metrics.add(new Metric(id++, 5, "train", "loss", Integer.toString(s), 3.0 - 0.5 * (s - 1), T));
      metrics.add(new Metric(id++, 5, "train", "lr", Integer.toString(s), 0.001 * s, T));
    }
    metrics.add(new Metric(id++, 5, "train", "resumed_from", "", 0, T));
    metrics.add(new Metric(id++, 4, "ablation", "control.seed", "", 1, T));
    metrics.add(new Metric(id++, 4, "ablation", "loss.base", "en", 2.0, T));
    metrics.add(new Metric(id++, 4, "ablation", "loss.targeted:en", "en", 3.0, T));
    metrics.add(new Metric(id++, 4, "ablation", "loss.control:en", "en", 2.2, T));
    metrics.add(new Metric(id++, 4, "ablation", "relative_change", "en", 0.5, T));
    metrics.add(new Metric(id++, 2, "lang", "units", "en", 3, T));
    metrics.add(new Metric(id++, 2, "lang", "units", "fr", 3, T));
    Run run = new Run(1, new RunStart("demo", "workflows/demo.json", "{}", "ff", "{\"params\": {\"seed\": 1, \"model\": \"m\"}, \"device\": \"cpu\"}",
        new ProcessIdentity("ada", "lab", 42, T), new RuntimeVersions("0.1.0", "17", "0.35.1", "PyTorch 2.7.1"), "cpu",
        "/ws"), RunStatus.RUNNING, null, T, null, T, 1);
    return new RunDetail(run, steps, List.of(), artifacts, metrics, List.of(new SourceIdentity(1, 1, SourceKind.MODEL,
        "m", "/ws/models/m", "dd", null, T)));
  }

  private static StepRecord step(long id, String stepId, String name, List<StepOutput> outputs) {
    return new StepRecord(id, new StepStart(1, stepId, name, "org.neurite.test", "0.1.0", "{\"k\": 1}", List.of(), null),
        StepStatus.SUCCEEDED, outputs, null, T, T, 5L, null, null);
  }
}
