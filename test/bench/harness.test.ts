import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { chainFlow } from '../helpers/runtime';
import { withResources } from './lib/child';
import { runInterleaved } from './lib/load';

const servers: http.Server[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) {
    s.closeAllConnections();
    await new Promise((r) => s.close(r));
  }
});

/** A server that answers `status(n)` to its n-th request and counts what it received. */
async function counting(status: (n: number) => number) {
  const seen = { requests: 0, bodies: [] as string[] };
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      seen.bodies.push(body);
      res.writeHead(status(seen.requests++)).end('{}');
    });
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/x`, seen };
}

describe('bench load generator', () => {
  it('counts every answer exactly, splits expected from unexpected statuses and numbers the bodies', async () => {
    const a = await counting(() => 202);
    const b = await counting((n) => (n % 3 === 2 ? 500 : 202));
    const results = await runInterleaved(
      [
        { name: 'a', url: a.url, body: (n) => `{"n":${n}}`, expectStatus: 202 },
        { name: 'b', url: b.url, body: (n) => `{"n":${n}}`, expectStatus: 202 },
      ],
      { concurrency: 3, warmupSeconds: 0.05, seconds: 0.3, sliceSeconds: 0.1, maxRequests: 100_000 },
    );
    const ra = results.get('a')!;
    const rb = results.get('b')!;
    expect(ra.okTotal).toBe(a.seen.requests);
    expect(ra.errorsTotal).toBe(0);
    expect(ra.ok).toBeGreaterThan(0);
    expect(ra.ok).toBeLessThanOrEqual(ra.okTotal);
    expect(rb.okTotal + rb.errorsTotal).toBe(b.seen.requests);
    expect(rb.errorsTotal).toBe(Math.floor(b.seen.requests / 3));
    expect(rb.errors).toBeGreaterThan(0);
    expect(rb.firstError).toBe('status 500');
    expect(ra.p50).toBeLessThanOrEqual(ra.p99);
    // Each request of a target carries its own sequence number, warm-up included.
    expect(new Set(a.seen.bodies).size).toBe(a.seen.requests);
    expect(a.seen.bodies.map((x) => JSON.parse(x).n).sort((x, y) => x - y)).toEqual([...Array(a.seen.requests).keys()]);
  });

  it('warms a target up while it keeps getting faster, and stops once it does not', async () => {
    // "rising" answers after 40 ms in its first 0.1 s, then twice as fast every 0.1 s down to 2.5 ms; "steady"
    // always after 5 ms.
    const delayed = async (delayMs: (sinceFirstMs: number) => number) => {
      let first = 0;
      const server = http.createServer((req, res) => {
        req.resume();
        req.on('end', () => {
          first ||= performance.now();
          setTimeout(() => res.end('{}'), delayMs(performance.now() - first));
        });
      });
      servers.push(server);
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      return `http://127.0.0.1:${(server.address() as AddressInfo).port}/x`;
    };
    const rising = await delayed((t) => 40 / 2 ** Math.min(4, Math.floor(t / 100)));
    const steady = await delayed(() => 5);
    const opts = { concurrency: 4, warmupSeconds: 0.1, warmupMaxSeconds: 1, seconds: 0.1, sliceSeconds: 0.1, maxRequests: 100_000 };
    const results = await runInterleaved(
      [
        { name: 'rising', url: rising, body: () => '{}', expectStatus: 200 },
        { name: 'steady', url: steady, body: () => '{}', expectStatus: 200 },
      ],
      opts,
    );
    expect(results.get('rising')!.warmupS).toBeGreaterThanOrEqual(0.5);
    expect(results.get('rising')!.warmupS).toBeLessThanOrEqual(1);
    expect(results.get('steady')!.warmupS).toBeGreaterThanOrEqual(0.2);
    expect(results.get('steady')!.warmupS).toBeLessThanOrEqual(0.4);
    // Without warmupMaxSeconds the warm-up is one window.
    const fixed = await runInterleaved([{ name: 'r', url: rising, body: () => '{}', expectStatus: 200 }], { ...opts, warmupMaxSeconds: undefined });
    expect(fixed.get('r')!.warmupS).toBe(0.1);
  });

  it('stops measuring at maxRequests', async () => {
    const a = await counting(() => 200);
    const r = (await runInterleaved([{ name: 'a', url: a.url, body: () => '{}', expectStatus: 200 }], { concurrency: 4, warmupSeconds: 0, seconds: 30, sliceSeconds: 30, maxRequests: 25 })).get('a')!;
    expect(r.ok + r.errors).toBe(25);
    expect(a.seen.requests).toBe(25);
  });
});

describe('bench resources', () => {
  it('stops server children and removes temp dirs when a section throws', async () => {
    let dir = '';
    let pid = 0;
    await expect(
      withResources(async (r) => {
        dir = r.tempDir();
        fs.writeFileSync(`${dir}/x`, 'x');
        const s = await r.server('bare-server.ts', { mode: 'echo' });
        pid = s.pid;
        const res = await fetch(`${s.url}/rr`, { method: 'POST', body: '{"a":1}' });
        expect(await res.json()).toEqual({ a: 1 });
        throw new Error('section failed');
      }),
    ).rejects.toThrow('section failed');
    expect(fs.existsSync(dir)).toBe(false);
    expect(() => process.kill(pid, 0)).toThrow();
  });
});

describe('bench hookline server child', () => {
  it('reports every acknowledged ordered message as stored and finished, and counts commits', async () => {
    await withResources(async (r) => {
      const flow = chainFlow({ path: '/in', ordered: true }, [], { id: 'bench-test' });
      const s = await r.server('hookline-server.ts', { dataDir: r.tempDir(), synchronous: 'NORMAL', flow });
      const results = await runInterleaved([{ name: 'h', url: `${s.url}/in`, body: (n) => `{"n":${n}}`, expectStatus: 202 }], {
        concurrency: 4,
        warmupSeconds: 0,
        seconds: 30,
        sliceSeconds: 30,
        maxRequests: 40,
      });
      expect(results.get('h')!.okTotal).toBe(40);
      const v = await s.call<{ total: number; succeeded: number; unfinished: number }>('verify', { maxWaitMs: 10_000 });
      expect(v).toMatchObject({ total: 40, succeeded: 40, unfinished: 0 });
      const c = await s.call<{ count: number; workerCount: number }>('commits');
      // Every acknowledged message was committed somewhere: more commits than the one at start-up, wherever
      // the store commits (its writer thread reports through the preloaded commit timer).
      expect(c.count).toBeGreaterThan(1);
    });
  });
});
