package org.neurite.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WorkspaceTest {
  @TempDir Path dir;

  @Test
  void newWorkspaceGetsTemplateAndEveryFolder() throws Exception {
    Path template = dir.resolve("template");
    Files.createDirectories(template.resolve("workflows"));
    Files.writeString(template.resolve("workflows/quickstart.json"), "{}");
    Path workspace = dir.resolve("ws");
    Workspace.prepare(workspace, template);
    assertEquals("{}", Files.readString(workspace.resolve("workflows/quickstart.json")));
    for (String folder : Workspace.FOLDERS) {
      assertTrue(Files.isDirectory(workspace.resolve(folder)), folder);
    }
  }

  @Test
  void usersEditsSurviveAnUpgradedTemplate() throws Exception {
    Path template = dir.resolve("template");
    Files.createDirectories(template.resolve("conf"));
    Files.writeString(template.resolve("conf/a.cfg"), "new");
    Path workspace = dir.resolve("ws");
    Files.createDirectories(workspace.resolve("conf"));
    Files.writeString(workspace.resolve("conf/a.cfg"), "edited");
    Workspace.prepare(workspace, template);
    assertEquals("edited", Files.readString(workspace.resolve("conf/a.cfg")));
  }

  @Test
  void theDatabaseFolderIsTheOwnersOnlyInNewAndExistingWorkspaces() throws Exception {
    Path fresh = dir.resolve("fresh");
    Workspace.prepare(fresh, dir.resolve("no-template"));
    assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(fresh.resolve("db"))));
    Path old = dir.resolve("old");
    Files.createDirectories(old.resolve("db"));
    Files.setPosixFilePermissions(old.resolve("db"), PosixFilePermissions.fromString("rwxr-xr-x"));
    Workspace.prepare(old, dir.resolve("no-template"));
    assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(old.resolve("db"))));
  }

  @Test
  void aFileWhereTheWorkspaceShouldBeIsAClearError() throws Exception {
    Path file = Files.writeString(dir.resolve("ws"), "not a folder");
    LaunchException error = assertThrows(LaunchException.class, () -> Workspace.prepare(file, dir.resolve("t")));
    assertTrue(error.getMessage().contains("is a file, not a folder"), error.getMessage());
  }
}
