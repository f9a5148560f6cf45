import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { chainFlow, send, startRuntime, tempDir, waitFor, type TestRuntime } from '../helpers/runtime';

/** A partner on 127.0.0.1:0 that records every request body; while `slow`, it never answers. */
async function partner() {
  const seen: number[] = [];
  const state = { slow: true };
  const server = http.createServer((req, res) => {
    let b = '';
    req.on('data', (d) => (b += d));
    req.on('end', () => {
      seen.push(JSON.parse(b).id);
      if (!state.slow) res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    seen,
    state,
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/sink`,
    close: () => {
      server.closeAllConnections();
      return new Promise<void>((r) => server.close(() => r()));
    },
  };
}

const json = { 'content-type': 'application/json' };
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function setup(webhook: Record<string, unknown>) {
  const p = await partner();
  cleanups.push(p.close);
  const flow = chainFlow({ path: '/in', responseMode: 'async', ...webhook }, [
    { type: 'http-request', settings: { method: 'POST', url: p.url, contentType: 'application/json', body: '{ "id": {{ trigger.body.id }} }', timeoutMs: 20_000 } },
  ]);
  const dataDir = tempDir();
  const first = await startRuntime({ dataDir });
  cleanups.push(() => first.stop());
  await first.rt.deploy(flow);
  const ids: string[] = [];
  for (const id of [1, 2, 3]) {
    const r = await send(first.url('/in'), { body: JSON.stringify({ id }), headers: json });
    expect(r.status).toBe(202);
    ids.push(r.json.executionId);
  }
  return { p, flow, dataDir, first, ids };
}

async function restart(dataDir: string, flow: unknown): Promise<TestRuntime> {
  const second = await startRuntime({ dataDir });
  cleanups.push(() => second.stop());
  await second.rt.deploy(flow);
  return second;
}

async function allFinished(t: TestRuntime) {
  return waitFor(
    async () => {
      const page = await t.rt.store.listExecutions({ limit: 100 });
      return page.items.some((e) => e.status === 'queued' || e.status === 'running') ? undefined : page.items;
    },
    { tries: 250 },
  );
}

describe('graceful stop cuts executions off', () => {
  it('ordered: the cut message runs again first after the restart, the line goes on in order', async () => {
    const { p, flow, dataDir, first, ids } = await setup({ ordered: true });
    // The first message is at the partner (held there); the other two wait behind it.
    await waitFor(() => p.seen.length === 1);
    await first.rt.stop(100);
    expect(p.seen).toEqual([1]);

    p.state.slow = false;
    const second = await restart(dataDir, flow);
    await waitFor(() => p.seen.length >= 4, { tries: 250 });
    // At-least-once for the cut one, nothing lost, the order kept.
    expect(p.seen).toEqual([1, 1, 2, 3]);
    const rows = await allFinished(second);
    expect(rows.filter((e) => e.status === 'failed')).toEqual([]);
    const cut = rows.find((e) => e.id === ids[0])!;
    expect(cut.status).toBe('interrupted');
    const rerun = rows.find((e) => e.retryOf === ids[0])!;
    expect(rerun.status).toBe('succeeded');
    for (const id of ids.slice(1)) expect(rows.find((e) => e.id === id)!.status).toBe('succeeded');
    expect(second.rt.queueDepths().every((q) => q.blocked === 0 && q.depth === 0)).toBe(true);
  });

  it('async: every acknowledged message that was cut off runs again after the restart', async () => {
    const { p, flow, dataDir, first, ids } = await setup({ maxConcurrency: 4 });
    await waitFor(() => p.seen.length === 3);
    await first.rt.stop(100);

    p.state.slow = false;
    const second = await restart(dataDir, flow);
    await waitFor(() => p.seen.length >= 6, { tries: 250 });
    expect([...p.seen].sort()).toEqual([1, 1, 2, 2, 3, 3]);
    const rows = await allFinished(second);
    expect(rows.filter((e) => e.status === 'failed')).toEqual([]);
    for (const id of ids) {
      expect(rows.find((e) => e.id === id)!.status).toBe('interrupted');
      expect(rows.find((e) => e.retryOf === id)?.status).toBe('succeeded');
    }
  });
});

describe('graceful stop and a waiting caller', () => {
  it('request-response: the caller is told 503 interrupted, and the execution is not recorded as failed', async () => {
    const p = await partner();
    cleanups.push(p.close);
    const t = await startRuntime();
    cleanups.push(() => t.stop());
    await t.rt.deploy(
      chainFlow({ path: '/rr', responseMode: 'requestResponse', timeoutMs: 20_000 }, [
        { type: 'http-request', settings: { method: 'POST', url: p.url, contentType: 'application/json', body: '{ "id": 7 }', timeoutMs: 20_000 } },
      ]),
    );
    const answer = send(t.url('/rr'), { body: '{}', headers: json });
    await waitFor(() => p.seen.length === 1);
    const stopped = t.rt.stop(100);
    const r = await answer;
    expect(r.status).toBe(503);
    expect(r.json).toMatchObject({ error: 'interrupted' });
    await stopped;
    const again = await startRuntime({ dataDir: t.dataDir });
    cleanups.push(() => again.stop());
    const rows = (await again.rt.store.listExecutions({ limit: 10 })).items;
    expect(rows.map((e) => e.status)).toEqual(['interrupted']);
  });
});

describe('graceful stop refuses what arrives during it', () => {
  it('a message whose body completes while the stop drains gets 503 shutting_down and is not stored (it was stored, and its caller could lose the 202)', async () => {
    const dataDir = tempDir();
    const t = await startRuntime({ dataDir });
    cleanups.push(() => t.stop());
    await t.rt.deploy(chainFlow({ path: '/busy', responseMode: 'async' }, [{ type: 'delay', settings: { ms: 1500 } }], { id: 'busy' }));
    await t.rt.deploy(chainFlow({ path: '/late', responseMode: 'async' }, [{ type: 'log' }], { id: 'late' }));
    expect((await send(t.url('/busy'), { body: '{}', headers: json })).status).toBe(202);
    await waitFor(async () => (await t.rt.store.listExecutions({ limit: 10 })).items.some((e) => e.status === 'running'));

    // A request to the other flow whose body is still on its way when the stop begins.
    const body = '{"id":42}';
    const answer = new Promise<{ status: number; json: any }>((resolve, reject) => {
      const req = http.request(t.url('/late'), { method: 'POST', headers: { ...json, 'content-length': String(body.length) } }, (res) => {
        let b = '';
        res.on('data', (d) => (b += d));
        res.on('end', () => resolve({ status: res.statusCode!, json: JSON.parse(b) }));
      });
      req.on('error', reject);
      req.write(body.slice(0, 4));
      setTimeout(() => req.end(body.slice(4)), 300);
    });
    await new Promise((r) => setTimeout(r, 100));
    const stopped = t.rt.stop(5000); // drains while the delay runs
    const r = await answer;
    expect(r.status).toBe(503);
    expect(r.json).toEqual({ error: 'shutting_down', message: 'the server is stopping and did not accept the message; send it again' });
    await stopped;

    const again = await startRuntime({ dataDir });
    cleanups.push(() => again.stop());
    const rows = (await again.rt.store.listExecutions({ limit: 10 })).items;
    expect(rows.map((e) => e.flowId)).toEqual(['busy']);
  });
});
