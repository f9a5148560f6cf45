import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { chainFlow, send, startRuntime, waitFor, type TestRuntime } from '../helpers/runtime';
import type { RunEvent } from '../../core/runtime/events';

let t: TestRuntime;
beforeEach(async () => {
  t = await startRuntime();
});
afterEach(() => t.stop());

const json = { 'content-type': 'application/json' };
const started = (events: RunEvent[]) => events.filter((e) => e.type === 'execution.started').map((e) => (e as any).executionId as string);

async function settled(ids: string[]) {
  return waitFor(
    async () => {
      const all = await Promise.all(ids.map((id) => t.rt.store.getExecution(id)));
      return all.every((e) => e && !['queued', 'running'].includes(e.status)) ? all.map((e) => e!) : undefined;
    },
    { tries: 500 },
  );
}

describe('ordered delivery', () => {
  it('runs messages from many concurrent senders one at a time in acknowledgement order', async () => {
    await t.rt.deploy(chainFlow({ path: '/o', ordered: true }, [{ type: 'delay', settings: { ms: 1 } }]));
    const acks: string[] = [];
    // 8 senders, each sending 15 messages back to back: 120 messages racing into one line.
    await Promise.all(
      Array.from({ length: 8 }, async (_, s) => {
        for (let i = 0; i < 15; i++) {
          const r = await send(t.url('/o'), { body: JSON.stringify({ s, i }), headers: json });
          expect(r.status).toBe(202);
          acks.push(r.json.executionId);
        }
      }),
    );
    const done = await settled(acks);
    expect(done.every((e) => e.status === 'succeeded')).toBe(true);
    // Acceptance order is the commit order (queue position); execution order must equal it.
    const page = await t.rt.store.listExecutions({ limit: 500 });
    const acceptOrder = page.items.map((e) => e.id).reverse();
    expect(started(t.events)).toEqual(acceptOrder);
    // One at a time: each execution finished before the next one started.
    const byId = new Map(done.map((e) => [e.id, e]));
    for (let k = 1; k < acceptOrder.length; k++) {
      const prev = byId.get(acceptOrder[k - 1])!;
      const cur = byId.get(acceptOrder[k])!;
      expect(Date.parse(cur.startedAt!)).toBeGreaterThanOrEqual(Date.parse(prev.finishedAt!));
    }
    // Each sender's own messages ran in the order it sent them.
    const seen = new Map<number, number>();
    for (const id of acceptOrder) {
      const body = ((await t.rt.store.getExecution(id))!.input as any).trigger.body as { s: number; i: number };
      expect(body.i).toBe((seen.get(body.s) ?? -1) + 1);
      seen.set(body.s, body.i);
    }
  });

  it('partition keys: strict order within a key, keys in parallel', async () => {
    await t.rt.deploy(chainFlow({ path: '/p', ordered: true, partitionKey: 'body.orderId', maxParallelPartitions: 4 }, [{ type: 'delay', settings: { ms: 40 } }]));
    const ids: Record<string, string[]> = { A: [], B: [] };
    for (let i = 0; i < 3; i++)
      for (const k of ['A', 'B']) ids[k].push((await send(t.url('/p'), { body: JSON.stringify({ orderId: k, i }), headers: json })).json.executionId);
    const done = await settled([...ids.A, ...ids.B]);
    const ex = new Map(done.map((e) => [e.id, e]));
    for (const k of ['A', 'B'])
      for (let i = 1; i < 3; i++) expect(Date.parse(ex.get(ids[k][i])!.startedAt!)).toBeGreaterThanOrEqual(Date.parse(ex.get(ids[k][i - 1])!.finishedAt!));
    // B's first message did not wait for A's line: it started before A's first one finished.
    expect(Date.parse(ex.get(ids.B[0])!.startedAt!)).toBeLessThan(Date.parse(ex.get(ids.A[0])!.finishedAt!));
  });

  it('halt: a failed head blocks its line until retried; skip releases it', async () => {
    await t.rt.deploy(chainFlow({ path: '/h', ordered: true, onFailure: 'halt' }, [{ type: 'log', settings: { value: 'data.fail ? $error("bad") : data' } }]));
    const bad = (await send(t.url('/h'), { body: '{"fail":true}', headers: json })).json.executionId;
    const next = (await send(t.url('/h'), { body: '{"n":2}', headers: json })).json.executionId;
    await waitFor(() => t.events.some((e) => e.type === 'lane.blocked'));
    expect((await t.rt.store.getExecution(next))!.status).toBe('queued');
    expect(t.rt.queueDepths()[0]).toMatchObject({ blocked: 1 });
    // The record says so, for the studio's Skip button; a message behind it does not.
    expect((await t.rt.store.getExecution(bad))!.blocking).toBe(true);
    expect((await t.rt.store.listExecutions({ limit: 10 })).items.find((e) => e.id === bad)?.blocking).toBe(true);
    expect((await t.rt.store.getExecution(next))!.blocking).toBeUndefined();
    await t.rt.skipExecution(bad);
    const [n] = await settled([next]);
    expect(n.status).toBe('succeeded');
    expect((await t.rt.store.getExecution(bad))!.blocking).toBeUndefined();
  });

  it('halt then retry: the retry runs first, in the head position', async () => {
    await t.rt.deploy(chainFlow({ path: '/h2', ordered: true }, [{ type: 'log', settings: { value: '$exists(data.fail) and data.fail ? $error("bad") : data' } }]));
    const bad = (await send(t.url('/h2'), { body: '{"fail":true}', headers: json })).json.executionId;
    const next = (await send(t.url('/h2'), { body: '{"n":2}', headers: json })).json.executionId;
    await waitFor(() => t.events.some((e) => e.type === 'lane.blocked'));
    const { executionId: retry } = await t.rt.retryExecution(bad);
    await waitFor(() => t.events.filter((e) => e.type === 'lane.blocked').length === 2);
    // The retry failed again (same input) and blocked the line again; `next` still waits.
    expect((await t.rt.store.getExecution(retry))!.status).toBe('failed');
    expect((await t.rt.store.getExecution(next))!.status).toBe('queued');
    await t.rt.skipExecution(retry);
    await settled([next]);
  });

  it('request-response behind a halted line: waiting and later callers are answered at once, their messages run after a skip', async () => {
    const flow = chainFlow({ path: '/rr', ordered: true, responseMode: 'requestResponse', timeoutMs: 30_000 }, [
      { type: 'delay', settings: { ms: 300 } },
      { type: 'log', settings: { value: '$exists(data.fail) and data.fail ? $error("bad") : data' } },
    ]);
    await t.rt.deploy(flow);
    const head = send(t.url('/rr'), { body: '{"fail":true}', headers: json });
    await waitFor(() => t.events.some((e) => e.type === 'execution.started'));
    // Waits in the line while the head runs; the head then fails and halts the line.
    const waiting = send(t.url('/rr'), { body: '{"n":2}', headers: json });
    const failed = await head;
    expect(failed.status).toBe(500);
    const bad = failed.json.executionId as string;
    const t0 = Date.now();
    const w = await waiting;
    const later = await send(t.url('/rr'), { body: '{"n":3}', headers: json });
    // Both in well under the 30 s timeout (the test's own 5 s limit would fail first otherwise).
    expect(Date.now() - t0).toBeLessThan(3000);
    for (const r of [w, later]) {
      expect(r.status).toBe(504); // the trigger's timeout status: the flow's answer is not coming now
      expect(r.json).toMatchObject({ error: 'line_halted', blockedBy: bad });
      expect(r.json.message).toContain(`halted on failed execution ${bad}`);
      expect((await t.rt.store.getExecution(r.json.executionId))!.status).toBe('queued');
    }
    await t.rt.skipExecution(bad);
    const done = await settled([w.json.executionId, later.json.executionId]);
    // They ran, in order; the caller had been answered without the flow's answer, and the record says why.
    for (const e of done) {
      expect(e.status).toBe('timed-out');
      expect(e.error).toMatchObject({ code: 'line_halted' });
    }
    expect(Date.parse(done[1].startedAt!)).toBeGreaterThanOrEqual(Date.parse(done[0].finishedAt!));
  });

  it('park: a failed message is parked and the line goes on', async () => {
    await t.rt.deploy(chainFlow({ path: '/k', ordered: true, onFailure: 'park' }, [{ type: 'log', settings: { value: 'data.fail ? $error("bad") : data' } }]));
    const bad = (await send(t.url('/k'), { body: '{"fail":true}', headers: json })).json.executionId;
    const next = (await send(t.url('/k'), { body: '{"fail":false}', headers: json })).json.executionId;
    const [b, n] = await settled([bad, next]);
    expect(b.status).toBe('parked');
    expect(n.status).toBe('succeeded');
  });
});

describe('throttling', () => {
  it('at most maxConcurrency executions at once; async callers get 202 at once', async () => {
    await t.rt.deploy(chainFlow({ path: '/t', maxConcurrency: 2 }, [{ type: 'delay', settings: { ms: 60 } }]));
    const t0 = Date.now();
    const rs = await Promise.all(Array.from({ length: 8 }, (_, i) => send(t.url('/t'), { body: JSON.stringify({ i }), headers: json })));
    // All acknowledged before the queued work could have run (8 x 60 ms / 2 = 240 ms).
    expect(Date.now() - t0).toBeLessThan(240);
    expect(rs.every((r) => r.status === 202)).toBe(true);
    let maxActive = 0;
    await waitFor(async () => {
      const d = t.rt.queueDepths()[0];
      maxActive = Math.max(maxActive, d.active);
      return d.depth === 0 && d.active === 0;
    }, { tries: 400, intervalMs: 5 });
    expect(maxActive).toBe(2);
    const done = await settled(rs.map((r) => r.json.executionId));
    expect(done.every((e) => e.status === 'succeeded')).toBe(true);
  });
});

describe('undeploy', () => {
  it('stops accepting but lets accepted, queued messages run', async () => {
    await t.rt.deploy(chainFlow({ path: '/u', ordered: true }, [{ type: 'delay', settings: { ms: 20 } }], { id: 'undeploy-me' }));
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await send(t.url('/u'), { body: JSON.stringify({ i }), headers: json })).json.executionId);
    await t.rt.undeploy('undeploy-me');
    expect((await send(t.url('/u'), { body: '{}', headers: json })).status).toBe(404);
    const done = await settled(ids);
    expect(done.map((e) => e.status)).toEqual(['succeeded', 'succeeded', 'succeeded', 'succeeded', 'succeeded']);
  });
});

describe('graceful stop', () => {
  it('lets running work finish, keeps queued work for the next start', async () => {
    const flow = chainFlow({ path: '/g', ordered: true }, [{ type: 'delay', settings: { ms: 150 } }], { id: 'graceful' });
    await t.rt.deploy(flow);
    const ids: string[] = [];
    for (let i = 0; i < 4; i++) ids.push((await send(t.url('/g'), { body: JSON.stringify({ i }), headers: json })).json.executionId);
    await t.stop();
    const t2 = await startRuntime({ dataDir: t.dataDir });
    try {
      const first = await t2.rt.store.getExecution(ids[0]);
      expect(first!.status).toBe('succeeded');
      expect((await t2.rt.store.getExecution(ids[3]))!.status).toBe('queued');
      await t2.rt.deploy(flow);
      await waitFor(async () => (await t2.rt.store.getExecution(ids[3]))!.status === 'succeeded', { tries: 300 });
    } finally {
      await t2.stop();
    }
  });
});
