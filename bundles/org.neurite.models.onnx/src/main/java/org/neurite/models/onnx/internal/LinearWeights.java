package org.neurite.models.onnx.internal;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.neurite.api.NeuriteException;

/**
 * Finds the weight matrix of each linear module (query, key, value, dense) through the node that
 * applies it. PyTorch exports {@code nn.Linear} as {@code MatMul(x, W)} with W an anonymous
 * initializer ({@code onnx::MatMul_787}) already transposed to [in, out]; the node's name
 * ({@code /encoder/layer.0/attention/self/query/MatMul}) tells the module. Also read: a MatMul whose
 * weight passes through a Transpose node, a {@code Gemm} (honouring {@code transB}), and weights
 * whose initializer keeps the module's name ({@code ...query.weight}).
 */
final class LinearWeights {
  /**
   * One linear module's weight.
   *
   * @param module the module inside BertModel, e.g. {@code encoder.layer.0.attention.self.query}
   * @param node the MatMul or Gemm node that applies it
   * @param weight the initializer
   * @param inOut whether the initializer is laid out [in, out] and must be transposed for Hugging Face
   */
  record Linear(String module, OnnxNode node, OnnxTensor weight, boolean inOut) {}

  private LinearWeights() {}

  /**
   * The linear modules found, by module name, in graph order.
   *
   * @throws NeuriteException if two nodes claim the same module with different weights, or the graph
   *     multiplies by weight matrices none of which can be tied to a module
   */
  static Map<String, Linear> find(OnnxModel model) {
    Map<String, Linear> found = new LinkedHashMap<>();
    int anonymous = 0;
    String example = null;
    for (OnnxNode node : model.nodes()) {
      Optional<Linear> linear = linear(model, node);
      if (linear.isEmpty()) {
        continue;
      }
      Linear l = linear.get();
      if (l.module().isEmpty()) {
        anonymous++;
        example = example != null ? example : node.label() + " (weight '" + l.weight().name() + "')";
        continue;
      }
      Linear previous = found.putIfAbsent(l.module(), l);
      if (previous != null && !previous.weight().name().equals(l.weight().name())) {
        throw new NeuriteException("The ONNX file " + model.source() + " has two nodes for the module " + l.module()
            + ": " + previous.node().label() + " (weight '" + previous.weight().name() + "') and " + node.label()
            + " (weight '" + l.weight().name() + "'). Neurite imports plain BERT encoders, one MatMul per"
            + " linear layer; export the model without graph rewrites or fusions.");
      }
    }
    if (found.isEmpty() && anonymous > 0) {
      throw new NeuriteException("The ONNX file " + model.source() + " multiplies by " + anonymous + " weight"
          + " matrices, but neither their nodes nor their initializers are named after the module they belong to"
          + " (e.g. " + example + "; Neurite needs names like /encoder/layer.0/attention/self/query/MatMul), so it"
          + " cannot tell which layer each matrix belongs to. Export the model with torch.onnx.export from"
          + " PyTorch 1.13 or later, or with Hugging Face Optimum, without an optimizer pass that renames nodes.");
    }
    return found;
  }

  /** The linear weight a node applies, with an empty module name if nothing names it; empty for other nodes. */
  private static Optional<Linear> linear(OnnxModel model, OnnxNode node) {
    boolean gemm = node.opType().equals("Gemm");
    if (!(gemm || node.opType().equals("MatMul")) || node.inputs().size() < 2) {
      return Optional.empty();
    }
    String input = node.inputs().get(1);
    OnnxTensor weight = model.initializers().get(input);
    boolean inOut = true;
    if (weight == null) {
      Optional<OnnxNode> transpose = model.producer(input).filter(p -> p.opType().equals("Transpose")
          && !p.inputs().isEmpty() && model.initializers().containsKey(p.inputs().get(0)) && swapsTwoAxes(p));
      if (transpose.isEmpty()) {
        return Optional.empty();
      }
      weight = model.initializers().get(transpose.get().inputs().get(0));
      inOut = false;
    }
    if (weight.dims().length != 2) {
      return Optional.empty();
    }
    if (gemm && node.attribute("transB").map(a -> a.i() != null && a.i() == 1).orElse(false)) {
      inOut = !inOut;
    }
    String module = HfNames.stripPrefix(weight.name()).filter(n -> n.endsWith(".weight"))
        .map(n -> n.substring(0, n.length() - ".weight".length()))
        .or(() -> HfNames.moduleOfNode(node.name()))
        .orElse("");
    return Optional.of(new Linear(module, node, weight, inOut));
  }

  private static boolean swapsTwoAxes(OnnxNode transpose) {
    long[] perm = transpose.attribute("perm").map(OnnxAttribute::ints).orElse(new long[0]);
    return perm.length == 0 || (perm.length == 2 && perm[0] == 1 && perm[1] == 0);
  }
}
