package org.neurite.analysis;

import java.nio.file.Path;
import org.neurite.analysis.conformance.PlantedTestbed;
import org.neurite.testbed.PlantedModel;

/** The planted-unit testbed of this bundle's tests: the conformance kit's, under a short name. */
final class Planted extends PlantedTestbed {
  Planted(Path dir, PlantedModel planted, String dtype, int perGroup) throws Exception {
    super(dir, planted, dtype, perGroup);
  }
}
