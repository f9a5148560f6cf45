import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openSqliteStore } from '../../core/store/sqlite-store';
import { HOLD_MS } from '../../core/store/step-holder';
import { mergeSteps } from '../../core/store/inline-steps';
import type { ExecutionStore, NewExecution } from '../../core/store/types';
import { tempDir } from '../helpers/runtime';

const stores: ExecutionStore[] = [];
afterEach(async () => {
  for (const s of stores.splice(0)) await s.close();
});
function open(file = path.join(tempDir(), 'x.db')) {
  const s = openSqliteStore(file, { synchronous: 'NORMAL' });
  stores.push(s);
  return { s, file };
}
const message = (body: unknown) => ({ trigger: { type: 'webhook', nodeId: 'h', query: {}, headers: {}, body, receivedAt: '' }, data: body, vars: {} });
/** One row of a query on the database file, read on a connection of its own (not through the store). */
function rawGet(file: string, sql: string, ...args: unknown[]): any {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const Database = require('better-sqlite3');
  const db = new Database(file, { readonly: true });
  try {
    return db.prepare(sql).get(...args);
  } finally {
    db.close();
  }
}
let n = 0;
const rec = (over: Partial<NewExecution> = {}): NewExecution => ({
  id: `e${++n}`,
  flowId: 'f',
  flowRevision: 1,
  triggerNodeId: 'h',
  status: 'queued',
  queuedAt: Date.now(),
  diagnostics: 'full',
  input: message({ n }),
  ...over,
});

describe('sqlite execution store', () => {
  it('group commit: many accepts in one turn share one transaction and all resolve', async () => {
    const { s } = open();
    const positions = await Promise.all(Array.from({ length: 100 }, () => s.accept(rec())));
    expect(new Set(positions).size).toBe(100);
    expect(positions).toEqual([...positions].sort((a, b) => a - b));
    expect((await s.listExecutions({})).total).toBe(100);
  });

  it('records steps and finish; metadata diagnostics keeps no payloads', async () => {
    const { s } = open();
    const full = rec();
    const meta = rec({ diagnostics: 'metadata' });
    await s.accept(full);
    await s.accept(meta);
    for (const [r, d] of [[full, 'full'], [meta, 'metadata']] as const) {
      s.markStarted(r.id, Date.now());
      s.recordStep({ executionId: r.id, index: 0, nodeId: 'h', nodeType: 'webhook', status: 'succeeded', input: { secret: 1 }, output: { out: 2 }, startedAt: new Date().toISOString(), durationMs: 1.5 }, d);
      s.finish(r.id, { status: 'succeeded', finishedAt: Date.now(), output: { done: true } }, d);
    }
    const f = (await s.getExecution(full.id))!;
    expect(f.status).toBe('succeeded');
    expect(f.output).toEqual({ done: true });
    expect(f.steps[0]).toMatchObject({ nodeId: 'h', input: { secret: 1 }, output: { out: 2 }, durationMs: 1.5 });
    const m = (await s.getExecution(meta.id))!;
    expect(m.status).toBe('succeeded');
    expect(m.input).toBeUndefined();
    expect(m.output).toBeUndefined();
    expect(m.steps[0].input).toBeUndefined();
    expect(m.steps[0].durationMs).toBe(1.5);
  });

  it('paginates by flow, status, time range and business key', async () => {
    const { s } = open();
    const t0 = Date.parse('2026-01-01T00:00:00Z');
    for (let i = 0; i < 30; i++) await s.accept(rec({ flowId: i % 2 ? 'odd' : 'even', queuedAt: t0 + i * 1000, businessKey: `ORD-${i}` }));
    const p1 = await s.listExecutions({ flowId: 'even', limit: 10 });
    expect(p1.total).toBe(15);
    expect(p1.items).toHaveLength(10);
    const p2 = await s.listExecutions({ flowId: 'even', limit: 10, cursor: p1.nextCursor });
    expect(p2.items).toHaveLength(5);
    expect(p2.nextCursor).toBeUndefined();
    expect(new Set([...p1.items, ...p2.items].map((x) => x.id)).size).toBe(15);
    expect((await s.listExecutions({ from: new Date(t0 + 10_000).toISOString(), to: new Date(t0 + 12_000).toISOString() })).total).toBe(3);
    expect((await s.listExecutions({ businessKey: 'ORD-2' })).items.map((x) => x.businessKey).sort()).toEqual(['ORD-2', 'ORD-20', 'ORD-21', 'ORD-22', 'ORD-23', 'ORD-24', 'ORD-25', 'ORD-26', 'ORD-27', 'ORD-28', 'ORD-29']);
    expect((await s.listExecutions({ businessKey: '%' })).total).toBe(0);
    // The studio's search box: a business key, or (a piece of) an execution id, as shown or pasted in capitals.
    const some = p1.items[3];
    expect((await s.listExecutions({ search: some.id })).items.map((x) => x.id)).toEqual([some.id]);
    expect((await s.listExecutions({ search: some.id.slice(-8).toUpperCase() })).items.map((x) => x.id)).toEqual([some.id]);
    expect((await s.listExecutions({ search: 'ORD-29' })).items.map((x) => x.businessKey)).toEqual(['ORD-29']);
    expect((await s.listExecutions({ search: '_' })).total).toBe(0);
    expect((await s.listExecutions({ status: ['queued'] })).total).toBe(30);
    expect((await s.listExecutions({ status: ['failed'] })).total).toBe(0);
  });

  it('retention by count and by age keeps queued work and halted heads', async () => {
    const { s } = open();
    const now = Date.parse('2026-06-01T00:00:00Z');
    const ids: string[] = [];
    for (let i = 0; i < 10; i++) {
      const r = rec({ queuedAt: now - (10 - i) * 86_400_000 });
      ids.push(r.id);
      await s.accept(r);
      s.finish(r.id, { status: 'succeeded', finishedAt: r.queuedAt }, 'full');
    }
    const head = rec({ queuedAt: now - 100 * 86_400_000 });
    await s.accept(head);
    s.finish(head.id, { status: 'failed', finishedAt: now, blocking: true }, 'full');
    const queued = rec({ queuedAt: now - 100 * 86_400_000 });
    await s.accept(queued);
    // Age: older than 5 days goes (ids[0..4]); count: at most 3 finished kept.
    const removed = await s.applyRetention('f', 3, 5, now);
    expect(removed).toBe(7);
    const left = (await s.listExecutions({ limit: 100 })).items.map((x) => x.id).sort();
    expect(left).toEqual([ids[7], ids[8], ids[9], head.id, queued.id].sort());
  });

  it('recover(): running becomes interrupted; queued and blocked come back in lane order', async () => {
    const { s, file } = open();
    const a = rec({ lane: 'f/h/', status: 'queued' });
    const b = rec({ lane: 'f/h/' });
    const c = rec({ lane: 'f/h/' });
    await Promise.all([s.accept(a), s.accept(b), s.accept(c)]);
    s.markStarted(a.id, Date.now());
    await s.flush();
    await s.close();
    stores.pop();
    const { s: s2 } = open(file);
    const r = await s2.recover();
    expect(r.interrupted.map((x) => x.id)).toEqual([a.id]);
    expect(r.queued.map((x) => x.id)).toEqual([b.id, c.id]);
    expect(r.queued[0].orderSeq).toBeLessThan(r.queued[1].orderSeq);
    expect((await s2.getExecution(a.id))!.status).toBe('interrupted');
  });

  it('idempotency lookups respect the window; api key usage and rejection counters', async () => {
    const { s } = open();
    await s.accept(rec({ id: 'orig', idempotencyKey: 'k1', queuedAt: 1000 }));
    expect(await s.findByIdempotencyKey('f', 'h', 'k1', 0)).toBe('orig');
    expect(await s.findByIdempotencyKey('f', 'h', 'k1', 2000)).toBeUndefined();
    expect(await s.findByIdempotencyKey('f', 'other', 'k1', 0)).toBeUndefined();
    s.touchApiKey('f', 'h', 'key1', 5);
    s.touchApiKey('f', 'h', 'key1', 9);
    expect(await s.apiKeyLastUsed('f', 'h')).toEqual({ key1: 9 });
    s.countRejection('f', 'h');
    s.countRejection('f', 'h');
    expect(await s.rejections('f', 'h')).toBe(2);
  });

  it('refuses a database from a newer schema', async () => {
    const { s, file } = open();
    await s.close();
    stores.pop();
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const Database = require('better-sqlite3');
    const db = new Database(file);
    db.pragma('user_version = 99');
    db.close();
    expect(() => openSqliteStore(file)).toThrow(/newer version/);
  });
});

describe('sqlite store write shaping', () => {
  it('an execution accepted, started and finished in one turn is one row with its final state', async () => {
    const { s } = open();
    const r = rec();
    const committed = s.accept(r);
    s.markStarted(r.id, 10);
    s.finish(r.id, { status: 'succeeded', finishedAt: 20, output: { ok: 1 } }, 'full');
    await committed;
    const e = (await s.getExecution(r.id))!;
    expect(e).toMatchObject({ status: 'succeeded', startedAt: new Date(10).toISOString(), finishedAt: new Date(20).toISOString(), output: { ok: 1 } });
    expect(e.input).toEqual(r.input);
  });

  it('stores steps without the trigger part and gives it back on read; output equal to input is stored once', async () => {
    const { s, file } = open();
    const r = rec();
    await s.accept(r);
    const msg = r.input;
    const mapped = { ...msg, data: { mapped: true } };
    // The third argument is where the executor says the input came from (-1: the execution's input).
    s.recordStep({ executionId: r.id, index: 0, nodeId: 'h', nodeType: 'webhook', status: 'succeeded', input: msg, output: msg, startedAt: '', durationMs: 1 }, 'full', -1);
    s.recordStep({ executionId: r.id, index: 1, nodeId: 'm', nodeType: 'map', status: 'succeeded', input: msg, output: mapped, startedAt: '', durationMs: 1 }, 'full', -1);
    s.recordStep({ executionId: r.id, index: 2, nodeId: 'l', nodeType: 'log', status: 'succeeded', input: mapped, output: mapped, startedAt: '', durationMs: 1 }, 'full', 1);
    // A message of unknown origin (here a copy) is stored in full.
    const copy = structuredClone(mapped);
    s.recordStep({ executionId: r.id, index: 3, nodeId: 'r', nodeType: 'respond', status: 'succeeded', input: copy, output: copy, startedAt: '', durationMs: 1 }, 'full');
    const e = (await s.getExecution(r.id))!;
    expect(e.steps[0].input).toEqual(msg);
    expect(e.steps[0].output).toEqual(msg);
    expect(e.steps[1].input).toEqual(msg);
    expect(e.steps[1].output).toEqual(mapped);
    expect(e.steps[2].input).toEqual(mapped);
    expect(e.steps[2].output).toEqual(mapped);
    expect(e.steps[3].input).toEqual(mapped);
    await s.flush();
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const Database = require('better-sqlite3');
    const db = new Database(file, { readonly: true });
    const rows = db.prepare('SELECT input, input_ref, output, output_same FROM steps ORDER BY idx').all();
    db.close();
    // Steps 0 and 1 got the execution's input, step 2 step 1's output: references, no copies.
    expect(rows.map((x: any) => x.input_ref)).toEqual([-1, -1, 1, null]);
    expect(rows.slice(0, 3).map((x: any) => x.input)).toEqual([null, null, null]);
    expect(rows[0].output).toBeNull();
    expect(rows[0].output_same).toBe(1);
    expect(JSON.parse(rows[1].output)).toEqual({ data: { mapped: true }, vars: {} });
    expect(rows[3].input).not.toContain('"trigger"');
    expect(JSON.parse(rows[3].input)).toEqual({ data: { mapped: true }, vars: {} });
  });

  it('an execution that finishes within HOLD_MS has its steps inline in its row, read back like step rows', async () => {
    const { s, file } = open();
    const r = rec({ status: 'running' });
    s.record(r);
    const msg = r.input;
    const mapped = { ...msg, data: { mapped: 'a "quoted" \\ value' } };
    const attempts = [{ request: { method: 'POST', url: 'http://127.0.0.1/x' }, response: { status: 502 } }];
    s.recordStep({ executionId: r.id, index: 0, nodeId: 'h', nodeType: 'webhook', status: 'succeeded', port: 'out', input: msg, output: msg, startedAt: 't0', durationMs: 0.25 }, 'full', -1);
    s.recordStep({ executionId: r.id, index: 1, nodeId: 'm', nodeType: 'map', status: 'succeeded', input: msg, output: mapped, startedAt: 't1', durationMs: 1 }, 'full', -1);
    s.recordStep({ executionId: r.id, index: 2, nodeId: 'x', nodeType: 'http-request', status: 'failed', port: 'error', input: mapped, output: null, error: { message: 'bad gateway', code: 'http_status' }, attempts, startedAt: 't2', durationMs: 3 }, 'full', 1);
    s.recordStep({ executionId: r.id, index: 3, nodeId: 'n', nodeType: 'log', status: 'succeeded', input: structuredClone(mapped), startedAt: 't3', durationMs: 0 }, 'full');
    s.finish(r.id, { status: 'failed', finishedAt: Date.now(), output: undefined, error: { message: 'bad gateway' } }, 'full');
    await s.flush();

    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const Database = require('better-sqlite3');
    const db = new Database(file, { readonly: true });
    const stepRows = db.prepare('SELECT COUNT(*) AS n FROM steps').get().n;
    const inline = db.prepare('SELECT steps FROM executions WHERE id = ?').get(r.id).steps;
    db.close();
    expect(stepRows).toBe(0);
    const stored = JSON.parse(inline);
    expect(stored.map((x: any) => x.r)).toEqual([-1, -1, 1, undefined]);
    expect(stored[0].same).toBe(1);
    expect(stored[1].o).toEqual({ data: { mapped: 'a "quoted" \\ value' }, vars: {} });

    const e = (await s.getExecution(r.id))!;
    expect(e.steps.map((x) => [x.index, x.nodeId, x.nodeType, x.status, x.port, x.startedAt, x.durationMs])).toEqual([
      [0, 'h', 'webhook', 'succeeded', 'out', 't0', 0.25],
      [1, 'm', 'map', 'succeeded', undefined, 't1', 1],
      [2, 'x', 'http-request', 'failed', 'error', 't2', 3],
      [3, 'n', 'log', 'succeeded', undefined, 't3', 0],
    ]);
    expect(e.steps[0].input).toEqual(msg);
    expect(e.steps[0].output).toEqual(msg);
    expect(e.steps[1].input).toEqual(msg);
    expect(e.steps[1].output).toEqual(mapped);
    expect(e.steps[2].input).toEqual(mapped);
    expect(e.steps[2].output).toBeNull();
    expect(e.steps[2].error).toEqual({ message: 'bad gateway', code: 'http_status' });
    expect(e.steps[2].attempts).toEqual(attempts);
    expect(e.steps[3].input).toEqual(mapped);
    expect(e.steps[3].output).toBeUndefined();
  });

  it('steps of an execution still running after HOLD_MS are written as rows without a read, and later ones follow', async () => {
    const { s, file } = open();
    const r = rec();
    await s.accept(r);
    s.markStarted(r.id, Date.now());
    s.recordStep({ executionId: r.id, index: 0, nodeId: 'h', nodeType: 'webhook', status: 'succeeded', input: r.input, output: r.input, startedAt: '', durationMs: 1 }, 'full');
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const Database = require('better-sqlite3');
    const count = () => {
      const db = new Database(file, { readonly: true });
      const n = db.prepare('SELECT COUNT(*) AS n FROM steps WHERE execution_id = ?').get(r.id).n;
      db.close();
      return n;
    };
    expect(count()).toBe(0);
    const deadline = Date.now() + HOLD_MS * 6;
    while (count() === 0 && Date.now() < deadline) await new Promise((res) => setTimeout(res, 50));
    expect(count()).toBe(1);
    s.recordStep({ executionId: r.id, index: 1, nodeId: 'd', nodeType: 'delay', status: 'succeeded', input: r.input, output: r.input, startedAt: '', durationMs: 600 }, 'full');
    s.finish(r.id, { status: 'succeeded', finishedAt: Date.now(), output: { ok: 1 } }, 'full');
    const e = (await s.getExecution(r.id))!;
    expect(count()).toBe(2);
    expect(e.steps.map((x) => x.nodeId)).toEqual(['h', 'd']);
    expect(e.steps[1].input).toEqual(r.input);
  });

  it('a read or a close writes the held steps of a running execution', async () => {
    const { s, file } = open();
    const r = rec({ status: 'running' });
    s.record(r);
    s.recordStep({ executionId: r.id, index: 0, nodeId: 'h', nodeType: 'webhook', status: 'succeeded', input: r.input, output: r.input, startedAt: '', durationMs: 1 }, 'full');
    expect((await s.getExecution(r.id))!.steps.map((x) => x.nodeId)).toEqual(['h']);
    s.recordStep({ executionId: r.id, index: 1, nodeId: 'l', nodeType: 'log', status: 'succeeded', input: r.input, output: r.input, startedAt: '', durationMs: 1 }, 'full');
    const other = rec({ status: 'running' });
    s.record(other);
    s.recordStep({ executionId: other.id, index: 0, nodeId: 'h', nodeType: 'webhook', status: 'succeeded', input: other.input, output: other.input, startedAt: '', durationMs: 1 }, 'full');
    await s.close();
    const again = openSqliteStore(file);
    stores.push(again);
    expect((await again.getExecution(r.id))!.steps.map((x) => x.nodeId)).toEqual(['h', 'l']);
    expect((await again.getExecution(other.id))!.steps.map((x) => x.nodeId)).toEqual(['h']);
  });

  it('a request-response execution is written once, with its final status, when it finishes within HOLD_MS', async () => {
    const { s, file } = open();
    const rawRow = (id: string) => rawGet(file, 'SELECT status, finished_at, steps FROM executions WHERE id = ?', id);
    const r = rec({ status: 'running' });
    s.record(r);
    s.recordStep({ executionId: r.id, index: 0, nodeId: 'h', nodeType: 'webhook', status: 'succeeded', input: r.input, output: r.input, startedAt: '', durationMs: 1 }, 'full');
    // Other work commits meanwhile (a partner call takes a while): the running execution's row is not in it.
    await s.accept(rec());
    await s.flush();
    expect(rawRow(r.id)).toBeUndefined();
    s.finish(r.id, { status: 'succeeded', finishedAt: 42, output: { ok: true } }, 'full');
    await s.flush();
    expect(rawRow(r.id)).toMatchObject({ status: 'succeeded', finished_at: 42 });
    expect(JSON.parse(rawRow(r.id).steps)).toHaveLength(1);
    const e = (await s.getExecution(r.id))!;
    expect(e).toMatchObject({ status: 'succeeded', output: { ok: true } });
    expect(e.input).toEqual(r.input);
  });

  it('a request-response execution still running after HOLD_MS is written as running without a read, then finished', async () => {
    const { s, file } = open();
    const status = (id: string) => rawGet(file, 'SELECT status FROM executions WHERE id = ?', id)?.status;
    const r = rec({ status: 'running' });
    s.record(r);
    const deadline = Date.now() + HOLD_MS * 6;
    while (status(r.id) === undefined && Date.now() < deadline) await new Promise((res) => setTimeout(res, 50));
    expect(status(r.id)).toBe('running');
    s.finish(r.id, { status: 'failed', finishedAt: Date.now(), output: undefined, error: { message: 'partner down' } }, 'full');
    await s.flush();
    expect(status(r.id)).toBe('failed');
    expect((await s.getExecution(r.id))!.error).toEqual({ message: 'partner down' });
  });

  it('a held request-response row is written before a write that changes it, and any read shows it', async () => {
    const { s } = open();
    const a = rec({ status: 'running' });
    s.record(a);
    s.setBlocking(a.id, true, 'failed');
    const b = rec({ status: 'running', businessKey: 'SO-9' });
    s.record(b);
    expect((await s.getExecution(a.id))!).toMatchObject({ status: 'failed' });
    expect((await s.listExecutions({ businessKey: 'SO-9' })).items.map((x) => [x.id, x.status])).toEqual([[b.id, 'running']]);
  });

  it('write-behind records are committed without a read, and an acknowledged write takes them along at once', async () => {
    const { s, file } = open();
    const counter = (key: string) => rawGet(file, 'SELECT value FROM counters WHERE key = ?', key)?.value;
    s.countRejection('f', 'a');
    const deadline = Date.now() + 2000;
    while (counter('rejected:f/a') === undefined && Date.now() < deadline) await new Promise((res) => setTimeout(res, 10));
    expect(counter('rejected:f/a')).toBe(1);
    s.countRejection('f', 'b');
    await s.accept(rec());
    expect(counter('rejected:f/b')).toBe(1);
  });

  it('a step recorded again (a re-run) replaces the earlier one, inline or not', () => {
    const row = (idx: number, v: string) => ({ idx, node_id: v });
    expect(mergeSteps([row(0, 'a'), row(1, 'b')], [{ ...row(1, 'B'), parsed: true }, { ...row(2, 'C'), parsed: true }]).map((x) => x.node_id)).toEqual(['a', 'B', 'C']);
    expect(mergeSteps([row(0, 'a')], [])).toEqual([row(0, 'a')]);
  });

  it('stores a webhook body once when the data is the body, and an echoed output as a reference', async () => {
    const { s, file } = open();
    const body = { orderId: 'SO-1', lines: [{ sku: 'A', qty: 2 }] };
    const r = rec();
    r.input = { ...r.input, trigger: { ...r.input.trigger, body }, data: body };
    await s.accept(r);
    s.finish(r.id, { status: 'succeeded', finishedAt: 20, output: body }, 'full');
    const e = (await s.getExecution(r.id))!;
    expect(e.input).toEqual(r.input);
    expect((e.input as { data: unknown }).data).toEqual(body);
    expect(e.output).toEqual(body);
    expect((await s.getInput(r.id))!.input).toEqual(r.input);
    // An output equal in value but not the same object is stored as it is.
    const r2 = rec();
    r2.input = { ...r2.input, trigger: { ...r2.input.trigger, body }, data: body };
    await s.accept(r2);
    s.finish(r2.id, { status: 'succeeded', finishedAt: 20, output: structuredClone(body) }, 'full');
    expect((await s.getExecution(r2.id))!.output).toEqual(body);
    await s.flush();
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const Database = require('better-sqlite3');
    const db = new Database(file, { readonly: true });
    const rows = db.prepare('SELECT input, output, refs FROM executions ORDER BY seq').all();
    db.close();
    expect(rows[0].input.split('"orderId"').length - 1).toBe(1);
    expect(rows[0].output).toBeNull();
    expect(rows[0].refs).toBe(3);
    expect(JSON.parse(rows[1].output)).toEqual(body);
    expect(rows[1].refs).toBe(1);
  });

  it('keeps a webhook JSON body as its raw bytes only, and gives body, data and rawBody back on read', async () => {
    const { noteBodyParsedFromRaw } = await import('../../core/model/raw-body');
    const { s, file } = open();
    const raw = Buffer.from('{ "orderId": "SO-7",\n  "note": "caf\u00e9 \\u00e9" }');
    const body = JSON.parse(raw.toString('utf8'));
    const trigger = { type: 'webhook', nodeId: 'h', query: {}, headers: { 'content-type': 'application/json' }, body, rawBody: raw.toString('base64'), contentType: 'application/json', receivedAt: 'x' };
    noteBodyParsedFromRaw(trigger, raw);
    const r = rec({ input: { trigger, data: body, vars: { v: 1 } } });
    await s.accept(r);
    const e = (await s.getExecution(r.id))!;
    expect(e.input).toEqual(r.input);
    expect((await s.getInput(r.id))!.input).toEqual(r.input);
    await s.flush();
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const Database = require('better-sqlite3');
    const db = new Database(file, { readonly: true });
    const row = db.prepare('SELECT input, raw_body, refs FROM executions WHERE id = ?').get(r.id);
    db.close();
    expect(Buffer.compare(row.raw_body, raw)).toBe(0);
    expect(row.input).not.toContain('SO-7');
    expect(row.input).not.toContain('rawBody');
    expect(row.refs).toBe(5);
  });

  it('opens a database of schema 1 and reads its executions as before', async () => {
    const file = path.join(tempDir(), 'v1.db');
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const Database = require('better-sqlite3');
    const { MIGRATIONS } = await import('../../core/store/schema');
    const db = new Database(file);
    db.exec(MIGRATIONS[0]);
    db.pragma('user_version = 1');
    const input = { trigger: { type: 'webhook', nodeId: 'h', query: {}, headers: {}, body: { a: 1 }, receivedAt: 'x' }, data: { a: 1 }, vars: {} };
    db.prepare(`INSERT INTO executions (id, flow_id, flow_revision, trigger_node_id, status, queued_at, diagnostics, input, output) VALUES ('old', 'f', 1, 'h', 'succeeded', 1, 'full', ?, ?)`).run(JSON.stringify(input), '{"a":1}');
    db.prepare(`INSERT INTO steps (execution_id, idx, node_id, node_type, status, input, output_same, started_at, duration_ms) VALUES ('old', 0, 'h', 'webhook', 'succeeded', ?, 1, '', 1)`).run(JSON.stringify({ data: { a: 1 }, vars: {} }));
    db.close();
    const { s } = open(file);
    const e = (await s.getExecution('old'))!;
    expect(e.input).toEqual(input);
    expect(e.output).toEqual({ a: 1 });
    expect(e.steps[0].input).toEqual(input);
    expect(e.steps[0].output).toEqual(input);
    // It keeps its 4 KB pages and takes new rows.
    const r = rec();
    await s.accept(r);
    expect((await s.getExecution(r.id))!.id).toBe(r.id);
    const check = new Database(file, { readonly: true });
    expect(check.pragma('page_size', { simple: true })).toBe(4096);
    check.close();
  });

  it('creates new databases with 16 KB pages', async () => {
    const { s, file } = open();
    await s.accept(rec());
    expect(rawGet(file, 'PRAGMA page_size').page_size).toBe(16384);
    expect(rawGet(file, 'PRAGMA journal_mode').journal_mode).toBe('wal');
  });
});

describe('inline writer (when the writer thread file is not shipped)', () => {
  it('accepts, records and reads back the same way', async () => {
    const s = openSqliteStore(path.join(tempDir(), 'inline.db'), { synchronous: 'NORMAL', writer: 'inline' });
    stores.push(s);
    const r = rec();
    expect(await s.accept(r)).toBeGreaterThan(0);
    s.finish(r.id, { status: 'failed', finishedAt: 5, error: { message: 'x' } }, 'full');
    expect((await s.getExecution(r.id))!.status).toBe('failed');
    // A raw webhook body travels as latin1 text and is stored as its bytes here too.
    const { noteBodyParsedFromRaw } = await import('../../core/model/raw-body');
    const raw = Buffer.from('{"note":"caf\u00e9 \u2713"}');
    const body = JSON.parse(raw.toString());
    const trigger = { type: 'webhook', nodeId: 'h', query: {}, headers: {}, body, rawBody: raw.toString('base64'), contentType: 'application/json', receivedAt: 'x' };
    noteBodyParsedFromRaw(trigger, raw);
    const withBody = rec({ input: { trigger, data: body, vars: {} } });
    await s.accept(withBody);
    expect((await s.getExecution(withBody.id))!.input).toEqual(withBody.input);
    await s.ping();
  });
});

describe('writer thread failures', () => {
  it('a writer that cannot open its database rejects with the reason instead of hanging', async () => {
    const { createWriter } = await import('../../core/store/sqlite-writer');
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const Database = require('better-sqlite3');
    const db = new Database(':memory:');
    await expect(createWriter('/proc/no-such-dir/x.db', [{ sql: 'SELECT 1', params: 0, returns: 'changes' }], db, 'worker')).rejects.toThrow(/could not open|failed to start/);
    db.close();
  });
});
