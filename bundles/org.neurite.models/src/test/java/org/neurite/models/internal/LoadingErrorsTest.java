package org.neurite.models.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neurite.api.NeuriteException;
import org.neurite.api.model.LoadOptions;
import org.neurite.api.model.TensorEntry;
import org.neurite.models.internal.repository.ModelRepositoryComponent;
import org.neurite.models.reference.CheckpointEditor;
import org.neurite.models.reference.TinyCheckpoints;
import org.neurite.support.safetensors.SafetensorsFile;
import org.neurite.support.safetensors.SafetensorsWriter;

/** Every way a model folder can be wrong gives one message naming the file and what to do. */
class LoadingErrorsTest {
  @TempDir static Path dir;
  private static ModelRepositoryComponent repository;
  private static Path llama;

  @BeforeAll
  static void start() {
    repository = TestModels.repository(dir);
    llama = TinyCheckpoints.llama(dir.resolve("good")).seed(1).write();
  }

  @AfterAll
  static void stop() {
    repository.close();
  }

  private static String error(Path folder) {
    return assertThrows(NeuriteException.class, () -> TestModels.load(repository, folder, "float32")).getMessage();
  }

  @Test
  void pickledWeightsAreRefusedWithTheConversion() throws Exception {
    Path folder = Files.createDirectories(dir.resolve("pickled"));
    Files.copy(llama.resolve("config.json"), folder.resolve("config.json"));
    Files.write(folder.resolve("pytorch_model.bin"), new byte[] {(byte) 0x80, 2});
    String message = error(folder);
    assertTrue(message.contains("pickled PyTorch weights (pytorch_model.bin), which Neurite does not load"), message);
    assertTrue(message.contains("save_pretrained(DIR, safe_serialization=True)"), message);
  }

  @Test
  void missingConfigAndMissingFolderAreNamed() throws Exception {
    Path folder = Files.createDirectories(dir.resolve("no-config"));
    Files.copy(llama.resolve("model.safetensors"), folder.resolve("model.safetensors"));
    assertTrue(error(folder).contains("has no config.json"), error(folder));
    String missing = assertThrows(NeuriteException.class, () -> repository.load("no-such-model", LoadOptions.defaults()))
        .getMessage();
    assertTrue(missing.startsWith("No model 'no-such-model': no folder ["), missing);
    assertTrue(missing.contains("`models` lists what is available"), missing);
  }

  @Test
  void missingTensorNamesTheTensorAndTheFile() throws Exception {
    Path folder = Files.createDirectories(dir.resolve("missing-tensor"));
    Files.copy(llama.resolve("config.json"), folder.resolve("config.json"));
    SafetensorsWriter writer = new SafetensorsWriter();
    try (SafetensorsFile file = SafetensorsFile.open(llama.resolve("model.safetensors"))) {
      for (TensorEntry e : file.entries().values()) {
        if (!e.name().equals("model.layers.1.mlp.up_proj.weight")) {
          writer.add(e.name(), e.dtype(), e.shape(), file.map(e.name()));
        }
      }
    }
    writer.write(folder.resolve("model.safetensors"));
    String message = error(folder);
    assertTrue(message.contains("(model.safetensors) has no tensor 'model.layers.1.mlp.up_proj.weight', which the"
        + " model's config.json requires"), message);
  }

  @Test
  void tensorOfTheWrongShapeNamesTheTensorAndTheFile() {
    Path edited = edit("wrong-shape").tensor("model.layers.1.mlp.up_proj.weight", (shape, values) ->
        new CheckpointEditor.Replacement(new long[] {0}, new double[0])).write();
    String message = error(edited);
    assertTrue(message.contains("Tensor 'model.layers.1.mlp.up_proj.weight' in "), message);
    assertTrue(message.contains("model.safetensors has shape [0], but the model's config.json implies [48, 32]"),
        message);
  }

  @Test
  void shapeThatDisagreesWithTheConfigIsNamed() {
    Path edited = edit("bad-config").config("intermediate_size", JsonParser.parseString("64")).write();
    String message = error(edited);
    assertTrue(message.contains("model.layers.0.mlp.gate_proj.weight"), message);
    assertTrue(message.contains("has shape [48, 32], but the model's config.json implies [64, 32]"), message);
  }

  @Test
  void truncatedWeightsAreNamed() throws Exception {
    Path folder = TinyCheckpoints.llama(dir.resolve("truncated")).seed(2).write();
    Path file = folder.resolve("model.safetensors");
    byte[] bytes = Files.readAllBytes(file);
    Files.write(file, Arrays.copyOf(bytes, bytes.length / 2));
    String message = error(folder);
    assertTrue(message.contains("model.safetensors is truncated: tensor '"), message);
  }

  @Test
  void missingShardIsNamed() throws Exception {
    Path folder = TinyCheckpoints.llama(dir.resolve("sharded")).seed(3).sharded(true).write();
    Files.delete(folder.resolve("model-00002-of-00002.safetensors"));
    String message = error(folder);
    assertTrue(message.contains("lists the shard model-00002-of-00002.safetensors (for tensor '"), message);
    assertTrue(message.contains("which is missing from"), message);
  }

  @Test
  void unsupportedSettingsNameTheKey() {
    String type = error(edit("unknown-type").config("model_type", JsonParser.parseString("\"mamba\"")).write());
    assertTrue(type.contains("has model_type 'mamba', which no installed model family reads"), type);
    assertTrue(type.contains("llama reads [llama, mistral, qwen2, qwen3]"), type);
    String rope = error(edit("mrope").config("rope_scaling",
        JsonParser.parseString("{\"type\":\"mrope\",\"mrope_section\":[2,1,1]}")).write());
    assertTrue(rope.contains("config.json (rope_scaling): 'type' = \"mrope\""), rope);
    assertTrue(rope.contains("Neurite computes: default, linear, dynamic, yarn, llama3 and longrope"), rope);
    String act = error(edit("act").config("hidden_act", JsonParser.parseString("\"swiglu9\"")).write());
    assertTrue(act.contains("activation 'swiglu9' is not supported"), act);
  }

  /** A rope setting Neurite would ignore would give default frequencies and wrong numbers: refused by name. */
  @Test
  void ropeSettingsNeuriteWouldIgnoreAreRefusedByName() {
    String unknown = error(edit("rope-unknown-key").config("rope_scaling",
        JsonParser.parseString("{\"rope_type\":\"linear\",\"factor\":2.0,\"beta_fast\":4}")).write());
    assertTrue(unknown.contains("(rope_scaling): 'beta_fast' = 4 is not supported: rope type 'linear' has no setting"
        + " 'beta_fast' (it reads factor)"), unknown);
    String newer = error(edit("rope-parameters-unknown-key").config("rope_scaling", JsonParser.parseString("null"))
        .config("rope_parameters", JsonParser.parseString("{\"rope_type\":\"default\",\"rope_theta\":5e5,"
            + "\"factor\":8.0}")).write());
    assertTrue(newer.contains("(rope_parameters): 'factor' = 8.0 is not supported: rope type 'default' has no setting"
        + " 'factor'"), newer);
    String perLayer = error(edit("rope-per-layer-type").config("rope_scaling", JsonParser.parseString("null"))
        .config("rope_parameters", JsonParser.parseString("{\"full_attention\":{\"rope_type\":\"default\"},"
            + "\"sliding_attention\":{\"rope_type\":\"default\",\"rope_theta\":1e4}}")).write());
    assertTrue(perLayer.contains("'full_attention'") && perLayer.contains("rope settings per layer type are not"
        + " implemented for model_type 'llama'"), perLayer);
    String dynamic = error(edit("rope-dynamic-original").config("rope_scaling", JsonParser.parseString(
        "{\"rope_type\":\"dynamic\",\"factor\":2.0,\"original_max_position_embeddings\":64}")).write());
    assertTrue(dynamic.contains("'original_max_position_embeddings' = 64 is not supported: dynamic scaling grows"
        + " the base from max_position_embeddings (128)"), dynamic);
    String yarn = error(edit("rope-yarn-no-factor").config("rope_scaling", JsonParser.parseString(
        "{\"rope_type\":\"yarn\"}")).write());
    assertTrue(yarn.contains("rope_scaling has no 'factor', which rope type 'yarn' needs"), yarn);
  }

  /** Each option of the newer families that Neurite does not implement is one message naming it, at load. */
  @Test
  void optionsOfTheNewerFamiliesThatNeuriteDoesNotImplementAreNamed() {
    String layerTypes = error(TinyCheckpoints.qwen3(dir.resolve("qwen3-chunked")).seed(5).useSlidingWindow(true, 0)
        .configEdits("{\"layer_types\":[\"chunked_attention\",\"full_attention\"]}").write());
    assertTrue(layerTypes.contains("'layer_types' = [\"chunked_attention\",\"full_attention\"] is not supported:"
        + " layer 0 has type 'chunked_attention'; Neurite computes sliding_attention and full_attention layers only"),
        layerTypes);
    String layerCount = error(TinyCheckpoints.gemma2(dir.resolve("gemma2-types")).seed(6)
        .configEdits("{\"layer_types\":[\"full_attention\"]}").write());
    assertTrue(layerCount.contains("'layer_types' = [\"full_attention\"] is not supported: it must list one type per"
        + " layer (3 layers)"), layerCount);
    String bidirectional = error(TinyCheckpoints.gemma3(dir.resolve("gemma3-bidirectional")).seed(7)
        .configEdits("{\"use_bidirectional_attention\":true}").write());
    assertTrue(bidirectional.contains("'use_bidirectional_attention' = true is not supported: Neurite's Gemma is the"
        + " causal decoder"), bidirectional);
    String localBase = error(TinyCheckpoints.gemma3(dir.resolve("gemma3-two-local-bases")).seed(8)
        .configEdits("{\"rope_theta\":null,\"rope_scaling\":null,\"rope_local_base_freq\":500.0,\"rope_parameters\":"
            + "{\"full_attention\":{\"rope_type\":\"default\",\"rope_theta\":1000000.0},\"sliding_attention\":"
            + "{\"rope_type\":\"default\",\"rope_theta\":10000.0}}}").write());
    assertTrue(localBase.contains("'rope_local_base_freq' = 500.0 is not supported: it differs from the rope_theta of"
        + " rope_parameters.sliding_attention (10000.0)"), localBase);
    String noTheta = error(TinyCheckpoints.gemma3(dir.resolve("gemma3-no-theta")).seed(9)
        .configEdits("{\"rope_theta\":null}").write());
    assertTrue(noTheta.contains("has no rope_theta; Gemma 3's global layers default to 1000000"), noTheta);
    String longrope = error(TinyCheckpoints.phi3(dir.resolve("phi3-longrope-short")).seed(10).ropeScaling(
        "{\"type\":\"longrope\",\"short_factor\":[1.0],\"long_factor\":[1.0,1.0,1.0,1.0]}").write());
    assertTrue(longrope.contains("(rope_scaling): 'short_factor' = [1.0] is not supported: it has 1 factors; the rotary"
        + " width 8 needs 4, one per rotated pair"), longrope);
    String longropeKey = error(TinyCheckpoints.phi3(dir.resolve("phi3-longrope-key")).seed(11).ropeScaling(
        "{\"type\":\"su\",\"short_factor\":[1,1,1,1],\"long_factor\":[1,1,1,1],\"low_freq_factor\":1}").write());
    assertTrue(longropeKey.contains("'low_freq_factor' = 1 is not supported: rope type 'su' has no setting"
        + " 'low_freq_factor'"), longropeKey);
    String rotary = error(TinyCheckpoints.gptNeox(dir.resolve("neox-two-fractions")).seed(12)
        .configEdits("{\"partial_rotary_factor\":1.0}").write());
    assertTrue(rotary.contains("'rotary_pct' = 0.5 is not supported: it differs from partial_rotary_factor (1.0)"),
        rotary);
    String affine = error(TinyCheckpoints.opt(dir.resolve("opt-no-affine")).seed(13)
        .configEdits("{\"layer_norm_elementwise_affine\":false}").write());
    assertTrue(affine.contains("'layer_norm_elementwise_affine' = false is not supported: LayerNorms without weights"
        + " and biases are not implemented for OPT"), affine);
  }

  /** Real numbers out of range would give NaN or infinite activations without a word: named at load. */
  @Test
  void configNumbersOutsideTheirRangeAreNamed() {
    String eps = error(edit("eps").config("rms_norm_eps", JsonParser.parseString("-1")).write());
    assertTrue(eps.contains("'rms_norm_eps' is -1.0; it must be a finite number above 0 and below 1"), eps);
    String theta = error(edit("theta").config("rope_theta", JsonParser.parseString("1")).write());
    assertTrue(theta.contains("'rope_theta' is 1.0; it must be a finite number above 1"), theta);
    String factor = error(edit("factor").config("rope_scaling",
        JsonParser.parseString("{\"rope_type\":\"linear\",\"factor\":0}")).write());
    assertTrue(factor.contains("(rope_scaling): 'factor' is 0.0; it must be a finite number above 0"), factor);
    String llama3 = error(edit("llama3-band").config("rope_scaling", JsonParser.parseString("{\"rope_type\":\"llama3\","
        + "\"factor\":8,\"low_freq_factor\":4,\"high_freq_factor\":4,\"original_max_position_embeddings\":16}")).write());
    assertTrue(llama3.contains("'high_freq_factor' is 4.0; it must be a finite number above 4"), llama3);
    String partial = error(edit("partial").config("partial_rotary_factor", JsonParser.parseString("1.5")).write());
    assertTrue(partial.contains("'partial_rotary_factor' = 1.5 is not supported: it must be above 0 and at most 1"),
        partial);
  }

  @Test
  void untiedModelWithoutItsHeadIsNamed() {
    Path tiedOnDisk = TinyCheckpoints.llama(dir.resolve("tied")).seed(4).tied(true).write();
    Path edited = TinyCheckpoints.edit(tiedOnDisk, dir.resolve("untied-no-head"))
        .config("tie_word_embeddings", JsonParser.parseString("false")).write();
    String message = error(edited);
    assertTrue(message.contains("has no lm_head.weight and config.json says tie_word_embeddings is false"), message);
  }

  @Test
  void computeTypesOtherThanFloat32And64AreRefusedBeforeAnythingLoads() {
    NeuriteException e = assertThrows(NeuriteException.class, () -> new LoadOptions("cpu", "bfloat16"));
    assertTrue(e.getMessage().contains("load a model as float32 or float64"), e.getMessage());
    assertEquals("float32", new LoadOptions(null, null).dtype());
  }

  private static CheckpointEditor edit(String name) {
    return TinyCheckpoints.edit(llama, dir.resolve(name));
  }
}
