package org.neurite.models.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neurite.api.NeuriteException;
import org.neurite.api.model.LanguageModel;
import org.neurite.api.model.TensorDtype;
import org.neurite.api.model.Tracer;
import org.neurite.models.internal.repository.ModelRepositoryComponent;
import org.neurite.models.internal.trace.TracerComponent;
import org.neurite.models.reference.ReferenceModel;
import org.neurite.models.reference.Result;
import org.neurite.models.reference.TinyCheckpoints;
import org.neurite.support.safetensors.SafetensorsFile;

/** {@code trace} writes what the issue names, with the values of the reference implementation. */
class TracerTest {
  @TempDir static Path dir;
  private static ModelRepositoryComponent repository;
  private final Tracer tracer = new TracerComponent(TestBackend.get());

  @BeforeAll
  static void start() {
    repository = TestModels.repository(dir);
  }

  @AfterAll
  static void stop() {
    repository.close();
  }

  @Test
  void decoderTraceHasLogitsActivationsResidualsAndGradients() throws Exception {
    Path folder = TinyCheckpoints.qwen2(dir.resolve("qwen2")).seed(41).tied(false).write();
    LanguageModel model = TestModels.load(repository, folder, "float32");
    long[] ids = {3, 17, 42, 7};
    Path out = dir.resolve("out/trace.safetensors");
    Tracer.Trace trace = tracer.trace(model, ids, OptionalLong.of(5), out);
    List<String> expected = new ArrayList<>(List.of("input_ids", "logits"));
    for (int l = 0; l < model.spec().layers(); l++) {
      expected.add("blocks." + l + ".mlp.hook_post");
      expected.add("blocks." + l + ".hook_resid_post");
    }
    for (int l = 0; l < model.spec().layers(); l++) {
      expected.add("grad.blocks." + l + ".mlp.hook_post");
    }
    assertEquals(expected, trace.tensors());
    Result reference = ReferenceModel.load(folder).run(ids);
    try (SafetensorsFile file = SafetensorsFile.open(out)) {
      assertEquals(expected, new ArrayList<>(file.entries().keySet()));
      assertArrayEquals(new long[] {1, 4, model.spec().vocab()}, file.entry("logits").orElseThrow().shape());
      assertEquals(TensorDtype.F32, file.entry("logits").orElseThrow().dtype());
      assertArrayEquals(new long[] {1, 4, model.spec().dMlp()}, file.entry("grad.blocks.1.mlp.hook_post").orElseThrow().shape());
      assertEquals(model.contentHash(), file.metadata().get("neurite.model_sha256"));
      float[] logits = floats(file, "logits");
      assertEquals(reference.logits()[3][5], logits[3 * model.spec().vocab() + 5], 1e-4);
      assertEquals(reference.logits()[3][5], trace.targetLogit(), 1e-4);
      float[] post = floats(file, "blocks.1.mlp.hook_post");
      assertEquals(reference.layer(1).post()[2][7], post[2 * model.spec().dMlp() + 7], 1e-4);
    }
    assertTrue(Files.list(out.getParent()).noneMatch(p -> p.toString().endsWith(".part")), "no temporary file left");
  }

  /** `trace` on a folder of each family added with issue 10: every tensor the issue names, with the reference's values. */
  @Test
  void traceWorksOnTheFoldersOfTheNewerFamilies() throws Exception {
    List<Path> folders = List.of(TinyCheckpoints.qwen3(dir.resolve("t-qwen3")).seed(43).write(),
        TinyCheckpoints.gemma(dir.resolve("t-gemma")).seed(44).write(),
        TinyCheckpoints.gemma2(dir.resolve("t-gemma2")).seed(45).write(),
        TinyCheckpoints.gemma3(dir.resolve("t-gemma3")).seed(46).write(),
        TinyCheckpoints.phi3(dir.resolve("t-phi3")).seed(47).write(),
        TinyCheckpoints.gptNeox(dir.resolve("t-gpt-neox")).seed(48).write(),
        TinyCheckpoints.opt(dir.resolve("t-opt")).seed(49).layerNormBefore(false).wordEmbedProjDim(16).write());
    long[] ids = {3, 17, 42, 7, 11};
    int target = 5;
    for (Path folder : folders) {
      LanguageModel model = TestModels.load(repository, folder, "float32");
      Path out = dir.resolve("traces/" + folder.getFileName() + ".safetensors");
      Tracer.Trace trace = tracer.trace(model, ids, OptionalLong.of(target), out);
      List<String> expected = new ArrayList<>(List.of("input_ids", "logits"));
      for (int l = 0; l < model.spec().layers(); l++) {
        expected.add("blocks." + l + ".mlp.hook_post");
        expected.add("blocks." + l + ".hook_resid_post");
      }
      for (int l = 0; l < model.spec().layers(); l++) {
        expected.add("grad.blocks." + l + ".mlp.hook_post");
      }
      String what = folder.getFileName().toString();
      assertEquals(expected, trace.tensors(), what);
      Result reference = ReferenceModel.load(folder).run(ids);
      int last = ids.length - 1;
      try (SafetensorsFile file = SafetensorsFile.open(out)) {
        assertArrayEquals(new long[] {1, ids.length, model.spec().dMlp()},
            file.entry("grad.blocks.0.mlp.hook_post").orElseThrow().shape(), what);
        float[] logits = floats(file, "logits");
        double scale = Math.abs(reference.logits()[last][target]) + 1;
        assertEquals(reference.logits()[last][target], logits[last * model.spec().vocab() + target], 1e-5 * scale, what);
        assertEquals(reference.logits()[last][target], trace.targetLogit(), 1e-5 * scale, what);
        float[] post = floats(file, "blocks.1.mlp.hook_post");
        assertEquals(reference.layer(1).post()[2][7], post[2 * model.spec().dMlp() + 7],
            1e-5 * (Math.abs(reference.layer(1).post()[2][7]) + 1), what);
        float[] gradient = floats(file, "grad.blocks.0.mlp.hook_post");
        double norm = 0;
        for (float g : gradient) {
          norm += g * g;
        }
        assertTrue(norm > 0, what + ": the target logit depends on layer 0's neurons");
      }
    }
  }

  @Test
  void encoderTraceHasTheLastHiddenStateAndRefusesATargetWithoutAHead() throws Exception {
    Path folder = TinyCheckpoints.bert(dir.resolve("bert")).seed(42).maskedLm(false).pooler(false).write();
    LanguageModel model = TestModels.load(repository, folder, "float64");
    Path out = dir.resolve("bert.safetensors");
    Tracer.Trace trace = tracer.trace(model, new long[] {2, 9, 4}, OptionalLong.empty(), out);
    assertEquals("last_hidden_state", trace.tensors().get(1));
    try (SafetensorsFile file = SafetensorsFile.open(out)) {
      assertEquals(TensorDtype.F64, file.entry("last_hidden_state").orElseThrow().dtype());
    }
    NeuriteException e = assertThrows(NeuriteException.class,
        () -> tracer.trace(model, new long[] {2, 9}, OptionalLong.of(1), out));
    assertTrue(e.getMessage().contains("has no language-model head, so --target has no logit"), e.getMessage());
    NeuriteException vocab = assertThrows(NeuriteException.class,
        () -> tracer.trace(model, new long[] {2, 900}, OptionalLong.empty(), out));
    assertTrue(vocab.getMessage().contains("Token id 900 at position 1 of sequence 0 is outside the vocabulary"),
        vocab.getMessage());
  }

  private static float[] floats(SafetensorsFile file, String name) {
    FloatBuffer buffer = file.map(name).asFloatBuffer();
    float[] values = new float[buffer.remaining()];
    buffer.get(values);
    return values;
  }
}
