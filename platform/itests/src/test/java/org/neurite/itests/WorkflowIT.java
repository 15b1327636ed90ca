package org.neurite.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Workflows through bin/neurite as a user runs them: provenance, caching, kill -9 and resume. */
class WorkflowIT {
  @TempDir Path workspace;

  @Test
  void quickstartIsRecordedAndASecondRunReusesEveryStepButItsOwnReport() throws Exception {
    Distribution.Result first = Distribution.run(workspace, "run", "workflows/quickstart.json");
    assertEquals(0, first.exitCode(), first::toString);
    assertTrue(first.out().contains("run 1 SUCCEEDED"), first::toString);

    Distribution.Result show = Distribution.run(workspace, "show", "1");
    assertEquals(0, show.exitCode(), show::toString);
    assertTrue(show.out().contains("sentences      dataset.jsonl"), show::toString);
    assertTrue(show.out().contains("1/summary/summary.md"), show::toString);
    assertTrue(show.out().matches("(?s).*examples\\s+all\\s+192.*"), show::toString);
    assertTrue(show.out().contains("DATASET  sentences"), show::toString);
    assertTrue(show.out().contains("MODEL    all-minilm-l6-v2"), show::toString);
    assertTrue(show.out().contains("model          model.load"), show::toString);
    languageUnitsMoveTheirOwnLanguageMost(workspace.resolve("runs/1/ablation/effects.json"));

    long started = System.nanoTime();
    Distribution.Result second = Distribution.run(workspace, "run", "workflows/quickstart.json");
    long millis = (System.nanoTime() - started) / 1_000_000;
    assertEquals(0, second.exitCode(), second::toString);
    assertEquals(6, second.out().lines().filter(l -> l.contains(" cached (step record ")).count(), second::toString);
    assertTrue(second.out().contains("run 2 SUCCEEDED"), second::toString);
    // the report describes run 2, which reused run 1's work (issue 8: it was run 1's report, cached)
    assertTrue(second.out().matches("(?s).*summary\\s+report.summary\\s+done in .*"), second::toString);
    String report = Files.readString(workspace.resolve("runs/2/summary/summary.md"));
    assertTrue(report.contains("run 2, started"), report);
    assertTrue(report.contains("| model | model.load | CACHED (record 1) |"), report);
    String html = Files.readString(workspace.resolve("runs/2/report/report.html"));
    assertTrue(html.contains("<tr><td>run</td><td>2 (RUNNING, attempt 1)</td></tr>"), "the HTML report is run 2's");
    assertTrue(html.contains("<tr><td>model</td><td>model.load</td><td>CACHED (record 1)</td>"), "with run 1's work reused");
    System.out.println("cached re-run of the quickstart, process start to exit: " + millis + " ms");

    Distribution.Result lineage = Distribution.run(workspace, "lineage", "1/summary/summary.md");
    assertEquals(0, lineage.exitCode(), lineage::toString);
    assertTrue(lineage.out().contains("summary (report.summary"), lineage::toString);

    Distribution.Result diff = Distribution.run(workspace, "diff", "1", "2");
    assertEquals(0, diff.exitCode(), diff::toString);
  }

  @Test
  void badWorkflowFailsBeforeAnythingIsRecorded() throws Exception {
    Files.writeString(workspace.resolve("bad.json"),
        "{\"name\": \"bad\", \"steps\": [{\"id\": \"x\", \"uses\": \"dataset.jsonll\", \"with\": {}}]}");
    Distribution.Result result = Distribution.run(workspace, "run", workspace.resolve("bad.json").toString());
    assertEquals(1, result.exitCode(), result::toString);
    assertTrue(result.err().contains("step 'x': unknown step \"dataset.jsonll\" (did you mean dataset.jsonl?)"), result::toString);
    assertTrue(Distribution.run(workspace, "runs").out().contains("no runs yet"));
  }

  /**
   * Acceptance: kill -9 in the middle of a step; the next start marks the run interrupted, promptly
   * (issue 8: it waited about 4 s for the dead process's database lock); resume completes it; the
   * next run is run 2 (issue 8: a crash skipped 32 run ids).
   */
  @Test
  void killedRunIsMarkedInterruptedAndResumeCompletesIt() throws Exception {
    Files.createDirectories(workspace.resolve("plugins"));
    Files.copy(Distribution.testPlugin("org.neurite.itests.plugin.jar"), workspace.resolve("plugins/itests.jar"));
    Path workflow = workspace.resolve("slow.json");
    Files.writeString(workflow, "{\"name\": \"slow\", \"steps\": ["
        + "{\"id\": \"echo\", \"uses\": \"itest.echo\", \"with\": {\"message\": \"before\"}},"
        + "{\"id\": \"slow\", \"uses\": \"itest.slow\", \"with\": {\"lines\": 40}}]}");
    Process process = Distribution.start(workspace, List.of(), workspace.resolve("out.txt"), workspace.resolve("err.txt"),
        "run", workflow.toString());
    Path part = Distribution.awaitFile(workspace.resolve("runs"), ".slow.txt.", ".part", 60);
    Thread.sleep(300);
    process.destroyForcibly();
    assertTrue(process.waitFor(30, TimeUnit.SECONDS));
    assertEquals(137, process.exitValue(), "killed with SIGKILL");
    assertTrue(Files.exists(part), "the half-written file is still on disk");

    long started = System.nanoTime();
    Distribution.Result runs = Distribution.run(workspace, "runs");
    long afterKill = (System.nanoTime() - started) / 1_000_000;
    assertTrue(runs.out().matches("(?s).*\\n\\s+1\\s+INTERRUPTED\\s+slow.*"), runs::toString);
    started = System.nanoTime();
    Distribution.Result show = Distribution.run(workspace, "show", "1");
    long normal = (System.nanoTime() - started) / 1_000_000;
    System.out.println("first start after kill -9: " + afterKill + " ms; the next start: " + normal
        + " ms (process start to exit)");
    assertTrue(afterKill < normal + 2500, "the start after the kill waited " + (afterKill - normal) + " ms more");
    assertTrue(show.out().contains("slow           itest.slow         INTERRUPTED"), show::toString);
    assertFalse(show.out().contains("slow.txt"), "no half-written artifact is recorded: " + show);

    Distribution.Result resumed = Distribution.run(workspace, "resume", "1");
    assertEquals(0, resumed.exitCode(), resumed::toString);
    assertTrue(resumed.out().contains("echo           itest.echo         done before the interruption"), resumed::toString);
    Distribution.Result after = Distribution.run(workspace, "show", "1");
    assertTrue(after.out().contains("run 1  slow  SUCCEEDED (attempt 2)"), after::toString);
    assertTrue(after.out().contains("1/slow/slow.txt"), after::toString);
    assertEquals(40, Files.readAllLines(workspace.resolve("runs/1/slow/slow.txt")).size());

    Path echo = workspace.resolve("echo.json");
    Files.writeString(echo, "{\"name\": \"echo\", \"steps\": ["
        + "{\"id\": \"echo\", \"uses\": \"itest.echo\", \"with\": {\"message\": \"after\"}}]}");
    Distribution.Result next = Distribution.run(workspace, "run", echo.toString());
    assertTrue(next.out().contains("run 2 SUCCEEDED"), "no run ids were lost to the kill: " + next);
  }


  /**
   * The quickstart's finding: zeroing the units selected for a language moves that language's
   * sentence embeddings more than any other language's, and more than its same-size random control.
   */
  private static void languageUnitsMoveTheirOwnLanguageMost(Path effects) throws Exception {
    var matrix = com.google.gson.JsonParser.parseString(Files.readString(effects)).getAsJsonObject()
        .getAsJsonObject("matrix");
    for (String ablated : matrix.keySet()) {
      var row = matrix.getAsJsonObject(ablated);
      double own = row.getAsJsonObject(ablated).get("targeted").getAsDouble();
      double control = row.getAsJsonObject(ablated).get("control").getAsDouble();
      assertTrue(own > 1.5 * control, ablated + ": targeted " + own + " vs its random control " + control);
      for (String measured : row.keySet()) {
        if (!measured.equals(ablated)) {
          double other = row.getAsJsonObject(measured).get("targeted").getAsDouble();
          assertTrue(own > 1.5 * other, ablated + " units: own language " + own + " vs " + measured + " " + other);
        }
      }
    }
  }
}
