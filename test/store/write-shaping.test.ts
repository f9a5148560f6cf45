import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openSqliteStore } from '../../core/store/sqlite-store';
import { HOLD_MS } from '../../core/store/step-holder';
import { mergeSteps } from '../../core/store/inline-steps';
import { tempDir } from '../helpers/runtime';
import { closeStoresAfterEach, open, rawGet, rec, stores } from './store-helpers';

/** How the store shapes its writes: one row per short execution, steps inline or held, payloads stored once. */
closeStoresAfterEach();

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
