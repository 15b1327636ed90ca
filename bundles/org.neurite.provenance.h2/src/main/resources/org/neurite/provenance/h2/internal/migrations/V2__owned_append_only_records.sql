-- Neurite provenance schema, version 2: every record belongs to the database user who wrote it, and
-- records are never changed. A run or step that ends, is interrupted, is resumed or beats its
-- heartbeat gets a new row; the views run_view and step_view show each record in its latest state.
--
-- What the database enforces (docs/security.md):
--   * owner defaults to CURRENT_USER and a CHECK refuses any other value, so a row always names the
--     user who inserted it;
--   * child and state rows reference their parent by (id, owner): a user can attach steps, states,
--     heartbeats, inputs, outputs, artifacts, sources and metrics only to their own runs and steps;
--   * the role NEURITE_WRITER may SELECT and INSERT, never UPDATE or DELETE; NEURITE_MAINTAINER may
--     also DELETE (maintenance); only the database's admin may change the schema.
--
-- Records of version 1 had no owner: they are given to NEURITE, the application user of an embedded
-- workspace database. In a lab database they stay readable by everyone and writable by no one.
-- Every statement can run again harmlessly, as in V1.

ALTER TABLE runs ADD COLUMN IF NOT EXISTS owner VARCHAR(128);
UPDATE runs SET owner = 'NEURITE' WHERE owner IS NULL;
ALTER TABLE runs ALTER COLUMN owner SET DEFAULT CURRENT_USER;
ALTER TABLE runs ALTER COLUMN owner SET NOT NULL;
ALTER TABLE runs ADD CONSTRAINT IF NOT EXISTS runs_owner_is_writer CHECK (owner = CURRENT_USER) NOCHECK;
ALTER TABLE runs ADD CONSTRAINT IF NOT EXISTS runs_id_owner UNIQUE (id, owner);

ALTER TABLE step_records ADD COLUMN IF NOT EXISTS owner VARCHAR(128);
UPDATE step_records SET owner = 'NEURITE' WHERE owner IS NULL;
ALTER TABLE step_records ALTER COLUMN owner SET DEFAULT CURRENT_USER;
ALTER TABLE step_records ALTER COLUMN owner SET NOT NULL;
ALTER TABLE step_records ADD CONSTRAINT IF NOT EXISTS step_records_owner_is_writer CHECK (owner = CURRENT_USER) NOCHECK;
ALTER TABLE step_records ADD CONSTRAINT IF NOT EXISTS step_records_id_owner UNIQUE (id, owner);
ALTER TABLE step_records ADD CONSTRAINT IF NOT EXISTS step_records_own_run
  FOREIGN KEY (run_id, owner) REFERENCES runs(id, owner);

ALTER TABLE step_inputs ADD COLUMN IF NOT EXISTS owner VARCHAR(128);
UPDATE step_inputs SET owner = 'NEURITE' WHERE owner IS NULL;
ALTER TABLE step_inputs ALTER COLUMN owner SET DEFAULT CURRENT_USER;
ALTER TABLE step_inputs ALTER COLUMN owner SET NOT NULL;
ALTER TABLE step_inputs ADD CONSTRAINT IF NOT EXISTS step_inputs_owner_is_writer CHECK (owner = CURRENT_USER) NOCHECK;
ALTER TABLE step_inputs ADD CONSTRAINT IF NOT EXISTS step_inputs_own_step
  FOREIGN KEY (step_record_id, owner) REFERENCES step_records(id, owner);

ALTER TABLE step_outputs ADD COLUMN IF NOT EXISTS owner VARCHAR(128);
UPDATE step_outputs SET owner = 'NEURITE' WHERE owner IS NULL;
ALTER TABLE step_outputs ALTER COLUMN owner SET DEFAULT CURRENT_USER;
ALTER TABLE step_outputs ALTER COLUMN owner SET NOT NULL;
ALTER TABLE step_outputs ADD CONSTRAINT IF NOT EXISTS step_outputs_owner_is_writer CHECK (owner = CURRENT_USER) NOCHECK;
ALTER TABLE step_outputs ADD CONSTRAINT IF NOT EXISTS step_outputs_own_step
  FOREIGN KEY (step_record_id, owner) REFERENCES step_records(id, owner);

ALTER TABLE artifacts ADD COLUMN IF NOT EXISTS owner VARCHAR(128);
UPDATE artifacts SET owner = 'NEURITE' WHERE owner IS NULL;
ALTER TABLE artifacts ALTER COLUMN owner SET DEFAULT CURRENT_USER;
ALTER TABLE artifacts ALTER COLUMN owner SET NOT NULL;
ALTER TABLE artifacts ADD CONSTRAINT IF NOT EXISTS artifacts_owner_is_writer CHECK (owner = CURRENT_USER) NOCHECK;
ALTER TABLE artifacts ADD CONSTRAINT IF NOT EXISTS artifacts_own_step
  FOREIGN KEY (step_record_id, owner) REFERENCES step_records(id, owner);
ALTER TABLE artifacts ADD CONSTRAINT IF NOT EXISTS artifacts_own_run
  FOREIGN KEY (run_id, owner) REFERENCES runs(id, owner);

ALTER TABLE sources ADD COLUMN IF NOT EXISTS owner VARCHAR(128);
UPDATE sources SET owner = 'NEURITE' WHERE owner IS NULL;
ALTER TABLE sources ALTER COLUMN owner SET DEFAULT CURRENT_USER;
ALTER TABLE sources ALTER COLUMN owner SET NOT NULL;
ALTER TABLE sources ADD CONSTRAINT IF NOT EXISTS sources_owner_is_writer CHECK (owner = CURRENT_USER) NOCHECK;
ALTER TABLE sources ADD CONSTRAINT IF NOT EXISTS sources_own_step
  FOREIGN KEY (step_record_id, owner) REFERENCES step_records(id, owner);

ALTER TABLE metrics ADD COLUMN IF NOT EXISTS owner VARCHAR(128);
UPDATE metrics SET owner = 'NEURITE' WHERE owner IS NULL;
ALTER TABLE metrics ALTER COLUMN owner SET DEFAULT CURRENT_USER;
ALTER TABLE metrics ALTER COLUMN owner SET NOT NULL;
ALTER TABLE metrics ADD CONSTRAINT IF NOT EXISTS metrics_owner_is_writer CHECK (owner = CURRENT_USER) NOCHECK;
ALTER TABLE metrics ADD CONSTRAINT IF NOT EXISTS metrics_own_step
  FOREIGN KEY (step_record_id, owner) REFERENCES step_records(id, owner);

-- A run's states after the one its runs row was inserted with (seq 0): seq 1, 2, ... The primary key
-- lets only one process append a given next state: the loser of a race gets a duplicate key.
CREATE TABLE IF NOT EXISTS run_states (
  run_id         BIGINT NOT NULL,
  seq            INTEGER NOT NULL,
  owner          VARCHAR(128) DEFAULT CURRENT_USER NOT NULL,
  attempt        INTEGER NOT NULL,
  status         VARCHAR(16) NOT NULL,
  message        CHARACTER LARGE OBJECT,
  user_name      VARCHAR(255) NOT NULL,
  host           VARCHAR(255) NOT NULL,
  pid            BIGINT NOT NULL,
  process_start  TIMESTAMP(3) WITH TIME ZONE,
  recorded_at    TIMESTAMP(3) WITH TIME ZONE NOT NULL,
  PRIMARY KEY (run_id, seq),
  CONSTRAINT run_states_owner_is_writer CHECK (owner = CURRENT_USER),
  CONSTRAINT run_states_own_run FOREIGN KEY (run_id, owner) REFERENCES runs(id, owner)
);

CREATE TABLE IF NOT EXISTS run_heartbeats (
  run_id   BIGINT NOT NULL,
  owner    VARCHAR(128) DEFAULT CURRENT_USER NOT NULL,
  beat_at  TIMESTAMP(3) WITH TIME ZONE NOT NULL,
  CONSTRAINT run_heartbeats_owner_is_writer CHECK (owner = CURRENT_USER),
  CONSTRAINT run_heartbeats_own_run FOREIGN KEY (run_id, owner) REFERENCES runs(id, owner)
);
CREATE INDEX IF NOT EXISTS run_heartbeats_run ON run_heartbeats(run_id, beat_at);

-- How a step record ended (a step never runs again: a resumed run gets new step records), at most
-- once: the primary key settles a race between finishing a step and marking it interrupted.
CREATE TABLE IF NOT EXISTS step_states (
  step_record_id  BIGINT NOT NULL PRIMARY KEY,
  owner           VARCHAR(128) DEFAULT CURRENT_USER NOT NULL,
  status          VARCHAR(16) NOT NULL,
  cached_from     BIGINT REFERENCES step_records(id),
  duration_ms     BIGINT,
  error_message   CHARACTER LARGE OBJECT,
  error_trace     CHARACTER LARGE OBJECT,
  recorded_at     TIMESTAMP(3) WITH TIME ZONE NOT NULL,
  CONSTRAINT step_states_owner_is_writer CHECK (owner = CURRENT_USER),
  CONSTRAINT step_states_own_step FOREIGN KEY (step_record_id, owner) REFERENCES step_records(id, owner)
);

-- Runs in their latest state. A runs row holds the run as it started (as it was last updated, for
-- a version 1 row); run_states rows follow it.
CREATE OR REPLACE VIEW run_view AS
SELECT r.id, r.owner, r.workflow_name, r.workflow_source, r.workflow_text, r.workflow_sha256,
  r.params_json,
  CASE WHEN s.run_id IS NULL THEN r.user_name ELSE s.user_name END AS user_name,
  CASE WHEN s.run_id IS NULL THEN r.host ELSE s.host END AS host,
  CASE WHEN s.run_id IS NULL THEN r.pid ELSE s.pid END AS pid,
  CASE WHEN s.run_id IS NULL THEN r.process_start ELSE s.process_start END AS process_start,
  r.neurite_version, r.jvm_version, r.djl_version, r.engine_version, r.device, r.workspace,
  CASE WHEN s.run_id IS NULL THEN r.status ELSE s.status END AS status,
  CASE WHEN s.run_id IS NULL THEN r.message ELSE s.message END AS message,
  r.started_at,
  CASE WHEN s.run_id IS NULL THEN r.ended_at WHEN s.status = 'RUNNING' THEN NULL
       ELSE s.recorded_at END AS ended_at,
  GREATEST(r.heartbeat_at,
      COALESCE((SELECT MAX(h.beat_at) FROM run_heartbeats h WHERE h.run_id = r.id), r.heartbeat_at))
      AS heartbeat_at,
  CASE WHEN s.run_id IS NULL THEN r.attempt ELSE s.attempt END AS attempt,
  COALESCE(s.seq, 0) AS state_seq
FROM runs r
LEFT JOIN run_states s
  ON s.run_id = r.id AND s.seq = (SELECT MAX(x.seq) FROM run_states x WHERE x.run_id = r.id);

-- Step records in their latest state.
CREATE OR REPLACE VIEW step_view AS
SELECT s.id, s.owner, s.run_id, s.step_id, s.step_name, s.bundle_symbolic_name, s.bundle_version,
  s.params_json, s.memo_key,
  CASE WHEN t.step_record_id IS NULL THEN s.status ELSE t.status END AS status,
  CASE WHEN t.step_record_id IS NULL THEN s.cached_from ELSE t.cached_from END AS cached_from,
  s.started_at,
  CASE WHEN t.step_record_id IS NULL THEN s.ended_at ELSE t.recorded_at END AS ended_at,
  CASE WHEN t.step_record_id IS NULL THEN s.duration_ms ELSE t.duration_ms END AS duration_ms,
  CASE WHEN t.step_record_id IS NULL THEN s.error_message ELSE t.error_message END AS error_message,
  CASE WHEN t.step_record_id IS NULL THEN s.error_trace ELSE t.error_trace END AS error_trace
FROM step_records s
LEFT JOIN step_states t ON t.step_record_id = s.id;

-- The roles a lab administrator grants (docs/security.md). Granting again changes nothing.
CREATE ROLE IF NOT EXISTS neurite_writer;
GRANT SELECT, INSERT ON runs, run_states, run_heartbeats, step_records, step_states, step_inputs,
  step_outputs, artifacts, sources, metrics TO neurite_writer;
GRANT SELECT ON schema_version, run_view, step_view TO neurite_writer;

CREATE ROLE IF NOT EXISTS neurite_maintainer;
GRANT neurite_writer TO neurite_maintainer;
GRANT DELETE ON runs, run_states, run_heartbeats, step_records, step_states, step_inputs,
  step_outputs, artifacts, sources, metrics TO neurite_maintainer
