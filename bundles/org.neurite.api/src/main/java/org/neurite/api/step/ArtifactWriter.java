package org.neurite.api.step;

import java.nio.file.Path;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * Writes one artifact's bytes to a temporary path; the artifact store renames the file to its final
 * name, hashes and records it only when this returns normally (see
 * {@link org.neurite.api.context.Artifacts#write}).
 */
@ConsumerType
@FunctionalInterface
public interface ArtifactWriter {
  void writeTo(Path temporary) throws Exception;
}
