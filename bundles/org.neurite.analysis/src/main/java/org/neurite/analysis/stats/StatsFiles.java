package org.neurite.analysis.stats;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.neurite.api.NeuriteException;
import org.neurite.api.model.TensorDtype;
import org.neurite.api.model.TensorEntry;
import org.neurite.support.safetensors.SafetensorsFile;
import org.neurite.support.safetensors.SafetensorsWriter;

/**
 * Writes and reads {@link UnitStats} snapshots as one safetensors file: a JSON header in the
 * {@code __metadata__} entry {@value #HEADER} (format, site, units, groups, rows, options) and
 * the arrays as tensors that numpy or PyTorch open directly: {@code count} I64 {@code [G]};
 * {@code mean}, {@code m2}, {@code sum_abs}, {@code min}, {@code max} F64 {@code [G, U]};
 * {@code active} I64 {@code [G, U]}; when computed, {@code sketch} I64 {@code [G, U, bins]},
 * {@code topk} I64 {@code [G, U]}, {@code row_magnitudes_f64} F64 {@code [G, 4]} (sum ratio, max
 * ratio, sum max|x|, max|x|) and {@code row_magnitudes_i64} I64 {@code [G, 6]} (rows, ratio rows,
 * max-ratio row, its unit, max|x| row, its unit).
 */
public final class StatsFiles {
  /** The metadata key of the JSON header. */
  public static final String HEADER = "neurite.stats";
  /** The {@code kind} of the manifest {@code stats.units} writes beside its snapshots. */
  public static final String MANIFEST_KIND = "unit-stats";
  private static final int FORMAT = 1;

  private StatsFiles() {}

  /** Writes a snapshot, replacing any file at {@code file}. */
  public static void write(UnitStats stats, Path file) throws IOException {
    int g = stats.groups().size();
    int u = stats.units();
    SafetensorsWriter writer = new SafetensorsWriter().metadata(HEADER, header(stats).toString());
    writer.add("count", new long[] {g}, stats.counts());
    writer.add("mean", new long[] {g, u}, perGroup(stats, stats::mean));
    writer.add("m2", new long[] {g, u}, perGroup(stats, stats::m2));
    writer.add("sum_abs", new long[] {g, u}, perGroup(stats, stats::sumAbs));
    writer.add("min", new long[] {g, u}, perGroup(stats, stats::min));
    writer.add("max", new long[] {g, u}, perGroup(stats, stats::max));
    writer.add("active", new long[] {g, u}, perGroupLong(stats, stats::activeCount));
    if (stats.options().sketch().isPresent()) {
      int bins = stats.options().sketch().get().bins();
      long[] counts = new long[g * u * bins];
      for (int i = 0; i < g; i++) {
        for (int unit = 0; unit < u; unit++) {
          System.arraycopy(stats.sketchCounts(i, unit), 0, counts, (i * u + unit) * bins, bins);
        }
      }
      writer.add("sketch", new long[] {g, u, bins}, counts);
    }
    if (stats.options().topK() > 0) {
      writer.add("topk", new long[] {g, u}, perGroupLong(stats, stats::topKCounts));
    }
    if (stats.options().rowMagnitudes()) {
      double[] real = new double[g * 4];
      long[] whole = new long[g * 6];
      for (int i = 0; i < g; i++) {
        RowMagnitudes m = stats.rowMagnitudes(i);
        System.arraycopy(new double[] {m.sumRatio(), m.maxRatio(), m.sumMaxAbs(), m.maxAbs()}, 0, real, i * 4, 4);
        System.arraycopy(new long[] {m.rows(), m.ratioRows(), m.maxRatioRow(), m.maxRatioUnit(), m.maxAbsRow(),
            m.maxAbsUnit()}, 0, whole, i * 6, 6);
      }
      writer.add("row_magnitudes_f64", new long[] {g, 4}, real);
      writer.add("row_magnitudes_i64", new long[] {g, 6}, whole);
    }
    writer.write(file);
  }

  /**
   * Reads every snapshot a {@code stats.units} manifest ({@code stats.json}) lists, by hook point in
   * its order: what a method plugin takes as its input instead of looping over a dataset itself.
   *
   * @param where who is reading, for the message (e.g. {@code "Step lape"})
   * @throws NeuriteException if the file is not such a manifest or a snapshot cannot be read
   */
  public static Map<String, UnitStats> readManifest(Path manifest, String where) {
    JsonObject json;
    try {
      json = JsonParser.parseString(Files.readString(manifest, StandardCharsets.UTF_8)).getAsJsonObject();
    } catch (IOException | RuntimeException e) {
      throw new NeuriteException(where + ": " + manifest + " is not a statistics manifest of stats.units ("
          + e.getMessage() + "); bind the input to a stats.units step's stats output.", e);
    }
    if (!json.has("kind") || !MANIFEST_KIND.equals(json.get("kind").getAsString())) {
      throw new NeuriteException(where + ": " + manifest + " is not a statistics manifest of stats.units (no \"kind\": \""
          + MANIFEST_KIND + "\"); bind the input to a stats.units step's stats output.");
    }
    Map<String, UnitStats> out = new LinkedHashMap<>();
    for (JsonElement e : json.getAsJsonArray("files")) {
      JsonObject entry = e.getAsJsonObject();
      out.put(entry.get("hook").getAsString(), read(manifest.resolveSibling(entry.get("file").getAsString())));
    }
    return out;
  }

  /**
   * Reads a snapshot written by {@link #write}.
   *
   * @throws NeuriteException if the file is missing, not a statistics file, or inconsistent
   */
  public static UnitStats read(Path file) {
    try (SafetensorsFile in = SafetensorsFile.open(file)) {
      String text = in.metadata().get(HEADER);
      if (text == null) {
        throw new NeuriteException("The file " + file + " is not a Neurite statistics file: its safetensors"
            + " metadata has no '" + HEADER + "' entry. Write it with StatsFiles.write.");
      }
      JsonObject header;
      StatsOptions options;
      try {
        header = JsonParser.parseString(text).getAsJsonObject();
        options = options(header.getAsJsonObject("options"));
      } catch (JsonParseException | IllegalStateException | NullPointerException | ClassCastException
          | NumberFormatException e) {
        throw new NeuriteException("The statistics header of " + file + " is malformed (" + e.getMessage()
            + "); write the file again with StatsFiles.write.", e);
      }
      int format = header.get("format").getAsInt();
      if (format != FORMAT) {
        throw new NeuriteException("The statistics file " + file + " has format " + format + "; this Neurite reads"
            + " format " + FORMAT + ". Recompute the statistics with this version.");
      }
      String site = header.get("site").getAsString();
      int u = header.get("units").getAsInt();
      List<String> groups = new ArrayList<>();
      header.getAsJsonArray("groups").forEach(e -> groups.add(e.getAsString()));
      long rows = header.get("rows").getAsLong();
      int g = groups.size();
      long[] gu = {g, u};
      List<RowMagnitudes> magnitudes = null;
      if (options.rowMagnitudes()) {
        double[] real = doubles(in, "row_magnitudes_f64", new long[] {g, 4});
        long[] whole = longs(in, "row_magnitudes_i64", new long[] {g, 6});
        magnitudes = new ArrayList<>();
        for (int i = 0; i < g; i++) {
          magnitudes.add(new RowMagnitudes(whole[i * 6], whole[i * 6 + 1], real[i * 4], real[i * 4 + 1],
              whole[i * 6 + 2], (int) whole[i * 6 + 3], real[i * 4 + 2], real[i * 4 + 3], whole[i * 6 + 4],
              (int) whole[i * 6 + 5]));
        }
      }
      return new UnitStats(site, groups, u, options, rows, longs(in, "count", new long[] {g}),
          doubles(in, "mean", gu), doubles(in, "m2", gu), longs(in, "active", gu), doubles(in, "sum_abs", gu),
          doubles(in, "min", gu), doubles(in, "max", gu),
          options.sketch().isPresent() ? longs(in, "sketch", new long[] {g, u, options.sketch().get().bins()}) : null,
          options.topK() > 0 ? longs(in, "topk", gu) : null, magnitudes);
    }
  }

  private static JsonObject header(UnitStats stats) {
    JsonObject header = new JsonObject();
    header.addProperty("format", FORMAT);
    header.addProperty("site", stats.site());
    header.addProperty("units", stats.units());
    JsonArray groups = new JsonArray();
    stats.groups().forEach(groups::add);
    header.add("groups", groups);
    header.addProperty("rows", stats.rows());
    JsonObject options = new JsonObject();
    StatsOptions o = stats.options();
    // as text: the threshold may be infinite, which JSON numbers cannot say
    options.addProperty("activeAbove", Double.toString(o.activeAbove()));
    options.addProperty("rowMagnitudes", o.rowMagnitudes());
    o.sketch().ifPresent(layout -> {
      JsonObject sketch = new JsonObject();
      sketch.addProperty("minExponent", layout.minExponent());
      sketch.addProperty("maxExponent", layout.maxExponent());
      sketch.addProperty("subBinBits", layout.subBinBits());
      options.add("sketch", sketch);
    });
    options.addProperty("topK", o.topK());
    options.addProperty("topKRanking", o.topKRanking().name());
    header.add("options", options);
    return header;
  }

  private static StatsOptions options(JsonObject json) {
    JsonElement sketch = json.get("sketch");
    Optional<SketchLayout> layout = sketch == null ? Optional.empty()
        : Optional.of(new SketchLayout(sketch.getAsJsonObject().get("minExponent").getAsInt(),
            sketch.getAsJsonObject().get("maxExponent").getAsInt(),
            sketch.getAsJsonObject().get("subBinBits").getAsInt()));
    return new StatsOptions(Double.parseDouble(json.get("activeAbove").getAsString()),
        json.get("rowMagnitudes").getAsBoolean(), layout, json.get("topK").getAsInt(),
        TopKRanking.valueOf(json.get("topKRanking").getAsString()));
  }

  private interface GroupArray<T> {
    T of(int group);
  }

  private static double[] perGroup(UnitStats stats, GroupArray<double[]> array) {
    int u = stats.units();
    double[] flat = new double[stats.groups().size() * u];
    for (int g = 0; g < stats.groups().size(); g++) {
      System.arraycopy(array.of(g), 0, flat, g * u, u);
    }
    return flat;
  }

  private static long[] perGroupLong(UnitStats stats, GroupArray<long[]> array) {
    int u = stats.units();
    long[] flat = new long[stats.groups().size() * u];
    for (int g = 0; g < stats.groups().size(); g++) {
      System.arraycopy(array.of(g), 0, flat, g * u, u);
    }
    return flat;
  }

  private static ByteBuffer tensor(SafetensorsFile in, String name, TensorDtype dtype, long[] shape) {
    TensorEntry entry = in.entry(name).orElseThrow(() -> new NeuriteException("The statistics file " + in.path()
        + " has no tensor '" + name + "'; write the file again with StatsFiles.write."));
    if (entry.dtype() != dtype || !Arrays.equals(entry.shape(), shape)) {
      throw new NeuriteException("Tensor '" + name + "' in the statistics file " + in.path() + " is "
          + entry.dtype() + " " + entry.shapeText() + "; its header calls for " + dtype + " "
          + Arrays.toString(shape) + ". Write the file again with StatsFiles.write.");
    }
    return in.map(name);
  }

  private static double[] doubles(SafetensorsFile in, String name, long[] shape) {
    ByteBuffer bytes = tensor(in, name, TensorDtype.F64, shape);
    double[] values = new double[bytes.remaining() / 8];
    bytes.asDoubleBuffer().get(values);
    return values;
  }

  private static long[] longs(SafetensorsFile in, String name, long[] shape) {
    ByteBuffer bytes = tensor(in, name, TensorDtype.I64, shape);
    long[] values = new long[bytes.remaining() / 8];
    bytes.asLongBuffer().get(values);
    return values;
  }

  /** Writes a snapshot, turning an I/O failure into an unchecked one (for use in streams). */
  public static void writeUnchecked(UnitStats stats, Path file) {
    try {
      write(stats, file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
