package org.neurite.models.onnx.internal;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One {@code NodeProto} of the graph.
 *
 * @param name the node's name, e.g. {@code /encoder/layer.0/attention/self/query/MatMul}; may be empty
 * @param opType the operator, e.g. {@code MatMul}
 * @param inputs the names of its inputs, in order (an empty name is an omitted optional input)
 * @param outputs the names of its outputs, in order
 * @param attributes its attributes by name
 */
record OnnxNode(String name, String opType, List<String> inputs, List<String> outputs,
    Map<String, OnnxAttribute> attributes) {
  OnnxNode {
    inputs = List.copyOf(inputs);
    outputs = List.copyOf(outputs);
    attributes = Map.copyOf(attributes);
  }

  /** One attribute, if the node has it. */
  Optional<OnnxAttribute> attribute(String attributeName) {
    return Optional.ofNullable(attributes.get(attributeName));
  }

  /** The node as people read it in a message: its name, or its operator and first output. */
  String label() {
    return name.isEmpty() ? opType + " -> " + (outputs.isEmpty() ? "?" : outputs.get(0)) : name;
  }
}
