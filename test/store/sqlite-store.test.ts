import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openSqliteStore } from '../../core/store/sqlite-store';
import { tempDir } from '../helpers/runtime';
import { closeStoresAfterEach, open, rec, stores } from './store-helpers';

closeStoresAfterEach();

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

  it('retention by count keeps the newest maxCount finished ones around open ones, found from indexes alone', async () => {
    const { s, file } = open();
    const now = Date.now();
    const finished = async () => {
      const r = rec({ queuedAt: now });
      await s.accept(r);
      s.finish(r.id, { status: 'succeeded', finishedAt: now }, 'full');
      return r.id;
    };
    const f: string[] = [];
    const older = rec({ queuedAt: now, status: 'queued' }); // open, older than every finished one
    await s.accept(older);
    for (let i = 0; i < 3; i++) f.push(await finished());
    const middle = rec({ queuedAt: now, status: 'queued' }); // open, among them
    await s.accept(middle);
    for (let i = 0; i < 3; i++) f.push(await finished());
    expect(await s.applyRetention('f', 3, 365, now)).toBe(2);
    const left = new Set((await s.listExecutions({ limit: 100 })).items.map((x) => x.id));
    // Open ones always stay; of the finished ones the newest 3 stay, and one more: the open one older than all of
    // them is counted as if it were newer (keeping one too many is the price of not reading every row).
    expect([...left].sort()).toEqual([older.id, middle.id, ...f.slice(2)].sort());
    // The plan: the open ones counted from ix_exec_open, the newest ones walked on the covering (flow_id, seq) index.
    const Database = (await import('better-sqlite3')).default;
    const { WRITES } = await import('../../core/store/statements');
    const db = new Database(file, { readonly: true });
    const plan = (db.prepare(`EXPLAIN QUERY PLAN ${WRITES.retainExecutions}`).all({ flowId: 'f', maxCount: 3, before: 0 }) as Array<{ detail: string }>).map((r) => r.detail);
    db.close();
    expect(plan).toContain('SEARCH executions USING INDEX ix_exec_open (flow_id=?)');
    expect(plan).toContain('SEARCH executions USING COVERING INDEX ix_exec_flow (flow_id=?)');
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
    expect(await s.findByIdempotencyKey('f', 'h', 'k1', 0)).toEqual({ id: 'orig', reply: undefined });
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

describe('inline writer (when the writer thread file is not shipped)', () => {
  it('accepts, records and reads back the same way', async () => {
    const s = openSqliteStore(path.join(tempDir(), 'inline.db'), { synchronous: 'NORMAL', writer: 'inline' });
    stores.push(s);
    const r = rec();
    expect(await s.accept(r)).toBeGreaterThan(0);
    s.finish(r.id, { status: 'failed', finishedAt: 5, error: { message: 'x' } }, 'full');
    expect((await s.getExecution(r.id))!.status).toBe('failed');
    // A raw webhook body travels in the batch's spool and is stored as its bytes here too.
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
