package org.neurite.analysis.internal.steps;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.neurite.analysis.intervene.Operation;
import org.neurite.api.NeuriteException;
import org.neurite.api.context.StepContext;

/** Parameter checks the analysis steps share; each message names the step, the parameter and the fix. */
final class Steps {
  private Steps() {}

  static long positive(StepContext context, String param) {
    long value = context.param(param, Long.class);
    if (value < 1) {
      throw new NeuriteException("Step " + context.stepId() + ": " + param + " is " + value + "; it must be at least 1.");
    }
    return value;
  }

  static NeuriteException bad(StepContext context, String param, String problem) {
    return new NeuriteException("Step " + context.stepId() + ": " + param + " " + problem);
  }

  /** The operation named by the parameters {@code operation} and {@code value}. */
  static Operation operation(StepContext context) {
    String name = context.param("operation", String.class).toLowerCase(Locale.ROOT);
    double value = context.param("value", Double.class);
    return switch (name) {
      case "zero" -> new Operation.Zero();
      case "scale" -> new Operation.Scale(value);
      case "clamp" -> new Operation.Clamp(value);
      default -> throw bad(context, "operation", "'" + name + "' is not one of zero, scale, clamp.");
    };
  }

  /** Writes a JSON artifact of the step, pretty-printed (NaN and infinities as JavaScript writes them). */
  static Path writeJson(StepContext context, String fileName, String kind, JsonObject json) throws Exception {
    return context.artifacts().write(fileName, kind, temporary -> Files.writeString(temporary,
        new GsonBuilder().setPrettyPrinting().serializeSpecialFloatingPointValues().create().toJson(json) + "\n",
        StandardCharsets.UTF_8));
  }
}
