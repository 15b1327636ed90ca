package org.neurite.api.context;

import java.nio.file.Path;
import org.neurite.api.step.ArtifactWriter;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Where a step writes files. Each file is written under a temporary name, renamed when complete,
 * hashed (SHA-256) and recorded in provenance: a recorded artifact is always whole, and a file under
 * its final name is always recorded.
 */
@ProviderType
public interface Artifacts {

  /**
   * The step's folder, {@code runs/RUN/STEP/}, where {@link #write} puts its files (it may not exist
   * before the first). A resumed run's step has the folder of its earlier attempt, holding the
   * artifacts that attempt completed (a trainer's checkpoints, say).
   */
  Path folder();

  /**
   * Writes an artifact of this step.
   *
   * @param fileName the file's name within the step's folder {@code runs/RUN/STEP/}, e.g. {@code scores.safetensors},
   *     or a path of plain names below it, e.g. {@code checkpoint-3/model.safetensors} (the folders are made)
   * @param kind what it is, for people and lineage queries: {@code report}, {@code scores}, {@code trace}
   * @return the complete file's path
   * @throws StepCancelledException if the run is cancelled before the file is complete: the
   *     temporary file is deleted and nothing appears under {@code fileName}
   */
  Path write(String fileName, String kind, ArtifactWriter writer) throws Exception;
}
