package org.neurite.models.onnx.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.neurite.api.NeuriteException;

/**
 * The weights of an ONNX BERT encoder under their Hugging Face BertModel names, in checkpoint order
 * (embeddings, then each layer, then the pooler if the graph has one), with the model's sizes.
 * Biases, embeddings and LayerNorm parameters are initializers that keep their names (any prefix
 * such as {@code bert.} is dropped); dense matrices are found through the nodes that apply them
 * ({@link LinearWeights}).
 *
 * @param dimensions the sizes, for config.json
 * @param tensors every checkpoint tensor and its source
 * @param ignored the initializers left out, with the reason for each
 */
record BertWeights(BertDimensions dimensions, List<MappedTensor> tensors, List<String> ignored) {
  private static final Pattern LAYER = Pattern.compile("^encoder\\.layer\\.(\\d+)\\.");
  private static final String[] LAYER_LINEARS = {"attention.self.query", "attention.self.key", "attention.self.value",
      "attention.output.dense", "intermediate.dense", "output.dense"};
  private static final String[] LAYER_NORMS = {"attention.output.LayerNorm", "output.LayerNorm"};

  BertWeights {
    tensors = List.copyOf(tensors);
    ignored = List.copyOf(ignored);
  }

  /**
   * Maps a model's initializers to BertModel names and checks every shape.
   *
   * @throws NeuriteException if a tensor is missing, misshapen, named twice, or the graph holds
   *     weights that BertModel does not have
   */
  static BertWeights of(OnnxModel model) {
    Map<String, OnnxTensor> named = namedInitializers(model);
    Map<String, LinearWeights.Linear> linears = LinearWeights.find(model);
    Set<Integer> layerIndices = new TreeSet<>();
    for (String name : named.keySet()) {
      layerIndex(name).ifPresent(layerIndices::add);
    }
    for (String module : linears.keySet()) {
      layerIndex(module + ".").ifPresent(layerIndices::add);
    }
    if (layerIndices.isEmpty() || !named.containsKey("embeddings.word_embeddings.weight")) {
      throw new NeuriteException("The ONNX file " + model.source() + " is not a BERT encoder export: it has no"
          + (layerIndices.isEmpty() ? " initializers named encoder.layer.N.*" : " embeddings.word_embeddings.weight")
          + " (its first initializers are " + model.initializers().keySet().stream().limit(5).toList() + ")."
          + " Import an encoder exported from a Hugging Face BertModel (e.g. a sentence-transformers model).");
    }
    int layers = layerIndices.stream().mapToInt(Integer::intValue).max().getAsInt() + 1;
    Builder b = new Builder(model, named, linears);
    OnnxTensor words = b.named("embeddings.word_embeddings.weight", -1, -1);
    long vocab = words.dims()[0];
    long hidden = words.dims()[1];
    OnnxTensor positions = b.named("embeddings.position_embeddings.weight", -1, hidden);
    OnnxTensor types = b.named("embeddings.token_type_embeddings.weight", -1, hidden);
    b.named("embeddings.LayerNorm.weight", hidden);
    b.named("embeddings.LayerNorm.bias", hidden);
    long intermediate = -1;
    List<OnnxNode> projections = new ArrayList<>();
    for (int layer = 0; layer < layers; layer++) {
      String prefix = "encoder.layer." + layer + ".";
      for (String linear : LAYER_LINEARS) {
        long out = linear.equals("intermediate.dense") ? intermediate : hidden;
        long in = linear.equals("output.dense") ? intermediate : hidden;
        LinearWeights.Linear l = b.linear(prefix + linear, out, in);
        if (linear.equals("intermediate.dense")) {
          intermediate = l.inOut() ? l.weight().dims()[1] : l.weight().dims()[0];
        }
        if (linear.startsWith("attention.self.")) {
          projections.add(l.node());
        }
        b.named(prefix + linear + ".bias", l.inOut() ? l.weight().dims()[1] : l.weight().dims()[0]);
      }
      for (String norm : LAYER_NORMS) {
        b.named(prefix + norm + ".weight", hidden);
        b.named(prefix + norm + ".bias", hidden);
      }
    }
    if (linears.containsKey("pooler.dense")) {
      b.linear("pooler.dense", hidden, hidden);
      b.named("pooler.dense.bias", hidden);
    }
    List<String> ignored = b.leftOver();
    int heads = AttentionHeads.find(model, hidden, projections);
    BertDimensions dimensions = new BertDimensions(Math.toIntExact(hidden), layers, heads,
        Math.toIntExact(intermediate), Math.toIntExact(vocab), Math.toIntExact(positions.dims()[0]),
        Math.toIntExact(types.dims()[0]));
    return new BertWeights(dimensions, b.tensors, ignored);
  }

  /** The initializers whose names, without prefix, are BertModel names. */
  private static Map<String, OnnxTensor> namedInitializers(OnnxModel model) {
    Map<String, OnnxTensor> named = new LinkedHashMap<>();
    for (OnnxTensor t : model.initializers().values()) {
      HfNames.stripPrefix(t.name()).ifPresent(hf -> {
        OnnxTensor previous = named.putIfAbsent(hf, t);
        if (previous != null) {
          throw new NeuriteException("The ONNX file " + model.source() + " has two initializers for " + hf + ": '"
              + previous.name() + "' and '" + t.name() + "'. Export one model per file.");
        }
      });
    }
    return named;
  }

  private static Optional<Integer> layerIndex(String name) {
    Matcher m = LAYER.matcher(name);
    return m.find() ? Optional.of(Integer.parseInt(m.group(1))) : Optional.empty();
  }

  /** Collects the mapped tensors, checking each one's shape. */
  private static final class Builder {
    private final OnnxModel model;
    private final Map<String, OnnxTensor> named;
    private final Map<String, LinearWeights.Linear> linears;
    private final List<MappedTensor> tensors = new ArrayList<>();
    private final Set<String> used = new HashSet<>();

    Builder(OnnxModel model, Map<String, OnnxTensor> named, Map<String, LinearWeights.Linear> linears) {
      this.model = model;
      this.named = named;
      this.linears = linears;
    }

    /** A tensor copied as is; a negative expected size accepts any. */
    OnnxTensor named(String name, long... expected) {
      OnnxTensor t = named.get(name);
      if (t == null) {
        throw new NeuriteException("The ONNX file " + model.source() + " has no initializer for " + name
            + " (looked for that name, with or without a prefix such as 'bert.'). It is not a complete export of"
            + " a BERT encoder; export the whole BertModel with its original parameter names.");
      }
      checkShape(name, t, t.dims(), expected);
      add(new MappedTensor(name, t, false));
      return t;
    }

    /** A linear module's weight, [out, in] in Hugging Face layout; a negative expected size accepts any. */
    LinearWeights.Linear linear(String module, long out, long in) {
      LinearWeights.Linear l = linears.get(module);
      if (l == null) {
        throw new NeuriteException("The ONNX file " + model.source() + " has no MatMul or Gemm node for " + module
            + " (looked for a node named like /" + module.replace('.', '/') + "/MatMul whose second input is a"
            + " weight initializer). Export the model with torch.onnx.export or Hugging Face Optimum, without"
            + " optimizations that fuse or rename the attention and feed-forward layers.");
      }
      MappedTensor mapped = new MappedTensor(module + ".weight", l.weight(), l.inOut());
      checkShape(mapped.name(), l.weight(), mapped.shape(), out, in);
      add(mapped);
      return l;
    }

    private void add(MappedTensor mapped) {
      mapped.source().float32Bytes();
      tensors.add(mapped);
      used.add(mapped.source().name());
    }

    private void checkShape(String name, OnnxTensor source, long[] actual, long... expected) {
      boolean ok = actual.length == expected.length;
      for (int i = 0; ok && i < expected.length; i++) {
        ok = expected[i] < 0 || actual[i] == expected[i];
      }
      if (!ok) {
        String wanted = Arrays.stream(expected).mapToObj(d -> d < 0 ? "any" : Long.toString(d))
            .collect(Collectors.joining(", ", "[", "]"));
        throw new NeuriteException("The ONNX file " + model.source() + " gives " + name + " (tensor '"
            + source.name() + "') the shape " + Arrays.toString(actual) + ", where a BERT encoder has " + wanted
            + ". The file is not a plain BERT encoder; import a BertModel export.");
      }
    }

    /**
     * The initializers not mapped, with the reason each is safe to leave out.
     *
     * @throws NeuriteException if a floating-point weight is left over: the graph computes something
     *     BertModel does not
     */
    List<String> leftOver() {
      List<String> ignored = new ArrayList<>();
      List<String> weights = new ArrayList<>();
      for (OnnxTensor t : model.initializers().values()) {
        if (used.contains(t.name())) {
          continue;
        }
        OnnxDataType type = t.dataType();
        boolean floating = type == OnnxDataType.FLOAT || type == OnnxDataType.FLOAT16 || type == OnnxDataType.DOUBLE
            || type == OnnxDataType.BFLOAT16;
        if (floating && t.elements() > 1) {
          weights.add("'" + t.name() + "' " + t.shapeText());
        } else {
          ignored.add(t.name() + " " + (type == null ? "type " + t.typeCode() : type.name()) + " " + t.shapeText()
              + (floating ? ": a scalar constant of the graph"
                  : ": integer data (an index or shape constant), not a weight"));
        }
      }
      if (!weights.isEmpty()) {
        throw new NeuriteException("The ONNX file " + model.source() + " holds weights that a Hugging Face BertModel"
            + " does not have: " + String.join(", ", weights) + ". Neurite imports plain BERT encoders (the"
            + " BertModel of sentence-transformers and similar); export the model without task heads or extra layers.");
      }
      return ignored;
    }
  }
}
