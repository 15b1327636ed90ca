package org.neurite.bench;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.LongBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;

/** ONNX Runtime's plain forward of the shipped MiniLM's ONNX file: the reference both MiniLM benchmarks time. */
final class OrtMiniLm implements AutoCloseable {
  private final OrtEnvironment env = OrtEnvironment.getEnvironment();
  private final OrtSession session;

  /** A session on the ONNX file the distribution ships; {@code threads} above 0 fixes its intra-op threads. */
  OrtMiniLm(EmbeddedNeurite neurite, int threads) throws Exception {
    byte[] onnx = MiniLmBench.readEntry(neurite.shippedJar(MiniLmBench.MODEL + ".onnx"), MiniLmBench.MODEL + ".onnx");
    OrtSession.SessionOptions options = new OrtSession.SessionOptions();
    if (threads > 0) {
      options.setIntraOpNumThreads(threads);
    }
    session = env.createSession(onnx, options);
  }

  String version() {
    return env.getVersion();
  }

  /** One forward of equal-length sequences, no padding; the caller closes the result. */
  OrtSession.Result run(List<long[]> sequences) throws OrtException {
    long[] flat = sequences.stream().flatMapToLong(LongStream::of).toArray();
    long[] shape = {sequences.size(), sequences.get(0).length};
    long[] mask = new long[flat.length];
    Arrays.fill(mask, 1);
    try (OnnxTensor i = OnnxTensor.createTensor(env, LongBuffer.wrap(flat), shape);
        OnnxTensor m = OnnxTensor.createTensor(env, LongBuffer.wrap(mask), shape);
        OnnxTensor t = OnnxTensor.createTensor(env, LongBuffer.wrap(new long[flat.length]), shape)) {
      return session.run(Map.of("input_ids", i, "attention_mask", m, "token_type_ids", t));
    }
  }

  @Override
  public void close() throws OrtException {
    session.close();
  }
}
