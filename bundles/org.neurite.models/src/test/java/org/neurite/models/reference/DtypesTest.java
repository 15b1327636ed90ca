package org.neurite.models.reference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.neurite.api.model.TensorDtype;

class DtypesTest {
  private static int f16(float v) {
    return Dtypes.toF16(v) & 0xFFFF;
  }

  private static int bf16(float v) {
    return Dtypes.toBf16(v) & 0xFFFF;
  }

  @Test
  void halfBitPatterns() {
    assertEquals(0x3C00, f16(1.0f));
    assertEquals(0xC000, f16(-2.0f));
    assertEquals(0x0000, f16(0.0f));
    assertEquals(0x8000, f16(-0.0f));
    assertEquals(0x7BFF, f16(65504f));
    assertEquals(0x7C00, f16(65520f), "halfway to 2^16 rounds up to infinity");
    assertEquals(0x7BFF, f16(65519f));
    assertEquals(0x7C00, f16(Float.POSITIVE_INFINITY));
    assertEquals(0x3555, f16(1f / 3f));
    assertEquals(0x0400, f16(0x1p-14f), "smallest normal");
    assertEquals(0x0001, f16(0x1p-24f), "smallest subnormal");
    assertEquals(0x0000, f16(0x1p-25f), "halfway to the smallest subnormal rounds to even zero");
    assertEquals(0x0001, f16(0x1.8p-25f));
    assertEquals(0x0002, f16(0x1.8p-24f), "1.5 subnormal steps round to even 2");
    assertTrue(Float.isNaN(Dtypes.fromF16(Dtypes.toF16(Float.NaN))));
  }

  @Test
  void halfRoundsToNearestEven() {
    assertEquals(0x3C00, f16(1f + 0x1p-11f), "tie, even stays");
    assertEquals(0x3C02, f16(1f + 3 * 0x1p-11f), "tie, odd rounds up");
    assertEquals(0x3C01, f16(1f + 0x1p-11f + 0x1p-20f), "above the tie rounds up");
  }

  @Test
  void bfloatBitPatterns() {
    assertEquals(0x3F80, bf16(1.0f));
    assertEquals(0xC000, bf16(-2.0f));
    assertEquals(0x3F80, bf16(1f + 0x1p-8f), "tie, even stays");
    assertEquals(0x3F82, bf16(1f + 3 * 0x1p-8f), "tie, odd rounds up");
    assertEquals(0x3F81, bf16(1f + 0x1p-8f + 0x1p-20f));
    assertEquals(0x7F80, bf16(Float.MAX_VALUE), "rounds past the largest bfloat16 to infinity");
    assertTrue(Float.isNaN(Dtypes.fromBf16(Dtypes.toBf16(Float.NaN))));
  }

  @Test
  void roundTripsAreNearestRepresentable() {
    Random r = new Random(1);
    for (int i = 0; i < 20000; i++) {
      float v = (float) (r.nextGaussian() * Math.pow(10, r.nextInt(9) - 6));
      float h = Dtypes.fromF16(Dtypes.toF16(v));
      float b = Dtypes.fromBf16(Dtypes.toBf16(v));
      // neighbours of the result are no closer
      float hUp = Dtypes.fromF16((short) (Dtypes.toF16(v) + 1));
      float hDown = Dtypes.fromF16((short) (Dtypes.toF16(v) - 1));
      if (Math.abs(v) >= 0x1p-24f && Math.abs(v) < 65000f) {
        assertTrue(Math.abs(h - v) <= Math.abs(hUp - v) && Math.abs(h - v) <= Math.abs(hDown - v), "f16 of " + v);
      }
      assertTrue(Math.abs(b - v) <= Math.abs(v) * 0x1p-8f, "bf16 of " + v);
      assertEquals(h, Dtypes.fromF16(Dtypes.toF16(h)), "f16 is idempotent");
      assertEquals(b, Dtypes.fromBf16(Dtypes.toBf16(b)), "bf16 is idempotent");
    }
  }

  @Test
  void encodeDecodeMatchesRoundTrip() {
    double[] values = {1.0 / 3, -2.5e-3, 7.0, 1e-7};
    for (TensorDtype t : new TensorDtype[] {TensorDtype.F64, TensorDtype.F32, TensorDtype.F16, TensorDtype.BF16}) {
      double[] back = Dtypes.decode(t, Dtypes.encode(t, values), values.length);
      for (int i = 0; i < values.length; i++) {
        assertEquals(Dtypes.roundTrip(t, values[i]), back[i], 0.0, t + " " + values[i]);
      }
    }
  }
}
