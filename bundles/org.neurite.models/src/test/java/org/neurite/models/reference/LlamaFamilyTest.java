package org.neurite.models.reference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonNull;
import com.google.gson.JsonPrimitive;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Grouped-query attention, sliding windows and rope scaling of the Llama family. */
class LlamaFamilyTest {
  @TempDir
  Path tmp;

  /**
   * Repeats the key/value heads of [kvHeads * 8, 32] projections into [4 * 8, 32]: query head h
   * gets kv head h / 2 (blocked, HF's repeat_kv) or h % 2 (interleaved, wrong).
   */
  private static CheckpointEditor.TensorEdit repeatHeads(boolean blocked) {
    return (shape, values) -> {
      int cols = shape.length == 2 ? (int) shape[1] : 1;
      double[] out = new double[4 * 8 * cols];
      for (int h = 0; h < 4; h++) {
        int kv = blocked ? h / 2 : h % 2;
        System.arraycopy(values, kv * 8 * cols, out, h * 8 * cols, 8 * cols);
      }
      long[] newShape = shape.length == 2 ? new long[] {32, cols} : new long[] {32};
      return new CheckpointEditor.Replacement(newShape, out);
    };
  }

  private Path repeated(Path src, String name, boolean blocked, boolean biases) {
    CheckpointEditor e = TinyCheckpoints.edit(src, tmp.resolve(name)).config("num_key_value_heads", new JsonPrimitive(4));
    for (int l = 0; l < 2; l++) {
      for (String proj : new String[] {"k_proj", "v_proj"}) {
        String p = "model.layers." + l + ".self_attn." + proj;
        e.tensor(p + ".weight", repeatHeads(blocked));
        if (biases) {
          e.tensor(p + ".bias", repeatHeads(blocked));
        }
      }
    }
    return e.write();
  }

  @Test
  void groupedQueryAttentionEqualsMultiHeadWithRepeatedKeyValueHeads() {
    long[] ids = RefAssert.ids(1, 8, 101);
    Path llama = TinyCheckpoints.llama(tmp.resolve("llama")).seed(21).kvHeads(2).write();
    Path qwen = TinyCheckpoints.qwen2(tmp.resolve("qwen")).seed(22).kvHeads(2).write();
    for (Path src : new Path[] {llama, qwen}) {
      boolean biases = src == qwen;
      Result gqa = ReferenceModel.load(src).run(ids);
      Result mha = ReferenceModel.load(repeated(src, src.getFileName() + "-mha", true, biases)).run(ids);
      Result wrong = ReferenceModel.load(repeated(src, src.getFileName() + "-wrong", false, biases)).run(ids);
      assertTrue(RefAssert.maxDiff(gqa.logits(), mha.logits()) < 1e-12, src.toString());
      assertTrue(RefAssert.maxDiff(gqa.logits(), wrong.logits()) > 1e-3, "interleaved repetition differs");
    }
  }

  @Test
  void mistralSlidingWindowMattersOnlyBeyondTheWindow() {
    Path windowed = TinyCheckpoints.mistral(tmp.resolve("m")).seed(31).write();
    Path full = TinyCheckpoints.edit(windowed, tmp.resolve("full")).config("sliding_window", JsonNull.INSTANCE).write();
    ReferenceModel w = ReferenceModel.load(windowed);
    ReferenceModel f = ReferenceModel.load(full);
    long[] four = RefAssert.ids(2, 4, 101);
    assertEquals(0.0, RefAssert.maxDiff(w.run(four).logits(), f.run(four).logits()));
    long[] seven = RefAssert.ids(3, 7, 101);
    Result rw = w.run(seven);
    Result rf = f.run(seven);
    assertEquals(0.0, RefAssert.maxDiff(RefAssert.rows(rw.logits(), 0, 4), RefAssert.rows(rf.logits(), 0, 4)));
    for (int t = 4; t < 7; t++) {
      assertTrue(RefAssert.maxDiff(rw.logits()[t], rf.logits()[t]) > 1e-4, "position " + t);
    }
  }

  @Test
  void windowOfFourHidesKeysFourOrMoreBack() {
    ReferenceModel m = ReferenceModel.load(TinyCheckpoints.mistral(tmp.resolve("m")).seed(32).write());
    long[] ids = RefAssert.ids(4, 7, 101);
    long[] changed = ids.clone();
    changed[0] = (ids[0] + 1) % 101;
    Result a = m.run(ids);
    Result b = m.run(changed);
    // layer 0: query i sees key j iff i - j < 4, so token 0 reaches positions 0..3 only
    for (int t = 0; t < 7; t++) {
      double d = RefAssert.maxDiff(a.layer(0).residPost()[t], b.layer(0).residPost()[t]);
      assertTrue(t < 4 ? d > 1e-6 : d == 0.0, "position " + t + ": " + d);
    }
  }

  @Test
  void qwen2UsesTheWindowOnlyWhenEnabled() {
    long[] ids = RefAssert.ids(5, 7, 101);
    Path off = TinyCheckpoints.qwen2(tmp.resolve("off")).seed(41).slidingWindow(4).write();
    Path none = TinyCheckpoints.edit(off, tmp.resolve("none")).config("sliding_window", JsonNull.INSTANCE).write();
    Path on = TinyCheckpoints.qwen2(tmp.resolve("on")).seed(41).slidingWindow(4).useSlidingWindow(true, 1).write();
    Result rOff = ReferenceModel.load(off).run(ids);
    Result rNone = ReferenceModel.load(none).run(ids);
    Result rOn = ReferenceModel.load(on).run(ids);
    assertEquals(0.0, RefAssert.maxDiff(rOff.logits(), rNone.logits()), "use_sliding_window false ignores the window");
    assertEquals(0.0, RefAssert.maxDiff(rOff.layer(0).residPost(), rOn.layer(0).residPost()), "layer 0 < max_window_layers");
    assertTrue(RefAssert.maxDiff(rOff.layer(1).residPost(), rOn.layer(1).residPost()) > 1e-4);
  }

  private Result runWithScaling(String name, String scaling, long[] ids) {
    Path dir = TinyCheckpoints.llama(tmp.resolve(name)).seed(51).maxPositions(8).ropeScaling(scaling).write();
    return ReferenceModel.load(dir).run(ids);
  }

  @Test
  void ropeScalingChangesOutputsButNotPositionZero() {
    long[] ids = RefAssert.ids(6, 6, 101);
    Result plain = runWithScaling("plain", null, ids);
    Result linear = runWithScaling("linear", "{\"rope_type\":\"linear\",\"factor\":2.0}", ids);
    Result llama3 = runWithScaling("llama3", "{\"rope_type\":\"llama3\",\"factor\":8.0,\"low_freq_factor\":1.0,"
        + "\"high_freq_factor\":4.0,\"original_max_position_embeddings\":16}", ids);
    for (Result scaled : new Result[] {linear, llama3}) {
      assertTrue(RefAssert.maxDiff(plain.logits(), scaled.logits()) > 1e-4);
      assertEquals(0.0, RefAssert.maxDiff(plain.logits()[0], scaled.logits()[0]), "position 0 is not rotated");
    }
    assertTrue(RefAssert.maxDiff(linear.logits(), llama3.logits()) > 1e-4);
  }

  @Test
  void dynamicScalingStartsBeyondMaxPositions() {
    String dynamic = "{\"rope_type\":\"dynamic\",\"factor\":2.0}";
    long[] eight = RefAssert.ids(7, 8, 101);
    assertEquals(0.0, RefAssert.maxDiff(runWithScaling("p8", null, eight).logits(),
        runWithScaling("d8", dynamic, eight).logits()));
    long[] ten = RefAssert.ids(7, 10, 101);
    assertTrue(RefAssert.maxDiff(runWithScaling("p10", null, ten).logits(),
        runWithScaling("d10", dynamic, ten).logits()) > 1e-4);
  }

  @Test
  void singleTokenAttentionIgnoresQueriesAndKeys() {
    Path src = TinyCheckpoints.llama(tmp.resolve("src")).seed(61).write();
    CheckpointEditor e = TinyCheckpoints.edit(src, tmp.resolve("noqk"));
    for (int l = 0; l < 2; l++) {
      e.tensor("model.layers." + l + ".self_attn.q_proj.weight", (s, v) -> new CheckpointEditor.Replacement(s,
          new double[v.length]));
      e.tensor("model.layers." + l + ".self_attn.k_proj.weight", (s, v) -> new CheckpointEditor.Replacement(s,
          new double[v.length]));
    }
    ReferenceModel a = ReferenceModel.load(src);
    ReferenceModel b = ReferenceModel.load(e.write());
    long[] one = {17};
    assertEquals(0.0, RefAssert.maxDiff(a.run(one).logits(), b.run(one).logits()));
    long[] three = {17, 4, 9};
    assertTrue(RefAssert.maxDiff(a.run(three).logits(), b.run(three).logits()) > 1e-4);
  }

  @Test
  void configHeadDimWidensTheProjections() {
    Path dir = TinyCheckpoints.llama(tmp.resolve("hd")).seed(71).headDim(16).write();
    assertEquals(64, Weights.load(dir).tensor("model.layers.0.self_attn.q_proj.weight").shape()[0]);
    Result r = ReferenceModel.load(dir).run(RefAssert.ids(8, 5, 101));
    assertEquals(5, r.logits().length);
    assertTrue(Double.isFinite(RefAssert.maxAbs(r.logits())));
  }
}
