package org.neurite.datasets.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neurite.api.NeuriteException;
import org.neurite.api.context.StoredFile;
import org.neurite.api.context.ValueFiles;
import org.neurite.api.data.Dataset;
import org.neurite.api.data.Example;
import org.neurite.api.step.ArtifactWriter;
import org.neurite.api.workspace.Workspace;
import org.neurite.support.files.ContentHash;
import org.neurite.support.files.WorkspaceFolders;

/** A dataset's one persisted form: a file by reference, any other dataset written out and read back the same. */
class DatasetCodecTest {
  @TempDir Path dir;

  /** Files of values under a workspace's runs/, as the engine keeps them. */
  private final class Files0 implements ValueFiles {
    final WorkspaceFolders workspace = new WorkspaceFolders(dir, dir);

    @Override
    public StoredFile write(String fileName, String kind, ArtifactWriter writer) throws Exception {
      Path target = workspace.runs().resolve("7/step/" + fileName);
      workspace.writeAtomically(target, writer);
      return new StoredFile(workspace.runs().relativize(target).toString(), ContentHash.sha256(target));
    }

    @Override
    public Path read(StoredFile file) {
      Path path = workspace.runs().resolve(file.path());
      if (!workspace.contentHash(path).equals(file.sha256())) {
        throw new NeuriteException("changed: " + path);
      }
      return path;
    }

    @Override
    public Workspace workspace() {
      return workspace;
    }

    @Override
    public String device() {
      return "cpu";
    }
  }

  /** A dataset a plugin built in memory. */
  private record Built(String name, List<Example> items) implements Dataset {
    @Override
    public String format() {
      return "built";
    }

    @Override
    public Path path() {
      return null;
    }

    @Override
    public String contentHash() {
      return "";
    }

    @Override
    public Stream<Example> examples() {
      return items.stream();
    }
  }

  @Test
  void aBuiltDatasetIsWrittenOutOnceAndReadsBackAsTheSameExamples() throws Exception {
    List<Example> items = List.of(
        new Example(1, "a", null, null, "en", Map.of("split", "train"), new Example.Completion("Q: 1+1?", " 2"),
            null, null, null),
        new Example(2, "b", null, null, "fr", Map.of("split", "test"), new Example.Completion("Q: 2+2?", " 4"),
            null, null, null));
    DatasetCodec codec = new DatasetCodec();
    Files0 files = new Files0();
    String form = codec.persist(new Built("sums", items), files);
    Dataset restored = codec.restore(form, files);
    try (Stream<Example> examples = restored.examples()) {
      List<Example> back = examples.toList();
      assertEquals(2, back.size());
      for (int i = 0; i < 2; i++) {
        Example want = items.get(i);
        Example got = back.get(i);
        assertEquals(want.id(), got.id());
        assertEquals("Q: " + (i + 1) + "+" + (i + 1) + "?" + want.completion().response(), got.text());
        assertEquals(want.completion(), got.completion());
        assertEquals(want.group(), got.group());
        assertEquals(want.labels(), got.labels());
      }
    }
    assertTrue(codec.describe(form).startsWith("jsonl dataset sums ("), codec.describe(form));

    Files.writeString(dir.resolve("runs/7/step/sums.jsonl"), "{}\n");
    assertThrows(NeuriteException.class, () -> codec.restore(form, files), "a changed stored file is refused");
  }

  @Test
  void aFileDatasetIsRecordedByReferenceAndRefusedOnceChanged() throws Exception {
    Path file = Files.writeString(dir.resolve("d.jsonl"), "{\"text\": \"hi\"}\n");
    Files0 files = new Files0();
    FileDataset dataset = new FileDataset("d", "jsonl", file, files.workspace.contentHash(file),
        FileDatasetStep.fieldsOption(new Fields("text", "", "", "")));
    DatasetCodec codec = new DatasetCodec();
    String form = codec.persist(dataset, files);
    assertTrue(Files.notExists(dir.resolve("runs")), "nothing copied");
    assertEquals(dataset.persistedForm(), codec.restore(form, files) instanceof FileDataset f ? f.persistedForm() : null);
    assertSame(DatasetCodec.TYPE, codec.typeName());

    Thread.sleep(20);
    Files.writeString(file, "{\"text\": \"ho\"}\n");
    NeuriteException e = assertThrows(NeuriteException.class, () -> codec.restore(form, files));
    assertTrue(e.getMessage().contains("changed since the run that read it"), e.getMessage());
  }
}
