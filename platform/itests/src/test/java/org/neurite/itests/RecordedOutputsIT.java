package org.neurite.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An output recorded by a plugin's step outlives the plugin: with the test plugin in plugins/, run 1
 * records {@code itest.scores}' unit scores; the plugin is removed (its jar and the framework's bundle
 * cache) and Neurite started again; {@code show 1}
 * still shows the step and its output, and a second workflow binds {@code ${runs.1.scores.scores}} to
 * the built-in {@code select}, which gets the scores back through the analysis bundle's codec.
 */
class RecordedOutputsIT {
  private static final Pattern MEMBER = Pattern.compile("\"index\"\\s*:\\s*(\\d+)[^}]*\"group\"\\s*:\\s*\"(\\w+)\"");

  @TempDir Path workspace;

  @Test
  void aRecordedOutputOfARemovedPluginIsShownAndRestoredByItsTypeForALaterWorkflow() throws Exception {
    Path plugin = workspace.resolve("plugins/org.neurite.itests.plugin.jar");
    Files.createDirectories(plugin.getParent());
    Files.copy(Distribution.testPlugin("org.neurite.itests.plugin.jar"), plugin);
    Files.createDirectories(workspace.resolve("workflows"));
    Files.writeString(workspace.resolve("workflows/scores.json"), "{\"name\": \"plugin-scores\", \"steps\": ["
        + "{\"id\": \"scores\", \"uses\": \"itest.scores\"}]}");
    Distribution.Result first = Distribution.run(workspace, "run", "workflows/scores.json");
    assertEquals(0, first.exitCode(), first::toString);
    assertTrue(first.out().contains("run 1 SUCCEEDED"), first::toString);

    // removed while Neurite is stopped: the next start must forget it (FileInstall alone would not)
    Files.delete(plugin);
    Distribution.Result steps = Distribution.run(workspace, "steps");
    assertEquals(0, steps.exitCode(), steps::toString);
    assertTrue(steps.out().contains("select"), steps::toString);
    assertFalse(steps.out().contains("itest.scores"), "the plugin is gone: " + steps);

    Distribution.Result show = Distribution.run(workspace, "show", "1");
    assertEquals(0, show.exitCode(), show::toString);
    assertTrue(show.out().contains("scores         itest.scores"), show::toString);
    assertTrue(show.out().contains("out  scores  unit-scores  {"), show::toString);
    assertTrue(show.out().contains("1/scores/scores.safetensors"), show::toString);

    Files.writeString(workspace.resolve("workflows/select.json"), "{\"name\": \"select-recorded\", \"steps\": ["
        + "{\"id\": \"neurons\", \"uses\": \"select\", \"with\": {\"scores\": \"${runs.1.scores.scores}\","
        + " \"rule\": \"top_k\", \"value\": 2}}]}");
    Distribution.Result second = Distribution.run(workspace, "run", "workflows/select.json");
    assertEquals(0, second.exitCode(), second::toString);
    assertTrue(second.out().contains("run 2 SUCCEEDED"), second::toString);
    assertEquals(List.of("1 en", "3 en", "0 fr", "2 fr"), members(workspace.resolve("runs/2/neurons/neurons.json")),
        "the top 2 units per group of the recorded scores");

    Distribution.Result shown = Distribution.run(workspace, "show", "2");
    assertEquals(0, shown.exitCode(), shown::toString);
    assertTrue(shown.out().contains("in   scores <- ${runs.1.scores.scores} (step record 1)"), shown::toString);
    assertTrue(shown.out().matches("(?s).*neurons\\s+units\\s+en\\s+2\\b.*"), shown::toString);
    Distribution.Result lineage = Distribution.run(workspace, "lineage", "2");
    assertEquals(0, lineage.exitCode(), lineage::toString);
    assertTrue(lineage.out().contains("scores (itest.scores, step record 1, run 1 plugin-scores,"
        + " org.neurite.itests.plugin"), lineage::toString);

    Files.writeString(workspace.resolve("workflows/wrong.json"), "{\"name\": \"wrong\", \"steps\": ["
        + "{\"id\": \"neurons\", \"uses\": \"select\", \"with\": {\"scores\": \"${runs.1.scores.score}\"}}]}");
    Distribution.Result wrong = Distribution.run(workspace, "run", "workflows/wrong.json");
    assertEquals(1, wrong.exitCode(), wrong::toString);
    assertTrue(wrong.err().contains("step 'neurons': input 'scores' refers to ${runs.1.scores.score}, but step 'scores'"
        + " of run 1 (plugin-scores) recorded no output 'score'; its outputs: ${runs.1.scores.scores}"), wrong::toString);
  }

  private static List<String> members(Path file) throws Exception {
    List<String> members = new ArrayList<>();
    Matcher m = MEMBER.matcher(Files.readString(file));
    while (m.find()) {
      members.add(m.group(1) + " " + m.group(2));
    }
    return members;
  }
}
