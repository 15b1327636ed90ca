package org.neurite.workflow.internal;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.neurite.api.step.ParamType;
import org.neurite.api.workspace.Workspace;

/** Checks JSON values against parameter types and converts them to the Java values steps read. */
final class ParamTypes {
  private ParamTypes() {}

  static String names() {
    return String.join(", ", Arrays.stream(ParamType.values()).map(ParamType::jsonName).toList());
  }

  /** Null when {@code value} fits {@code type}; otherwise what is wrong, e.g. "must be an integer, not a string". */
  static String check(ParamType type, JsonElement value) {
    boolean ok = switch (type) {
      case STRING, PATH -> isString(value);
      case BOOLEAN -> value.isJsonPrimitive() && value.getAsJsonPrimitive().isBoolean();
      case NUMBER -> value.isJsonPrimitive() && value.getAsJsonPrimitive().isNumber();
      case INTEGER -> isInteger(value);
      case STRING_LIST -> value.isJsonArray() && all(value.getAsJsonArray(), ParamTypes::isString);
      case INTEGER_LIST -> value.isJsonArray() && all(value.getAsJsonArray(), ParamTypes::isInteger);
    };
    return ok ? null : "must be " + article(type) + ", not " + WorkflowParser.kind(value) + " (" + value + ")";
  }

  /** Parses a {@code --set key=value} text as a value of {@code type}; null when it does not fit. */
  static JsonElement fromText(ParamType type, String text) {
    return switch (type) {
      case STRING, PATH -> new JsonPrimitive(text);
      case BOOLEAN -> text.equals("true") || text.equals("false") ? new JsonPrimitive(Boolean.parseBoolean(text)) : null;
      case INTEGER, NUMBER -> {
        try {
          JsonPrimitive number = new JsonPrimitive(new BigDecimal(text));
          yield check(type, number) == null ? number : null;
        } catch (NumberFormatException e) {
          yield null;
        }
      }
      case STRING_LIST, INTEGER_LIST -> {
        JsonArray array = new JsonArray();
        for (String part : text.isEmpty() ? new String[0] : text.split(",")) {
          JsonElement item = fromText(type == ParamType.STRING_LIST ? ParamType.STRING : ParamType.INTEGER, part.trim());
          if (item == null) {
            yield null;
          }
          array.add(item);
        }
        yield array;
      }
    };
  }

  /**
   * The Java value a step reads: String, Long, Double, Boolean, Path (found by the workspace's rule for
   * relative paths), List of String or Long.
   */
  static Object toJava(ParamType type, JsonElement value, Workspace workspace) {
    return switch (type) {
      case STRING -> value.getAsString();
      case PATH -> workspace.locate(value.getAsString(), "file");
      case BOOLEAN -> value.getAsBoolean();
      case NUMBER -> value.getAsDouble();
      case INTEGER -> value.getAsLong();
      case STRING_LIST -> {
        List<String> list = new ArrayList<>();
        value.getAsJsonArray().forEach(e -> list.add(e.getAsString()));
        yield List.copyOf(list);
      }
      case INTEGER_LIST -> {
        List<Long> list = new ArrayList<>();
        value.getAsJsonArray().forEach(e -> list.add(e.getAsLong()));
        yield List.copyOf(list);
      }
    };
  }

  /** A step's declared default, given as JSON text. */
  static JsonElement parseDefault(String json) {
    return JsonParser.parseString(json);
  }

  private static boolean isString(JsonElement e) {
    return e.isJsonPrimitive() && e.getAsJsonPrimitive().isString();
  }

  private static boolean isInteger(JsonElement e) {
    if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isNumber()) {
      return false;
    }
    BigDecimal d = e.getAsBigDecimal();
    return d.stripTrailingZeros().scale() <= 0 && d.abs().compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) <= 0;
  }

  private static boolean all(JsonArray array, java.util.function.Predicate<JsonElement> test) {
    for (JsonElement e : array) {
      if (!test.test(e)) {
        return false;
      }
    }
    return true;
  }

  private static String article(ParamType type) {
    return switch (type) {
      case INTEGER -> "an integer";
      case STRING_LIST -> "an array of strings";
      case INTEGER_LIST -> "an array of integers";
      default -> "a " + type.jsonName().toLowerCase(Locale.ROOT);
    };
  }
}
