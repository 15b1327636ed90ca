package org.neurite.support.files;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neurite.api.NeuriteException;

/** The one rule for relative paths, and whole-or-nothing writes. */
class WorkspaceFoldersTest {
  @TempDir Path dir;

  private WorkspaceFolders workspace() throws IOException {
    return new WorkspaceFolders(Files.createDirectories(dir.resolve("ws")), Files.createDirectories(dir.resolve("here")));
  }

  @Test
  void theCurrentDirectoryComesFirstThenTheWorkspaceThenExtraFolders() throws Exception {
    WorkspaceFolders ws = workspace();
    Files.createDirectories(ws.models().resolve("tiny"));
    assertEquals(List.of(dir.resolve("here/tiny"), dir.resolve("ws/tiny"), dir.resolve("ws/models/tiny")),
        ws.candidates("tiny", ws.models()));
    assertEquals(dir.resolve("ws/models/tiny"), ws.existing("tiny", "model", ws.models()));

    Files.createDirectories(dir.resolve("ws/tiny"));
    assertEquals(dir.resolve("ws/tiny"), ws.existing("tiny", "model", ws.models()));
    Files.createDirectories(dir.resolve("here/tiny"));
    assertEquals(dir.resolve("here/tiny"), ws.existing("tiny", "model", ws.models()));
    assertEquals(List.of(Path.of("/abs/x")), ws.candidates("/abs/x"));
  }

  @Test
  void aMissingPathNamesEveryPlaceTried() throws Exception {
    WorkspaceFolders ws = workspace();
    NeuriteException e = assertThrows(NeuriteException.class, () -> ws.existing("data/x.jsonl", "dataset"));
    assertTrue(e.getMessage().startsWith("There is no dataset 'data/x.jsonl': looked for " + dir.resolve("here/data/x.jsonl")
        + ", " + dir.resolve("ws/data/x.jsonl") + "."), e.getMessage());
    NeuriteException blank = assertThrows(NeuriteException.class, () -> ws.locate(" ", "dataset"));
    assertTrue(blank.getMessage().startsWith("The dataset is empty; name a file"), blank.getMessage());
    assertEquals(dir.resolve("here/new.jsonl"), ws.locate("new.jsonl", "dataset"), "a new file: the first candidate");
    assertEquals(dir.resolve("here/out/t.safetensors"), ws.output("out/t.safetensors"));
  }

  @Test
  void aFailedWriteLeavesNeitherTheTargetNorATemporaryFile() throws Exception {
    WorkspaceFolders ws = workspace();
    Path target = ws.runs().resolve("1/step/scores.json");
    ws.writeAtomically(target, temporary -> Files.writeString(temporary, "first"));
    assertEquals("first", Files.readString(target));

    assertThrows(IOException.class, () -> ws.writeAtomically(target, temporary -> {
      Files.writeString(temporary, "half");
      throw new IOException("disk full");
    }));
    assertEquals("first", Files.readString(target), "the complete earlier file is untouched");
    try (Stream<Path> files = Files.list(target.getParent())) {
      assertEquals(List.of(target), files.toList(), "no temporary file is left");
    }
    assertThrows(IllegalStateException.class, () -> ws.writeAtomically(ws.runs().resolve("none"), temporary -> Files.delete(temporary)));
    assertFalse(Files.exists(ws.runs().resolve("none")));
  }
}
