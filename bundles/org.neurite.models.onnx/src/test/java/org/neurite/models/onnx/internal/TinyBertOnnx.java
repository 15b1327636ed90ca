package org.neurite.models.onnx.internal;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.neurite.models.onnx.internal.ProtoReaderTest.Wire;

/**
 * Writes the ONNX bytes of a one-layer BERT encoder (hidden 4, 2 heads of 2, intermediate 8, vocab
 * 10, 6 positions) shaped like a PyTorch export, with switches for the variations and faults the
 * importer must handle. Every float value is distinct, so a misplaced tensor shows.
 */
final class TinyBertOnnx {
  static final int HIDDEN = 4;
  static final int INTERMEDIATE = 8;
  static final int VOCAB = 10;
  static final int POSITIONS = 6;

  String prefix = "";
  boolean anonymousNodes;
  boolean typedFloats;
  boolean pooler;
  final Set<String> omit = new HashSet<>();
  final Set<String> float16 = new HashSet<>();
  final Set<String> external = new HashSet<>();

  /** The float values written for each tensor, by its name in the file, in the file's layout. */
  final Map<String, float[]> values = new LinkedHashMap<>();

  private final Wire graph = new Wire();
  private int matrices;
  private float next = 1;

  byte[] bytes() {
    named("embeddings.word_embeddings.weight", VOCAB, HIDDEN);
    named("embeddings.position_embeddings.weight", POSITIONS, HIDDEN);
    named("embeddings.token_type_embeddings.weight", 2, HIDDEN);
    named("embeddings.LayerNorm.weight", HIDDEN);
    named("embeddings.LayerNorm.bias", HIDDEN);
    String p = "encoder.layer.0.";
    linear(p + "attention.self.query", HIDDEN, HIDDEN);
    linear(p + "attention.self.key", HIDDEN, HIDDEN);
    linear(p + "attention.self.value", HIDDEN, HIDDEN);
    linear(p + "attention.output.dense", HIDDEN, HIDDEN);
    named(p + "attention.output.LayerNorm.weight", HIDDEN);
    named(p + "attention.output.LayerNorm.bias", HIDDEN);
    linear(p + "intermediate.dense", HIDDEN, INTERMEDIATE);
    linear(p + "output.dense", INTERMEDIATE, HIDDEN);
    named(p + "output.LayerNorm.weight", HIDDEN);
    named(p + "output.LayerNorm.bias", HIDDEN);
    // the head split of the query: Reshape(query + bias, [0, 0, 2, 2])
    graph.messageField(5, int64Tensor("split", 0, 0, 2, 2));
    String scope = "/" + prefix.replace('.', '/');
    graph.messageField(1, node(name(scope + "encoder/layer.0/attention/self/Reshape"), "Reshape",
        new String[] {"encoder.layer.0.attention.self.query_out", "split"}, "query_heads", null));
    if (pooler) {
      // nn.Linear exported as Gemm(x, W, b, transB=1): W keeps its name and the [out, in] layout
      String weight = prefix + "pooler.dense.weight";
      graph.messageField(5, floatTensor(weight, HIDDEN, HIDDEN));
      named("pooler.dense.bias", HIDDEN);
      graph.messageField(1, node(name(scope + "pooler/dense/Gemm"), "Gemm",
          new String[] {"first_token", weight, prefix + "pooler.dense.bias"}, "pooled", 1L));
    }
    Wire opset = new Wire().stringField(1, "").varintField(2, 11);
    return new Wire().varintField(1, 6).stringField(2, "pytorch").messageField(7, graph).messageField(8, opset)
        .bytes();
  }

  private String name(String nodeName) {
    return anonymousNodes ? "" : nodeName;
  }

  private void named(String hfName, long... dims) {
    String name = prefix + hfName;
    if (!omit.contains(name)) {
      graph.messageField(5, floatTensor(name, dims));
    }
  }

  /** MatMul(x, W[in, out]) with an anonymous W, then Add(bias, product). */
  private void linear(String module, int in, int out) {
    String weight = "onnx::MatMul_" + (100 + matrices++);
    graph.messageField(5, floatTensor(weight, in, out));
    named(module + ".bias", out);
    // as PyTorch names it: /bert/encoder/layer.0/attention/self/query/MatMul
    String scope = "/" + (prefix + module).replace('.', '/').replace("layer/", "layer.");
    graph.messageField(1, node(name(scope + "/MatMul"), "MatMul", new String[] {"x", weight}, module + "_mm", null));
    graph.messageField(1, node(name(scope + "/Add"), "Add", new String[] {prefix + module + ".bias", module + "_mm"},
        module + "_out", null));
  }

  private Wire node(String name, String op, String[] inputs, String output, Long transB) {
    Wire n = new Wire();
    for (String input : inputs) {
      n.stringField(1, input);
    }
    n.stringField(2, output).stringField(3, name).stringField(4, op);
    if (transB != null) {
      n.messageField(5, new Wire().stringField(1, "transB").varintField(3, transB).varintField(20, 2));
    }
    return n;
  }

  private Wire floatTensor(String name, long... dims) {
    int count = 1;
    for (long d : dims) {
      count *= (int) d;
    }
    float[] data = new float[count];
    for (int i = 0; i < count; i++) {
      data[i] = next++ / 64f;
    }
    values.put(name, data);
    Wire t = new Wire();
    for (long d : dims) {
      t.varintField(1, d);
    }
    if (float16.contains(name)) {
      return t.varintField(2, OnnxDataType.FLOAT16.code()).stringField(8, name).bytesField(9, new byte[count * 2]);
    }
    t.varintField(2, OnnxDataType.FLOAT.code()).stringField(8, name);
    if (external.contains(name)) {
      t.messageField(13, new Wire().stringField(1, "location").stringField(2, "weights.bin"));
      return t.varintField(14, 1);
    }
    ByteBuffer b = ByteBuffer.allocate(count * 4).order(ByteOrder.LITTLE_ENDIAN);
    b.asFloatBuffer().put(data);
    return typedFloats ? t.bytesField(4, b.array()) : t.bytesField(9, b.array());
  }

  private static Wire int64Tensor(String name, long... values) {
    Wire packed = new Wire();
    for (long v : values) {
      packed.varint(v);
    }
    return new Wire().varintField(1, values.length).varintField(2, OnnxDataType.INT64.code()).stringField(8, name)
        .messageField(7, packed);
  }
}
