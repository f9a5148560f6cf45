import type { WriteStatement, Batch } from './sqlite-writer';
import { SPOOL_FROM, type Spool } from './spool';

type Row = Record<string, any>;

/** Every write the store makes, by name, with `@name` parameters; the writer thread prepares them once. */
export const WRITES = {
  insert: `INSERT INTO executions (id, flow_id, flow_revision, trigger_node_id, lane, order_seq, status, blocking, queued_at, started_at,
    finished_at, business_key, idempotency_key, retry_of, diagnostics, input, raw_body, output, error, refs, steps, reply) VALUES (@id, @flowId, @flowRevision, @triggerNodeId,
    @lane, @orderSeq, @status, @blocking, @queuedAt, @startedAt, @finishedAt, @businessKey, @idempotencyKey, @retryOf, @diagnostics, @input,
    @rawBody, @output, @error, @refs, @steps, @reply)`,
  started: `UPDATE executions SET status = 'running', started_at = @at WHERE id = @id`,
  finish: `UPDATE executions SET status = @status, finished_at = @finishedAt, output = @output, error = @error, refs = refs | @refs,
    blocking = @blocking, steps = COALESCE(@steps, steps), reply = COALESCE(@reply, reply), input = CASE WHEN @keepInput THEN input ELSE NULL END,
    raw_body = CASE WHEN @keepInput THEN raw_body ELSE NULL END WHERE id = @id`,
  blocking: `UPDATE executions SET blocking = @blocking, status = COALESCE(@status, status) WHERE id = @id`,
  step: `INSERT OR REPLACE INTO steps (execution_id, idx, node_id, node_type, status, port, input, input_ref, output, output_same, error, attempts, started_at, duration_ms)
    VALUES (@executionId, @index, @nodeId, @nodeType, @status, @port, @input, @inputRef, @output, @outputSame, @error, @attempts, @startedAt, @durationMs)`,
  counter: `INSERT INTO counters (key, value) VALUES (@key, 1) ON CONFLICT(key) DO UPDATE SET value = value + 1`,
  touchKey: `INSERT INTO api_key_usage (flow_id, node_id, key_id, last_used_at) VALUES (@flowId, @nodeId, @keyId, @at)
    ON CONFLICT(flow_id, node_id, key_id) DO UPDATE SET last_used_at = excluded.last_used_at`,
  interrupt: `UPDATE executions SET status = 'interrupted', finished_at = @at WHERE status = 'running'`,
  // Retention runs on the writer thread: the newest finished execution to delete is found through indexes (past
  // the newest @maxCount finished ones, or older than @before), never touching queued work or halted heads.
  retainSteps: `DELETE FROM steps WHERE execution_id IN (SELECT id FROM executions WHERE flow_id = @flowId AND seq <= ${retentionThreshold()}
    AND status NOT IN ('queued', 'running') AND blocking = 0)`,
  retainExecutions: `DELETE FROM executions WHERE flow_id = @flowId AND seq <= ${retentionThreshold()} AND status NOT IN ('queued', 'running') AND blocking = 0`,
};
export type WriteName = keyof typeof WRITES;

/**
 * The newest `seq` retention may delete up to. By count: the flow's executions newest first, skipping @maxCount plus
 * the number of its open ones (ix_exec_open), read from the (flow_id, seq) index alone; an open one older than that
 * point only makes it keep a few more. Counting finished rows directly read each row for its status: 10 ms per
 * retention run with 10,000 rows in the page cache, and a disk read per row when not.
 */
function retentionThreshold(): string {
  return `MAX(
    COALESCE((SELECT seq FROM executions WHERE flow_id = @flowId ORDER BY seq DESC LIMIT 1 OFFSET @maxCount +
      (SELECT count(*) FROM executions WHERE flow_id = @flowId AND (status IN ('queued', 'running') OR blocking = 1))), -1),
    COALESCE((SELECT seq FROM executions WHERE flow_id = @flowId AND queued_at < @before ORDER BY queued_at DESC LIMIT 1), -1))`;
}

/** Runs that report the new row's position (accept() resolves with it); the rest report rows changed. */
const RETURNS_ROWID = new Set<WriteName>(['insert']);
/** Parameters that may travel in the batch's spool (see spool.ts): large JSON texts, and BLOBs (always). */
const SPOOLED_TEXT = new Set(['input', 'output', 'steps', 'error', 'attempts', 'reply']);
const BLOB_PARAMS = new Set(['rawBody']);

/** The statements in positional form, and for each the order in which its named parameters fill the `?`s. */
const NAMES = Object.keys(WRITES) as WriteName[];
export const OP = Object.fromEntries(NAMES.map((n, i) => [n, i])) as Record<WriteName, number>;
export const PARAM_ORDER: string[][] = [];
/** For each statement, the names of its parameters that may be spooled. */
const SPOOLED_NAMES: string[][] = [];
export const STATEMENTS: WriteStatement[] = NAMES.map((name) => {
  const order: string[] = [];
  const sql = WRITES[name].replace(/@(\w+)/g, (_, p: string) => {
    order.push(p);
    return '?';
  });
  PARAM_ORDER.push(order);
  const spooled = order.flatMap((p, i) => (SPOOLED_TEXT.has(p) || BLOB_PARAMS.has(p) ? [i] : []));
  const blobs = order.flatMap((p, i) => (BLOB_PARAMS.has(p) ? [i] : []));
  SPOOLED_NAMES.push([...new Set(order.filter((p) => SPOOLED_TEXT.has(p) || BLOB_PARAMS.has(p)))]);
  return { sql, params: order.length, returns: RETURNS_ROWID.has(name) ? 'rowid' : 'changes', ...(spooled.length ? { spooled, blobs } : {}) };
});

/**
 * Moves a run's large texts and its bytes into the spool (in place: each becomes its span index), so they do not
 * wait in the JavaScript heap for the batch to go. Values set later (a pending row patched) are spooled by encode.
 */
export function spoolParams(name: WriteName, params: Row, spool: Spool): void {
  for (const p of SPOOLED_NAMES[OP[name]]) {
    const v = params[p];
    if (typeof v === 'string') {
      if (v.length >= SPOOL_FROM) params[p] = spool.text(v);
    } else if (v instanceof Uint8Array) params[p] = spool.bytes(v);
  }
}

/** Flattens named runs into the writer's batch: statement index, then its parameters in `?` order. */
export function encode(ops: Array<[WriteName, Row]>, spool: Spool): Batch {
  const batch: unknown[] = [];
  for (const [name, params] of ops) {
    const op = OP[name];
    spoolParams(name, params, spool);
    batch.push(op);
    for (const p of PARAM_ORDER[op]) {
      const v = params[p];
      batch.push(v === undefined ? null : v);
    }
  }
  return batch;
}

