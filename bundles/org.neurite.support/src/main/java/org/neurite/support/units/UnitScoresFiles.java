package org.neurite.support.units;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.neurite.api.NeuriteException;
import org.neurite.api.analysis.UnitScores;
import org.neurite.api.model.TensorDtype;
import org.neurite.api.model.TensorEntry;
import org.neurite.support.safetensors.SafetensorsFile;
import org.neurite.support.safetensors.SafetensorsWriter;

/**
 * The file form of {@link UnitScores}: a safetensors file with one float32 vector per hook point and
 * group, named {@code hook/group}, and the statistic in the header's metadata. From Python:
 * {@code safetensors.numpy.load_file(path)["blocks.3.mlp.hook_post/fr"]}.
 */
public final class UnitScoresFiles {
  /** Metadata key naming what the file holds. */
  public static final String KIND_KEY = "neurite.kind";
  public static final String KIND = "unit-scores";
  public static final String STATISTIC_KEY = "neurite.statistic";

  private UnitScoresFiles() {}

  public static void write(UnitScores scores, Path file) throws IOException {
    SafetensorsWriter writer = new SafetensorsWriter().metadata(KIND_KEY, KIND).metadata(STATISTIC_KEY, scores.statistic());
    scores.scores().forEach((hook, byGroup) -> byGroup.forEach((group, values) -> {
      if (group.contains("/")) {
        throw new IllegalArgumentException("group '" + group + "' contains '/', which separates hook and group in the"
            + " tensor name");
      }
      writer.add(UnitScores.tensorName(hook, group), new long[] {values.length}, values);
    }));
    writer.write(file);
  }

  /**
   * Reads a file {@link #write} wrote.
   *
   * @throws NeuriteException if it is not a unit-scores file, naming what it holds instead
   */
  public static UnitScores read(Path file) {
    try (SafetensorsFile in = SafetensorsFile.open(file)) {
      String kind = in.metadata().get(KIND_KEY);
      if (!KIND.equals(kind)) {
        throw new NeuriteException(file + " is not a unit-scores file (its " + KIND_KEY + " is "
            + (kind == null ? "absent" : "'" + kind + "'") + "); give a file that a scoring step wrote.");
      }
      Map<String, Map<String, float[]>> scores = new LinkedHashMap<>();
      for (TensorEntry entry : in.entries().values()) {
        int slash = entry.name().lastIndexOf('/');
        if (slash <= 0 || entry.dtype() != TensorDtype.F32 || entry.shape().length != 1) {
          throw new NeuriteException(file + ": tensor '" + entry.name() + "' is not a float32 vector named hook/group.");
        }
        ByteBuffer bytes = in.map(entry.name());
        FloatBuffer floats = bytes.asFloatBuffer();
        float[] values = new float[floats.remaining()];
        floats.get(values);
        scores.computeIfAbsent(entry.name().substring(0, slash), h -> new LinkedHashMap<>())
            .put(entry.name().substring(slash + 1), values);
      }
      try {
        return new UnitScores(in.metadata().getOrDefault(STATISTIC_KEY, ""), scores);
      } catch (IllegalArgumentException e) {
        throw new NeuriteException(file + " is not a well-formed unit-scores file: " + e.getMessage()
            + "; give a file that a scoring step wrote.", e);
      }
    }
  }
}
