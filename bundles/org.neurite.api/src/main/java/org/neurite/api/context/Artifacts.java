package org.neurite.api.context;

import java.nio.file.Path;
import org.neurite.api.step.ArtifactWriter;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Where a step writes files. Each file is written under a temporary name, renamed when complete,
 * hashed (SHA-256) and recorded in provenance: a recorded artifact is always whole.
 */
@ProviderType
public interface Artifacts {

  /**
   * Writes an artifact of this step.
   *
   * @param fileName the file's name within the step's folder {@code runs/RUN/STEP/}, e.g. {@code scores.safetensors}
   * @param kind what it is, for people and lineage queries: {@code report}, {@code scores}, {@code trace}
   * @return the complete file's path
   */
  Path write(String fileName, String kind, ArtifactWriter writer) throws Exception;
}
