package org.neurite.analysis.capture;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.neurite.api.NeuriteException;
import org.neurite.api.model.TensorDtype;
import org.neurite.api.model.TensorEntry;
import org.neurite.support.safetensors.SafetensorsFile;
import org.neurite.support.safetensors.SafetensorsWriter;

/**
 * Captured activations on disk: a manifest ({@code capture.json}) and safetensors shards beside
 * it. Each shard holds, for its rows, one float32 tensor [rows, units] per hook point (named by the
 * hook point) and three int64 vectors: {@code example} (the example's index in dataset order),
 * {@code position} (the token's index within the example, -1 for a pooled row) and {@code group}
 * (an index into the manifest's groups). From Python:
 * {@code safetensors.numpy.load_file("runs/3/capture/shard-00000.safetensors")["blocks.2.mlp.hook_post"]}.
 *
 * <p>This is what sparse dictionaries train on: {@link #read} walks the shards in order.
 */
public final class ActivationShards {
  /** The manifest's and the shards' {@code kind}. */
  public static final String KIND = "activations";
  public static final String EXAMPLE = "example";
  public static final String POSITION = "position";
  public static final String GROUP = "group";

  private ActivationShards() {}

  /** One shard's entry in the manifest. */
  public record ShardEntry(String file, int rows) {}

  /**
   * The manifest: hook points with their widths (in capture order), the groups, how rows were made,
   * and the shards in order.
   */
  public record Manifest(Map<String, Integer> hooks, List<String> groups, String positions, String pooling,
      long rows, List<ShardEntry> shards) {
    public Manifest {
      hooks = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(hooks));
      groups = List.copyOf(groups);
      shards = List.copyOf(shards);
    }
  }

  /** One shard read back: per hook point its rows (row-major, {@code rows * units}), and the row labels. */
  public record Shard(int rows, Map<String, float[]> values, long[] examples, long[] positions, long[] groups) {}

  /** The JSON of a manifest. */
  public static JsonObject toJson(Manifest manifest) {
    JsonObject json = new JsonObject();
    json.addProperty("kind", KIND);
    JsonObject hooks = new JsonObject();
    manifest.hooks().forEach(hooks::addProperty);
    json.add("hooks", hooks);
    JsonArray groups = new JsonArray();
    manifest.groups().forEach(groups::add);
    json.add("groups", groups);
    json.addProperty("positions", manifest.positions());
    json.addProperty("pooling", manifest.pooling());
    json.addProperty("rows", manifest.rows());
    JsonArray shards = new JsonArray();
    for (ShardEntry s : manifest.shards()) {
      JsonObject entry = new JsonObject();
      entry.addProperty("file", s.file());
      entry.addProperty("rows", s.rows());
      shards.add(entry);
    }
    json.add("shards", shards);
    return json;
  }

  /**
   * Reads a manifest.
   *
   * @throws NeuriteException if it is not a capture manifest, naming the file
   */
  public static Manifest manifest(Path file) {
    try {
      JsonObject json = JsonParser.parseString(Files.readString(file)).getAsJsonObject();
      if (!json.has("kind") || !KIND.equals(json.get("kind").getAsString())) {
        throw new NeuriteException(file + " is not a capture manifest (its kind is "
            + (json.has("kind") ? "'" + json.get("kind").getAsString() + "'" : "absent")
            + "); give the capture.json a capture step wrote.");
      }
      Map<String, Integer> hooks = new LinkedHashMap<>();
      json.getAsJsonObject("hooks").entrySet().forEach(e -> hooks.put(e.getKey(), e.getValue().getAsInt()));
      List<String> groups = new ArrayList<>();
      json.getAsJsonArray("groups").forEach(g -> groups.add(g.getAsString()));
      List<ShardEntry> shards = new ArrayList<>();
      for (JsonElement e : json.getAsJsonArray("shards")) {
        JsonObject s = e.getAsJsonObject();
        shards.add(new ShardEntry(s.get("file").getAsString(), s.get("rows").getAsInt()));
      }
      return new Manifest(hooks, groups, json.get("positions").getAsString(), json.get("pooling").getAsString(),
          json.get("rows").getAsLong(), shards);
    } catch (IOException | RuntimeException e) {
      if (e instanceof NeuriteException n) {
        throw n;
      }
      throw new NeuriteException("Cannot read the capture manifest " + file + ": " + e.getMessage(), e);
    }
  }

  /** Writes one shard. {@code values} per hook point: {@code rows * units} floats, row-major. */
  public static void writeShard(Path file, Map<String, Integer> hooks, int rows, Map<String, float[]> values,
      long[] examples, long[] positions, long[] groups) throws IOException {
    SafetensorsWriter writer = new SafetensorsWriter().metadata("neurite.kind", KIND);
    hooks.forEach((hook, units) -> writer.add(hook, new long[] {rows, units}, values.get(hook)));
    writer.add(EXAMPLE, new long[] {rows}, examples).add(POSITION, new long[] {rows}, positions)
        .add(GROUP, new long[] {rows}, groups);
    writer.write(file);
  }

  /** Reads a shard the manifest in {@code manifestFile} lists. */
  public static Shard read(Path manifestFile, Manifest manifest, ShardEntry entry) {
    Path file = manifestFile.resolveSibling(entry.file());
    try (SafetensorsFile in = SafetensorsFile.open(file)) {
      Map<String, float[]> values = new LinkedHashMap<>();
      for (Map.Entry<String, Integer> hook : manifest.hooks().entrySet()) {
        values.put(hook.getKey(), floats(in, hook.getKey(), (long) entry.rows() * hook.getValue()));
      }
      return new Shard(entry.rows(), values, longs(in, EXAMPLE, entry.rows()), longs(in, POSITION, entry.rows()),
          longs(in, GROUP, entry.rows()));
    }
  }

  private static float[] floats(SafetensorsFile in, String name, long count) {
    ByteBuffer bytes = tensor(in, name, TensorDtype.F32, count);
    float[] out = new float[(int) count];
    bytes.asFloatBuffer().get(out);
    return out;
  }

  private static long[] longs(SafetensorsFile in, String name, int count) {
    ByteBuffer bytes = tensor(in, name, TensorDtype.I64, count);
    long[] out = new long[count];
    bytes.asLongBuffer().get(out);
    return out;
  }

  private static ByteBuffer tensor(SafetensorsFile in, String name, TensorDtype dtype, long count) {
    TensorEntry entry = in.entry(name).orElseThrow(() -> new NeuriteException(in.path() + " has no tensor '" + name
        + "' (a capture shard has one per hook point and example, position, group)."));
    long elements = 1;
    for (long d : entry.shape()) {
      elements *= d;
    }
    if (entry.dtype() != dtype || elements != count) {
      throw new NeuriteException(in.path() + ": tensor '" + name + "' is " + entry.dtype() + " of " + elements
          + " values; the manifest says " + dtype + " of " + count + ".");
    }
    return in.map(name).order(ByteOrder.LITTLE_ENDIAN);
  }
}
