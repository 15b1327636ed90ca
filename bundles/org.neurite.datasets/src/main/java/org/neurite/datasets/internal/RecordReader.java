package org.neurite.datasets.internal;

import java.io.BufferedReader;
import java.io.IOException;
import org.neurite.api.data.Example;

/** Reads one example at a time from an open file; null at the end. */
interface RecordReader {
  Example next(BufferedReader in) throws IOException;
}
