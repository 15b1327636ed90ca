package org.neurite.api.provenance;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The record of every run: written by the workflow engine as the run goes (each call is one short
 * transaction, safe from several threads and several processes), read by the console.
 *
 * <p>Ids are positive numbers unique in the database. Lookups by an id a user typed return
 * {@link Optional#empty()} when there is no such record; a write given a step record id that does
 * not exist, or a record in the wrong state (finishing a step twice), is the caller's bug and throws
 * {@link IllegalArgumentException} or {@link IllegalStateException}. Database failures surface as
 * {@link IllegalStateException} with the database's error as the cause; a transaction that lost a
 * lock race is retried a bounded number of times before that.
 */
@ProviderType
public interface ProvenanceStore {

  // ---- runs -------------------------------------------------------------------------------

  /** Records a new run as {@link RunStatus#RUNNING} and returns its id. */
  long beginRun(RunStart start);

  /**
   * Ends a run: sets its status and end time.
   *
   * @param status the final status (not {@link RunStatus#RUNNING})
   * @param message why it ended so (e.g. the failing step's error), or null
   */
  void finishRun(long runId, RunStatus status, String message);

  /**
   * Tells the store the run's process is alive. Call it every {@link #heartbeatInterval()}; a run
   * on another host whose heartbeat is older than three intervals is taken for dead by
   * {@link #markInterrupted()}.
   *
   * @return false if the run is no longer {@link RunStatus#RUNNING} (another process marked it
   *     interrupted): the engine should stop
   */
  boolean heartbeat(long runId);

  /** How often a running engine calls {@link #heartbeat}. */
  Duration heartbeatInterval();

  /**
   * Puts a failed, cancelled or interrupted run back to {@link RunStatus#RUNNING} for the given
   * process, increments its attempt and clears its end time; its completed step records stay. Only
   * one process can win this for a run.
   *
   * @throws org.neurite.api.NeuriteException if the run does not exist, or is running or
   *     succeeded
   */
  Run resumeRun(long runId, ProcessIdentity process);

  /**
   * Marks runs whose process is gone as {@link RunStatus#INTERRUPTED}, and their running steps
   * too. A {@link RunStatus#RUNNING} run recorded on this host is interrupted when its process
   * (pid and start instant) is no longer alive; one recorded on another host when its heartbeat is
   * older than three heartbeat intervals by the database's clock. Call it at start-up.
   *
   * @return the ids of the runs it marked
   */
  List<Long> markInterrupted();

  // ---- steps --------------------------------------------------------------------------------

  /** Records a step record as {@link StepStatus#RUNNING} and returns its id. */
  long beginStep(StepStart start);

  /** Ends a step record: status, outputs, timings, error. */
  void finishStep(long stepRecordId, StepFinish finish);

  /**
   * Records an artifact of a step. Call it only once the file is complete under its final name.
   *
   * @param kind what it holds, e.g. {@code neuron-set}
   * @param path relative to the workspace's runs/ folder, {@code /}-separated
   * @param sha256 lower-case hex SHA-256 of the file
   * @return the artifact id
   */
  long recordArtifact(long stepRecordId, String kind, String path, String sha256, long sizeBytes);

  /**
   * Records the identity of a model or dataset a step read.
   *
   * @param contentHash a hash over the content of its files, lower-case hex
   * @param detailsJson a JSON object with anything else worth keeping, or null
   * @return the identity's id
   */
  long recordSource(
      long stepRecordId, SourceKind kind, String name, String sourcePath, String contentHash, String detailsJson);

  /**
   * Records a metric of a step.
   *
   * @param group the group it belongs to, or null/empty for none
   */
  void recordMetric(long stepRecordId, String name, String group, double value);

  // ---- queries ------------------------------------------------------------------------------

  /** The newest runs first, at most {@code limit}. */
  List<RunSummary> listRuns(int limit);

  Optional<Run> run(long runId);

  /** A run with its step records, artifacts, metrics and sources. */
  Optional<RunDetail> runDetail(long runId);

  Optional<StepRecord> stepRecord(long stepRecordId);

  /** The artifacts recorded by one step record. */
  List<Artifact> artifacts(long stepRecordId);

  /**
   * The step records of a run whose outputs are available, for resume: for each step id the
   * latest {@link StepStatus#SUCCEEDED} or {@link StepStatus#CACHED} record, in the order they
   * started.
   */
  List<StepRecord> completedSteps(long runId);

  /**
   * The newest {@link StepStatus#SUCCEEDED} step record with this memo key whose artifacts all
   * still exist under {@code runsDirectory} with their recorded size and SHA-256 (a record with no
   * artifacts qualifies as it is). Candidates that fail the check are skipped and logged.
   *
   * @param runsDirectory the workspace's runs/ folder, against which artifact paths resolve
   */
  Optional<MemoHit> findReusable(String memoKey, Path runsDirectory);

  /**
   * Why the artifacts of a step record cannot be reused, or empty when every one of them still
   * exists under {@code runsDirectory} with its recorded size and SHA-256. For a
   * {@link StepStatus#CACHED} record the artifacts of the record it reused are checked. Use it
   * before resuming from {@link #completedSteps}.
   *
   * @throws IllegalArgumentException if there is no such step record
   */
  Optional<String> artifactProblem(long stepRecordId, Path runsDirectory);

  /** Artifacts with this path (relative to runs/) or this SHA-256, newest first. */
  List<Artifact> findArtifacts(String pathOrSha256);

  /**
   * Where an artifact came from: the step record that wrote the newest artifact with this path or
   * SHA-256, and everything it was derived from.
   */
  Optional<Lineage> lineageOfArtifact(String pathOrSha256);

  /** Where a run's results came from: all its step records and everything they derive from. */
  Optional<Lineage> lineageOfRun(long runId);

  /** Two runs side by side: parameters, versions, steps and metrics. */
  Optional<RunComparison> compareRuns(long leftRunId, long rightRunId);
}
