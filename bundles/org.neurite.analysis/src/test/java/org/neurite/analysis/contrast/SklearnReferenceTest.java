package org.neurite.analysis.contrast;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.neurite.analysis.TestBackend;

/**
 * AP, AUROC and LAPE's entropy against values scikit-learn 1.2 and numpy computed
 * ({@code make_sklearn_reference.py} beside {@code sklearn_reference.json} in the test resources;
 * the build only reads the JSON).
 */
class SklearnReferenceTest {
  private static JsonObject reference() throws IOException {
    try (InputStream in = SklearnReferenceTest.class.getResourceAsStream("sklearn_reference.json")) {
      return JsonParser.parseString(new String(in.readAllBytes(), StandardCharsets.UTF_8)).getAsJsonObject();
    }
  }

  private static double[] doubles(JsonArray array) {
    double[] values = new double[array.size()];
    for (int i = 0; i < values.length; i++) {
      values[i] = array.get(i).getAsDouble();
    }
    return values;
  }

  @Test
  void averagePrecisionAndAurocMatchScikitLearn() throws IOException {
    JsonObject ref = reference();
    JsonArray labelArray = ref.getAsJsonArray("labels");
    boolean[] labels = new boolean[labelArray.size()];
    for (int i = 0; i < labels.length; i++) {
      labels[i] = labelArray.get(i).getAsBoolean();
    }
    JsonArray rows = ref.getAsJsonArray("values");
    int units = rows.get(0).getAsJsonArray().size();
    double[] flat = new double[labels.length * units];
    for (int i = 0; i < labels.length; i++) {
      System.arraycopy(doubles(rows.get(i).getAsJsonArray()), 0, flat, i * units, units);
    }
    double[] ap = doubles(ref.getAsJsonArray("average_precision"));
    double[] auc = doubles(ref.getAsJsonArray("roc_auc"));
    try (TestBackend backend = new TestBackend(); NDManager scope = backend.newScope("cpu")) {
      var values = scope.create(flat, new Shape(labels.length, units));
      double[] ours = UnitRanking.averagePrecision(values, labels);
      double[] oursAuc = UnitRanking.auroc(values, labels);
      for (int u = 0; u < units; u++) {
        assertEquals(ap[u], ours[u], 1e-12, "AP of unit " + u + " (" + ref.get("generator").getAsString() + ")");
        assertEquals(auc[u], oursAuc[u], 1e-12, "AUROC of unit " + u);
      }
    }
  }

  @Test
  void lapeEntropyMatchesNumpy() throws IOException {
    JsonObject ref = reference();
    JsonArray groups = ref.getAsJsonArray("probabilities");
    double[][] p = new double[groups.size()][];
    for (int g = 0; g < p.length; g++) {
      p[g] = doubles(groups.get(g).getAsJsonArray());
    }
    double[] expected = doubles(ref.getAsJsonArray("lape_entropy"));
    double[] h = GroupEntropy.lape(p);
    for (int u = 0; u < expected.length; u++) {
      assertEquals(expected[u], h[u], 1e-14, "entropy of unit " + u);
    }
    assertEquals(0, h[expected.length - 1], "a never-active unit has entropy 0, as LAPE's code gives");
  }
}
