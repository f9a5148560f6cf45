import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import type { ExecutionDetail, ExecutionQuery, ExecutionSummary, Page } from '../host/api';
import { executionQuerySchema } from '../host/api';
import type { ExecutionStatus, StepRecord } from '../runtime/events';
import type { ExecutionStore, FinishRecord, NewExecution, PendingExecution, QueueEntry } from './types';
import { migrate } from './schema';
import { jsonOf } from '../model/json-cache';
import { createWriter, type Writer } from './sqlite-writer';
import { STATEMENTS, type WriteName } from './statements';
import { WriteBatcher } from './write-batcher';
import { mergeSteps, readInlineSteps, type StoredStep } from './inline-steps';
import { HOLD_MS, StepHolder, StepWrite } from './step-holder';
import { ExecutionRow } from './execution-row';
import { decodeInput, decodeReply, decodeSteps, inputJson, json, messageJson, parse, REF_OUTPUT_IS_INPUT_DATA, replyJson } from './record-codec';

export interface SqliteStoreOptions {
  /** `FULL` (default) survives power loss; `NORMAL` survives process crashes only. See README "Durability". */
  synchronous?: 'FULL' | 'NORMAL';
  /** `worker` (default): writes run on a writer thread; `inline`: on this thread. */
  writer?: 'worker' | 'inline';
  onWriteError?: (err: unknown) => void;
  /** The writer thread could not start and writes run on this thread instead (why, for the log). */
  onInlineWriter?: (reason: string) => void;
}

type Row = Record<string, any>;

/**
 * SQLite (better-sqlite3, WAL) execution store. Writes are grouped: everything written during one turn of
 * the event loop is one transaction, committed on a writer thread so SQLite's CPU and fsync time never block
 * request handling; `accept()` resolves once its transaction is committed. Reads run here, on a second
 * connection, after the writes made before them.
 *
 * @example
 * const store = openSqliteStore('/data/hookline.db');
 * await store.accept({ id, flowId, ... }); // durable once this resolves
 */
export function openSqliteStore(file: string, opts: SqliteStoreOptions = {}): ExecutionStore {
  if (file !== ':memory:') fs.mkdirSync(path.dirname(file), { recursive: true });
  const db = new Database(file);
  // New databases get 16 KB pages (SQLite's default is 4 KB): an execution row with its payloads is a few KB, and
  // every page a commit changes is one WAL frame, written and later checkpointed with syscalls of its own.
  // Writer CPU per relay execution 78-85 -> 66 us, per request-response execution 15 -> 14 us (retention
  // included). An existing database keeps its page size (it only changes with a VACUUM).
  db.pragma(`page_size = ${PAGE_SIZE}`);
  db.pragma('journal_mode = WAL');
  db.pragma('busy_timeout = 5000');
  migrate(db);
  return new SqliteStore(db, file, opts);
}

const PAGE_SIZE = 16384;

const iso = (ms: number | null) => (ms == null ? undefined : new Date(ms).toISOString());

class SqliteStore implements ExecutionStore {
  private closed = false;
  /** Rows inserted by the batch being built: a later started/finish in the same batch patches the row instead of updating it. */
  private pendingRows = new Map<string, Row>();
  private readonly writer: Promise<Writer>;
  private readonly batch: WriteBatcher;
  private lastError: unknown;
  /**
   * The execution whose input's data an object is: an execution that answers with its input's data (an echo)
   * refers to it instead of storing it again. (Step records learn where their input came from from the executor.)
   */
  private readonly inputDataOf = new WeakMap<object, string>();
  /**
   * Writes of running executions (their steps, and the row of a request-response run), written once with the
   * row when the execution finishes soon (see HOLD_MS).
   */
  private readonly held = new StepHolder(
    (kind, params) => {
      // A released insert is pending like any other: finish() before the batch goes merges into it.
      if (kind === 'insert') this.pendingRows.set(params.id, params);
      this.batch.add(kind, params);
    },
    () => {
      if (this.batch.pending > 0) this.batch.schedule();
    },
  );
  private readonly r;

  constructor(private readonly db: Database.Database, file: string, private readonly opts: SqliteStoreOptions) {
    db.pragma('query_only = ON'); // this connection only reads; every write goes through the writer
    this.writer = createWriter(file, STATEMENTS, db, opts.writer, opts.onInlineWriter);
    this.writer.catch((err) => opts.onWriteError?.(err));
    this.batch = new WriteBatcher(this.writer, {
      fullSync: (opts.synchronous ?? 'FULL') === 'FULL',
      beforeSend: () => this.beforeSend(),
      onError: (err) => {
        this.lastError = err;
        opts.onWriteError?.(err);
      },
    });
    this.r = {
      get: db.prepare(`SELECT * FROM executions WHERE id = ?`),
      steps: db.prepare(`SELECT * FROM steps WHERE execution_id = ? ORDER BY idx`),
      idem: db.prepare(`SELECT id, reply FROM executions WHERE flow_id = ? AND trigger_node_id = ? AND idempotency_key = ? AND queued_at >= ? ORDER BY seq LIMIT 1`),
      getCounter: db.prepare(`SELECT value FROM counters WHERE key = ?`),
      keyUsage: db.prepare(`SELECT key_id, last_used_at FROM api_key_usage WHERE flow_id = ? AND node_id = ?`),
    };
  }

  private write(name: WriteName, params: Row) {
    this.batch.write(name, params);
  }

  private writeAwaited(name: WriteName, params: Row): Promise<number> {
    return this.batch.writeAwaited(name, params);
  }

  /** Sends every pending write as one transaction (see WriteBatcher); resolves once it is committed. */
  flush(): Promise<void> {
    return this.batch.flush();
  }

  /** Before a batch goes: held writes due by now join it, and pending rows get their input serialised. */
  private beforeSend() {
    this.held.release(Date.now() - HOLD_MS);
    // An execution's input is serialised now that finish() had its chance to drop it (metadata diagnostics).
    // The message is let go once serialised: a row left dead in the old generation must not keep it alive.
    for (const row of this.pendingRows.values()) {
      if (row.input === undefined) row.input = row.inputMessage ? inputJson(row.inputMessage, row.refs) : null;
      row.inputMessage = undefined;
    }
    this.pendingRows = new Map();
  }

  /** Waits until every write made so far (held steps included) is committed, so a read sees it. */
  private async settled(): Promise<void> {
    await this.writer; // a writer that could not start fails every read and recovery with its reason
    this.held.release(Infinity);
    await this.flush();
  }

  accept(rec: NewExecution): Promise<number> {
    const row = this.row(rec);
    this.pendingRows.set(rec.id, row);
    this.held.hold(rec.id);
    return this.writeAwaited('insert', row).then((rowid) => rec.orderSeq ?? rowid);
  }

  /**
   * Records an execution that starts at once without an acknowledgement to give (request-response): its row is
   * held with its steps and written at finish with the final status, or after HOLD_MS, or before any read.
   */
  record(rec: NewExecution): void {
    this.held.hold(rec.id, this.row(rec));
  }

  private row(rec: NewExecution): ExecutionRow {
    const row = new ExecutionRow(rec);
    const data = rec.input.data;
    if (data !== null && typeof data === 'object') this.inputDataOf.set(data, rec.id);
    return row;
  }

  markStarted(id: string, at: number): void {
    const row = this.pendingRows.get(id) ?? this.held.insertOf(id);
    if (row) {
      row.status = 'running';
      row.startedAt = at;
      return;
    }
    this.write('started', { id, at });
  }

  recordStep(step: StepRecord, diagnostics: 'full' | 'metadata', inputFrom?: number): void {
    const full = diagnostics === 'full';
    const same = full && step.output !== undefined && step.output === step.input;
    // The input is usually what an earlier step put out (or the execution's input): a reference, not a copy. The
    // executor says which step that was; nodes never change messages, so that output is this very input.
    let input: string | null = null;
    let inputRef: number | null = null;
    if (full) {
      if (inputFrom !== undefined && inputFrom < step.index) inputRef = inputFrom;
      else input = messageJson(step.input);
    }
    const output = full && !same ? messageJson(step.output) : null;
    const p = new StepWrite(step, input, inputRef, output, same ? 1 : 0, json(step.error), json(step.attempts));
    if (!this.held.add(step.executionId, p)) this.write('step', p);
  }

  finish(id: string, rec: FinishRecord, diagnostics: 'full' | 'metadata'): void {
    const full = diagnostics === 'full';
    // The input stays while it may be needed again: full diagnostics, a halted line, or a retry.
    const keepInput = full || !!rec.blocking || rec.status !== 'succeeded';
    const out = rec.output;
    const outputIsInputData = full && out !== null && typeof out === 'object' && this.inputDataOf.get(out) === id;
    const values = {
      status: rec.status,
      finishedAt: rec.finishedAt,
      output: full && !outputIsInputData ? (jsonOf(out) ?? null) : null,
      error: json(rec.error),
      blocking: rec.blocking ? 1 : 0,
      reply: rec.reply ? replyJson(rec.reply) : null,
    };
    const refs = outputIsInputData ? REF_OUTPUT_IS_INPUT_DATA : 0;
    const taken = this.held.take(id);
    const insert = taken.insert;
    // Written straight into the batch's spool (the row goes into this batch below, or already is in it).
    const steps = taken.steps.length ? this.batch.spoolInlineSteps(taken.steps) : null;
    for (const s of taken.steps) s.clear();
    const row = insert ?? this.pendingRows.get(id);
    if (row) {
      Object.assign(row, values);
      row.steps = steps;
      row.refs |= refs;
      if (!keepInput) {
        row.input = null;
        row.inputMessage = undefined;
        row.rawBody = null;
      }
      if (insert) {
        // The row was held for the whole run: one insert with the final status.
        this.pendingRows.set(id, row);
        this.write('insert', row);
      }
      return;
    }
    this.write('finish', { id, ...values, refs, steps, keepInput: keepInput ? 1 : 0 });
  }

  setBlocking(id: string, blocking: boolean, status?: ExecutionStatus): void {
    this.held.releaseOne(id);
    this.write('blocking', { id, blocking: blocking ? 1 : 0, status: status ?? null });
  }

  async getExecution(id: string): Promise<ExecutionDetail | null> {
    await this.settled();
    const row = this.r.get.get(id) as Row | undefined;
    if (!row) return null;
    const input = decodeInput(row);
    const steps = decodeSteps(mergeSteps(this.r.steps.all(id) as StoredStep[], row.steps ? readInlineSteps(id, row.steps) : []), input);
    const output = row.refs & REF_OUTPUT_IS_INPUT_DATA ? input?.data : parse(row.output);
    return { ...summary(row), input, output, steps };
  }

  async getInput(id: string) {
    await this.settled();
    const row = this.r.get.get(id) as Row | undefined;
    if (!row || row.input == null) return null;
    return { input: decodeInput(row)!, summary: summary(row) };
  }

  async getQueueEntry(id: string) {
    await this.settled();
    const row = this.r.get.get(id) as Row | undefined;
    return row ? pendingRow(row) : null;
  }

  async listExecutions(query: ExecutionQuery): Promise<Page<ExecutionSummary>> {
    await this.settled();
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
    const like = (text: string) => `%${text.replace(/[\\%_]/g, (c) => '\\' + c)}%`;
    if (q.businessKey) add(`business_key LIKE ? ESCAPE '\\'`, like(q.businessKey));
    if (q.retryOf) add('retry_of = ?', q.retryOf);
    if (q.search) add(`(business_key LIKE ? ESCAPE '\\' OR id LIKE ? ESCAPE '\\')`, like(q.search), like(q.search.toLowerCase()));
    const filter = where.length ? `WHERE ${where.join(' AND ')}` : '';
    const total = (this.db.prepare(`SELECT COUNT(*) AS n FROM executions ${filter}`).get(...args) as Row).n as number;
    const pageWhere = q.cursor ? `${filter ? filter + ' AND' : 'WHERE'} seq < ?` : filter;
    const pageArgs = q.cursor ? [...args, Number(q.cursor)] : args;
    const rows = this.db
      .prepare(`SELECT seq, id, flow_id, flow_revision, trigger_node_id, status, queued_at, started_at, finished_at, business_key, retry_of, error, blocking
        FROM executions ${pageWhere} ORDER BY seq DESC LIMIT ?`)
      .all(...pageArgs, q.limit + 1) as Row[];
    const more = rows.length > q.limit;
    const items = rows.slice(0, q.limit);
    return { items: items.map(summary), total, ...(more ? { nextCursor: String(items[items.length - 1].seq) } : {}) };
  }

  async findByIdempotencyKey(flowId: string, nodeId: string, key: string, sinceMs: number) {
    await this.settled();
    const row = this.r.idem.get(flowId, nodeId, key, sinceMs) as Row | undefined;
    return row ? { id: row.id as string, reply: decodeReply(row.reply) } : undefined;
  }

  async recover() {
    await this.settled();
    const pending = (status: string) =>
      (this.db.prepare(`SELECT * FROM executions WHERE ${status} ORDER BY COALESCE(order_seq, seq)`).all() as Row[]).map(pendingRow);
    const running = pending(`status = 'running'`);
    this.write('interrupt', { at: Date.now() });
    await this.settled();
    const interrupted = running.map((r) => ({ ...r, status: 'interrupted' as const }));
    return { queued: pending(`status = 'queued'`), interrupted, blocked: pending(`blocking = 1`) };
  }

  countRejection(flowId: string, nodeId: string): void {
    this.write('counter', { key: `rejected:${flowId}/${nodeId}` });
  }

  async rejections(flowId: string, nodeId: string) {
    await this.settled();
    return ((this.r.getCounter.get(`rejected:${flowId}/${nodeId}`) as Row | undefined)?.value as number) ?? 0;
  }

  touchApiKey(flowId: string, nodeId: string, keyId: string, at: number): void {
    this.write('touchKey', { flowId, nodeId, keyId, at });
  }

  async apiKeyLastUsed(flowId: string, nodeId: string) {
    await this.settled();
    const out: Record<string, number> = {};
    for (const r of this.r.keyUsage.all(flowId, nodeId) as Row[]) out[r.key_id] = r.last_used_at;
    return out;
  }

  async applyRetention(flowId: string, maxCount: number, maxAgeDays: number, now = Date.now()) {
    // Not settled(): that would write the held steps of running executions as rows. The deletes queue behind
    // every write made so far, on the same writer.
    await this.writer;
    // Finished executions past the newest `maxCount`, or older than `maxAgeDays`; never queued work or halted
    // heads. Both deletes run on the writer thread, in one transaction.
    const params = { flowId, maxCount, before: now - maxAgeDays * 86_400_000 };
    this.write('retainSteps', params);
    return this.writeAwaited('retainExecutions', params);
  }

  async ping(): Promise<void> {
    if (this.closed) throw new Error('the execution store is closed');
    this.lastError = undefined;
    this.write('counter', { key: 'ping' });
    await this.settled();
    if (this.lastError) throw this.lastError;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.held.close();
    await this.batch.close();
    this.closed = true;
    const w = await this.writer.catch(() => undefined);
    await w?.close();
    this.db.close();
  }
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
    ...(row.blocking === 1 ? { blocking: true as const } : {}),
  };
}

function pendingRow(row: Row): PendingExecution & QueueEntry {
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
    input: decodeInput(row)!,
  };
}
