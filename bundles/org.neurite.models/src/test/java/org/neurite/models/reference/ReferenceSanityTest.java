package org.neurite.models.reference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.neurite.api.model.TensorDtype;

/** Properties any correct forward pass has, checked without any other implementation. */
class ReferenceSanityTest {
  @TempDir
  Path tmp;

  /** Writes a family's tiny checkpoint with a dtype and sharding. */
  private static Path write(String family, Path dir, String dtype, boolean sharded) {
    return switch (family) {
      case "gpt2" -> TinyCheckpoints.gpt2(dir).seed(11).dtype(dtype).sharded(sharded).write();
      case "llama" -> TinyCheckpoints.llama(dir).seed(11).dtype(dtype).sharded(sharded).write();
      case "mistral" -> TinyCheckpoints.mistral(dir).seed(11).dtype(dtype).sharded(sharded).write();
      case "qwen2" -> TinyCheckpoints.qwen2(dir).seed(11).tied(true).dtype(dtype).sharded(sharded).write();
      case "bert" -> TinyCheckpoints.bert(dir).seed(11).dtype(dtype).sharded(sharded).write();
      default -> throw new IllegalArgumentException(family);
    };
  }

  private ReferenceModel model(String family) {
    return ReferenceModel.load(write(family, tmp.resolve(family), "F32", false));
  }

  @ParameterizedTest
  @ValueSource(strings = {"gpt2", "llama", "mistral", "qwen2"})
  void decodersAreCausal(String family) {
    ReferenceModel m = model(family);
    long[] ids = RefAssert.ids(1, 9, 101);
    long[] changed = ids.clone();
    for (int t = 6; t < ids.length; t++) {
      changed[t] = (ids[t] + 1 + t) % 101;
    }
    Result a = m.run(ids);
    Result b = m.run(changed);
    assertEquals(0.0, RefAssert.maxDiff(RefAssert.rows(a.logits(), 0, 6), RefAssert.rows(b.logits(), 0, 6)));
    for (int l = 0; l < m.layers(); l++) {
      assertEquals(0.0, RefAssert.maxDiff(RefAssert.rows(a.layer(l).post(), 0, 6),
          RefAssert.rows(b.layer(l).post(), 0, 6)));
    }
    for (int t = 6; t < ids.length; t++) {
      assertTrue(RefAssert.maxDiff(a.logits()[t], b.logits()[t]) > 1e-3, "position " + t + " sees its own token");
    }
  }

  @Test
  void bertIsBidirectional() {
    ReferenceModel m = model("bert");
    long[] ids = RefAssert.ids(2, 7, 101);
    long[] changed = ids.clone();
    changed[6] = (ids[6] + 5) % 101;
    assertTrue(RefAssert.maxDiff(m.run(ids).logits()[0], m.run(changed).logits()[0]) > 1e-3);
  }

  @ParameterizedTest
  @ValueSource(strings = {"gpt2", "llama", "mistral", "qwen2", "bert"})
  void softmaxOfLogitsSumsToOne(String family) {
    ReferenceModel m = model(family);
    Result r = m.run(RefAssert.ids(3, 6, 101));
    assertEquals(6, r.logits().length);
    for (double[] row : r.logits()) {
      assertEquals(101, row.length);
      double[] p = ReferenceModel.softmax(row);
      double[] logP = ReferenceModel.logSoftmax(row);
      double sum = 0;
      for (int i = 0; i < p.length; i++) {
        assertTrue(p[i] > 0 && p[i] < 1);
        assertEquals(Math.log(p[i]), logP[i], 1e-12);
        sum += p[i];
      }
      assertEquals(1.0, sum, 1e-12);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"gpt2", "llama", "qwen2", "bert"})
  void shardedEqualsUnshardedExactly(String family) {
    long[] ids = RefAssert.ids(4, 7, 101);
    for (String dtype : new String[] {"F32", "BF16"}) {
      Result one = ReferenceModel.load(write(family, tmp.resolve(family + dtype + "1"), dtype, false)).run(ids);
      Result two = ReferenceModel.load(write(family, tmp.resolve(family + dtype + "2"), dtype, true)).run(ids);
      assertEquals(0.0, RefAssert.maxDiff(one.logits(), two.logits()), dtype);
      assertEquals(0.0, RefAssert.maxDiff(one.lastHiddenState(), two.lastHiddenState()), dtype);
    }
  }

  /**
   * BF16 keeps 8 significant bits: each weight moves by at most 2^-9 of itself. Through two layers
   * that moves the logits by a small multiple of 2^-9 of their scale, never zero and never more
   * than 2^-4 of it; F16's 11 bits move them about 8 times less. Weights pre-rounded to BF16 and
   * stored as F32 give exactly the BF16 logits, so the difference is the rounding and nothing else.
   */
  @ParameterizedTest
  @ValueSource(strings = {"gpt2", "llama", "bert"})
  void bf16DiffersFromF32AsRoundingExplains(String family) {
    long[] ids = RefAssert.ids(5, 8, 101);
    Path f32 = write(family, tmp.resolve(family + "f32"), "F32", false);
    Result exact = ReferenceModel.load(f32).run(ids);
    Result bf16 = ReferenceModel.load(write(family, tmp.resolve(family + "bf16"), "BF16", false)).run(ids);
    Result f16 = ReferenceModel.load(write(family, tmp.resolve(family + "f16"), "F16", false)).run(ids);
    double scale = RefAssert.maxAbs(exact.logits());
    double dBf16 = RefAssert.maxDiff(exact.logits(), bf16.logits());
    double dF16 = RefAssert.maxDiff(exact.logits(), f16.logits());
    assertTrue(dBf16 > scale * 0x1p-12, "bf16 rounding shows: " + dBf16 + " of " + scale);
    assertTrue(dBf16 < scale * 0x1p-4, "bf16 rounding stays small: " + dBf16 + " of " + scale);
    assertTrue(dF16 < dBf16 / 3, "f16 (" + dF16 + ") is much closer than bf16 (" + dBf16 + ")");

    CheckpointEditor editor = TinyCheckpoints.edit(f32, tmp.resolve(family + "pre"));
    CheckpointEditor.TensorEdit round = (shape, values) -> {
      for (int i = 0; i < values.length; i++) {
        values[i] = Dtypes.roundTrip(TensorDtype.BF16, values[i]);
      }
      return new CheckpointEditor.Replacement(shape, values);
    };
    Weights.load(f32).names().forEach(n -> editor.tensor(n, round));
    Result preRounded = ReferenceModel.load(editor.write()).run(ids);
    assertEquals(0.0, RefAssert.maxDiff(preRounded.logits(), bf16.logits()));
  }

  @Test
  void gpt2ReadsNamesWithAndWithoutPrefix() {
    long[] ids = RefAssert.ids(6, 5, 101);
    Result prefixed = ReferenceModel.load(TinyCheckpoints.gpt2(tmp.resolve("p")).seed(3).write()).run(ids);
    Result bare = ReferenceModel.load(TinyCheckpoints.gpt2(tmp.resolve("b")).seed(3).prefixed(false).write()).run(ids);
    assertEquals(0.0, RefAssert.maxDiff(prefixed.logits(), bare.logits()));
  }

  @Test
  void gpt2InverseLayerScalingLeavesLayerZeroAlone() {
    long[] ids = RefAssert.ids(9, 6, 101);
    Result plain = ReferenceModel.load(TinyCheckpoints.gpt2(tmp.resolve("p")).seed(4).write()).run(ids);
    Result scaled = ReferenceModel.load(TinyCheckpoints.gpt2(tmp.resolve("s")).seed(4)
        .scaleAttnByInverseLayerIdx(true).write()).run(ids);
    assertEquals(0.0, RefAssert.maxDiff(plain.layer(0).residPost(), scaled.layer(0).residPost()), "1 / (0 + 1)");
    assertTrue(RefAssert.maxDiff(plain.layer(1).residPost(), scaled.layer(1).residPost()) > 1e-4, "1 / (1 + 1)");
  }

  @Test
  void tiedHeadIsTheEmbeddingMatrix() {
    Path dir = TinyCheckpoints.llama(tmp.resolve("tied")).seed(8).tied(true).write();
    double[][] embed = Weights.load(dir).matrix("model.embed_tokens.weight", 101, 32);
    Result r = ReferenceModel.load(dir).run(RefAssert.ids(7, 4, 101));
    for (int t = 0; t < 4; t++) {
      for (int v = 0; v < 101; v += 10) {
        double dot = 0;
        for (int d = 0; d < 32; d++) {
          dot += r.lastHiddenState()[t][d] * embed[v][d];
        }
        assertEquals(dot, r.logits()[t][v], 1e-12);
      }
    }
  }

  @Test
  void hooksHaveTheDocumentedShapes() {
    Result g = model("gpt2").run(RefAssert.ids(8, 5, 101));
    assertEquals(128, g.layer(1).pre()[0].length);
    assertNull(g.layer(1).preLinear());
    assertEquals(32, g.layer(1).residPost()[4].length);
    Result l = model("llama").run(RefAssert.ids(8, 5, 101));
    assertEquals(48, l.layer(0).pre()[0].length);
    assertEquals(48, l.layer(0).preLinear()[0].length);
    assertEquals(48, l.layer(0).post()[0].length);
    assertEquals(2, l.layers().size());
    assertNull(l.poolerOutput());
  }
}
