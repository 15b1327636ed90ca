package org.neurite.models.onnx.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neurite.api.NeuriteException;

/** The shipped-models service over a folder of jars, as the distribution's models/ holds them. */
class ShippedJarsTest {
  @TempDir Path dir;

  @Test
  void namesTheOnnxModelsAtTheRootOfEachJar() throws IOException {
    Path shipped = Files.createDirectories(dir.resolve("models"));
    jar(shipped.resolve("tiny-bert.jar"), "tiny-bert.onnx", "nested/other.onnx");
    jar(shipped.resolve("not-a-model.txt"), "ignored.onnx");
    ShippedJars models = new ShippedJars(shipped);
    assertEquals(List.of("tiny-bert"), models.names());
    assertTrue(models.has("tiny-bert"));
    assertFalse(models.has("other"));
  }

  @Test
  void aMissingFolderShipsNothing() {
    assertEquals(List.of(), new ShippedJars(dir.resolve("no-such-folder")).names());
  }

  @Test
  void importsIntoTheModelsFolderOnce() throws IOException {
    Path shipped = Files.createDirectories(dir.resolve("models"));
    jar(shipped.resolve("tiny-bert.jar"), "tiny-bert.onnx");
    Path workspaceModels = dir.resolve("workspace/models");
    Path folder = new ShippedJars(shipped).importInto("tiny-bert", workspaceModels);
    assertEquals(workspaceModels.resolve("tiny-bert"), folder);
    assertTrue(Files.isRegularFile(folder.resolve("config.json")));
    assertTrue(Files.isRegularFile(folder.resolve("model.safetensors")));
    long written = Files.getLastModifiedTime(folder.resolve("model.safetensors")).toMillis();
    assertEquals(folder, new ShippedJars(shipped).importInto("tiny-bert", workspaceModels));
    assertEquals(written, Files.getLastModifiedTime(folder.resolve("model.safetensors")).toMillis(),
        "a complete folder is left as it is");
  }

  @Test
  void anUnknownNameListsTheShippedOnes() throws IOException {
    Path shipped = Files.createDirectories(dir.resolve("models"));
    jar(shipped.resolve("tiny-bert.jar"), "tiny-bert.onnx");
    NeuriteException error = assertThrows(NeuriteException.class,
        () -> new ShippedJars(shipped).importInto("gpt-5", dir.resolve("workspace/models")));
    assertEquals("No shipped model 'gpt-5'; shipped: [tiny-bert]", error.getMessage());
  }

  /** A jar holding the tiny BERT graph under each of {@code onnxEntries}, and its tokenizer. */
  private static void jar(Path file, String... onnxEntries) throws IOException {
    byte[] onnx = new TinyBertOnnx().bytes();
    try (OutputStream out = Files.newOutputStream(file); ZipOutputStream zip = new ZipOutputStream(out)) {
      for (String entry : onnxEntries) {
        zip.putNextEntry(new ZipEntry(entry));
        zip.write(onnx);
        zip.closeEntry();
      }
      zip.putNextEntry(new ZipEntry("tiny-bert-tokenizer.json"));
      zip.write("{\"model\": {}}".getBytes(StandardCharsets.UTF_8));
      zip.closeEntry();
    }
  }
}
