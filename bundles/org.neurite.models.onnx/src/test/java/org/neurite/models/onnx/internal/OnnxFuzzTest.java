package org.neurite.models.onnx.internal;

import org.neurite.testkit.FuzzBounds;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Any bytes as an {@code .onnx} file: the protobuf reader and the BERT import give the Hugging Face
 * tensors (each with exactly its shape's bytes) and config, or one message naming the file; a
 * length or dimension that claims more than the file holds is refused before anything is allocated.
 */
class OnnxFuzzTest {
  private static final String SOURCE = "fuzz.onnx";

  @MethodSource("tinyEncoders")
  @FuzzTest(maxDuration = "10s")
  void importEncoder(byte[] input) {
    FuzzBounds.check(input.length, 64, 16 << 20, SOURCE, () -> {
      OnnxModel model = OnnxParser.parse(ByteBuffer.wrap(input).order(ByteOrder.LITTLE_ENDIAN), SOURCE);
      BertWeights weights = BertWeights.of(model);
      for (MappedTensor tensor : weights.tensors()) {
        long elements = 1;
        for (long d : tensor.shape()) {
          elements *= d;
        }
        assertEquals(elements * 4, tensor.bytes().remaining(), tensor.name());
      }
      BertConfigJson.of(weights.dimensions(), SOURCE, "0".repeat(64));
    });
  }

  /** The tiny encoder in each layout the exporters write, as seeds. */
  static Stream<byte[]> tinyEncoders() {
    TinyBertOnnx prefixed = new TinyBertOnnx();
    prefixed.prefix = "bert.";
    TinyBertOnnx anonymous = new TinyBertOnnx();
    anonymous.anonymousNodes = true;
    TinyBertOnnx typed = new TinyBertOnnx();
    typed.typedFloats = true;
    typed.pooler = true;
    TinyBertOnnx half = new TinyBertOnnx();
    half.float16.add("embeddings.LayerNorm.weight");
    TinyBertOnnx external = new TinyBertOnnx();
    external.external.add("embeddings.word_embeddings.weight");
    return Stream.of(new TinyBertOnnx(), prefixed, anonymous, typed, half, external).map(TinyBertOnnx::bytes);
  }
}
