package org.neurite.models.family;

import ai.djl.ndarray.NDArray;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;
import org.neurite.api.NeuriteException;
import org.neurite.models.internal.core.Scalars;

/** The MLP activations of Hugging Face configs ({@code hidden_act}, {@code activation_function}). */
public enum Activation {
  /** Exact GELU with erf: {@code gelu}. */
  GELU("gelu") {
    @Override
    public NDArray apply(NDArray x) {
      return ai.djl.nn.Activation.gelu(x);
    }
  },
  /** The tanh approximation: {@code gelu_new}, {@code gelu_pytorch_tanh}. */
  GELU_TANH("gelu_new", "gelu_pytorch_tanh") {
    @Override
    public NDArray apply(NDArray x) {
      // 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3)))
      try (NDArray cube = Scalars.power(x, 3); NDArray scaledCube = Scalars.times(cube, 0.044715);
          NDArray inner = x.add(scaledCube); NDArray arg = Scalars.times(inner, Math.sqrt(2.0 / Math.PI));
          NDArray t = arg.tanh(); NDArray onePlus = t.add(1.0); NDArray half = Scalars.times(x, 0.5)) {
        return half.mul(onePlus);
      }
    }
  },
  /** {@code gelu_fast}: 0.5 x (1 + tanh(x 0.7978845608 (1 + 0.044715 x^2))). */
  GELU_FAST("gelu_fast") {
    @Override
    public NDArray apply(NDArray x) {
      try (NDArray square = x.square(); NDArray scaled = Scalars.times(square, 0.044715);
          NDArray onePlusSq = scaled.add(1.0); NDArray xs = Scalars.times(x, 0.7978845608); NDArray arg = xs.mul(onePlusSq);
          NDArray t = arg.tanh(); NDArray onePlus = t.add(1.0); NDArray half = Scalars.times(x, 0.5)) {
        return half.mul(onePlus);
      }
    }
  },
  /** {@code quick_gelu}: x sigmoid(1.702 x). */
  QUICK_GELU("quick_gelu") {
    @Override
    public NDArray apply(NDArray x) {
      try (NDArray scaled = Scalars.times(x, 1.702); NDArray gate = ai.djl.nn.Activation.sigmoid(scaled)) {
        return x.mul(gate);
      }
    }
  },
  RELU("relu") {
    @Override
    public NDArray apply(NDArray x) {
      return ai.djl.nn.Activation.relu(x);
    }
  },
  /** {@code silu} / {@code swish}: x sigmoid(x). */
  SILU("silu", "swish") {
    @Override
    public NDArray apply(NDArray x) {
      try (NDArray gate = ai.djl.nn.Activation.sigmoid(x)) {
        return x.mul(gate);
      }
    }
  };

  private final String[] names;

  Activation(String... names) {
    this.names = names;
  }

  public abstract NDArray apply(NDArray x);

  /**
   * The activation a config names.
   *
   * @throws NeuriteException if it is not one Neurite implements
   */
  public static Activation named(String name, String where) {
    String wanted = name.toLowerCase(Locale.ROOT);
    for (Activation a : values()) {
      if (Arrays.asList(a.names).contains(wanted)) {
        return a;
      }
    }
    throw new NeuriteException(where + ": activation '" + name + "' is not supported; Neurite implements "
        + Arrays.stream(values()).flatMap(a -> Arrays.stream(a.names)).collect(Collectors.joining(", ")) + ".");
  }
}
