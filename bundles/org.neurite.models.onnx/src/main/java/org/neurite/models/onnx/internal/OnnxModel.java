package org.neurite.models.onnx.internal;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The parts of an ONNX model the importer reads: the main graph's nodes in file order, its
 * initializers, and the values of its Constant nodes, with look-ups from a value's name to the node
 * that produces it and the nodes that consume it. {@link OnnxParser} builds it.
 */
final class OnnxModel {
  private final String source;
  private final long irVersion;
  private final long opsetVersion;
  private final String producer;
  private final List<OnnxNode> nodes;
  private final Map<String, OnnxTensor> initializers;
  private final Map<String, OnnxTensor> constants = new LinkedHashMap<>();
  private final Map<String, OnnxNode> producers = new HashMap<>();
  private final Map<String, List<OnnxNode>> consumers = new HashMap<>();

  OnnxModel(String source, long irVersion, long opsetVersion, String producer, List<OnnxNode> nodes,
      Map<String, OnnxTensor> initializers) {
    this.source = source;
    this.irVersion = irVersion;
    this.opsetVersion = opsetVersion;
    this.producer = producer;
    this.nodes = List.copyOf(nodes);
    this.initializers = Collections.unmodifiableMap(new LinkedHashMap<>(initializers));
    for (OnnxNode node : this.nodes) {
      for (String output : node.outputs()) {
        producers.put(output, node);
      }
      for (String input : node.inputs()) {
        if (!input.isEmpty()) {
          consumers.computeIfAbsent(input, k -> new ArrayList<>()).add(node);
        }
      }
      if (node.opType().equals("Constant") && !node.outputs().isEmpty()) {
        OnnxParser.constantValue(source, node).ifPresent(t -> constants.put(node.outputs().get(0), t));
      }
    }
  }

  /** The file the model was read from, as named in messages. */
  String source() {
    return source;
  }

  /** The {@code ir_version}. */
  long irVersion() {
    return irVersion;
  }

  /** The version of the default operator set, 0 if the file names none. */
  long opsetVersion() {
    return opsetVersion;
  }

  /** The {@code producer_name}, empty if none. */
  String producer() {
    return producer;
  }

  /** The main graph's nodes, in file order. */
  List<OnnxNode> nodes() {
    return nodes;
  }

  /** The main graph's initializers by name, in file order. */
  Map<String, OnnxTensor> initializers() {
    return initializers;
  }

  /** The constant tensor with this name: an initializer or a Constant node's output. */
  Optional<OnnxTensor> constant(String name) {
    OnnxTensor t = initializers.get(name);
    return Optional.ofNullable(t != null ? t : constants.get(name));
  }

  /** The node that produces this value, if a node does. */
  Optional<OnnxNode> producer(String value) {
    return Optional.ofNullable(producers.get(value));
  }

  /** The nodes that read this value. */
  List<OnnxNode> consumers(String value) {
    return consumers.getOrDefault(value, List.of());
  }
}
