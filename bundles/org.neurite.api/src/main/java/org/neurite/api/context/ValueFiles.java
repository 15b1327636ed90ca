package org.neurite.api.context;

import java.nio.file.Path;
import org.neurite.api.step.ArtifactWriter;
import org.neurite.api.workspace.Workspace;
import org.osgi.annotation.versioning.ProviderType;

/**
 * What a {@link org.neurite.api.value.ValueCodec} is given to persist or restore a value: the
 * artifact store of the step whose output it is, the recorded files, and the run's services.
 */
@ProviderType
public interface ValueFiles {

  /**
   * Writes a file of the value as an artifact of the step that produced it (whole or not at all,
   * hashed and recorded).
   *
   * @return what to put in the persisted form: the file's path relative to the workspace's
   *     {@code runs/} and its SHA-256
   */
  StoredFile write(String fileName, String kind, ArtifactWriter writer) throws Exception;

  /**
   * A file a persisted form refers to (as {@link #write} returned it), checked against its
   * recorded content hash.
   *
   * @throws org.neurite.api.NeuriteException if it is gone or its content changed
   */
  Path read(StoredFile file);

  /** The workspace. */
  Workspace workspace();

  /** The device the run computes on. */
  String device();
}
