package org.neurite.analysis.contrast;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.neurite.api.NeuriteException;

class ZScoresTest {
  @Test
  void populationAndSample() {
    // mean 2, M2 = 2: population std sqrt(2/3), sample std 1
    assertArrayEquals(new double[] {-1 / Math.sqrt(2.0 / 3), 0, 1 / Math.sqrt(2.0 / 3)},
        ZScores.acrossUnits(new double[] {1, 2, 3}, 0), 1e-15);
    assertArrayEquals(new double[] {-1, 0, 1}, ZScores.acrossUnits(new double[] {1, 2, 3}, 1), 1e-15);
    double[][] z = ZScores.acrossGroups(new double[][] {{1, 5}, {2, 5}, {3, 5}}, 1);
    assertEquals(-1, z[0][0], 1e-15);
    assertEquals(1, z[2][0], 1e-15);
    assertEquals(0, z[1][1], "equal scores give 0");
  }

  @Test
  void badInputIsOneClearError() {
    assertEquals("ddof 3 does not fit 3 values: give 0 (population, as scipy.stats.zscore) or 1 (sample, as"
        + " torch.std).", assertThrows(NeuriteException.class, () -> ZScores.acrossUnits(new double[] {1, 2, 3}, 3))
            .getMessage());
    assertEquals("z-scores need finite scores; unit 1 has Infinity. Drop or fill the non-finite scores first.",
        assertThrows(NeuriteException.class, () -> ZScores.acrossGroups(
            new double[][] {{1, Double.POSITIVE_INFINITY}, {2, 3}}, 0)).getMessage());
  }
}
