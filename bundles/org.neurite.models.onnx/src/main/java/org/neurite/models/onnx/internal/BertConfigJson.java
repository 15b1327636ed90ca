package org.neurite.models.onnx.internal;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;

/**
 * The {@code config.json} of an imported encoder: a Hugging Face BertConfig for BertModel, plus a
 * {@code neurite_import} object naming the file it came from and the SHA-256 of its ONNX bytes.
 */
final class BertConfigJson {
  private BertConfigJson() {}

  /** The JSON text, pretty-printed. */
  static String of(BertDimensions d, String source, String onnxSha256) {
    JsonObject config = new JsonObject();
    config.addProperty("model_type", "bert");
    JsonArray architectures = new JsonArray();
    architectures.add("BertModel");
    config.add("architectures", architectures);
    config.addProperty("hidden_size", d.hidden());
    config.addProperty("num_hidden_layers", d.layers());
    config.addProperty("num_attention_heads", d.heads());
    config.addProperty("intermediate_size", d.intermediate());
    config.addProperty("vocab_size", d.vocab());
    config.addProperty("max_position_embeddings", d.maxPositions());
    config.addProperty("type_vocab_size", d.typeVocab());
    config.addProperty("layer_norm_eps", 1e-12);
    config.addProperty("hidden_act", "gelu");
    config.addProperty("torch_dtype", "float32");
    JsonObject provenance = new JsonObject();
    provenance.addProperty("source", source);
    provenance.addProperty("onnx_sha256", onnxSha256);
    config.add("neurite_import", provenance);
    return new GsonBuilder().setPrettyPrinting().create().toJson(config) + "\n";
  }
}
