package org.neurite.provenance.h2.internal;

import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.neurite.api.NeuriteException;
import org.neurite.api.provenance.Artifact;
import org.neurite.api.provenance.Lineage;
import org.neurite.api.provenance.MemoHit;
import org.neurite.api.provenance.ProcessIdentity;
import org.neurite.api.provenance.ProvenanceStore;
import org.neurite.api.provenance.Run;
import org.neurite.api.provenance.RunComparison;
import org.neurite.api.provenance.RunDetail;
import org.neurite.api.provenance.RunStart;
import org.neurite.api.provenance.RunStatus;
import org.neurite.api.provenance.RunSummary;
import org.neurite.api.provenance.SourceKind;
import org.neurite.api.provenance.StepFinish;
import org.neurite.api.provenance.StepRecord;
import org.neurite.api.provenance.StepStart;
import org.neurite.api.workspace.Workspace;
import org.neurite.support.process.CurrentProcess;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;

/**
 * The {@link ProvenanceStore} on H2: an embedded database file in the workspace by default, or the
 * lab's H2 server named by the configuration {@code org.neurite.provenance}. Every write is one
 * short transaction, committed before the method returns.
 */
@Component(
    service = ProvenanceStore.class,
    configurationPid = H2ProvenanceStore.PID,
    configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = ProvenanceConfig.class)
public final class H2ProvenanceStore implements ProvenanceStore {
  static final String PID = "org.neurite.provenance";

  private static final System.Logger LOG = System.getLogger(H2ProvenanceStore.class.getName());
  private static final Pattern SHA256 = Pattern.compile("[0-9a-fA-F]{64}");

  private final Database db;
  private final Duration heartbeatInterval;
  private final RunQueries queries;
  private final RunWrites runs;
  private final StepWrites steps;

  @Activate
  public H2ProvenanceStore(@Reference Workspace workspace, ProvenanceConfig config, Map<String, Object> properties) {
    this(openOrUnavailable(config, password(config, properties), workspace.root().toString()),
        Duration.ofSeconds(Math.max(1, config.heartbeat_seconds())));
    if (!db.available()) {
      return;
    }
    // At start-up, before any command reads the record: runs whose process is gone are
    // interrupted, not running (a console command may read runs without the engine ever starting).
    List<Long> interrupted = markInterrupted();
    if (!interrupted.isEmpty()) {
      LOG.log(Level.WARNING, "Runs " + interrupted + " were interrupted (their process is gone); "
          + "continue one with `resume RUN`.");
    }
  }

  /**
   * The configured database, or, when it cannot be opened for a reason the user can fix (server
   * down, corrupt file, wrong password, schema needing an admin), an unavailable one whose every
   * use throws that reason: the service starts anyway, the launcher asks it first and prints the
   * one sentence, and no component fails half-way with the reason buried in the log.
   */
  static Database openOrUnavailable(ProvenanceConfig config, String password, String workspace) {
    try {
      Database db = Connections.open(config, password, workspace);
      try {
        Migrations.shipped().apply(db);
      } catch (RuntimeException e) {
        db.close();
        throw e;
      }
      return db;
    } catch (NeuriteException e) {
      LOG.log(Level.INFO, "The provenance database is unavailable: " + e.getMessage(), e);
      return Database.unavailable(config.url(), e);
    }
  }

  /**
   * The password: {@code .password}, or a plain {@code password} (accepted with a warning, since
   * a property without the dot is published with the service).
   */
  private static String password(ProvenanceConfig config, Map<String, Object> properties) {
    Object plain = properties.get("password");
    if (plain != null && !plain.toString().isEmpty() && config._password().isEmpty()) {
      LOG.log(Level.WARNING, "Configuration " + PID + " sets 'password'; write '.password' instead "
          + "so that the password is not published with the ProvenanceStore service");
      return plain.toString();
    }
    return config._password();
  }

  /** A store on an open database; brings its schema up to date. */
  H2ProvenanceStore(Database db, Duration heartbeatInterval) {
    this.db = db;
    this.heartbeatInterval = heartbeatInterval;
    this.queries = new RunQueries(db);
    this.runs = new RunWrites(db);
    this.steps = new StepWrites(db);
    if (!db.available()) {
      return;
    }
    try {
      List<Integer> applied = Migrations.shipped().apply(db);
      LOG.log(Level.INFO, "Provenance store on " + db.url()
          + (applied.isEmpty() ? "" : " (applied schema versions " + applied + ")"));
    } catch (RuntimeException e) {
      db.close();
      throw e;
    }
  }

  /**
   * The embedded store of a workspace ({@code <workspace>/db/neurite}), outside OSGi: for tools
   * and for other modules' tests, which run the engine on the real store.
   */
  public static H2ProvenanceStore embedded(java.nio.file.Path workspace, Duration heartbeatInterval) {
    return new H2ProvenanceStore(EmbeddedDatabase.open(workspace, 4), heartbeatInterval);
  }

  @Deactivate
  public void close() {
    db.close();
  }

  // ---- runs: RunWrites ---------------------------------------------------------------------

  @Override
  public long beginRun(RunStart start) {
    return runs.beginRun(start);
  }

  @Override
  public void finishRun(long runId, RunStatus status, String message) {
    runs.finishRun(runId, status, message);
  }

  @Override
  public boolean heartbeat(long runId) {
    return runs.heartbeat(runId);
  }

  @Override
  public Run resumeRun(long runId, ProcessIdentity process) {
    return runs.resumeRun(runId, process);
  }

  @Override
  public Duration heartbeatInterval() {
    return heartbeatInterval;
  }

  @Override
  public List<Long> markInterrupted() {
    return new InterruptedRuns(db, heartbeatInterval).mark(CurrentProcess.identity());
  }

  // ---- steps: StepWrites -------------------------------------------------------------------

  @Override
  public long beginStep(StepStart start) {
    return steps.beginStep(start);
  }

  @Override
  public void finishStep(long stepRecordId, StepFinish finish) {
    steps.finishStep(stepRecordId, finish);
  }

  @Override
  public long recordArtifact(long stepRecordId, String kind, String path, String sha256, long sizeBytes) {
    return steps.recordArtifact(stepRecordId, kind, path, sha256, sizeBytes);
  }

  @Override
  public long recordSource(long stepRecordId, SourceKind kind, String name, String sourcePath,
      String contentHash, String detailsJson) {
    return steps.recordSource(stepRecordId, kind, name, sourcePath, contentHash, detailsJson);
  }

  @Override
  public void recordMetric(long stepRecordId, String name, String group, double value) {
    steps.recordMetric(stepRecordId, name, group, value);
  }

  // ---- queries ------------------------------------------------------------------------------

  @Override
  public List<RunSummary> listRuns(int limit) {
    return queries.listRuns(limit);
  }

  @Override
  public Optional<Run> run(long runId) {
    return queries.run(runId);
  }

  @Override
  public Optional<RunDetail> runDetail(long runId) {
    return queries.runDetail(runId);
  }

  @Override
  public Optional<StepRecord> stepRecord(long stepRecordId) {
    return queries.stepRecord(stepRecordId);
  }

  @Override
  public List<Artifact> artifacts(long stepRecordId) {
    return queries.artifacts(stepRecordId);
  }

  @Override
  public List<StepRecord> completedSteps(long runId) {
    return queries.completedSteps(runId);
  }

  @Override
  public Optional<MemoHit> findReusable(String memoKey, Path runsDirectory) {
    return new MemoFinder(db).find(memoKey, runsDirectory);
  }

  @Override
  public Optional<String> artifactProblem(long stepRecordId, Path runsDirectory) {
    return new MemoFinder(db).problemOf(stepRecordId, runsDirectory);
  }

  @Override
  public List<Artifact> findArtifacts(String pathOrSha256) {
    return queries.findArtifacts(pathOrSha256);
  }

  @Override
  public Optional<Lineage> lineageOfArtifact(String pathOrSha256) {
    return new LineageTracer(db, queries).ofArtifact(pathOrSha256);
  }

  @Override
  public Optional<Lineage> lineageOfRun(long runId) {
    return new LineageTracer(db, queries).ofRun(runId);
  }

  @Override
  public Optional<RunComparison> compareRuns(long leftRunId, long rightRunId) {
    return new RunComparer(queries).compare(leftRunId, rightRunId);
  }

}
