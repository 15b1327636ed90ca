package org.neurite.analysis.contrast;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.neurite.api.NeuriteException;

/** LAPE's entropy, its bar and filter, and A5's score, against values worked out by hand. */
class GroupEntropyTest {
  private static final double LN2 = Math.log(2);
  /** p' = (1/6, 1/3, 1/2): H = (1/6)ln6 + (1/3)ln3 + (1/2)ln2. */
  private static final double H_123 = Math.log(6) / 6 + Math.log(3) / 3 + LN2 / 2;

  @Test
  void lapeEntropyByHand() {
    double[][] p = {
        {0.5, 0, 0.2, 0, 0.1},
        {0.5, 0, 0.2, 0.3, 0.2},
        {0, 0, 0, 0, 0.3}};
    assertArrayEquals(new double[] {LN2, 0, LN2, 0, H_123}, GroupEntropy.lape(p), 1e-15);
    assertEquals(1.0114042647073518, H_123, 1e-15);
  }

  @Test
  void barAndFilterFollowLape() {
    double[][] p = {{0.1, 0.2, 0.3, 0.4, 0.5}, {0.6, 0.7, 0.8, 0.9, 1.0}};
    // N = 10: round(9.5) = 10 (half to even), the largest; round(0.25 * 10) = 2 (2.5 rounds to 2)
    assertEquals(1.0, GroupEntropy.activationBar(0.95, p));
    assertEquals(0.2, GroupEntropy.activationBar(0.25, p));
    assertEquals(0.3, GroupEntropy.activationBar(0.3, p));
    double[] h = {1, 2, 3, 4, 5};
    assertArrayEquals(new double[] {Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY, 3, 4, 5},
        GroupEntropy.filterNoGroupAbove(h, p, 0.7));
  }

  @Test
  void languageNeuronScoreInBothForms() {
    double[][] p = {{0.1, 0.5}, {0.2, 0.5}, {0.3, 0.5}};
    double lambda = 0.02;
    double[] paper = GroupEntropy.languageNeuronScore(p, lambda, EntropyNormalisation.PAPER);
    assertEquals(H_123 - lambda * 0.3, paper[0], 1e-15);
    assertEquals(Math.log(3) - lambda * 0.5, paper[1], 1e-15);
    double[] code = GroupEntropy.languageNeuronScore(p, lambda, EntropyNormalisation.AUTHORS_CODE);
    double harmonicOverL = (1 + 0.5 + 1.0 / 3) / 3;
    assertEquals(H_123 / Math.log(3) - lambda * 0.3 / harmonicOverL, code[0], 1e-15);
    assertEquals(1 - lambda * 0.5 / harmonicOverL, code[1], 1e-15);
    assertArrayEquals(GroupEntropy.lape(p), GroupEntropy.languageNeuronScore(p, 0, EntropyNormalisation.PAPER));
  }

  @Test
  void aNeverActiveUnitIsUniformInA5sScoreNotTheMostSpecific() {
    double[][] p = {{0, 0.9}, {0, 0.05}, {0, 0.05}};
    double[] code = GroupEntropy.languageNeuronScore(p, 0.1, EntropyNormalisation.AUTHORS_CODE);
    assertEquals(1.0, code[0], 1e-12, "uniform: the highest entropy, and no max term");
    double[] paper = GroupEntropy.languageNeuronScore(p, 0.1, EntropyNormalisation.PAPER);
    assertEquals(Math.log(3), paper[0], 1e-15);
    assertTrue(code[1] < code[0] && paper[1] < paper[0], "the concentrated unit ranks first");
    // the code's clamp at 1e-12: a zero share contributes -1e-12 ln 1e-12 (renormalised) instead of 0
    double[][] one = {{0.5}, {0}, {0}};
    double clamped = -(1 / (1 + 2e-12)) * Math.log(1 / (1 + 2e-12) + 1e-30)
        - 2 * (1e-12 / (1 + 2e-12)) * Math.log(1e-12 / (1 + 2e-12) + 1e-30);
    assertEquals(clamped / Math.log(3), GroupEntropy.languageNeuronScore(one, 0, EntropyNormalisation.AUTHORS_CODE)[0],
        1e-15);
    assertTrue(GroupEntropy.languageNeuronScore(one, 0, EntropyNormalisation.AUTHORS_CODE)[0] > 5e-11,
        "the clamp makes a one-language unit's entropy positive, not 0");
  }

  @Test
  void badProbabilitiesAreOneClearError() {
    assertEquals("The group entropy needs activation probabilities of at least two groups; got 1. Accumulate the"
        + " statistics with every group (language) you compare.",
        assertThrows(NeuriteException.class, () -> GroupEntropy.lape(new double[][] {{0.5}})).getMessage());
    assertEquals("Activation probability NaN of group 1, unit 0 is not in [0, 1]: give probabilities #(x > t)/n,"
        + " e.g. UnitStats.activeProbability, and leave out groups with no rows.",
        assertThrows(NeuriteException.class, () -> GroupEntropy.lape(new double[][] {{0.5}, {Double.NaN}}))
            .getMessage());
    assertEquals("λ is -1.0: give a finite weight >= 0 for the max term (A5 searches [0, 0.2]).",
        assertThrows(NeuriteException.class, () -> GroupEntropy.languageNeuronScore(new double[][] {{0.5}, {0.5}},
            -1, EntropyNormalisation.PAPER)).getMessage());
  }
}
