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

  /** head_dim 16 (hidden 64, 4 heads), theta 10000, max_position_embeddings 4096, with rope_scaling. */
  private static Rope rope16(String scaling) {
    JsonObject c = JsonParser.parseString("{\"hidden_size\":64,\"num_attention_heads\":4,\"rope_theta\":10000.0,"
        + "\"max_position_embeddings\":4096}").getAsJsonObject();
    c.add("rope_scaling", JsonParser.parseString(scaling));
    return Rope.fromConfig(new HfConfig(c), 16);
  }

  /**
   * Values worked out by hand from transformers' _compute_yarn_parameters, d = 16, theta = 10^4, so
   * the plain frequencies are 10^(-i/2). Over original_max_position_embeddings L = 1024 the pair that
   * turns r times is i(r) = 16 ln(L / (2 pi r)) / (2 ln 10^4): i(32) = 1.41394, i(1) = 4.42424, rounded
   * outwards to the range [1, 5]. The weight of f/8 is then 0, 0, 1/4, 1/2, 3/4, 1, 1, 1.
   */
  @Test
  void yarnPinnedByHandWithOriginalLengthAndFactorAsGiven() {
    // factor 8 as given, although 4096 / 1024 = 4: the scaling and the attention factor both use 8
    Rope r = rope16("{\"rope_type\":\"yarn\",\"factor\":8.0,\"original_max_position_embeddings\":1024}");
    double[] inv = r.invFreq(1);
    assertEquals(1.0, inv[0], 1e-15);
    assertEquals(Math.pow(10, -0.5), inv[1], 1e-15);
    assertEquals(0.75 * 0.1 + 0.25 * 0.1 / 8, inv[2], 1e-15); // 0.078125
    assertEquals(0.5 * Math.pow(10, -1.5) + 0.5 * Math.pow(10, -1.5) / 8, inv[3], 1e-15);
    assertEquals(0.25 * 0.01 + 0.75 * 0.01 / 8, inv[4], 1e-15); // 0.0034375
    assertEquals(Math.pow(10, -2.5) / 8, inv[5], 1e-18);
    assertEquals(0.001 / 8, inv[6], 1e-18);
    assertEquals(1 + 0.1 * Math.log(8), r.attentionFactor(), 1e-15); // 1.2079441541679836
    // a null factor is the ratio of the lengths, 4
    Rope derived = rope16("{\"rope_type\":\"yarn\",\"factor\":null,\"original_max_position_embeddings\":1024}");
    assertEquals(1 + 0.1 * Math.log(4), derived.attentionFactor(), 1e-15);
    assertEquals(0.75 * 0.1 + 0.25 * 0.1 / 4, derived.invFreq(1)[2], 1e-15);
  }

  @Test
  void yarnWithoutTruncationRampsFromTheExactBounds() {
    Rope r = rope16("{\"rope_type\":\"yarn\",\"factor\":8.0,\"original_max_position_embeddings\":1024,"
        + "\"truncate\":false}");
    double low = 8 * Math.log(1024 / (64 * Math.PI)) / Math.log(1e4); // 1.4139402199235818
    double high = 8 * Math.log(1024 / (2 * Math.PI)) / Math.log(1e4); // 4.424240176563393
    assertEquals(1.4139402199235818, low, 1e-13);
    assertEquals(4.424240176563393, high, 1e-13);
    double[] inv = r.invFreq(1);
    double w2 = (2 - low) / (high - low);
    assertEquals((1 - w2) * 0.1 + w2 * 0.1 / 8, inv[2], 1e-15);
    assertEquals(0.08296507607370558, inv[2], 1e-15);
    assertEquals(0.0024831334413176736, inv[4], 1e-15);
    assertEquals(Math.pow(10, -0.5), inv[1], 1e-15);
    assertEquals(Math.pow(10, -2.5) / 8, inv[5], 1e-18);
  }

  @Test
  void yarnAttentionFactorFromMscales() {
    // m(s, k) = 1 + 0.1 k ln s; mscale 1 over mscale_all_dim 0.5 at factor 8
    Rope r = rope16("{\"rope_type\":\"yarn\",\"factor\":8.0,\"original_max_position_embeddings\":1024,"
        + "\"mscale\":1.0,\"mscale_all_dim\":0.5}");
    assertEquals((1 + 0.1 * Math.log(8)) / (1 + 0.05 * Math.log(8)), r.attentionFactor(), 1e-15);
    assertEquals(1.094179988101349, r.attentionFactor(), 1e-15);
    // one of the two zero: the plain m(factor, 1)
    assertEquals(1 + 0.1 * Math.log(8), rope16("{\"rope_type\":\"yarn\",\"factor\":8.0,"
        + "\"mscale\":1.0,\"mscale_all_dim\":0}").attentionFactor(), 1e-15);
    // factor 1 or less: no scaling
    assertEquals(1.0, rope16("{\"rope_type\":\"yarn\",\"factor\":1.0}").attentionFactor());
  }

  @Test
  void yarnCoincidingBoundsWidenByOneThousandth() {
    // over a length of 4 both bounds fall below 0: i(32) = -3.4 floors to -4, i(1) = -0.39 ceils to 0, and the
    // clip to [0, 15] leaves [0, 0]; transformers widens it to [0, 0.001], so pair 0 keeps its frequency
    // (weight 0 / 0.001 = 0, not 0 / 0) and every later pair is divided by the factor
    Rope r = rope16("{\"rope_type\":\"yarn\",\"factor\":8.0,\"original_max_position_embeddings\":4}");
    double[] inv = r.invFreq(1);
    assertEquals(1.0, inv[0], 0.0);
    for (int i = 1; i < 8; i++) {
      assertEquals(Math.pow(10, -i / 2.0) / 8, inv[i], 1e-15, "pair " + i);
    }
  }

  @Test
  void topLevelOriginalLengthWinsOverTheRopeSettings() {
    // transformers copies a top-level original_max_position_embeddings over the one in the rope settings
    JsonObject c = JsonParser.parseString("{\"hidden_size\":64,\"num_attention_heads\":4,"
        + "\"rope_theta\":10000.0,\"max_position_embeddings\":4096,\"original_max_position_embeddings\":1024,"
        + "\"rope_scaling\":"
        + "{\"rope_type\":\"yarn\",\"factor\":8.0,\"original_max_position_embeddings\":4}}").getAsJsonObject();
    assertArrayEquals(rope16("{\"rope_type\":\"yarn\",\"factor\":8.0,\"original_max_position_embeddings\":1024}")
        .invFreq(1), Rope.fromConfig(new HfConfig(c), 16).invFreq(1), 0.0);
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

  /**
   * A partial rope of width 4 inside heads 8 wide (GPT-NeoX rotary_pct 0.5): component 0 pairs with 2
   * (half of the rotated width, not of the head) at frequency 1, component 1 with 3 at 10000^-0.5, and
   * components 4..7 of every head pass through.
   */
  @Test
  void partialRopeTurnsTheLeadingComponentsOfEachHead() {
    JsonObject c = JsonParser.parseString("{\"hidden_size\":32,\"num_attention_heads\":4,\"rope_theta\":10000.0,"
        + "\"max_position_embeddings\":128,\"partial_rotary_factor\":0.5}").getAsJsonObject();
    assertThrows(IllegalArgumentException.class, () -> Rope.fromConfig(new HfConfig(c), 8));
    Rope r = Rope.partial(new HfConfig(c), 4);
    assertArrayEquals(new double[] {1.0, 0.01}, r.invFreq(1), 1e-15);
    double t = 2;
    double[][] x = new double[3][16];
    x[2][8] = 1.0;
    x[2][9 + 4] = 3.0;
    r.rotate(x, 2, 8);
    double[] expected = new double[16];
    expected[8] = Math.cos(t);
    expected[10] = Math.sin(t);
    expected[13] = 3.0;
    assertArrayEquals(expected, x[2], 1e-15);
    assertThrows(IllegalArgumentException.class, () -> r.rotate(new double[1][6], 2, 3));
  }

  /** LongRoPE divides by short_factor up to the original length and by long_factor beyond, with gain sqrt(1 + ln s / ln L). */
  @Test
  void longRopeFactorsAndGain() {
    JsonObject c = JsonParser.parseString("{\"hidden_size\":32,\"num_attention_heads\":4,\"rope_theta\":10000.0,"
        + "\"max_position_embeddings\":64,\"original_max_position_embeddings\":16,\"rope_scaling\":{\"type\":\"longrope\","
        + "\"short_factor\":[1.0,2.0,3.0,4.0],\"long_factor\":[5.0,6.0,7.0,8.0]}}").getAsJsonObject();
    Rope r = Rope.fromConfig(new HfConfig(c), 8);
    assertArrayEquals(new double[] {1.0, 0.1 / 2, 0.01 / 3, 0.001 / 4}, r.invFreq(16), 1e-15);
    assertArrayEquals(new double[] {1.0 / 5, 0.1 / 6, 0.01 / 7, 0.001 / 8}, r.invFreq(17), 1e-15);
    assertEquals(Math.sqrt(1 + Math.log(4) / Math.log(16)), r.attentionFactor(), 1e-15);
    c.getAsJsonObject("rope_scaling").addProperty("attention_factor", 1.25);
    assertEquals(1.25, Rope.fromConfig(new HfConfig(c), 8).attentionFactor());
    c.getAsJsonObject("rope_scaling").remove("attention_factor");
    c.remove("original_max_position_embeddings");
    c.getAsJsonObject("rope_scaling").addProperty("factor", 1.0);
    assertEquals(1.0, Rope.fromConfig(new HfConfig(c), 8).attentionFactor(), "no top-level length: the factor, 1");
    c.getAsJsonObject("rope_scaling").add("long_factor", JsonParser.parseString("[1.0]"));
    assertThrows(IllegalArgumentException.class, () -> Rope.fromConfig(new HfConfig(c), 8));
  }

  @Test
  void ropeParametersOfNewerConfigsHoldTheta() {
    JsonObject c = JsonParser.parseString("{\"hidden_size\":32,\"num_attention_heads\":4,\"max_position_embeddings\":128,"
        + "\"rope_parameters\":{\"rope_type\":\"linear\",\"factor\":2.0,\"rope_theta\":500.0}}").getAsJsonObject();
    double[] inv = Rope.fromConfig(new HfConfig(c), 8).invFreq(1);
    assertEquals(1 / Math.pow(500, 0.25) / 2, inv[1], 1e-15);
    assertThrows(IllegalArgumentException.class, () -> rope("{\"rope_type\":\"longrope\"}").invFreq(1));
  }

  @Test
  void nonEmptyRopeScalingWinsOverRopeParameters() {
    // transformers 5.x takes rope_scaling when it is set and not empty, with the top-level rope_theta
    JsonObject c = JsonParser.parseString("{\"hidden_size\":32,\"num_attention_heads\":4,"
        + "\"max_position_embeddings\":128,\"rope_theta\":100.0,"
        + "\"rope_scaling\":{\"rope_type\":\"linear\",\"factor\":2.0},"
        + "\"rope_parameters\":{\"rope_type\":\"default\",\"rope_theta\":500.0}}").getAsJsonObject();
    assertEquals(Math.pow(100, -0.25) / 2, Rope.fromConfig(new HfConfig(c), 8).invFreq(1)[1], 1e-15);
    c.add("rope_scaling", new JsonObject());
    assertEquals(1 / Math.pow(500, 0.25), Rope.fromConfig(new HfConfig(c), 8).invFreq(1)[1], 1e-15);
  }
}
