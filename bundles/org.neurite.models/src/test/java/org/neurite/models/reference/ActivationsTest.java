package org.neurite.models.reference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class ActivationsTest {
  @Test
  void erfMatchesTabulatedValues() {
    assertEquals(0.0, Activations.erf(0.0), 0.0);
    assertEquals(0.1124629160182849, Activations.erf(0.1), 1e-15);
    assertEquals(0.5204998778130465, Activations.erf(0.5), 1e-15);
    assertEquals(0.8427007929497149, Activations.erf(1.0), 1e-15);
    assertEquals(-0.9953222650189527, Activations.erf(-2.0), 1e-15);
    assertEquals(0.9999779095030014, Activations.erf(3.0), 1e-15);
    assertEquals(0.9999999845827421, Activations.erf(4.0), 1e-15);
    assertEquals(1.0, Activations.erf(7.0), 0.0);
  }

  @Test
  void hfActivationsByName() {
    assertEquals(0.8413447460685429, Activations.byName("gelu").applyAsDouble(1.0), 1e-15);
    assertEquals(-0.15865525393145707, Activations.byName("gelu").applyAsDouble(-1.0), 1e-15);
    assertEquals(0.8411919906082768, Activations.byName("gelu_new").applyAsDouble(1.0), 1e-15);
    assertEquals(0.8411919906082768, Activations.byName("gelu_pytorch_tanh").applyAsDouble(1.0), 1e-15);
    // gelu_fast uses the truncated constant 0.7978845608: a hair off gelu_new
    double fast = 0.5 * (1 + Math.tanh(0.7978845608 * 1.044715));
    assertEquals(fast, Activations.byName("gelu_fast").applyAsDouble(1.0), 1e-16);
    assertEquals(1.0 / (1 + Math.exp(-1.702)), Activations.byName("quick_gelu").applyAsDouble(1.0), 1e-16);
    assertEquals(0.7310585786300049, Activations.byName("silu").applyAsDouble(1.0), 1e-15);
    assertEquals(0.7310585786300049, Activations.byName("swish").applyAsDouble(1.0), 1e-15);
    assertEquals(-0.2689414213699951, Activations.byName("silu").applyAsDouble(-1.0), 1e-15);
    assertEquals(0.0, Activations.byName("relu").applyAsDouble(-3.0), 0.0);
    assertEquals(2.5, Activations.byName("relu").applyAsDouble(2.5), 0.0);
    assertThrows(IllegalArgumentException.class, () -> Activations.byName("gelu_unknown"));
  }
}
