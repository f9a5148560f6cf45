import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import http from 'node:http';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import WebSocket from 'ws';
import { startStudioServer, type StudioServer } from '../../core/host/http-transport';
import { createFakeHost } from './fake-host';
import { startHostedRuntime } from '../../core/host/studio';
import { MemorySecretStore } from '../../core/secrets/secret-store';
import { chainFlow, tempDir } from '../helpers/runtime';
import type { RunEvent } from '../../core/runtime/events';

let staticDir: string;
beforeAll(() => {
  const root = mkdtempSync(path.join(os.tmpdir(), 'hookline-static-'));
  staticDir = path.join(root, 'renderer');
  mkdirSync(path.join(staticDir, 'assets'), { recursive: true });
  writeFileSync(path.join(staticDir, 'index.html'), '<!doctype html><title>Hookline</title>');
  writeFileSync(path.join(staticDir, 'assets', 'index-abc.js'), 'console.log(1)');
  writeFileSync(path.join(staticDir, 'assets', 'editor.worker.js'), 'self.onmessage=()=>{}');
  writeFileSync(path.join(staticDir, 'assets', 'codicon.ttf'), 'ttf');
  writeFileSync(path.join(staticDir, '.env'), 'SECRET=1');
  writeFileSync(path.join(root, 'secret.txt'), 'outside the static dir');
});

const servers: StudioServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function start(extra: Partial<Parameters<typeof startStudioServer>[0]> = {}) {
  const fake = createFakeHost();
  const server = await startStudioServer({ api: fake.api, staticDir, ...extra });
  servers.push(server);
  return { fake, server };
}

interface Raw {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
  json: any;
}
/** Raw HTTP so tests control the Host and Origin headers (fetch does not let us set Host). */
function raw(port: number, opts: { method?: string; path: string; headers?: Record<string, string>; body?: string }): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port, method: opts.method ?? 'GET', path: opts.path, headers: { host: `127.0.0.1:${port}`, ...opts.headers } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => {
          const body = Buffer.concat(chunks).toString('utf8');
          let json: unknown;
          try {
            json = JSON.parse(body);
          } catch {}
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body, json });
        });
      },
    );
    req.on('error', reject);
    req.end(opts.body);
  });
}

function api(server: StudioServer, method: string, args: unknown, headers: Record<string, string> = {}) {
  return raw(server.port, {
    method: 'POST',
    path: `/api/${method}`,
    headers: { 'content-type': 'application/json', authorization: `Bearer ${server.token}`, ...headers },
    body: typeof args === 'string' ? args : JSON.stringify(args),
  });
}

describe('startStudioServer', () => {
  it('listens on 127.0.0.1 with a random 64-hex token in the printed URL', async () => {
    const { server } = await start();
    expect(server.port).toBeGreaterThan(0);
    expect(server.token).toMatch(/^[0-9a-f]{64}$/);
    expect(server.url).toBe(`http://127.0.0.1:${server.port}/?token=${server.token}`);
    const other = await start();
    expect(other.server.token).not.toBe(server.token);
  });

  it('answers 401 without a token and with a wrong token, and never calls the API', async () => {
    const { server, fake } = await start({ token: 'right-token' });
    const none = await api(server, 'listFlows', [], { authorization: '' });
    expect(none.status).toBe(401);
    expect(none.json).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
    const wrong = await api(server, 'listFlows', [], { authorization: 'Bearer wrong-token' });
    expect(wrong.status).toBe(401);
    const prefix = await api(server, 'listFlows', [], { authorization: 'Bearer right-toke' });
    expect(prefix.status).toBe(401);
    expect(fake.calls).toEqual([]);
    const ok = await api(server, 'listFlows', [], { authorization: 'Bearer right-token' });
    expect(ok.status).toBe(200);
  });

  it('rejects a foreign Host header (DNS rebinding) and cross-origin Origin headers', async () => {
    const { server, fake } = await start();
    const rebound = await api(server, 'listFlows', [], { host: `evil.example:${server.port}` });
    expect(rebound.status).toBe(403);
    expect(rebound.json.error.code).toBe('bad_host');
    const wrongPort = await api(server, 'listFlows', [], { host: `127.0.0.1:${server.port + 1}` });
    expect(wrongPort.status).toBe(403);
    const page = await raw(server.port, { path: '/', headers: { host: `attacker.test:${server.port}` } });
    expect(page.status).toBe(403);
    const cross = await api(server, 'listFlows', [], { origin: 'http://evil.example' });
    expect(cross.status).toBe(403);
    expect(cross.json.error.code).toBe('bad_origin');
    expect(fake.calls).toEqual([]);
    const localhost = await api(server, 'listFlows', [], { host: `localhost:${server.port}`, origin: `http://localhost:${server.port}` });
    expect(localhost.status).toBe(200);
  });

  it('validates arguments with hostMethodArgs: 400 with problems naming the argument', async () => {
    const { server, fake } = await start();
    const res = await api(server, 'getFlow', [42]);
    expect(res.status).toBe(400);
    expect(res.json.ok).toBe(false);
    expect(res.json.error.code).toBe('invalid_args');
    expect(res.json.error.problems).toEqual([expect.objectContaining({ path: 'args[0]', message: 'must be a string' })]);
    const secret = await api(server, 'setSecret', ['bad name!', 'v']);
    expect(secret.status).toBe(400);
    expect(secret.json.error.problems[0].path).toBe('args[0]');
    const notArray = await api(server, 'getFlow', '{"id":"x"}');
    expect(notArray.status).toBe(400);
    const badJson = await api(server, 'getFlow', '[1,');
    expect(badJson.status).toBe(400);
    expect(badJson.json.error.code).toBe('bad_json');
    expect(fake.calls).toEqual([]);
  });

  it('answers 404 for unknown methods, including prototype names', async () => {
    const { server } = await start();
    for (const m of ['dropDatabase', 'constructor', '__proto__', 'toString', 'onEvent']) {
      const res = await api(server, m, []);
      expect(res.status, m).toBe(404);
      expect(res.json.error.code).toBe('unknown_method');
    }
    const get = await raw(server.port, { path: '/api/listFlows', headers: { authorization: `Bearer ${server.token}` } });
    expect(get.status).toBe(405);
  });

  it('returns results, void results and thrown errors in the wire shape', async () => {
    const { server, fake } = await start();
    const flows = await api(server, 'listFlows', []);
    expect(flows.status).toBe(200);
    expect(flows.json).toEqual({ ok: true, result: [expect.objectContaining({ id: 'orders', revision: 3 })] });
    const del = await api(server, 'deleteFlow', ['orders']);
    expect(del.json).toEqual({ ok: true });
    const problems = await api(server, 'deploy', ['orders']);
    expect(problems.status).toBe(422);
    expect(problems.json).toEqual({
      ok: false,
      error: {
        message: 'nodes[1].settings.path: is already used by flow "a"',
        code: 'problems',
        problems: [{ path: 'nodes[1].settings.path', code: 'route_conflict', message: 'is already used by flow "a"', nodeId: 'n1' }],
      },
    });
    const missing = await api(server, 'getFlow', ['nope']);
    expect(missing.status).toBe(404);
    expect(missing.json).toEqual({ ok: false, error: { message: 'flow "nope" not found', code: 'not_found' } });
    expect(missing.body).not.toContain('at '); // no stack trace
    // Parsed arguments reach the API (unknown query fields stripped by the schema).
    await api(server, 'listExecutions', [{ flowId: 'orders', limit: 10, evil: true }]);
    expect(fake.calls.at(-1)).toEqual({ method: 'listExecutions', args: [{ flowId: 'orders', limit: 10 }] });
  });

  it('refuses bodies above the limit with 413', async () => {
    const { server, fake } = await start({ maxBodyBytes: 1024 });
    const res = await api(server, 'validateFlow', [{ big: 'x'.repeat(5000) }]);
    expect(res.status).toBe(413);
    expect(fake.calls).toEqual([]);
  });

  it('serves the renderer with content types, CSP and no traversal', async () => {
    const { server } = await start();
    const index = await raw(server.port, { path: `/?token=${server.token}` });
    expect(index.status).toBe(200);
    expect(index.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(index.body).toContain('<title>Hookline</title>');
    const csp = String(index.headers['content-security-policy']);
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("worker-src 'self' blob:");
    expect(csp).toContain("style-src 'self' 'unsafe-inline'");
    expect(csp).toContain(`ws://127.0.0.1:${server.port}`);
    expect(csp).not.toContain('[::1]'); // not a valid CSP host source: Chromium logged an error on every load
    expect(index.headers['referrer-policy']).toBe('no-referrer');
    expect(index.headers['cache-control']).toBe('no-store');
    const js = await raw(server.port, { path: '/assets/index-abc.js' });
    expect(js.status).toBe(200);
    expect(js.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(js.body).toBe('console.log(1)');
    expect((await raw(server.port, { path: '/assets/codicon.ttf' })).headers['content-type']).toBe('font/ttf');
    // Client-side routes fall back to the app; missing assets do not.
    expect((await raw(server.port, { path: '/flows/orders' })).body).toContain('Hookline');
    expect((await raw(server.port, { path: '/assets/missing.js' })).status).toBe(404);
    for (const p of ['/../secret.txt', '/assets/../../secret.txt', '/%2e%2e/secret.txt', '/assets/%2e%2e%2f%2e%2e%2fsecret.txt', '/..%5csecret.txt', '/.env', '/%00']) {
      const res = await raw(server.port, { path: p });
      expect(res.status, p).toBe(404);
      expect(res.body, p).not.toContain('outside the static dir');
      expect(res.body, p).not.toContain('SECRET');
    }
    const post = await raw(server.port, { method: 'POST', path: '/index.html' });
    expect(post.status).toBe(405);
  });

  it('pushes every run event over the WebSocket and closes it on close()', async () => {
    const { server, fake } = await start();
    expect(fake.listeners.size).toBe(1);
    const ws = new WebSocket(`ws://127.0.0.1:${server.port}/api/events?token=${server.token}`);
    const received: RunEvent[] = [];
    ws.on('message', (d) => received.push(JSON.parse(String(d))));
    await new Promise((resolve, reject) => {
      ws.once('open', resolve);
      ws.once('error', reject);
    });
    const events: RunEvent[] = [
      { type: 'flow.deployed', flowId: 'orders', revision: 2, at: '2026-01-01T00:00:00.000Z' },
      { type: 'execution.started', executionId: 'e1', flowId: 'orders', at: '2026-01-01T00:00:01.000Z' },
    ];
    for (const e of events) fake.emit(e);
    for (let i = 0; i < 200 && received.length < 2; i++) await new Promise((r) => setTimeout(r, 10));
    expect(received).toEqual(events);
    const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
    await server.close();
    expect(await closed).toBe(1001);
    expect(fake.listeners.size).toBe(0);
    servers.length = 0;
  });

  it('refuses WebSocket upgrades without the token, with a foreign Host or Origin', async () => {
    const { server } = await start();
    const attempt = (url: string, headers: Record<string, string> = {}) =>
      new Promise<number>((resolve) => {
        const ws = new WebSocket(url, { headers });
        ws.on('unexpected-response', (_req, res) => {
          resolve(res.statusCode ?? 0);
          ws.terminate();
        });
        ws.on('open', () => {
          resolve(101);
          ws.close();
        });
        ws.on('error', () => resolve(-1));
      });
    const base = `ws://127.0.0.1:${server.port}/api/events`;
    expect(await attempt(base)).toBe(401);
    expect(await attempt(`${base}?token=nope`)).toBe(401);
    expect(await attempt(`${base}?token=${server.token}`, { host: `evil.example:${server.port}` })).toBe(403);
    expect(await attempt(`${base}?token=${server.token}`, { origin: 'https://evil.example' })).toBe(403);
    expect(await attempt(`ws://127.0.0.1:${server.port}/other?token=${server.token}`)).toBe(404);
    expect(await attempt(`${base}?token=${server.token}`, { origin: `http://127.0.0.1:${server.port}` })).toBe(101);
  });
});

describe('status codes of the real host operations', () => {
  it('a request the user got wrong is a 4xx with its code, not a 500: bad cURL 422, connection in use 409, unknown flow 404', async () => {
    const h = await startHostedRuntime({ dataDir: tempDir(), secrets: new MemorySecretStore({}), port: 0 });
    try {
      const { server } = await start({ api: h.api });
      const curl = await api(server, 'importCurl', ["curl 'http://x/"]);
      expect([curl.status, curl.json.error]).toEqual([422, { message: 'curl: unterminated single quote', code: 'invalid_curl' }]);
      await h.api.saveConnection({ id: 'erp', name: 'ERP', baseUrl: 'http://127.0.0.1:9' });
      await h.api.saveFlow(chainFlow({ path: '/x' }, [{ type: 'http-request', settings: { url: '/orders', connectionId: 'erp' } }], { id: 'uses', name: 'Uses ERP' }));
      const del = await api(server, 'deleteConnection', ['erp']);
      expect([del.status, del.json.error.code]).toEqual([409, 'in_use']);
      const flow = await api(server, 'getFlow', ['nope']);
      expect([flow.status, flow.json.error.code]).toEqual([404, 'not_found']);
    } finally {
      await h.close();
    }
  });
});

