package org.neurite.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LaunchOptionsTest {
  private static final Path HOME = Path.of("/opt/neurite");
  private static final Path CWD = Path.of("/home/ada/project");

  @Test
  void defaultsToWorkspaceInCurrentFolderAndInteractive() {
    LaunchOptions options = LaunchOptions.parse(new String[0], Map.of(), HOME, CWD);
    assertEquals(CWD.resolve("workspace"), options.workspace());
    assertTrue(options.interactive());
  }

  @Test
  void environmentChoosesWorkspaceWhenNoFlag() {
    LaunchOptions options = LaunchOptions.parse(new String[] {"info"}, Map.of("NEURITE_WORKSPACE", "lab/ws"), HOME, CWD);
    assertEquals(CWD.resolve("lab/ws"), options.workspace());
    assertEquals(List.of("info"), options.command());
  }

  @Test
  void flagBeatsEnvironmentAndCommandKeepsItsOwnFlags() {
    String[] args = {"--workspace", "/data/ws", "run", "x.json", "--workspace", "kept"};
    LaunchOptions options = LaunchOptions.parse(args, Map.of("NEURITE_WORKSPACE", "ignored"), HOME, CWD);
    assertEquals(Path.of("/data/ws"), options.workspace());
    assertEquals(List.of("run", "x.json", "--workspace", "kept"), options.command());
  }

  @Test
  void equalsFormOfTheFlag() {
    LaunchOptions options = LaunchOptions.parse(new String[] {"--workspace=ws2", "info"}, Map.of(), HOME, CWD);
    assertEquals(CWD.resolve("ws2"), options.workspace());
  }

  @Test
  void flagWithoutFolderIsOneClearError() {
    LaunchException error = assertThrows(LaunchException.class,
        () -> LaunchOptions.parse(new String[] {"--workspace"}, Map.of(), HOME, CWD));
    assertTrue(error.getMessage().startsWith("--workspace needs a folder."), error.getMessage());
  }
}
