package org.neurite.provenance.h2.internal;

import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
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
import org.neurite.api.provenance.StepInput;
import org.neurite.api.provenance.StepOutput;
import org.neurite.api.provenance.StepRecord;
import org.neurite.api.provenance.StepStart;
import org.neurite.api.provenance.StepStatus;
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
  private static final java.util.Set<RunStatus> RESUMABLE =
      java.util.EnumSet.of(RunStatus.FAILED, RunStatus.CANCELLED, RunStatus.INTERRUPTED);

  private final Database db;
  private final Duration heartbeatInterval;
  private final RunQueries queries;

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

  // ---- runs ---------------------------------------------------------------------------------

  @Override
  public long beginRun(RunStart start) {
    return db.transaction("recording the start of workflow " + start.workflowName(), c -> {
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO runs (workflow_name, "
          + "workflow_source, workflow_text, workflow_sha256, params_json, user_name, host, pid, "
          + "process_start, neurite_version, jvm_version, djl_version, engine_version, device, "
          + "workspace, status, started_at, heartbeat_at, attempt) VALUES (?, ?, ?, ?, ?, ?, ?, ?, "
          + "?, ?, ?, ?, ?, ?, ?, 'RUNNING', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, 1)",
          new String[] {"ID"})) {
        ps.setString(1, start.workflowName());
        ps.setString(2, start.workflowSource());
        ps.setString(3, start.workflowText());
        ps.setString(4, start.workflowSha256().toLowerCase(Locale.ROOT));
        ps.setString(5, start.paramsJson());
        ProcessIdentity p = start.process();
        ps.setString(6, p.user());
        ps.setString(7, p.host());
        ps.setLong(8, p.pid());
        Rows.setInstant(ps, 9, p.processStart());
        ps.setString(10, start.versions().neurite());
        ps.setString(11, start.versions().jvm());
        ps.setString(12, start.versions().djl());
        ps.setString(13, start.versions().engine());
        ps.setString(14, start.device());
        ps.setString(15, start.workspace());
        ps.executeUpdate();
        return generatedId(ps);
      }
    });
  }

  @Override
  public void finishRun(long runId, RunStatus status, String message) {
    if (status == RunStatus.RUNNING) {
      throw new IllegalArgumentException("finishRun needs a final status, not RUNNING");
    }
    db.transaction("recording the end of run " + runId, c -> {
      Optional<RunStates.Latest> latest = RunStates.latest(c, runId);
      if (latest.isEmpty() || latest.get().status() != RunStatus.RUNNING
          || !RunStates.append(c, latest.get(), latest.get().attempt(), status, message,
              latest.get().process())) {
        throw new IllegalStateException("run " + runId + " cannot end as " + status + ": it is "
            + runStatus(c, runId).map(Enum::name).orElse("not in the database"));
      }
      return null;
    });
  }

  @Override
  public boolean heartbeat(long runId) {
    return db.transaction("heartbeat of run " + runId, c -> {
      if (RunStates.latest(c, runId).map(r -> r.status() != RunStatus.RUNNING).orElse(true)) {
        return false;
      }
      RunStates.beat(c, runId);
      return true;
    });
  }

  @Override
  public Duration heartbeatInterval() {
    return heartbeatInterval;
  }

  @Override
  public Run resumeRun(long runId, ProcessIdentity process) {
    return db.transaction("resuming run " + runId, c -> {
      Optional<RunStates.Latest> latest = RunStates.latest(c, runId);
      if (latest.isPresent() && RESUMABLE.contains(latest.get().status())) {
        String me = RunStates.currentUser(c);
        if (!latest.get().owner().equals(me)) {
          throw new NeuriteException("Run " + runId + " was recorded by database user "
              + latest.get().owner() + ", so only " + latest.get().owner() + " can resume it (each "
              + "user's records are their own, docs/security.md); start the workflow again with "
              + "`run` to compute it as " + me + ".");
        }
        if (RunStates.append(c, latest.get(), latest.get().attempt() + 1, RunStatus.RUNNING, null,
            process)) {
          RunStates.beat(c, runId);
          return RunQueries.run(c, runId).orElseThrow();
        }
      }
      Optional<RunStatus> status = runStatus(c, runId);
      if (status.isEmpty()) {
        throw new NeuriteException("There is no run " + runId + " in the provenance database "
            + db.url() + "; `runs` lists the runs it holds.");
      }
      throw new NeuriteException("Run " + runId + " is " + status.get() + " and cannot be "
          + "resumed: only a failed, cancelled or interrupted run can. "
          + (status.get() == RunStatus.RUNNING
              ? "If its process is gone, start Neurite again so that it is marked interrupted."
              : "Start the workflow again with `run` to compute it anew."));
    });
  }

  @Override
  public List<Long> markInterrupted() {
    return new InterruptedRuns(db, heartbeatInterval).mark(CurrentProcess.identity());
  }

  // ---- steps --------------------------------------------------------------------------------

  @Override
  public long beginStep(StepStart start) {
    return db.transaction("recording the start of step " + start.stepId() + " of run " + start.runId(),
        c -> {
          long id;
          try (PreparedStatement ps = c.prepareStatement("INSERT INTO step_records (run_id, "
              + "step_id, step_name, bundle_symbolic_name, bundle_version, params_json, memo_key, "
              + "status, started_at) VALUES (?, ?, ?, ?, ?, ?, ?, 'RUNNING', CURRENT_TIMESTAMP)",
              new String[] {"ID"})) {
            Rows.bind(ps, start.runId(), start.stepId(), start.stepName(),
                start.bundleSymbolicName(), start.bundleVersion(), start.paramsJson(), start.memoKey());
            ps.executeUpdate();
            id = generatedId(ps);
          }
          if (!start.inputs().isEmpty()) {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO step_inputs (step_record_id, "
                + "input_name, producer_step_record_id, producer_output, value_hash) "
                + "VALUES (?, ?, ?, ?, ?)")) {
              for (StepInput input : start.inputs()) {
                Rows.bind(ps, id, input.name(), input.producerStepRecordId(), input.producerOutput(),
                    input.valueHash());
                ps.addBatch();
              }
              ps.executeBatch();
            }
          }
          return id;
        });
  }

  @Override
  public void finishStep(long stepRecordId, StepFinish finish) {
    db.transaction("recording the end of step record " + stepRecordId, c -> {
      Long origin = finish.cachedFrom() == null ? null : originOf(c, finish.cachedFrom());
      if (!StepStates.end(c, stepRecordId, finish.status(), origin, finish.duration().toMillis(),
          finish.errorMessage(), finish.errorStackTrace())) {
        Optional<String> status = single(c, "SELECT status FROM step_view WHERE id = ?",
            stepRecordId);
        if (status.isEmpty()) {
          throw new IllegalArgumentException("there is no step record " + stepRecordId);
        }
        throw new IllegalStateException("step record " + stepRecordId + " cannot end as "
            + finish.status() + ": it is already " + status.get());
      }
      if (!finish.outputs().isEmpty()) {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO step_outputs (step_record_id, "
            + "output_name, value_type, value_hash, artifact_path, value_json) VALUES (?, ?, ?, ?, ?, ?)")) {
          for (StepOutput output : finish.outputs()) {
            Rows.bind(ps, stepRecordId, output.name(), output.type(), output.valueHash(),
                output.artifactPath() == null ? null : relativePath(output.artifactPath()),
                output.valueJson());
            ps.addBatch();
          }
          ps.executeBatch();
        }
      }
      return null;
    });
  }

  /** The succeeded record that computed what {@code stepRecordId} holds (itself if it did). */
  private static long originOf(Connection c, long stepRecordId) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(
        "SELECT COALESCE(cached_from, id), status FROM step_view WHERE id = ?")) {
      ps.setLong(1, stepRecordId);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          throw new IllegalArgumentException("cachedFrom names step record " + stepRecordId
              + ", which does not exist");
        }
        StepStatus status = StepStatus.valueOf(rs.getString(2));
        if (!status.completed()) {
          throw new IllegalArgumentException("cachedFrom names step record " + stepRecordId
              + ", which is " + status + ", not SUCCEEDED or CACHED");
        }
        return rs.getLong(1);
      }
    }
  }

  @Override
  public long recordArtifact(long stepRecordId, String kind, String path, String sha256, long sizeBytes) {
    if (!SHA256.matcher(sha256).matches()) {
      throw new IllegalArgumentException("artifact " + path + ": '" + sha256
          + "' is not a SHA-256 in hex (64 digits)");
    }
    if (sizeBytes < 0) {
      throw new IllegalArgumentException("artifact " + path + ": negative size " + sizeBytes);
    }
    String relative = relativePath(path);
    return db.transaction("recording artifact " + relative, c -> {
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO artifacts (step_record_id, run_id, "
          + "kind, path, sha256, size_bytes, recorded_at) SELECT id, run_id, ?, ?, ?, ?, "
          + "CURRENT_TIMESTAMP FROM step_records WHERE id = ?", new String[] {"ID"})) {
        Rows.bind(ps, kind, relative, sha256.toLowerCase(Locale.ROOT), sizeBytes, stepRecordId);
        requireStepRecord(ps.executeUpdate(), stepRecordId);
        return generatedId(ps);
      }
    });
  }

  @Override
  public long recordSource(long stepRecordId, SourceKind kind, String name, String sourcePath,
      String contentHash, String detailsJson) {
    return db.transaction("recording " + kind.name().toLowerCase(Locale.ROOT) + " " + name, c -> {
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO sources (step_record_id, kind, "
          + "name, source_path, content_hash, details_json, recorded_at) SELECT id, ?, ?, ?, ?, ?, "
          + "CURRENT_TIMESTAMP FROM step_records WHERE id = ?", new String[] {"ID"})) {
        Rows.bind(ps, kind.name(), name, sourcePath, contentHash.toLowerCase(Locale.ROOT),
            detailsJson, stepRecordId);
        requireStepRecord(ps.executeUpdate(), stepRecordId);
        return generatedId(ps);
      }
    });
  }

  @Override
  public void recordMetric(long stepRecordId, String name, String group, double value) {
    db.transaction("recording metric " + name, c -> {
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO metrics (step_record_id, "
          + "metric_name, metric_group, metric_value, recorded_at) SELECT id, ?, ?, ?, "
          + "CURRENT_TIMESTAMP FROM step_records WHERE id = ?")) {
        Rows.bind(ps, name, group == null ? "" : group, value, stepRecordId);
        requireStepRecord(ps.executeUpdate(), stepRecordId);
      }
      return null;
    });
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

  // ---- helpers ------------------------------------------------------------------------------

  /**
   * Checks an artifact path: relative to runs/, {@code /}-separated, no {@code .} or {@code ..}
   * segments. A path that breaks this is the engine's bug, not the user's.
   */
  static String relativePath(String path) {
    if (path.isBlank() || path.startsWith("/") || path.contains("\\") || path.matches("^[A-Za-z]:.*")) {
      throw new IllegalArgumentException("artifact path '" + path
          + "' must be relative to the runs/ folder and use / as separator");
    }
    for (String segment : path.split("/", -1)) {
      if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
        throw new IllegalArgumentException("artifact path '" + path
            + "' has an empty, . or .. segment; give it relative to runs/, normalized");
      }
    }
    return path;
  }

  private static void requireStepRecord(int inserted, long stepRecordId) {
    if (inserted == 0) {
      throw new IllegalArgumentException("there is no step record " + stepRecordId);
    }
  }

  private static long generatedId(PreparedStatement ps) throws SQLException {
    try (ResultSet keys = ps.getGeneratedKeys()) {
      if (!keys.next()) {
        throw new IllegalStateException("the database returned no generated id");
      }
      return keys.getLong(1);
    }
  }

  private static Optional<RunStatus> runStatus(Connection c, long runId) throws SQLException {
    return single(c, "SELECT status FROM run_view WHERE id = ?", runId).map(RunStatus::valueOf);
  }

  private static Optional<String> single(Connection c, String sql, Object... args) throws SQLException {
    List<String> values = Rows.list(c, sql, rs -> rs.getString(1), args);
    return values.stream().findFirst();
  }
}
