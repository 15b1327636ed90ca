package org.neurite.models.reference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.junit.jupiter.api.Test;

class RopeTest {
  /** A Llama config of head_dim 8 (hidden 32, 4 heads), theta 10000, 128 positions, with rope_scaling. */
  private static Rope rope(String scaling) {
    JsonObject c = JsonParser.parseString("{\"hidden_size\":32,\"num_attention_heads\":4,\"rope_theta\":10000.0,"
        + "\"max_position_embeddings\":128}").getAsJsonObject();
    if (scaling != null) {
      c.add("rope_scaling", JsonParser.parseString(scaling));
    }
    return Rope.fromConfig(new HfConfig(c), 8);
  }

  @Test
  void defaultInverseFrequencies() {
    assertArrayEquals(new double[] {1.0, 0.1, 0.01, 0.001}, rope(null).invFreq(5), 1e-15);
    assertEquals(1.0, rope(null).attentionFactor());
  }

  @Test
  void linearAtPositionPIsDefaultAtHalfP() {
    Rope linear = rope("{\"rope_type\":\"linear\",\"factor\":2.0}");
    Rope plain = rope(null);
    for (int p = 0; p < 40; p++) {
      assertArrayEquals(plain.angles(p / 2.0, 40), linear.angles(p, 40), 1e-14, "position " + p);
    }
    assertTrue(linear.angles(3, 40)[0] != plain.angles(3, 40)[0]);
    // the older "type" key means the same
    assertArrayEquals(linear.invFreq(1), rope("{\"type\":\"linear\",\"factor\":2.0}").invFreq(1), 0.0);
  }

  @Test
  void llama3KeepsHighDividesLowAndSmoothsTheMiddle() {
    Rope r = rope("{\"rope_type\":\"llama3\",\"factor\":8.0,\"low_freq_factor\":1.0,\"high_freq_factor\":4.0,"
        + "\"original_max_position_embeddings\":64}");
    // wavelengths 2pi/inv: 6.3 (< 64/4: kept), 62.8 (between 16 and 64: smoothed), 628 and 6283 (> 64: / 8)
    assertArrayEquals(new double[] {1.0, 0.013042256043820465, 0.00125, 0.000125}, r.invFreq(1), 1e-15);
  }

  @Test
  void dynamicChangesOnlyBeyondMaxPositions() {
    Rope r = rope("{\"rope_type\":\"dynamic\",\"factor\":2.0}");
    assertArrayEquals(rope(null).invFreq(128), r.invFreq(128), 0.0);
    double[] longer = r.invFreq(200);
    // base * (2 * 200/128 - 1)^(8/6)
    double base = 10000 * Math.pow(2.0 * 200 / 128 - 1, 8.0 / 6);
    for (int i = 0; i < 4; i++) {
      assertEquals(1 / Math.pow(base, 2.0 * i / 8), longer[i], 1e-15);
    }
    assertTrue(longer[3] < 0.001);
  }

  @Test
  void yarnRampsBetweenExtrapolationAndInterpolation() {
    Rope r = rope("{\"rope_type\":\"yarn\",\"factor\":4.0}");
    // correction range [0, 2] over 4 frequencies: ramp 0, .5, 1, 1
    assertArrayEquals(new double[] {1.0, 0.5 * 0.1 / 4 + 0.5 * 0.1, 0.01 / 4, 0.001 / 4}, r.invFreq(1), 1e-15);
    assertEquals(1.138629436111989, r.attentionFactor(), 1e-15);
    assertEquals(1.5, rope("{\"rope_type\":\"yarn\",\"factor\":4.0,\"attention_factor\":1.5}").attentionFactor());
  }

  @Test
  void rotationIsRotateHalfWithScaledCosSin() {
    double t = 3;
    double[][] x = new double[4][8];
    x[3][0] = 1.0;
    rope(null).rotate(x, 1);
    // dimension 0 pairs with 4 (not with 1, as an interleaved rope would pair it)
    assertArrayEquals(new double[] {Math.cos(t), 0, 0, 0, Math.sin(t), 0, 0, 0}, x[3], 1e-15);
    double[][] z = new double[4][8];
    z[3][5] = 2.0;
    rope(null).rotate(z, 1);
    // dimension 5 pairs with 1 at frequency 0.1: rotate_half gives x1 = -x5 sin, x5 = x5 cos
    assertArrayEquals(new double[] {0, -2 * Math.sin(0.1 * t), 0, 0, 0, 2 * Math.cos(0.1 * t), 0, 0}, z[3], 1e-15);
    double[][] y = new double[1][8];
    y[0][2] = 1.0;
    rope("{\"rope_type\":\"yarn\",\"factor\":4.0}").rotate(y, 1);
    assertEquals(1.138629436111989, y[0][2], 1e-15, "position 0 only scales by the attention factor");
  }

  @Test
  void ropeParametersOfNewerConfigsHoldTheta() {
    JsonObject c = JsonParser.parseString("{\"hidden_size\":32,\"num_attention_heads\":4,\"max_position_embeddings\":128,"
        + "\"rope_parameters\":{\"rope_type\":\"linear\",\"factor\":2.0,\"rope_theta\":500.0}}").getAsJsonObject();
    double[] inv = Rope.fromConfig(new HfConfig(c), 8).invFreq(1);
    assertEquals(1 / Math.pow(500, 0.25) / 2, inv[1], 1e-15);
    assertThrows(IllegalArgumentException.class, () -> rope("{\"rope_type\":\"longrope\"}").invFreq(1));
  }
}
