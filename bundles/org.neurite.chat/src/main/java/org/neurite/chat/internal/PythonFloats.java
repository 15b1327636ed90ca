package org.neurite.chat.internal;

import java.math.BigDecimal;

/** Python's {@code repr(float)}: the shortest digits that read back to the same double. */
final class PythonFloats {
  private PythonFloats() {}

  static String repr(double value) {
    if (Double.isNaN(value)) {
      return "NaN";
    }
    if (Double.isInfinite(value)) {
      return value > 0 ? "Infinity" : "-Infinity";
    }
    if (value == 0) {
      return (1 / value < 0) ? "-0.0" : "0.0";
    }
    BigDecimal shortest = shortest(value);
    String digits = shortest.unscaledValue().abs().toString();
    int exponent = digits.length() - 1 - shortest.scale();
    String sign = value < 0 ? "-" : "";
    if (exponent < -4 || exponent >= 16) {
      String mantissa = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
      String e = String.format("%02d", Math.abs(exponent));
      return sign + mantissa + "e" + (exponent < 0 ? "-" : "+") + e;
    }
    String plain = shortest.abs().toPlainString();
    return sign + (plain.contains(".") ? plain : plain + ".0");
  }

  /** The decimal with the fewest significant digits (1 to 17) that parses back to exactly value. */
  private static BigDecimal shortest(double value) {
    for (int precision = 1; precision <= 17; precision++) {
      String candidate = String.format(java.util.Locale.ROOT, "%." + (precision - 1) + "e", value);
      if (Double.parseDouble(candidate) == value) {
        return new BigDecimal(candidate).stripTrailingZeros();
      }
    }
    return new BigDecimal(value).stripTrailingZeros();
  }
}
