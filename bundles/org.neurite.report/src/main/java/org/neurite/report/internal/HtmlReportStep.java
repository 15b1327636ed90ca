package org.neurite.report.internal;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.neurite.api.NeuriteException;
import org.neurite.api.context.StepContext;
import org.neurite.api.provenance.ProvenanceStore;
import org.neurite.api.provenance.RunDetail;
import org.neurite.api.step.NeuriteStep;
import org.neurite.api.step.ParamSpec;
import org.neurite.api.step.ParamType;
import org.neurite.api.step.Step;
import org.neurite.api.step.StepResult;
import org.neurite.api.step.StepSpec;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * {@code report.html}: the run so far as one self-contained HTML file (docs/reports.md): its facts,
 * parameters, steps, sources and artifacts, a chart and a table for every neuron set, effect matrix
 * and training curve, and a table of every other metric. The charts are drawn by Apache ECharts,
 * inlined; the library and its version are recorded as the metric {@code chart_library} (its group
 * names the library, its value the script's size in bytes).
 */
@Component
@NeuriteStep(name = "report.html")
public final class HtmlReportStep implements Step {
  private static final StepSpec SPEC = StepSpec.named("report.html")
      .summary("writes the run so far (steps, parameters, sources, neuron sets, ablations, curves, metrics) as one"
          + " self-contained HTML file with charts")
      .param(ParamSpec.optional("title", ParamType.STRING, "\"Run report\"", "the report's title"))
      .param(ParamSpec.optional("steps", ParamType.STRING_LIST, "[]", "the step ids whose neuron sets, ablations,"
          + " curves and metrics to show; [] = every step"))
      .output("report", Path.class, "the HTML file")
      .readsRun()
      .build();

  private final ProvenanceStore store;

  @Activate
  public HtmlReportStep(@Reference ProvenanceStore store) {
    this.store = store;
  }

  @Override
  public StepSpec spec() {
    return SPEC;
  }

  @Override
  public StepResult run(StepContext context) throws Exception {
    RunDetail detail = store.runDetail(context.runId())
        .orElseThrow(() -> new NeuriteException("run " + context.runId() + " is not in the provenance store"));
    List<String> only = strings(context.param("steps", List.class));
    RunContent content = RunContent.of(detail, context.workspace().runs(), context.stepId(), only);
    // read when a report is written, not when the step is registered: Neurite starts without the 1 MB script
    ChartLibrary library = ChartLibrary.echarts();
    String html = HtmlReport.render(context.param("title", String.class), detail, content, library, Instant.now());
    Path file = context.artifacts().write("report.html", "report",
        tmp -> Files.writeString(tmp, html, StandardCharsets.UTF_8));
    context.metric("chart_library", library.name() + " " + library.version() + " (" + library.coordinates() + ")",
        library.script().getBytes(StandardCharsets.UTF_8).length);
    return StepResult.of("report", file);
  }

  private static List<String> strings(List<?> values) {
    return values.stream().map(String::valueOf).toList();
  }
}
