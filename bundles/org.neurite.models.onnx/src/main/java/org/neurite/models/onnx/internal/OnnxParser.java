package org.neurite.models.onnx.internal;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.neurite.api.NeuriteException;

/**
 * Reads an ONNX {@code ModelProto} from its protobuf bytes into an {@link OnnxModel}. The field
 * numbers are those of onnx.proto: ModelProto ir_version=1, producer_name=2, graph=7,
 * opset_import=8; GraphProto node=1, initializer=5; NodeProto input=1, output=2, name=3,
 * op_type=4, attribute=5; AttributeProto name=1, f=2, i=3, s=4, t=5, ints=8, type=20;
 * TensorProto dims=1, data_type=2, float_data=4, int32_data=5, int64_data=7, name=8, raw_data=9,
 * double_data=10, external_data=13, data_location=14.
 */
final class OnnxParser {
  private static final int DATA_LOCATION_EXTERNAL = 1;

  private OnnxParser() {}

  /**
   * Parses a model. {@code raw_data} of the initializers stays a slice of {@code bytes}, so the
   * buffer must stay unchanged while the model is in use.
   *
   * @param source the file name used in messages
   * @throws NeuriteException if the bytes are not an ONNX model or are cut off
   */
  static OnnxModel parse(ByteBuffer bytes, String source) {
    try {
      return model(new ProtoReader(bytes, 0), source, bytes.remaining());
    } catch (ProtoFormatException e) {
      if (e.truncated()) {
        throw new NeuriteException("The ONNX file " + source + " is truncated: " + e.getMessage() + " (the data has "
            + bytes.remaining() + " bytes). The file was cut off while it was copied or downloaded; fetch it again.",
            e);
      }
      throw notOnnx(source, "its bytes are not valid protobuf (" + e.getMessage() + ")", e);
    }
  }

  private static OnnxModel model(ProtoReader r, String source, long size) {
    long irVersion = 0;
    long opset = 0;
    String producer = "";
    ProtoReader graph = null;
    while (r.next()) {
      switch (r.field()) {
        case 1 -> irVersion = r.varintField();
        case 2 -> producer = r.string();
        case 7 -> graph = r.message();
        case 8 -> {
          ProtoReader set = r.message();
          String domain = "";
          long version = 0;
          while (set.next()) {
            switch (set.field()) {
              case 1 -> domain = set.string();
              case 2 -> version = set.varintField();
              default -> set.skip();
            }
          }
          if (domain.isEmpty() || domain.equals("ai.onnx")) {
            opset = version;
          }
        }
        default -> r.skip();
      }
    }
    if (graph == null || irVersion <= 0) {
      throw notOnnx(source, size == 0 ? "it is empty"
          : "it parses as protobuf but has no " + (graph == null ? "graph (ModelProto field 7)"
              : "ir_version (ModelProto field 1)"), null);
    }
    List<OnnxNode> nodes = new ArrayList<>();
    Map<String, OnnxTensor> initializers = new LinkedHashMap<>();
    while (graph.next()) {
      switch (graph.field()) {
        case 1 -> nodes.add(node(graph.message(), source));
        case 5 -> {
          OnnxTensor t = tensor(graph.message(), source);
          initializers.put(t.name(), t);
        }
        default -> graph.skip();
      }
    }
    return new OnnxModel(source, irVersion, opset, producer, nodes, initializers);
  }

  private static OnnxNode node(ProtoReader r, String source) {
    List<String> inputs = new ArrayList<>();
    List<String> outputs = new ArrayList<>();
    String name = "";
    String op = "";
    Map<String, OnnxAttribute> attributes = new HashMap<>();
    while (r.next()) {
      switch (r.field()) {
        case 1 -> inputs.add(r.string());
        case 2 -> outputs.add(r.string());
        case 3 -> name = r.string();
        case 4 -> op = r.string();
        case 5 -> {
          OnnxAttribute a = attribute(r.message(), source);
          attributes.put(a.name(), a);
        }
        default -> r.skip();
      }
    }
    return new OnnxNode(name, op, inputs, outputs, attributes);
  }

  private static OnnxAttribute attribute(ProtoReader r, String source) {
    String name = "";
    int type = 0;
    Float f = null;
    Long i = null;
    String s = null;
    OnnxTensor t = null;
    ProtoReader.LongList ints = new ProtoReader.LongList();
    while (r.next()) {
      switch (r.field()) {
        case 1 -> name = r.string();
        case 2 -> f = r.floatField();
        case 3 -> i = r.varintField();
        case 4 -> s = r.string();
        case 5 -> t = tensor(r.message(), source);
        case 8 -> r.varints(ints);
        case 20 -> type = r.intField();
        default -> r.skip();
      }
    }
    return new OnnxAttribute(name, type, f, i, s, t, ints.toArray());
  }

  private static OnnxTensor tensor(ProtoReader r, String source) {
    ProtoReader.LongList dims = new ProtoReader.LongList();
    ProtoReader.LongList int32s = new ProtoReader.LongList();
    ProtoReader.LongList int64s = new ProtoReader.LongList();
    List<Float> floats = new ArrayList<>();
    List<Double> doubles = new ArrayList<>();
    int type = 0;
    String name = "";
    ByteBuffer raw = null;
    boolean external = false;
    while (r.next()) {
      switch (r.field()) {
        case 1 -> r.varints(dims);
        case 2 -> type = r.intField();
        case 4 -> {
          if (r.wireType() == ProtoReader.LENGTH_DELIMITED) {
            ByteBuffer packed = r.bytes();
            while (packed.remaining() >= 4) {
              floats.add(packed.getFloat());
            }
          } else {
            floats.add(r.floatField());
          }
        }
        case 5 -> r.varints(int32s);
        case 7 -> r.varints(int64s);
        case 8 -> name = r.string();
        case 9 -> raw = r.bytes();
        case 10 -> {
          if (r.wireType() == ProtoReader.LENGTH_DELIMITED) {
            ByteBuffer packed = r.bytes();
            while (packed.remaining() >= 8) {
              doubles.add(packed.getDouble());
            }
          } else {
            doubles.add(r.doubleField());
          }
        }
        case 13 -> {
          external = true;
          r.skip();
        }
        case 14 -> external |= r.varintField() == DATA_LOCATION_EXTERNAL;
        default -> r.skip();
      }
    }
    ByteBuffer data = raw != null ? raw : typedData(type, floats, doubles, int32s.toArray(), int64s.toArray());
    return new OnnxTensor(source, name, type, dims.toArray(), external ? null : data, external);
  }

  /** Little-endian bytes from the typed value fields, or null if the type is stored in a form not read here. */
  private static ByteBuffer typedData(int type, List<Float> floats, List<Double> doubles, long[] int32s,
      long[] int64s) {
    OnnxDataType dataType = OnnxDataType.of(type);
    if (dataType == null) {
      return null;
    }
    switch (dataType) {
      case FLOAT: {
        ByteBuffer b = ByteBuffer.allocate(floats.size() * 4).order(ByteOrder.LITTLE_ENDIAN);
        floats.forEach(b::putFloat);
        return b.flip();
      }
      case DOUBLE: {
        ByteBuffer b = ByteBuffer.allocate(doubles.size() * 8).order(ByteOrder.LITTLE_ENDIAN);
        doubles.forEach(b::putDouble);
        return b.flip();
      }
      case INT32: {
        ByteBuffer b = ByteBuffer.allocate(int32s.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (long v : int32s) {
          b.putInt((int) v);
        }
        return b.flip();
      }
      case INT64: {
        ByteBuffer b = ByteBuffer.allocate(int64s.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        for (long v : int64s) {
          b.putLong(v);
        }
        return b.flip();
      }
      default:
        return null;
    }
  }

  /**
   * The value of a Constant node, named after its output: from its {@code value} tensor, or from
   * {@code value_float}, {@code value_int} or {@code value_ints}; empty for the other forms.
   */
  static Optional<OnnxTensor> constantValue(String source, OnnxNode node) {
    String output = node.outputs().get(0);
    Optional<OnnxAttribute> value = node.attribute("value");
    if (value.isPresent() && value.get().t() != null) {
      return Optional.of(value.get().t().renamed(output));
    }
    Optional<OnnxAttribute> f = node.attribute("value_float");
    if (f.isPresent() && f.get().f() != null) {
      ByteBuffer b = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putFloat(f.get().f()).flip();
      return Optional.of(new OnnxTensor(source, output, OnnxDataType.FLOAT.code(), new long[0], b, false));
    }
    Optional<OnnxAttribute> i = node.attribute("value_int");
    if (i.isPresent() && i.get().i() != null) {
      ByteBuffer b = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(i.get().i()).flip();
      return Optional.of(new OnnxTensor(source, output, OnnxDataType.INT64.code(), new long[0], b, false));
    }
    Optional<OnnxAttribute> ints = node.attribute("value_ints");
    if (ints.isPresent()) {
      long[] values = ints.get().ints();
      ByteBuffer b = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
      for (long v : values) {
        b.putLong(v);
      }
      return Optional.of(new OnnxTensor(source, output, OnnxDataType.INT64.code(), new long[] {values.length},
          b.flip(), false));
    }
    return Optional.empty();
  }

  private static NeuriteException notOnnx(String source, String why, Throwable cause) {
    return new NeuriteException("The file " + source + " is not an ONNX model: " + why + ". Import the .onnx file"
        + " of a BERT encoder (as exported by PyTorch or Hugging Face Optimum), or a jar that holds one.", cause);
  }
}
