package org.neurite.datasets.internal;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;

/** Any bytes as a text dataset (one example per non-blank line), read with each field mapping a step can ask for. */
class TextFuzzTest {
  @FuzzTest(maxDuration = "10s")
  void read(byte[] input) throws IOException {
    DatasetFuzzing.readAll("text", null, input, DatasetFuzzing.MAPPINGS.subList(0, 1));
  }
}
