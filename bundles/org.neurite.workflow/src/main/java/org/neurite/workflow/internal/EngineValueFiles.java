package org.neurite.workflow.internal;

import java.nio.file.Files;
import java.nio.file.Path;
import org.neurite.api.NeuriteException;
import org.neurite.api.context.StoredFile;
import org.neurite.api.context.ValueFiles;
import org.neurite.api.step.ArtifactWriter;
import org.neurite.api.workspace.Workspace;

/**
 * The files of persisted values: written as artifacts of the step that produced the value, read
 * back checked against their recorded hashes.
 */
final class EngineValueFiles implements ValueFiles {
  private final RunContext run;
  private final EngineStepContext producer;
  private final String output;

  /**
   * @param producer the step whose output is being persisted, or null when values are only restored
   */
  EngineValueFiles(RunContext run, EngineStepContext producer) {
    this(run, producer, null);
  }

  /**
   * @param output the name of the output being persisted: a file name the step already has (two
   *     outputs of one type, e.g. two neuron sets, or a report of the codec's name) is written as
   *     {@code OUTPUT-NAME} instead, so that neither replaces the other
   */
  EngineValueFiles(RunContext run, EngineStepContext producer, String output) {
    this.run = run;
    this.producer = producer;
    this.output = output;
  }

  @Override
  public StoredFile write(String fileName, String kind, ArtifactWriter writer) throws Exception {
    if (producer == null) {
      throw new IllegalStateException("a value codec wrote " + fileName + " while restoring a value");
    }
    String name = fileName;
    if (output != null && producer.artifactHashes().containsKey(producer.folder().resolve(fileName).toAbsolutePath()
        .normalize())) {
      name = output + "-" + fileName;
    }
    Path file = producer.write(name, kind, writer);
    Path normalized = file.toAbsolutePath().normalize();
    return new StoredFile(run.runsDir().toAbsolutePath().normalize().relativize(normalized).toString(),
        producer.artifactHashes().get(normalized));
  }

  @Override
  public Path read(StoredFile stored) {
    Path file = run.runsDir().resolve(stored.path()).normalize();
    if (!file.startsWith(run.runsDir().normalize())) {
      throw new NeuriteException("A recorded value refers to " + stored.path() + ", outside the workspace's runs/;"
          + " the record is damaged. Run again with --no-cache.");
    }
    if (!Files.isRegularFile(file)) {
      throw new NeuriteException("The recorded file " + file + " is gone; run again with --no-cache to recompute it.");
    }
    String now = run.workspace().contentHash(file);
    if (!now.equalsIgnoreCase(stored.sha256())) {
      throw new NeuriteException("The recorded file " + file + " changed since it was written (SHA-256 "
          + stored.sha256() + ", now " + now + "); run again with --no-cache to recompute it.");
    }
    return file;
  }

  @Override
  public Workspace workspace() {
    return run.workspace();
  }

  @Override
  public String device() {
    return run.device();
  }
}
