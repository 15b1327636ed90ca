package org.neurite.datasets.internal;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;

/**
 * Any bytes as a CSV dataset (a header row, then one record per line or quoted lines), comma- and
 * tab-separated, read with each field mapping a step can ask for.
 */
class CsvFuzzTest {
  @FuzzTest(maxDuration = "10s")
  void read(byte[] input) throws IOException {
    DatasetFuzzing.readAll("csv", ",", input, DatasetFuzzing.MAPPINGS);
    DatasetFuzzing.readAll("csv", "\t", input, DatasetFuzzing.MAPPINGS.subList(0, 1));
  }
}
