import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import type { ExecutionDetail, ExecutionQuery, ExecutionSummary, Page } from '../host/api';
import { executionQuerySchema } from '../host/api';
import type { ExecutionStatus, StepRecord } from '../runtime/events';
import type { ExecutionStore, FinishRecord, NewExecution, PendingExecution } from './types';
import { MIGRATIONS, SCHEMA_VERSION } from './schema';

export interface SqliteStoreOptions {
  /** `FULL` (default) survives power loss; `NORMAL` survives process crashes only. See README "Durability". */
  synchronous?: 'FULL' | 'NORMAL';
  onWriteError?: (err: unknown) => void;
}

type Row = Record<string, any>;

/**
 * SQLite (better-sqlite3, WAL) execution store with group commit: every write made during one turn of
 * the event loop goes into one transaction, so many concurrent acknowledgements share one fsync.
 *
 * @example
 * const store = openSqliteStore('/data/hookline.db');
 * await store.accept({ id, flowId, ... }); // durable once this resolves
 */
export function openSqliteStore(file: string, opts: SqliteStoreOptions = {}): ExecutionStore {
  if (file !== ':memory:') fs.mkdirSync(path.dirname(file), { recursive: true });
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma(`synchronous = ${opts.synchronous ?? 'FULL'}`);
  db.pragma('busy_timeout = 5000');
  migrate(db);
  return new SqliteStore(db, opts);
}

function migrate(db: Database.Database) {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > SCHEMA_VERSION) throw new Error(`execution database is from a newer version (schema ${current}, this build reads ${SCHEMA_VERSION})`);
  for (let v = current; v < SCHEMA_VERSION; v++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[v]);
      db.pragma(`user_version = ${v + 1}`);
    })();
  }
}

const json = (v: unknown) => (v === undefined ? null : JSON.stringify(v));
const parse = (s: string | null) => (s == null ? undefined : JSON.parse(s));
const iso = (ms: number | null) => (ms == null ? undefined : new Date(ms).toISOString());

class SqliteStore implements ExecutionStore {
  private ops: Array<() => void> = [];
  private committed: Array<{ resolve: () => void; reject: (e: unknown) => void }> = [];
  private scheduled = false;
  private closed = false;
  /** Rows inserted by the batch being built: a later started/finish in the same batch patches the row instead of updating it. */
  private pendingRows = new Map<string, Row>();
  private fullSync: boolean;
  private currentFull: boolean;
  private readonly s;

  constructor(private readonly db: Database.Database, private readonly opts: SqliteStoreOptions) {
    this.fullSync = (opts.synchronous ?? 'FULL') === 'FULL';
    this.currentFull = this.fullSync;
    this.s = {
      insert: db.prepare(`INSERT INTO executions (id, flow_id, flow_revision, trigger_node_id, lane, order_seq, status, blocking, queued_at, started_at,
        finished_at, business_key, idempotency_key, retry_of, diagnostics, input, output, error) VALUES (@id, @flowId, @flowRevision, @triggerNodeId,
        @lane, @orderSeq, @status, @blocking, @queuedAt, @startedAt, @finishedAt, @businessKey, @idempotencyKey, @retryOf, @diagnostics, @input,
        @output, @error)`),
      started: db.prepare(`UPDATE executions SET status = 'running', started_at = ? WHERE id = ?`),
      finish: db.prepare(`UPDATE executions SET status = @status, finished_at = @finishedAt, output = @output, error = @error,
        blocking = @blocking, input = CASE WHEN @keepInput THEN input ELSE NULL END WHERE id = @id`),
      blocking: db.prepare(`UPDATE executions SET blocking = ?, status = COALESCE(?, status) WHERE id = ?`),
      step: db.prepare(`INSERT OR REPLACE INTO steps (execution_id, idx, node_id, node_type, status, port, input, output, output_same, error, attempts, started_at, duration_ms)
        VALUES (@executionId, @index, @nodeId, @nodeType, @status, @port, @input, @output, @outputSame, @error, @attempts, @startedAt, @durationMs)`),
      retainThreshold: db.prepare(`SELECT seq FROM executions WHERE flow_id = ? AND status NOT IN ('queued', 'running') AND blocking = 0 ORDER BY seq DESC LIMIT 1 OFFSET ?`),
      retainSteps: db.prepare(`DELETE FROM steps WHERE execution_id IN (SELECT id FROM executions WHERE flow_id = @flowId AND status NOT IN ('queued', 'running')
        AND blocking = 0 AND (seq <= @seq OR queued_at < @cutoff))`),
      retainExecutions: db.prepare(`DELETE FROM executions WHERE flow_id = @flowId AND status NOT IN ('queued', 'running') AND blocking = 0
        AND (seq <= @seq OR queued_at < @cutoff)`),
      get: db.prepare(`SELECT * FROM executions WHERE id = ?`),
      steps: db.prepare(`SELECT * FROM steps WHERE execution_id = ? ORDER BY idx`),
      idem: db.prepare(`SELECT id FROM executions WHERE flow_id = ? AND trigger_node_id = ? AND idempotency_key = ? AND queued_at >= ? ORDER BY seq LIMIT 1`),
      counter: db.prepare(`INSERT INTO counters (key, value) VALUES (?, 1) ON CONFLICT(key) DO UPDATE SET value = value + 1`),
      getCounter: db.prepare(`SELECT value FROM counters WHERE key = ?`),
      touchKey: db.prepare(`INSERT INTO api_key_usage (flow_id, node_id, key_id, last_used_at) VALUES (?, ?, ?, ?)
        ON CONFLICT(flow_id, node_id, key_id) DO UPDATE SET last_used_at = excluded.last_used_at`),
      keyUsage: db.prepare(`SELECT key_id, last_used_at FROM api_key_usage WHERE flow_id = ? AND node_id = ?`),
    };
  }

  private schedule() {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => this.flush());
  }

  flush(): void {
    this.scheduled = false;
    if (this.ops.length === 0 || this.closed) return;
    const ops = this.ops;
    const waiters = this.committed;
    this.ops = [];
    this.committed = [];
    this.pendingRows = new Map();
    // Only commits that someone waits on (accepted messages) pay for an fsync; the write-behind records
    // ride along with the next one. If the power fails first, a message whose result was not yet synced
    // is found queued or running at start-up and runs again (at-least-once).
    const full = this.fullSync && waiters.length > 0;
    if (full !== this.currentFull) {
      this.db.pragma(`synchronous = ${full ? 'FULL' : 'NORMAL'}`);
      this.currentFull = full;
    }
    try {
      this.db.transaction(() => {
        for (const op of ops) op();
      })();
    } catch (err) {
      for (const w of waiters) w.reject(err);
      this.opts.onWriteError?.(err);
      return;
    }
    for (const w of waiters) w.resolve();
  }

  accept(rec: NewExecution): Promise<number> {
    let pos = 0;
    return new Promise<void>((resolve, reject) => {
      const row = this.row(rec);
      this.pendingRows.set(rec.id, row);
      this.ops.push(() => {
        const r = this.s.insert.run(row);
        pos = rec.orderSeq ?? Number(r.lastInsertRowid);
      });
      this.committed.push({ resolve, reject });
      this.schedule();
    }).then(() => pos);
  }

  record(rec: NewExecution): void {
    const row = this.row(rec);
    this.pendingRows.set(rec.id, row);
    this.ops.push(() => this.s.insert.run(row));
    this.schedule();
  }

  private row(rec: NewExecution) {
    return {
      id: rec.id,
      flowId: rec.flowId,
      flowRevision: rec.flowRevision,
      triggerNodeId: rec.triggerNodeId,
      lane: rec.lane ?? null,
      orderSeq: rec.orderSeq ?? null,
      status: rec.status as string,
      blocking: 0,
      queuedAt: rec.queuedAt,
      startedAt: (rec.status === 'running' ? rec.queuedAt : null) as number | null,
      finishedAt: null as number | null,
      output: null as string | null,
      error: null as string | null,
      businessKey: rec.businessKey ?? null,
      idempotencyKey: rec.idempotencyKey ?? null,
      retryOf: rec.retryOf ?? null,
      diagnostics: rec.diagnostics,
      input: JSON.stringify(rec.input) as string | null,
    };
  }

  markStarted(id: string, at: number): void {
    const row = this.pendingRows.get(id);
    if (row) {
      row.status = 'running';
      row.startedAt = at;
      return;
    }
    this.ops.push(() => this.s.started.run(at, id));
    this.schedule();
  }

  recordStep(step: StepRecord, diagnostics: 'full' | 'metadata'): void {
    const full = diagnostics === 'full';
    const same = full && step.output !== undefined && step.output === step.input;
    this.ops.push(() =>
      this.s.step.run({
        executionId: step.executionId,
        index: step.index,
        nodeId: step.nodeId,
        nodeType: step.nodeType,
        status: step.status,
        port: step.port ?? null,
        input: full ? json(withoutTrigger(step.input)) : null,
        output: full && !same ? json(withoutTrigger(step.output)) : null,
        outputSame: same ? 1 : 0,
        error: json(step.error),
        attempts: json(step.attempts),
        startedAt: step.startedAt,
        durationMs: step.durationMs,
      }),
    );
    this.schedule();
  }

  finish(id: string, rec: FinishRecord, diagnostics: 'full' | 'metadata'): void {
    const full = diagnostics === 'full';
    // The input stays while it may be needed again: full diagnostics, a halted line, or a retry.
    const keepInput = full || !!rec.blocking || rec.status !== 'succeeded';
    const values = { status: rec.status, finishedAt: rec.finishedAt, output: full ? json(rec.output) : null, error: json(rec.error), blocking: rec.blocking ? 1 : 0 };
    const row = this.pendingRows.get(id);
    if (row) {
      Object.assign(row, values);
      if (!keepInput) row.input = null;
      return;
    }
    this.ops.push(() => this.s.finish.run({ id, ...values, keepInput: keepInput ? 1 : 0 }));
    this.schedule();
  }

  setBlocking(id: string, blocking: boolean, status?: ExecutionStatus): void {
    this.ops.push(() => this.s.blocking.run(blocking ? 1 : 0, status ?? null, id));
    this.schedule();
  }

  async getExecution(id: string): Promise<ExecutionDetail | null> {
    this.flush();
    const row = this.s.get.get(id) as Row | undefined;
    if (!row) return null;
    const input = parse(row.input) as { trigger?: unknown } | undefined;
    const steps = (this.s.steps.all(id) as Row[]).map((s) => {
      const stepInput = withTrigger(parse(s.input), input?.trigger);
      return {
        executionId: s.execution_id,
        index: s.idx,
        nodeId: s.node_id,
        nodeType: s.node_type,
        status: s.status,
        port: s.port ?? undefined,
        input: stepInput,
        output: s.output_same ? stepInput : withTrigger(parse(s.output), input?.trigger),
        error: parse(s.error),
        attempts: parse(s.attempts),
        startedAt: s.started_at,
        durationMs: s.duration_ms,
      };
    });
    return { ...summary(row), input, output: parse(row.output), steps };
  }

  async getInput(id: string) {
    this.flush();
    const row = this.s.get.get(id) as Row | undefined;
    if (!row || row.input == null) return null;
    return { input: JSON.parse(row.input), summary: summary(row) };
  }

  async listExecutions(query: ExecutionQuery): Promise<Page<ExecutionSummary>> {
    this.flush();
    const q = executionQuerySchema.parse(query);
    const where: string[] = [];
    const args: unknown[] = [];
    const add = (sql: string, ...values: unknown[]) => {
      where.push(sql);
      args.push(...values);
    };
    if (q.flowId) add('flow_id = ?', q.flowId);
    if (q.status?.length) add(`status IN (${q.status.map(() => '?').join(',')})`, ...q.status);
    if (q.from) add('queued_at >= ?', Date.parse(q.from));
    if (q.to) add('queued_at <= ?', Date.parse(q.to));
    if (q.businessKey) add(`business_key LIKE ? ESCAPE '\\'`, `%${q.businessKey.replace(/[\\%_]/g, (c) => '\\' + c)}%`);
    const filter = where.length ? `WHERE ${where.join(' AND ')}` : '';
    const total = (this.db.prepare(`SELECT COUNT(*) AS n FROM executions ${filter}`).get(...args) as Row).n as number;
    const pageWhere = q.cursor ? `${filter ? filter + ' AND' : 'WHERE'} seq < ?` : filter;
    const pageArgs = q.cursor ? [...args, Number(q.cursor)] : args;
    const rows = this.db
      .prepare(`SELECT seq, id, flow_id, flow_revision, trigger_node_id, status, queued_at, started_at, finished_at, business_key, retry_of, error
        FROM executions ${pageWhere} ORDER BY seq DESC LIMIT ?`)
      .all(...pageArgs, q.limit + 1) as Row[];
    const more = rows.length > q.limit;
    const items = rows.slice(0, q.limit);
    return { items: items.map(summary), total, ...(more ? { nextCursor: String(items[items.length - 1].seq) } : {}) };
  }

  async findByIdempotencyKey(flowId: string, nodeId: string, key: string, sinceMs: number) {
    this.flush();
    const row = this.s.idem.get(flowId, nodeId, key, sinceMs) as Row | undefined;
    return row?.id as string | undefined;
  }

  async recover() {
    this.flush();
    const pending = (status: string) =>
      (this.db.prepare(`SELECT * FROM executions WHERE ${status} ORDER BY COALESCE(order_seq, seq)`).all() as Row[]).map(pendingRow);
    const interrupted = this.db.transaction(() => {
      const running = pending(`status = 'running'`);
      this.db.prepare(`UPDATE executions SET status = 'interrupted', finished_at = ? WHERE status = 'running'`).run(Date.now());
      return running.map((r) => ({ ...r, status: 'interrupted' as const }));
    })();
    return { queued: pending(`status = 'queued'`), interrupted, blocked: pending(`blocking = 1`) };
  }

  countRejection(flowId: string, nodeId: string): void {
    this.ops.push(() => this.s.counter.run(`rejected:${flowId}/${nodeId}`));
    this.schedule();
  }

  async rejections(flowId: string, nodeId: string) {
    this.flush();
    return ((this.s.getCounter.get(`rejected:${flowId}/${nodeId}`) as Row | undefined)?.value as number) ?? 0;
  }

  touchApiKey(flowId: string, nodeId: string, keyId: string, at: number): void {
    this.ops.push(() => this.s.touchKey.run(flowId, nodeId, keyId, at));
    this.schedule();
  }

  async apiKeyLastUsed(flowId: string, nodeId: string) {
    this.flush();
    const out: Record<string, number> = {};
    for (const r of this.s.keyUsage.all(flowId, nodeId) as Row[]) out[r.key_id] = r.last_used_at;
    return out;
  }

  async applyRetention(flowId: string, maxCount: number, maxAgeDays: number, now = Date.now()) {
    this.flush();
    return this.db.transaction(() => {
      // Finished executions past the newest `maxCount`, or older than `maxAgeDays`; never queued work or halted heads.
      const threshold = this.s.retainThreshold.get(flowId, maxCount) as Row | undefined;
      const args = { flowId, seq: (threshold?.seq as number | undefined) ?? -1, cutoff: now - maxAgeDays * 86_400_000 };
      this.s.retainSteps.run(args);
      return this.s.retainExecutions.run(args).changes;
    })();
  }

  async ping(): Promise<void> {
    if (this.closed) throw new Error('the execution store is closed');
    this.flush();
    this.db.prepare(`INSERT INTO counters (key, value) VALUES ('ping', 1) ON CONFLICT(key) DO UPDATE SET value = value + 1`).run();
  }

  close(): void {
    if (this.closed) return;
    this.flush();
    this.closed = true;
    this.db.close();
  }
}

/** Steps are stored without the trigger part of their messages: it never changes within an execution and is in its input. */
function withoutTrigger(v: unknown): unknown {
  if (Array.isArray(v)) return v.map((e) => (e && typeof e === 'object' && 'message' in e ? { ...e, message: withoutTrigger((e as { message: unknown }).message) } : e));
  if (v && typeof v === 'object' && 'trigger' in v && 'data' in v) {
    const { trigger: _t, ...rest } = v as Record<string, unknown>;
    return rest;
  }
  return v;
}

function withTrigger(v: unknown, trigger: unknown): unknown {
  if (trigger === undefined || v === undefined) return v;
  if (Array.isArray(v)) return v.map((e) => (e && typeof e === 'object' && 'message' in e ? { ...e, message: withTrigger((e as { message: unknown }).message, trigger) } : e));
  if (v && typeof v === 'object' && 'data' in v) return { trigger, ...(v as object) };
  return v;
}

function summary(row: Row): ExecutionSummary {
  const started = row.started_at as number | null;
  const finished = row.finished_at as number | null;
  return {
    id: row.id,
    flowId: row.flow_id,
    flowRevision: row.flow_revision,
    triggerNodeId: row.trigger_node_id,
    status: row.status,
    queuedAt: iso(row.queued_at)!,
    startedAt: iso(started),
    finishedAt: iso(finished),
    durationMs: started != null && finished != null ? finished - started : undefined,
    businessKey: row.business_key ?? undefined,
    retryOf: row.retry_of ?? undefined,
    error: parse(row.error),
  };
}

function pendingRow(row: Row): PendingExecution {
  return {
    id: row.id,
    flowId: row.flow_id,
    flowRevision: row.flow_revision,
    triggerNodeId: row.trigger_node_id,
    lane: row.lane ?? undefined,
    orderSeq: row.order_seq ?? row.seq,
    status: row.status,
    blocking: row.blocking === 1,
    queuedAt: row.queued_at,
    businessKey: row.business_key ?? undefined,
    diagnostics: row.diagnostics,
    input: row.input ? JSON.parse(row.input) : undefined,
  };
}
