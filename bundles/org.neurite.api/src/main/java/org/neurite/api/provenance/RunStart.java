package org.neurite.api.provenance;

import java.util.Objects;

/**
 * What {@link ProvenanceStore#beginRun} records when a run starts.
 *
 * @param workflowName the workflow's {@code name}
 * @param workflowSource where the workflow file was read from (a path), for humans
 * @param workflowText the full text of the workflow file as read
 * @param workflowSha256 SHA-256 of {@code workflowText} (UTF-8), lower-case hex
 * @param paramsJson the run's effective parameters (defaults plus overrides) as a JSON object
 * @param process the process that runs it; usually {@code CurrentProcess.identity()} of the support library
 * @param versions the software versions
 * @param device the device the run computes on, e.g. {@code cpu}
 * @param workspace the absolute path of the workspace; artifact paths are relative to its runs/
 */
public record RunStart(
    String workflowName,
    String workflowSource,
    String workflowText,
    String workflowSha256,
    String paramsJson,
    ProcessIdentity process,
    RuntimeVersions versions,
    String device,
    String workspace) {

  public RunStart {
    Objects.requireNonNull(workflowName, "workflowName");
    Objects.requireNonNull(workflowText, "workflowText");
    Objects.requireNonNull(workflowSha256, "workflowSha256");
    Objects.requireNonNull(paramsJson, "paramsJson");
    Objects.requireNonNull(process, "process");
    Objects.requireNonNull(versions, "versions");
  }
}
