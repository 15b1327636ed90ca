package org.neurite.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigurationTest {
  @TempDir Path home;
  @TempDir Path workspace;

  @Test
  void workspaceOverridesHomeAndVariablesAreSubstituted() throws Exception {
    Files.createDirectories(home.resolve("conf"));
    Files.writeString(home.resolve("conf/neurite.properties"), "a=${neurite.home}/var\nb=home\n");
    Files.createDirectories(workspace.resolve("conf"));
    Files.writeString(workspace.resolve("conf/neurite.properties"), "b=${neurite.workspace}/mine\n");
    Map<String, String> props = Configuration.load(home, workspace, "1.2.3");
    assertEquals(home + "/var", props.get("a"));
    assertEquals(workspace + "/mine", props.get("b"));
    assertEquals("1.2.3", props.get("neurite.version"));
  }

  @Test
  void undefinedVariableNamesFileKeyAndVariable() throws Exception {
    Files.createDirectories(home.resolve("conf"));
    Files.writeString(home.resolve("conf/neurite.properties"), "cache=${nowhere}/x\n");
    LaunchException error = assertThrows(LaunchException.class, () -> Configuration.load(home, workspace, "1"));
    assertTrue(error.getMessage().contains("neurite.properties: cache refers to ${nowhere}"), error.getMessage());
  }

  @Test
  void missingDistributionConfigSaysHowToRebuild() {
    LaunchException error = assertThrows(LaunchException.class, () -> Configuration.load(home, workspace, "1"));
    assertTrue(error.getMessage().contains("Rebuild it with ./neurite"), error.getMessage());
  }
}
