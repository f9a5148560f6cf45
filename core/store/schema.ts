import type Database from 'better-sqlite3';

/** SQLite schema of the execution store. Bump SCHEMA_VERSION and add a step to MIGRATIONS to change it. */
export const SCHEMA_VERSION = 6;

export const MIGRATIONS: string[] = [
  `CREATE TABLE executions (
     seq INTEGER PRIMARY KEY AUTOINCREMENT,
     id TEXT NOT NULL UNIQUE,
     flow_id TEXT NOT NULL,
     flow_revision INTEGER NOT NULL,
     trigger_node_id TEXT NOT NULL,
     lane TEXT,
     order_seq INTEGER,
     status TEXT NOT NULL,
     blocking INTEGER NOT NULL DEFAULT 0,
     queued_at INTEGER NOT NULL,
     started_at INTEGER,
     finished_at INTEGER,
     business_key TEXT,
     idempotency_key TEXT,
     retry_of TEXT,
     diagnostics TEXT NOT NULL,
     input TEXT,
     output TEXT,
     error TEXT
   );
   CREATE INDEX ix_exec_flow ON executions(flow_id, seq);
   CREATE INDEX ix_exec_status ON executions(status, seq);
   CREATE INDEX ix_exec_flow_time ON executions(flow_id, queued_at);
   CREATE INDEX ix_exec_bkey ON executions(business_key) WHERE business_key IS NOT NULL;
   CREATE INDEX ix_exec_idem ON executions(flow_id, trigger_node_id, idempotency_key) WHERE idempotency_key IS NOT NULL;
   -- A rowid table: step rows hold KB-sized JSON, which WITHOUT ROWID tables store badly.
   CREATE TABLE steps (
     id INTEGER PRIMARY KEY,
     execution_id TEXT NOT NULL,
     idx INTEGER NOT NULL,
     node_id TEXT NOT NULL,
     node_type TEXT NOT NULL,
     status TEXT NOT NULL,
     port TEXT,
     input TEXT,
     output TEXT,
     output_same INTEGER NOT NULL DEFAULT 0,
     error TEXT,
     attempts TEXT,
     started_at TEXT NOT NULL,
     duration_ms REAL NOT NULL
   );
   CREATE UNIQUE INDEX ix_steps ON steps(execution_id, idx);
   CREATE TABLE counters (key TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID;
   CREATE TABLE api_key_usage (
     flow_id TEXT NOT NULL, node_id TEXT NOT NULL, key_id TEXT NOT NULL, last_used_at INTEGER NOT NULL,
     PRIMARY KEY (flow_id, node_id, key_id)
   ) WITHOUT ROWID;`,
  // 2: parts of a record stored once and referenced (see sqlite-store.ts: REF_*, INPUT_REF_EXECUTION).
  `ALTER TABLE executions ADD COLUMN refs INTEGER NOT NULL DEFAULT 0;
   ALTER TABLE steps ADD COLUMN input_ref INTEGER;`,
  // 3: the raw bytes of a webhook body that the input's trigger.body is parsed from (REF_BODY_FROM_RAW).
  `ALTER TABLE executions ADD COLUMN raw_body BLOB;`,
  // 4: the steps of an execution that finished soon after it started, inline with its row (see sqlite-store.ts:
  // HOLD_MS and inline-steps.ts); the steps table keeps those of longer runs.
  `ALTER TABLE executions ADD COLUMN steps TEXT;`,
  // 5: a request-response execution's answer when it ran under an idempotency key, replayed to a duplicate also
  // after a restart (see record-codec.ts: replyJson).
  `ALTER TABLE executions ADD COLUMN reply TEXT;`,
  // 6: each flow's open executions (queued, running, or halting an ordered line), so retention finds the newest
  // `maxCount` finished ones from indexes alone (see retentionThreshold in statements.ts). A request-response row is
  // written finished and never enters it.
  `CREATE INDEX ix_exec_open ON executions(flow_id) WHERE status IN ('queued', 'running') OR blocking = 1;`,
];

/** Brings a database to SCHEMA_VERSION, one migration per transaction; refuses a database from a newer build. */
export function migrate(db: Database.Database) {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > SCHEMA_VERSION) throw new Error(`execution database is from a newer version (schema ${current}, this build reads ${SCHEMA_VERSION})`);
  for (let v = current; v < SCHEMA_VERSION; v++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[v]);
      db.pragma(`user_version = ${v + 1}`);
    })();
  }
}
