package org.neurite.analysis.stats;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.neurite.analysis.conformance.PlantedTestbed;
import org.neurite.api.NeuriteException;

/** Per-sequence max / median of |h| over the real positions, by hand on small arrays. */
class SequenceMagnitudesTest {

  /** Sequence 0: two real positions, one padding (left); sequence 1: three real positions. */
  private static final double[] VALUES = {
      0, 0, 0, 999, // padding: never read, however large
      1, -2, 3, -4,
      500, 0.5, -1, 2,
      1, 1, 1, 1,
      -1, 2, 2, 2,
      3, 3, -3, 3};
  private static final long[] MASK = {0, 1, 1, 1, 1, 1};

  @Test
  void valuesByHandWithPaddingLeftOut() {
    try (NDManager scope = PlantedTestbed.BACKEND.newScope("cpu")) {
      NDArray h = scope.create(VALUES, new Shape(2, 3, 4));
      NDArray mask = scope.create(MASK, new Shape(2, 3));
      List<SequenceMagnitudes> lower = SequenceMagnitudes.of(h, mask, MedianRule.LOWER, 100, 100);
      SequenceMagnitudes a = lower.get(0);
      // |h| of the 8 real entries: 1 2 3 4 500 0.5 1 2 -> sorted 0.5 1 1 2 2 3 4 500: lower median 2, midpoint 2
      assertEquals(2, a.positions());
      assertEquals(500, a.maxAbs());
      assertEquals(1, a.maxPosition(), "the real position, not the padded one");
      assertEquals(0, a.maxUnit());
      assertEquals(2, a.median());
      assertEquals(250, a.ratio());
      assertEquals(1, a.aboveAbs());
      assertEquals(1, a.aboveRatio());
      assertEquals(1, a.massive());
      // per position: [1 2 3 4] lower median 2 -> 4/2; [500 .5 1 2] sorted .5 1 2 500 -> 500/1
      assertArrayEquals(new double[] {2, 500}, a.positionRatios());
      SequenceMagnitudes b = lower.get(1);
      // 12 entries: 1 1 1 1 1 2 2 2 3 3 3 3: lower median (6th) 2
      assertEquals(3, b.maxAbs());
      assertEquals(2, b.maxPosition());
      assertEquals(0, b.maxUnit(), "ties: the first in position-major order");
      assertEquals(2, b.median());
      assertArrayEquals(new double[] {1, 1, 1}, b.positionRatios(), "|-1 2 2 2|: lower median 2");
      List<SequenceMagnitudes> midpoint = SequenceMagnitudes.of(h, mask, MedianRule.MIDPOINT, 100, 100);
      assertEquals(2, midpoint.get(0).median(), "the two middle values are both 2");
      assertEquals(4 / 2.5, midpoint.get(0).positionRatios()[0], 1e-15);
      assertEquals(500 / 1.5, midpoint.get(0).positionRatios()[1], 1e-12);
      assertEquals(2, midpoint.get(1).median());
    }
  }

  @Test
  void aSequenceGivesTheSameValuesAloneAsInAPaddedBatch() {
    try (NDManager scope = PlantedTestbed.BACKEND.newScope("cpu")) {
      SequenceMagnitudes batched = SequenceMagnitudes.of(scope.create(VALUES, new Shape(2, 3, 4)),
          scope.create(MASK, new Shape(2, 3)), MedianRule.LOWER, 100, 1000).get(0);
      double[] alone = new double[8];
      System.arraycopy(VALUES, 4, alone, 0, 8);
      SequenceMagnitudes single = SequenceMagnitudes.of(scope.create(alone, new Shape(1, 2, 4)),
          scope.create(new long[] {1, 1}, new Shape(1, 2)), MedianRule.LOWER, 100, 1000).get(0);
      assertEquals(single, batched);
      assertEquals(0, single.aboveRatio(), "250 < 1000 times the median");
      assertEquals(0, single.massive());
    }
  }

  @Test
  void medianRules() {
    double[] sorted = {1, 2, 3, 10};
    assertEquals(2, MedianRule.LOWER.of(sorted, 0, 4));
    assertEquals(2.5, MedianRule.MIDPOINT.of(sorted, 0, 4));
    assertEquals(2, MedianRule.MIDPOINT.of(sorted, 0, 3));
    assertEquals(3, MedianRule.LOWER.of(sorted, 1, 4));
  }

  @Test
  void badShapesAndEmptySequencesAreClearMessages() {
    try (NDManager scope = PlantedTestbed.BACKEND.newScope("cpu")) {
      NeuriteException shape = assertThrows(NeuriteException.class, () -> SequenceMagnitudes.of(
          scope.create(new double[6], new Shape(2, 3)), scope.create(MASK, new Shape(2, 3)), MedianRule.LOWER, 1, 1));
      assertTrue(shape.getMessage().startsWith("Sequence magnitudes need a value [batch, pos, d]"), shape.getMessage());
      NeuriteException empty = assertThrows(NeuriteException.class, () -> SequenceMagnitudes.of(
          scope.create(new double[4], new Shape(1, 1, 4)), scope.create(new long[] {0}, new Shape(1, 1)),
          MedianRule.LOWER, 1, 1));
      assertEquals("Sequence 0 of the batch has no real token; give every example at least one token.",
          empty.getMessage());
    }
  }
}
