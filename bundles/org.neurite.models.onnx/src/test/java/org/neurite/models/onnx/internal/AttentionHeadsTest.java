package org.neurite.models.onnx.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.neurite.api.NeuriteException;

/** The head count read from small hand-built graphs, one kind of evidence at a time. */
class AttentionHeadsTest {
  private static final long HIDDEN = 384;

  private final List<OnnxNode> nodes = new ArrayList<>();
  private final Map<String, OnnxTensor> initializers = new LinkedHashMap<>();

  private static OnnxTensor int64(String name, long... values) {
    ByteBuffer b = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
    for (long v : values) {
      b.putLong(v);
    }
    return new OnnxTensor("test.onnx", name, OnnxDataType.INT64.code(), new long[] {values.length}, b.flip(), false);
  }

  private static OnnxTensor scalar(String name, float value) {
    ByteBuffer b = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putFloat(value).flip();
    return new OnnxTensor("test.onnx", name, OnnxDataType.FLOAT.code(), new long[0], b, false);
  }

  private OnnxNode node(String op, List<String> inputs, String output) {
    OnnxNode n = new OnnxNode("/" + output + "/" + op, op, inputs, List.of(output), Map.of());
    nodes.add(n);
    return n;
  }

  private OnnxNode constantNode(OnnxTensor value) {
    OnnxAttribute attribute = new OnnxAttribute("value", OnnxAttribute.TENSOR, null, null, null, value, new long[0]);
    OnnxNode n = new OnnxNode("/" + value.name(), "Constant", List.of(), List.of(value.name()),
        Map.of("value", attribute));
    nodes.add(n);
    return n;
  }

  /** A query projection with its bias Add; returns the MatMul. */
  private OnnxNode projection() {
    OnnxNode matmul = node("MatMul", List.of("x", "Wq"), "q_mm");
    node("Add", List.of("bq", "q_mm"), "q");
    return matmul;
  }

  private int heads(OnnxNode projection) {
    OnnxModel model = new OnnxModel("test.onnx", 6, 11, "test", nodes, initializers);
    return AttentionHeads.find(model, HIDDEN, List.of(projection));
  }

  @Test
  void headSplitBuiltByConcatOfShapesAndConstantNodes() {
    OnnxNode q = projection();
    node("Shape", List.of("q"), "shape");
    node("Unsqueeze", List.of("shape"), "batch");
    node("Unsqueeze", List.of("shape"), "seq");
    constantNode(int64("heads", 12));
    constantNode(int64("head_dim", 32));
    node("Concat", List.of("batch", "seq", "heads", "head_dim"), "split");
    node("Reshape", List.of("q", "split"), "q4");
    assertEquals(12, heads(q));
  }

  @Test
  void headSplitAsOneConstantInitializer() {
    OnnxNode q = projection();
    initializers.put("split", int64("split", 0, 0, 6, 64));
    node("Reshape", List.of("q", "split"), "q4");
    assertEquals(6, heads(q));
  }

  @Test
  void scoreScaleAloneGivesTheHeadSize() {
    OnnxNode q = projection();
    node("MatMul", List.of("q4", "k4"), "scores");
    constantNode(scalar("scale", 8.0f));
    node("Div", List.of("scores", "scale"), "scaled");
    assertEquals(6, heads(q));
  }

  @Test
  void reciprocalScaleByMulCountsToo() {
    OnnxNode q = projection();
    node("MatMul", List.of("q4", "k4"), "scores");
    initializers.put("inv", scalar("inv", (float) (1 / Math.sqrt(32))));
    node("Mul", List.of("inv", "scores"), "scaled");
    assertEquals(12, heads(q));
  }

  @Test
  void splitAndScaleThatDisagreeAreRefused() {
    OnnxNode q = projection();
    initializers.put("split", int64("split", 0, 0, 12, 32));
    node("Reshape", List.of("q", "split"), "q4");
    node("MatMul", List.of("q4", "k4"), "scores");
    constantNode(scalar("scale", 8.0f));
    node("Div", List.of("scores", "scale"), "scaled");
    NeuriteException e = assertThrows(NeuriteException.class, () -> heads(q));
    assertTrue(e.getMessage().contains("inconsistent about its attention heads"), e.getMessage());
  }

  @Test
  void noEvidenceIsAClearError() {
    OnnxNode q = projection();
    node("Shape", List.of("q"), "shape");
    node("Reshape", List.of("q", "shape"), "q4");
    NeuriteException e = assertThrows(NeuriteException.class, () -> heads(q));
    assertTrue(e.getMessage().startsWith("Cannot determine the number of attention heads of the ONNX file test.onnx"),
        e.getMessage());
    assertTrue(e.getMessage().contains("heads * head_dim = 384"), e.getMessage());
  }

  @Test
  void reshapeBackToHiddenIsNotTakenForASplit() {
    OnnxNode q = projection();
    initializers.put("merge", int64("merge", 0, 0, 384));
    node("Reshape", List.of("q", "merge"), "q3");
    assertThrows(NeuriteException.class, () -> heads(q));
  }
}
