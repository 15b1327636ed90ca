package org.neurite.models.reference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** BERT's token types, pooler, post-LN outputs and the two layouts. */
class BertReferenceTest {
  @TempDir
  Path tmp;

  @Test
  void tokenTypesDefaultToZeroAndMatter() {
    ReferenceModel m = ReferenceModel.load(TinyCheckpoints.bert(tmp.resolve("b")).seed(101).write());
    long[] ids = RefAssert.ids(1, 6, 101);
    Result plain = m.run(ids);
    assertEquals(0.0, RefAssert.maxDiff(plain.logits(), m.run(ids, new long[6]).logits()));
    Result pair = m.run(ids, new long[] {0, 0, 0, 1, 1, 1});
    assertTrue(RefAssert.maxDiff(plain.logits()[0], pair.logits()[0]) > 1e-4);
    assertThrows(IllegalArgumentException.class, () -> m.run(ids, new long[] {0, 0, 0, 2, 0, 0}));
  }

  @Test
  void poolerIsTanhOfDenseOfTheFirstToken() {
    Path dir = TinyCheckpoints.bert(tmp.resolve("b")).seed(102).write();
    Weights w = Weights.load(dir);
    double[][] dense = w.matrix("bert.pooler.dense.weight", 32, 32);
    double[] bias = w.vector("bert.pooler.dense.bias", 32);
    Result r = ReferenceModel.load(dir).run(RefAssert.ids(2, 5, 101));
    for (int o = 0; o < 32; o++) {
      double s = bias[o];
      for (int i = 0; i < 32; i++) {
        s += dense[o][i] * r.lastHiddenState()[0][i];
      }
      assertEquals(Math.tanh(s), r.poolerOutput()[o], 1e-14);
    }
  }

  /** Post-LN: (h - beta) / gamma of every output row has mean 0 and variance 1. */
  @Test
  void layerOutputsAreLayerNormalized() {
    Path dir = TinyCheckpoints.bert(tmp.resolve("b")).seed(103).write();
    Weights w = Weights.load(dir);
    Result r = ReferenceModel.load(dir).run(RefAssert.ids(3, 5, 101));
    for (int l = 0; l < 2; l++) {
      double[] g = w.vector("bert.encoder.layer." + l + ".output.LayerNorm.weight", 32);
      double[] b = w.vector("bert.encoder.layer." + l + ".output.LayerNorm.bias", 32);
      for (double[] row : r.layer(l).residPost()) {
        double mean = 0;
        double sq = 0;
        for (int i = 0; i < 32; i++) {
          double z = (row[i] - b[i]) / g[i];
          mean += z / 32;
          sq += z * z / 32;
        }
        assertEquals(0.0, mean, 1e-12);
        assertEquals(1.0, sq - mean * mean, 1e-9);
      }
    }
    assertEquals(0.0, RefAssert.maxDiff(r.layer(1).residPost(), r.lastHiddenState()));
  }

  @Test
  void bertModelLayoutGivesTheSameEncoderWithoutHead() {
    long[] ids = RefAssert.ids(4, 6, 101);
    Result mlm = ReferenceModel.load(TinyCheckpoints.bert(tmp.resolve("mlm")).seed(104).write()).run(ids);
    Result base = ReferenceModel.load(TinyCheckpoints.bert(tmp.resolve("base")).seed(104).maskedLm(false).write())
        .run(ids);
    assertEquals(0.0, RefAssert.maxDiff(mlm.lastHiddenState(), base.lastHiddenState()));
    assertEquals(0.0, RefAssert.maxDiff(mlm.poolerOutput(), base.poolerOutput()));
    assertNull(base.logits());
    Result noPooler = ReferenceModel.load(TinyCheckpoints.bert(tmp.resolve("np")).seed(104).pooler(false).write())
        .run(ids);
    assertNull(noPooler.poolerOutput());
    assertEquals(0.0, RefAssert.maxDiff(mlm.lastHiddenState(), noPooler.lastHiddenState()));
  }

  @Test
  void sequencesBeyondThePositionTableAreRefused() {
    ReferenceModel m = ReferenceModel.load(TinyCheckpoints.bert(tmp.resolve("b")).seed(105).maxPositions(8).write());
    assertThrows(IllegalArgumentException.class, () -> m.run(RefAssert.ids(5, 9, 101)));
  }
}
