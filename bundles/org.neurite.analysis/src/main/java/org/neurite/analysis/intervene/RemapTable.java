package org.neurite.analysis.intervene;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.neurite.api.NeuriteException;

/**
 * The statistics the Neuron Adjust remap reads, per hook point and for every unit (a random control
 * remaps other units with their own statistics): the forget and retain means and the code's "std"
 * field, which holds a variance ({@code Σx²/n − (Σx/n)²}). Written as {@code remap.json}:
 * {@code {"kind":"remap-table","hooks":{"blocks.0.mlp.hook_pre":{"mu_forget":[..],"var_forget":[..],
 * "mu_retain":[..],"var_retain":[..]}}}}.
 */
public record RemapTable(Map<String, Site> hooks) {
  /** The kind written in the file. */
  public static final String KIND = "remap-table";

  /** One hook point's statistics, one entry per unit. */
  public record Site(double[] muForget, double[] varForget, double[] muRetain, double[] varRetain) {
    public Site {
      int n = muForget.length;
      if (varForget.length != n || muRetain.length != n || varRetain.length != n) {
        throw new IllegalArgumentException("remap statistics of unequal widths");
      }
    }

    /**
     * The σ_f and σ_r of the remap, per unit. Faithful to the authors' code: σ_r is the "std"
     * field as it is (a variance) and σ_f is the forget mean. Otherwise (the paper's intent):
     * the square roots of the variances.
     */
    public double[][] sigmas(boolean faithfulToCode) {
      int n = muForget.length;
      double[] sF = new double[n];
      double[] sR = new double[n];
      for (int u = 0; u < n; u++) {
        sF[u] = faithfulToCode ? muForget[u] : Math.sqrt(varForget[u]);
        sR[u] = faithfulToCode ? varRetain[u] : Math.sqrt(varRetain[u]);
      }
      return new double[][] {sF, sR};
    }
  }

  public RemapTable {
    hooks = Map.copyOf(new LinkedHashMap<>(hooks));
  }

  /** The statistics of one hook point. */
  public Site site(String hook, String where) {
    Site site = hooks.get(hook);
    if (site == null) {
      throw new NeuriteException(where + ": the remap table has no statistics for " + hook + " (it has "
          + new java.util.TreeSet<>(hooks.keySet()) + "); remap the units of the neuron set the table came with.");
    }
    return site;
  }

  /** Writes the table as JSON. */
  public void write(Path file) throws IOException {
    JsonObject json = new JsonObject();
    json.addProperty("kind", KIND);
    json.addProperty("note", "var_* is the authors' \"std\" field: sum(x^2)/n - (sum(x)/n)^2, a variance");
    JsonObject byHook = new JsonObject();
    Gson gson = new Gson();
    new java.util.TreeMap<>(hooks).forEach((hook, s) -> {
      JsonObject o = new JsonObject();
      o.add("mu_forget", gson.toJsonTree(s.muForget()));
      o.add("var_forget", gson.toJsonTree(s.varForget()));
      o.add("mu_retain", gson.toJsonTree(s.muRetain()));
      o.add("var_retain", gson.toJsonTree(s.varRetain()));
      byHook.add(hook, o);
    });
    json.add("hooks", byHook);
    Files.writeString(file, new GsonBuilder().create().toJson(json) + "\n", StandardCharsets.UTF_8);
  }

  /**
   * Reads a table written by {@link #write}.
   *
   * @param where the step and parameter, for messages
   */
  public static RemapTable read(Path file, String where) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new NeuriteException(where + ": the remap table " + file + " does not exist; give the table output of a"
          + " neurons.neuron_adjust step.");
    } catch (IOException e) {
      throw new NeuriteException(where + ": cannot read the remap table " + file + ": " + e.getMessage());
    }
    try {
      JsonObject json = JsonParser.parseString(text).getAsJsonObject();
      if (!json.has("kind") || !KIND.equals(json.get("kind").getAsString())) {
        throw new NeuriteException(where + ": " + file + " is not a remap table (no \"kind\": \"" + KIND + "\"); give"
            + " the table output of a neurons.neuron_adjust step.");
      }
      Map<String, Site> hooks = new LinkedHashMap<>();
      for (Map.Entry<String, JsonElement> e : json.getAsJsonObject("hooks").entrySet()) {
        JsonObject o = e.getValue().getAsJsonObject();
        hooks.put(e.getKey(), new Site(doubles(o.getAsJsonArray("mu_forget")), doubles(o.getAsJsonArray("var_forget")),
            doubles(o.getAsJsonArray("mu_retain")), doubles(o.getAsJsonArray("var_retain"))));
      }
      return new RemapTable(hooks);
    } catch (NeuriteException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new NeuriteException(where + ": the remap table " + file + " is malformed (" + e.getMessage() + "); write it"
          + " again with neurons.neuron_adjust.");
    }
  }

  private static double[] doubles(JsonArray a) {
    double[] out = new double[a.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = a.get(i).getAsDouble();
    }
    return out;
  }
}
