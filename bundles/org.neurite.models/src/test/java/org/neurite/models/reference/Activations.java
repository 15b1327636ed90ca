package org.neurite.models.reference;

import java.util.function.DoubleUnaryOperator;

/** The activations of Hugging Face's {@code activations.py} ACT2FN, by config name, in float64. */
final class Activations {
  private static final double SQRT_2_OVER_PI = Math.sqrt(2.0 / Math.PI);

  private Activations() {}

  /** The activation named {@code hidden_act} / {@code activation_function}. */
  static DoubleUnaryOperator byName(String name) {
    return switch (name) {
      case "gelu", "gelu_python" -> Activations::gelu;
      case "gelu_new", "gelu_pytorch_tanh", "gelu_accurate" -> Activations::geluTanh;
      case "gelu_fast" -> x -> 0.5 * x * (1.0 + Math.tanh(x * 0.7978845608 * (1.0 + 0.044715 * x * x)));
      case "quick_gelu" -> x -> x * sigmoid(1.702 * x);
      case "gelu_10" -> x -> Math.max(-10.0, Math.min(10.0, gelu(x)));
      case "relu" -> x -> Math.max(0.0, x);
      case "relu2" -> x -> x > 0 ? x * x : 0.0;
      case "relu6" -> x -> Math.max(0.0, Math.min(6.0, x));
      case "silu", "swish" -> x -> x * sigmoid(x);
      case "sigmoid" -> Activations::sigmoid;
      case "tanh" -> Math::tanh;
      case "mish" -> x -> x * Math.tanh(softplus(x));
      case "linear" -> x -> x;
      default -> throw new IllegalArgumentException("activation " + name + " is not in the reference's ACT2FN");
    };
  }

  /** Exact GELU: x * Phi(x) = 0.5 x (1 + erf(x / sqrt 2)). */
  static double gelu(double x) {
    return 0.5 * x * (1.0 + erf(x / Math.sqrt(2.0)));
  }

  /** The tanh approximation of GELU (gelu_new, gelu_pytorch_tanh). */
  static double geluTanh(double x) {
    return 0.5 * x * (1.0 + Math.tanh(SQRT_2_OVER_PI * (x + 0.044715 * x * x * x)));
  }

  static double sigmoid(double x) {
    return x >= 0 ? 1.0 / (1.0 + Math.exp(-x)) : Math.exp(x) / (1.0 + Math.exp(x));
  }

  private static double softplus(double x) {
    return x > 20 ? x : Math.log1p(Math.exp(x));
  }

  /**
   * The error function to about 1e-15: the series erf(x) = 2/sqrt(pi) e^(-x^2) sum 2^n x^(2n+1) / (2n+1)!!,
   * whose terms are all positive (no cancellation); erf(x) rounds to +-1 beyond |x| = 6.
   */
  static double erf(double x) {
    if (Double.isNaN(x)) {
      return x;
    }
    double a = Math.abs(x);
    if (a > 6.0) {
      return Math.signum(x);
    }
    double term = a;
    double sum = a;
    double x2 = a * a;
    for (int n = 1; term > sum * 1e-17; n++) {
      term *= 2.0 * x2 / (2 * n + 1);
      sum += term;
    }
    double value = 2.0 / Math.sqrt(Math.PI) * Math.exp(-x2) * sum;
    return Math.copySign(Math.min(1.0, value), x);
  }
}
