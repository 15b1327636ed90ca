package org.neurite.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code report.html} of a real run (two neuron sets of the shipped MiniLM, each ablated beside its
 * random control, and a short training run of a tiny Llama), opened from disk in headless Chromium
 * with the network off: the screenshot is a real picture, every chart was drawn (its SVG is there) and
 * every table has rows. Needs Debian's {@code chromium}; .ci/run installs it.
 */
class ReportIT {
  private static final String CONFIG = "{\"architectures\": [\"LlamaForCausalLM\"], \"model_type\": \"llama\","
      + " \"hidden_size\": 32, \"intermediate_size\": 64, \"num_hidden_layers\": 2, \"num_attention_heads\": 4,"
      + " \"num_key_value_heads\": 2, \"vocab_size\": 320, \"max_position_embeddings\": 64, \"rms_norm_eps\": 1e-6,"
      + " \"tie_word_embeddings\": false}";
  private static final String WORKFLOW = """
      {"name": "report-it", "steps": [
        {"id": "model", "uses": "model.load", "with": {"model": "all-minilm-l6-v2"}},
        {"id": "sentences", "uses": "dataset.jsonl",
         "with": {"path": "few.jsonl", "text": "text", "group": "lang", "label": "topic", "id": "id"}},
        {"id": "stats", "uses": "stats.units", "with": {"model": "${model.model}", "dataset": "${sentences.dataset}",
         "hooks": ["blocks.*.mlp.hook_post"], "statistic": "active_probability"}},
        {"id": "contrast", "uses": "scores.contrast",
         "with": {"stats": "${stats.stats}", "method": "difference", "statistic": "active_probability"}},
        {"id": "wide", "uses": "select", "with": {"scores": "${contrast.scores}", "rule": "top_k", "value": 24}},
        {"id": "narrow", "uses": "select", "with": {"scores": "${contrast.scores}", "rule": "top_k", "value": 4}},
        {"id": "ablate_wide", "uses": "eval.ablation", "with": {"model": "${model.model}", "neurons": "${wide.neurons}",
         "dataset": "${sentences.dataset}", "seed": 1}},
        {"id": "ablate_narrow", "uses": "eval.ablation", "with": {"model": "${model.model}",
         "neurons": "${narrow.neurons}", "dataset": "${sentences.dataset}", "seed": 2}},
        {"id": "world", "uses": "corpus.synthetic", "with": {"seed": 3, "sentences": 20, "skill_samples": 10,
         "refusals": 10, "heldout": 4}},
        {"id": "train", "uses": "train.lm", "with": {"dataset": "${world.dataset}", "config": "tiny.json",
         "split": "train", "steps": 12, "batch_size": 4, "lr": 0.003, "warmup_steps": 3, "checkpoint_every": 100,
         "seed": 5}},
        {"id": "report", "uses": "report.html", "with": {"title": "Report IT"}}
      ]}
      """;

  @TempDir Path workspace;
  @TempDir Path browser;

  @Test
  void theReportOfARealRunRendersEveryChartAndTableInHeadlessChromiumWithTheNetworkOff() throws Exception {
    Path chromium = chromium();
    Files.writeString(workspace.resolve("tiny.json"), CONFIG);
    // eight sentences of each language of the shipped set, to keep the two ablations short
    List<String> few = Files.readAllLines(Path.of("../../workspace-template/datasets/sentences.jsonl")).stream()
        .filter(l -> l.matches(".*\"id\": \"[a-z]{2}0[1-8]\".*")).toList();
    assertEquals(32, few.size(), "8 sentences in each of 4 languages");
    Files.write(workspace.resolve("few.jsonl"), few);
    Path workflow = workspace.resolve("report-it.json");
    Files.writeString(workflow, WORKFLOW);
    Distribution.Result run = Distribution.run(workspace, "run", workflow.toString());
    assertEquals(0, run.exitCode(), run::toString);
    Path report = workspace.resolve("runs/1/report/report.html");
    String html = Files.readString(report, StandardCharsets.UTF_8);
    List<String> sections = matches(html, "<(?:section|header) id=\"([^\"]+)\" class=\"report-section\"");
    for (String expected : List.of("run", "params", "steps", "sources", "artifacts", "neurons-wide-neurons",
        "neurons-narrow-neurons", "ablation-ablate-wide", "ablation-ablate-narrow", "curves-train")) {
      assertTrue(sections.contains(expected), expected + " in " + sections);
    }
    List<String> charts = matches(html, "<div class=\"chart\" id=\"([^\"]+)\"");
    assertTrue(charts.containsAll(List.of("chart-neurons-wide-neurons", "chart-ablation-ablate-wide-targeted",
        "chart-ablation-ablate-wide-control", "chart-curves-train-loss", "chart-curves-train-lr")), charts::toString);

    Path png = browser.resolve("report.png");
    String dom = chromium(chromium, report, "--screenshot=" + png, "--window-size=1280,2400");
    byte[] image = Files.readAllBytes(png);
    assertTrue(image.length > 30_000, "a screenshot of charts and tables, not a blank page: " + image.length + " bytes");
    assertEquals("\u0089PNG", new String(image, 0, 4, StandardCharsets.ISO_8859_1), "a PNG file");
    assertEquals(1280, ByteBuffer.wrap(image, 16, 4).getInt(), "the PNG's width (IHDR)");
    System.out.printf("report.html: %d bytes, %d sections, %d charts; screenshot %d bytes%n", html.length(),
        sections.size(), charts.size(), image.length);

    dom = chromium(chromium, report, "--dump-dom");
    for (String id : sections) {
      Matcher points = Pattern.compile("id=\"" + id + "\" class=\"report-section\" data-kind=\"[a-z-]+\""
          + " data-points=\"(\\d+)\"").matcher(dom);
      assertTrue(points.find(), id + " is in the page");
      assertTrue(Integer.parseInt(points.group(1)) > 0, id + " has data points");
    }
    for (String id : charts) {
      Matcher div = Pattern.compile("<div [^>]*id=\"" + id + "\"[^>]*>").matcher(dom);
      assertTrue(div.find(), id + " is in the page");
      assertTrue(div.group().contains("data-rendered=\"true\""), id + " was drawn: " + div.group());
      int end = dom.indexOf("<figcaption", div.end());
      assertTrue(dom.substring(div.end(), end).contains("<svg"), id + " holds its SVG");
      assertTrue(dom.substring(div.end(), end).matches("(?s).*<(path|rect)[^>]*>.*"), id + " draws shapes");
    }
    String[] tables = dom.split("<table", -1);
    assertTrue(tables.length - 1 >= sections.size(), "a table in every section");
    for (int i = 1; i < tables.length; i++) {
      String body = tables[i].substring(tables[i].indexOf("<tbody>"), tables[i].indexOf("</tbody>"));
      assertTrue(body.contains("<tr><td>"), "table " + i + " has rows: " + tables[i].substring(0,
          Math.min(200, tables[i].length())));
    }
  }

  /** Runs headless Chromium on a file with the network off; returns its standard output. */
  private String chromium(Path chromium, Path file, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of(chromium.toString(), "--headless", "--no-sandbox", "--disable-gpu",
        "--disable-background-networking", "--disable-component-update", "--no-first-run",
        "--user-data-dir=" + browser.resolve("profile"), "--proxy-server=127.0.0.1:9",
        "--host-resolver-rules=MAP * ~NOTFOUND", "--virtual-time-budget=10000"));
    command.addAll(Arrays.asList(args));
    command.add(file.toUri().toString());
    Path out = browser.resolve("out.txt");
    Path err = browser.resolve("err.txt");
    Process process = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
        .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    if (!process.waitFor(120, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("chromium did not finish within 2 minutes: " + Files.readString(err));
    }
    assertEquals(0, process.exitValue(), () -> "chromium failed: " + readQuietly(err));
    return Files.readString(out, StandardCharsets.UTF_8);
  }

  private static String readQuietly(Path file) {
    try {
      return Files.readString(file);
    } catch (java.io.IOException e) {
      return e.toString();
    }
  }

  /** Debian's chromium on the PATH, or a failure that says how to install it. */
  private static Path chromium() {
    Optional<Path> found = Arrays.stream(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
        .map(dir -> Path.of(dir, "chromium")).filter(Files::isExecutable).findFirst();
    return found.orElseThrow(() -> new AssertionError("ReportIT needs headless Chromium and there is no chromium on"
        + " the PATH: install Debian's package (apt-get install -y chromium, as .ci/run does) and run the tests again."));
  }

  private static List<String> matches(String text, String regex) {
    Matcher m = Pattern.compile(regex).matcher(text);
    List<String> found = new ArrayList<>();
    while (m.find()) {
      found.add(m.group(1));
    }
    return found;
  }
}
