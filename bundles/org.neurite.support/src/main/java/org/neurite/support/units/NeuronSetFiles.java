package org.neurite.support.units;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.neurite.api.NeuriteException;
import org.neurite.api.analysis.NeuronSet;
import org.neurite.api.analysis.Unit;

/**
 * The file form of a {@link NeuronSet}: JSON, {@code {"kind": "neuron-set", "name", "statistic",
 * "members": [{"hook", "index", "score", "group"}]}}. From Python: {@code json.load(open(path))}.
 */
public final class NeuronSetFiles {
  public static final String KIND = "neuron-set";

  private NeuronSetFiles() {}

  public static JsonObject toJson(NeuronSet set) {
    JsonObject json = new JsonObject();
    json.addProperty("kind", KIND);
    json.addProperty("name", set.name());
    json.addProperty("statistic", set.statistic());
    JsonArray members = new JsonArray();
    for (NeuronSet.Member m : set.members()) {
      JsonObject member = new JsonObject();
      member.addProperty("hook", m.unit().hook());
      member.addProperty("index", m.unit().index());
      member.addProperty("score", m.score());
      member.addProperty("group", m.group());
      members.add(member);
    }
    json.add("members", members);
    return json;
  }

  public static void write(NeuronSet set, Path file) throws IOException {
    Files.writeString(file, new GsonBuilder().setPrettyPrinting().serializeSpecialFloatingPointValues().create()
        .toJson(toJson(set)) + "\n", StandardCharsets.UTF_8);
  }

  /**
   * Reads a file {@link #write} wrote.
   *
   * @throws NeuriteException if it is not a neuron-set file, saying what is wrong
   */
  public static NeuronSet read(Path file) {
    JsonElement parsed;
    try {
      parsed = JsonParser.parseString(Files.readString(file, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new NeuriteException("Cannot read the neuron set " + file + ": " + e.getMessage(), e);
    } catch (JsonParseException e) {
      throw new NeuriteException(file + " is not valid JSON: " + e.getMessage(), e);
    }
    JsonElement kind = parsed.isJsonObject() ? parsed.getAsJsonObject().get("kind") : null;
    if (kind == null || !kind.isJsonPrimitive() || !KIND.equals(kind.getAsString())) {
      throw new NeuriteException(file + " is not a neuron-set file (no \"kind\": \"neuron-set\"); give a file that a"
          + " selection step wrote.");
    }
    JsonObject json = parsed.getAsJsonObject();
    List<NeuronSet.Member> members = new ArrayList<>();
    try {
      for (JsonElement e : json.getAsJsonArray("members")) {
        JsonObject m = e.getAsJsonObject();
        members.add(new NeuronSet.Member(new Unit(m.get("hook").getAsString(), index(m.get("index"))),
            m.get("score").getAsDouble(), m.get("group").getAsString()));
      }
      return new NeuronSet(json.get("name").getAsString(), json.get("statistic").getAsString(), members);
    } catch (RuntimeException e) {
      throw new NeuriteException(file + " is not a well-formed neuron set (" + e.getMessage() + "); each member needs"
          + " hook, index, score and group.", e);
    }
  }

  /** A unit's index: a whole number from 0, never a fraction silently truncated. */
  private static int index(JsonElement value) {
    double d = value.getAsDouble();
    if (d != Math.rint(d) || d < 0 || d > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("index " + value + " is not a whole number from 0");
    }
    return (int) d;
  }
}
