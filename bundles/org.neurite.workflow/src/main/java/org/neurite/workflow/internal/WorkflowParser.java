package org.neurite.workflow.internal;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.neurite.api.NeuriteException;
import org.neurite.api.step.ParamType;

/**
 * Reads a workflow file into a {@link WorkflowDefinition}, collecting every structural problem
 * (unknown keys, wrong JSON types, missing fields) instead of stopping at the first.
 */
final class WorkflowParser {
  private static final Set<String> TOP_KEYS = Set.of("name", "description", "params", "steps");
  private static final Set<String> STEP_KEYS = Set.of("id", "uses", "with");
  private static final Set<String> PARAM_KEYS = Set.of("type", "default", "help");
  static final java.util.regex.Pattern STEP_ID = java.util.regex.Pattern.compile("[a-z][a-z0-9_-]*");

  private WorkflowParser() {}

  static WorkflowDefinition read(Path file) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new NeuriteException("Workflow file " + file + " does not exist. Give the path of a workflow JSON file"
          + " (relative paths resolve against the current folder, then the workspace).");
    } catch (IOException e) {
      throw new NeuriteException("Cannot read workflow file " + file + ": " + e.getMessage(), e);
    }
    return parse(file, text);
  }

  static WorkflowDefinition parse(Path file, String text) {
    JsonElement root;
    try {
      JsonReader reader = new JsonReader(new StringReader(text));
      reader.setStrictness(Strictness.STRICT);
      root = JsonParser.parseReader(reader);
      if (reader.peek() != com.google.gson.stream.JsonToken.END_DOCUMENT) {
        throw new JsonParseException("unexpected content after the workflow object at " + reader.getPath());
      }
    } catch (JsonParseException | IOException | IllegalStateException e) {
      String detail = e.getCause() != null && e.getCause().getMessage() != null ? e.getCause().getMessage() : e.getMessage();
      throw new NeuriteException(file + ": not valid JSON: " + detail
          + ". Fix the syntax there (a missing comma or quote, a trailing comma, a comment).");
    }
    Problems problems = new Problems(file);
    if (!root.isJsonObject()) {
      problems.add(null, "the file must hold one JSON object with \"name\" and \"steps\"; found " + kind(root));
      problems.throwIfAny();
    }
    JsonObject top = root.getAsJsonObject();
    unknownKeys(top, TOP_KEYS, problems, null, "at the top level");
    String name = string(top, "name", problems, null, true);
    String description = string(top, "description", problems, null, false);
    Map<String, WorkflowDefinition.Param> params = params(top, problems);
    List<WorkflowDefinition.StepUse> steps = steps(top, problems);
    problems.throwIfAny();
    return new WorkflowDefinition(file, text, name, description == null ? "" : description, params, steps);
  }

  private static Map<String, WorkflowDefinition.Param> params(JsonObject top, Problems problems) {
    Map<String, WorkflowDefinition.Param> params = new LinkedHashMap<>();
    if (!top.has("params")) {
      return params;
    }
    if (!top.get("params").isJsonObject()) {
      problems.add(null, "\"params\" must be an object of {\"name\": {\"type\": ..., \"default\": ..., \"help\": ...}}");
      return params;
    }
    for (Map.Entry<String, JsonElement> entry : top.getAsJsonObject("params").entrySet()) {
      String where = "parameter '" + entry.getKey() + "'";
      if (!entry.getValue().isJsonObject()) {
        problems.add(null, where + " must be an object with \"type\", \"default\" and \"help\"");
        continue;
      }
      JsonObject p = entry.getValue().getAsJsonObject();
      unknownKeys(p, PARAM_KEYS, problems, null, "in " + where);
      String typeName = string(p, "type", problems, null, true);
      ParamType type = null;
      if (typeName != null) {
        try {
          type = ParamType.valueOf(typeName.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
          problems.add(null, where + " has unknown type \"" + typeName + "\"; use one of " + ParamTypes.names());
        }
      }
      if (!p.has("default")) {
        problems.add(null, where + " needs a \"default\" (the value used when --set does not give one)");
      } else if (type != null) {
        String mismatch = ParamTypes.check(type, p.get("default"));
        if (mismatch != null) {
          problems.add(null, where + " default " + mismatch);
        }
      }
      String help = string(p, "help", problems, null, false);
      if (type != null && p.has("default")) {
        params.put(entry.getKey(), new WorkflowDefinition.Param(entry.getKey(), type, p.get("default"), help == null ? "" : help));
      }
    }
    return params;
  }

  private static List<WorkflowDefinition.StepUse> steps(JsonObject top, Problems problems) {
    List<WorkflowDefinition.StepUse> steps = new ArrayList<>();
    if (!top.has("steps") || !top.get("steps").isJsonArray() || top.getAsJsonArray("steps").isEmpty()) {
      problems.add(null, "\"steps\" must be a non-empty array of {\"id\": ..., \"uses\": ..., \"with\": {...}}");
      return steps;
    }
    int index = 0;
    for (JsonElement element : top.getAsJsonArray("steps")) {
      index++;
      if (!element.isJsonObject()) {
        problems.add(null, "steps[" + index + "] must be an object with \"id\", \"uses\" and \"with\"");
        continue;
      }
      JsonObject step = element.getAsJsonObject();
      String id = string(step, "id", problems, "steps[" + index + "]", true);
      String where = id == null ? "steps[" + index + "]" : id;
      unknownKeys(step, STEP_KEYS, problems, where, "");
      if (id != null && !STEP_ID.matcher(id).matches()) {
        problems.add(where, "the id must be lower case letters, digits, '-' or '_', starting with a letter");
      }
      String uses = string(step, "uses", problems, where, true);
      Map<String, JsonElement> with = new LinkedHashMap<>();
      if (step.has("with")) {
        if (step.get("with").isJsonObject()) {
          step.getAsJsonObject("with").entrySet().forEach(e -> with.put(e.getKey(), e.getValue()));
        } else {
          problems.add(where, "\"with\" must be an object of parameter and input values");
        }
      }
      if (id != null && uses != null) {
        steps.add(new WorkflowDefinition.StepUse(id, uses, with));
      }
    }
    return steps;
  }

  private static String string(JsonObject object, String key, Problems problems, String step, boolean required) {
    JsonElement value = object.get(key);
    if (value == null || value.isJsonNull()) {
      if (required) {
        problems.add(step, "\"" + key + "\" is missing");
      }
      return null;
    }
    if (!value.isJsonPrimitive() || !value.getAsJsonPrimitive().isString()) {
      problems.add(step, "\"" + key + "\" must be a string, not " + kind(value));
      return null;
    }
    return value.getAsString();
  }

  private static void unknownKeys(JsonObject object, Set<String> known, Problems problems, String step, String where) {
    for (String key : object.keySet()) {
      if (!known.contains(key)) {
        problems.add(step, "unknown key \"" + key + "\"" + (where.isEmpty() ? "" : " " + where)
            + "; allowed: " + String.join(", ", known.stream().sorted().toList()));
      }
    }
  }

  static String kind(JsonElement e) {
    if (e.isJsonNull()) {
      return "null";
    }
    if (e.isJsonObject()) {
      return "an object";
    }
    if (e.isJsonArray()) {
      return "an array";
    }
    if (e.getAsJsonPrimitive().isBoolean()) {
      return "a boolean";
    }
    return e.getAsJsonPrimitive().isNumber() ? "a number" : "a string";
  }
}
