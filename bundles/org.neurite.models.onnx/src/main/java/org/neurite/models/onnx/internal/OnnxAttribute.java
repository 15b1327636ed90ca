package org.neurite.models.onnx.internal;

/**
 * One {@code AttributeProto} of a node, with the value forms the importer reads; the others (graphs,
 * lists of floats, strings or tensors) are skipped.
 *
 * @param name the attribute's name
 * @param type the {@code AttributeType} code (1 float, 2 int, 3 string, 4 tensor, 7 ints, ...)
 * @param f the float value, if set
 * @param i the int value, if set
 * @param s the string value, if set
 * @param t the tensor value, if set
 * @param ints the list of ints, empty if none
 */
record OnnxAttribute(String name, int type, Float f, Long i, String s, OnnxTensor t, long[] ints) {
  static final int FLOAT = 1;
  static final int INT = 2;
  static final int STRING = 3;
  static final int TENSOR = 4;
  static final int INTS = 7;

  OnnxAttribute {
    ints = ints.clone();
  }

  @Override
  public long[] ints() {
    return ints.clone();
  }
}
