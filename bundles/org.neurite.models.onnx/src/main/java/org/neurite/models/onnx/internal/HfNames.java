package org.neurite.models.onnx.internal;

import java.util.Arrays;
import java.util.Optional;

/**
 * Hugging Face BertModel names as they appear in an export: initializer names such as
 * {@code bert.encoder.layer.0.attention.self.query.bias}, and node names such as
 * {@code /encoder/layer.0/attention/self/query/MatMul}, both reduced to the name inside BertModel
 * ({@code encoder.layer.0.attention.self.query...}) by dropping any prefix before the first of its
 * top-level modules ({@code embeddings}, {@code encoder}, {@code pooler}).
 */
final class HfNames {
  private HfNames() {}

  /** The name inside BertModel of a dotted name, or empty if it names no part of BertModel. */
  static Optional<String> stripPrefix(String dotted) {
    String[] parts = dotted.split("\\.", -1);
    for (int i = 0; i < parts.length - 1; i++) {
      if (parts[i].equals("embeddings") || parts[i].equals("encoder") || parts[i].equals("pooler")) {
        return Optional.of(String.join(".", Arrays.asList(parts).subList(i, parts.length)));
      }
    }
    return Optional.empty();
  }

  /**
   * The BertModel module a node belongs to, from its name: {@code /bert/encoder/layer.0/output/dense/MatMul}
   * gives {@code encoder.layer.0.output.dense}; empty if the name has no such scope.
   */
  static Optional<String> moduleOfNode(String nodeName) {
    int last = nodeName.lastIndexOf('/');
    if (last <= 0) {
      return Optional.empty();
    }
    String scope = nodeName.substring(nodeName.startsWith("/") ? 1 : 0, last).replace('/', '.');
    return stripPrefix(scope);
  }
}
