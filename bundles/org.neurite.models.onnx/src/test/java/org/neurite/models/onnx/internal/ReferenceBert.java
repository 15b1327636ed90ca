package org.neurite.models.onnx.internal;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.neurite.support.safetensors.SafetensorsFile;

/**
 * A plain-Java BertModel forward pass over an imported folder, written from the Hugging Face
 * definition (post-LayerNorm, exact GELU, no mask), in doubles: the test's independent reading of
 * config.json and model.safetensors, compared with ONNX Runtime on the original graph.
 */
final class ReferenceBert {
  private final Map<String, float[]> weights = new HashMap<>();
  private final int hidden;
  private final int layers;
  private final int heads;
  private final int intermediate;
  private final double eps;

  ReferenceBert(Path folder) throws IOException {
    JsonObject config = JsonParser.parseString(Files.readString(folder.resolve("config.json"))).getAsJsonObject();
    hidden = config.get("hidden_size").getAsInt();
    layers = config.get("num_hidden_layers").getAsInt();
    heads = config.get("num_attention_heads").getAsInt();
    intermediate = config.get("intermediate_size").getAsInt();
    eps = config.get("layer_norm_eps").getAsDouble();
    try (SafetensorsFile file = SafetensorsFile.open(folder.resolve("model.safetensors"))) {
      for (String name : file.entries().keySet()) {
        float[] values = new float[Math.toIntExact(file.entries().get(name).elements())];
        file.map(name).asFloatBuffer().get(values);
        weights.put(name, values);
      }
    }
  }

  /** The last hidden state [tokens][hidden] for one sequence, token type 0 throughout. */
  double[][] forward(long[] ids) {
    int n = ids.length;
    double[][] x = new double[n][hidden];
    float[] words = weights.get("embeddings.word_embeddings.weight");
    float[] positions = weights.get("embeddings.position_embeddings.weight");
    float[] types = weights.get("embeddings.token_type_embeddings.weight");
    for (int t = 0; t < n; t++) {
      for (int i = 0; i < hidden; i++) {
        x[t][i] = words[(int) ids[t] * hidden + i] + positions[t * hidden + i] + types[i];
      }
    }
    x = layerNorm(x, "embeddings.LayerNorm");
    for (int l = 0; l < layers; l++) {
      String p = "encoder.layer." + l + ".";
      double[][] q = linear(x, p + "attention.self.query");
      double[][] k = linear(x, p + "attention.self.key");
      double[][] v = linear(x, p + "attention.self.value");
      double[][] context = attention(q, k, v);
      double[][] attended = layerNorm(add(linear(context, p + "attention.output.dense"), x),
          p + "attention.output.LayerNorm");
      double[][] inner = linear(attended, p + "intermediate.dense");
      for (double[] row : inner) {
        for (int i = 0; i < row.length; i++) {
          row[i] = 0.5 * row[i] * (1 + erf(row[i] / Math.sqrt(2)));
        }
      }
      x = layerNorm(add(linear(inner, p + "output.dense"), attended), p + "output.LayerNorm");
    }
    return x;
  }

  private double[][] attention(double[][] q, double[][] k, double[][] v) {
    int n = q.length;
    int d = hidden / heads;
    double[][] out = new double[n][hidden];
    for (int h = 0; h < heads; h++) {
      for (int t = 0; t < n; t++) {
        double[] scores = new double[n];
        double max = Double.NEGATIVE_INFINITY;
        for (int s = 0; s < n; s++) {
          double dot = 0;
          for (int i = h * d; i < (h + 1) * d; i++) {
            dot += q[t][i] * k[s][i];
          }
          scores[s] = dot / Math.sqrt(d);
          max = Math.max(max, scores[s]);
        }
        double sum = 0;
        for (int s = 0; s < n; s++) {
          scores[s] = Math.exp(scores[s] - max);
          sum += scores[s];
        }
        for (int s = 0; s < n; s++) {
          for (int i = h * d; i < (h + 1) * d; i++) {
            out[t][i] += scores[s] / sum * v[s][i];
          }
        }
      }
    }
    return out;
  }

  /** y = x W^T + b with W in Hugging Face layout [out, in]. */
  private double[][] linear(double[][] x, String module) {
    float[] w = weights.get(module + ".weight");
    float[] b = weights.get(module + ".bias");
    int in = x[0].length;
    int out = b.length;
    if (w.length != in * out) {
      throw new IllegalStateException(module + ": weight has " + w.length + " values, not " + out + " x " + in);
    }
    double[][] y = new double[x.length][out];
    for (int t = 0; t < x.length; t++) {
      for (int o = 0; o < out; o++) {
        double acc = b[o];
        for (int i = 0; i < in; i++) {
          acc += x[t][i] * w[o * in + i];
        }
        y[t][o] = acc;
      }
    }
    return y;
  }

  private double[][] layerNorm(double[][] x, String module) {
    float[] gamma = weights.get(module + ".weight");
    float[] beta = weights.get(module + ".bias");
    double[][] y = new double[x.length][];
    for (int t = 0; t < x.length; t++) {
      double mean = 0;
      for (double value : x[t]) {
        mean += value;
      }
      mean /= x[t].length;
      double variance = 0;
      for (double value : x[t]) {
        variance += (value - mean) * (value - mean);
      }
      variance /= x[t].length;
      y[t] = new double[x[t].length];
      for (int i = 0; i < x[t].length; i++) {
        y[t][i] = (x[t][i] - mean) / Math.sqrt(variance + eps) * gamma[i] + beta[i];
      }
    }
    return y;
  }

  private static double[][] add(double[][] a, double[][] b) {
    double[][] y = new double[a.length][a[0].length];
    for (int t = 0; t < a.length; t++) {
      for (int i = 0; i < a[t].length; i++) {
        y[t][i] = a[t][i] + b[t][i];
      }
    }
    return y;
  }

  /** The error function, from its Maclaurin series for small arguments and its continued fraction beyond. */
  static double erf(double x) {
    double ax = Math.abs(x);
    double result;
    if (ax < 3) {
      double term = ax;
      double sum = ax;
      for (int n = 1; n < 200 && Math.abs(term) > 1e-17 * Math.abs(sum); n++) {
        term *= -ax * ax / n;
        sum += term / (2 * n + 1);
      }
      result = 2 / Math.sqrt(Math.PI) * sum;
    } else {
      // erfc(x) = exp(-x^2) / sqrt(pi) * 1 / (x + 1/2 / (x + 1 / (x + 3/2 / (x + ...))))
      double fraction = ax;
      for (int n = 60; n >= 1; n--) {
        fraction = ax + n / 2.0 / fraction;
      }
      result = 1 - Math.exp(-ax * ax) / Math.sqrt(Math.PI) / fraction;
    }
    return x < 0 ? -result : result;
  }
}
