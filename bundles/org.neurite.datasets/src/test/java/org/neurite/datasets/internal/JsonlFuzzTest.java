package org.neurite.datasets.internal;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;

/** Any bytes as a jsonl dataset (one JSON object per line), read with each field mapping a step can ask for. */
class JsonlFuzzTest {
  @FuzzTest(maxDuration = "10s")
  void read(byte[] input) throws IOException {
    DatasetFuzzing.readAll("jsonl", null, input, DatasetFuzzing.MAPPINGS);
  }
}
