import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import WebSocket from 'ws';
import { startStudioServer, type StudioServer } from '../../core/host/http-transport';
import { createHttpHost, type WebSocketCtor } from '../../renderer/host/http-client';
import { takeStudioToken, TOKEN_STORAGE_KEY } from '../../renderer/host/token';
import { HOST_METHODS } from '../../core/host/api';
import { HostCallError, HostProblemsError } from '../../core/host/transport-wire';
import { ProblemsError } from '../../core/model/problems';
import type { RunEvent } from '../../core/runtime/events';
import { createFakeHost } from './fake-host';

let staticDir: string;
beforeAll(() => {
  staticDir = mkdtempSync(path.join(os.tmpdir(), 'hookline-client-'));
  writeFileSync(path.join(staticDir, 'index.html'), '<!doctype html>');
});
const servers: StudioServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});
async function start(port = 0, token?: string) {
  const fake = createFakeHost();
  const server = await startStudioServer({ api: fake.api, staticDir, port, token });
  servers.push(server);
  return { fake, server, base: `http://127.0.0.1:${server.port}` };
}
const wsCtor = WebSocket as unknown as WebSocketCtor;
async function until(cond: () => boolean, what: string) {
  for (let i = 0; i < 300; i++) {
    if (cond()) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('createHttpHost', () => {
  it('has exactly the HostApi methods plus onEvent, generated from HOST_METHODS', async () => {
    const { base, server } = await start();
    const host = createHttpHost(base, server.token, { WebSocket: wsCtor });
    expect(Object.keys(host).sort()).toEqual([...HOST_METHODS, 'onEvent'].sort());
  });

  it('calls methods over HTTP and returns their results', async () => {
    const { base, server, fake } = await start();
    const host = createHttpHost(`${base}/`, server.token, { WebSocket: wsCtor });
    expect(await host.listFlows()).toEqual([expect.objectContaining({ id: 'orders' })]);
    expect(await host.sendTestRequest({ method: 'GET', url: '/orders' })).toMatchObject({ status: 200, body: 'ok' });
    expect(await host.deleteFlow('orders')).toBeUndefined();
    expect(fake.calls.map((c) => c.method)).toEqual(['listFlows', 'sendTestRequest', 'deleteFlow']);
  });

  it('keeps an argument left out in the middle undefined, and a null one null (JSON alone would make both null)', async () => {
    const { base, server, fake } = await start();
    const host = createHttpHost(base, server.token, { WebSocket: wsCtor });
    await host.runFlow('orders', undefined, 'hook');
    await host.runFlow('orders', null, 'hook');
    const runs = fake.calls.filter((c) => c.method === 'runFlow').map((c) => c.args);
    expect(runs[0]).toEqual(['orders', undefined, 'hook']);
    expect(runs[0][1]).toBeUndefined();
    expect(runs[1][1]).toBeNull();
  });

  it('throws ProblemsError with problems, HostCallError with code', async () => {
    const { base, server } = await start();
    const host = createHttpHost(base, server.token, { WebSocket: wsCtor });
    const deploy = await host.deploy('orders').catch((e) => e);
    expect(deploy).toBeInstanceOf(ProblemsError);
    expect(deploy).toBeInstanceOf(HostProblemsError);
    expect(deploy.code).toBe('problems');
    expect(deploy.problems[0]).toMatchObject({ path: 'nodes[1].settings.path', nodeId: 'n1' });
    const bad = await host.getFlow(7 as unknown as string).catch((e) => e);
    expect(bad).toBeInstanceOf(HostProblemsError);
    expect(bad.code).toBe('invalid_args');
    const missing = await host.getFlow('nope').catch((e) => e);
    expect(missing).toBeInstanceOf(HostCallError);
    expect(missing).toMatchObject({ code: 'not_found', message: 'flow "nope" not found' });
    const wrongToken = await createHttpHost(base, 'wrong').listFlows().catch((e) => e);
    expect(wrongToken).toMatchObject({ code: 'unauthorized' });
    const down = await createHttpHost('http://127.0.0.1:1', 't').listFlows().catch((e) => e);
    expect(down).toMatchObject({ code: 'unreachable' });
  });

  it('delivers events, reconnects after the server restarts, and stops after unsubscribe', async () => {
    const first = await start(0, 'tok');
    const states: boolean[] = [];
    const host = createHttpHost(first.base, 'tok', { WebSocket: wsCtor, reconnectDelayMs: 20, maxReconnectDelayMs: 100, onConnectionChange: (c) => states.push(c) });
    const got: RunEvent[] = [];
    const off = host.onEvent((e) => got.push(e));
    await until(() => states.at(-1) === true, 'first connection');
    const e1: RunEvent = { type: 'flow.undeployed', flowId: 'a', at: 'now' };
    first.fake.emit(e1);
    await until(() => got.length === 1, 'first event');
    expect(got).toEqual([e1]);

    // Restart on the same port: the client must come back by itself.
    const port = first.server.port;
    await first.server.close();
    servers.length = 0;
    await until(() => states.at(-1) === false, 'disconnect');
    const second = await start(port, 'tok');
    await until(() => states.at(-1) === true, 'reconnect');
    const e2: RunEvent = { type: 'warning', code: 'w', message: 'after reconnect' };
    second.fake.emit(e2);
    await until(() => got.length === 2, 'event after reconnect');
    expect(got[1]).toEqual(e2);

    off();
    await until(() => states.at(-1) === false, 'close after unsubscribe');
    second.fake.emit(e1);
    await new Promise((r) => setTimeout(r, 50));
    expect(got).toHaveLength(2);
  });

  it('a throwing listener does not stop the others', async () => {
    const { base, server, fake } = await start();
    let connected = false;
    const host = createHttpHost(base, server.token, { WebSocket: wsCtor, onConnectionChange: (c) => (connected = c) });
    const got: string[] = [];
    const errors = console.error;
    console.error = () => {};
    try {
      const offA = host.onEvent(() => {
        throw new Error('boom');
      });
      const offB = host.onEvent((e) => got.push(e.type));
      await until(() => connected, 'connection');
      fake.emit({ type: 'warning', code: 'x', message: 'y' });
      await until(() => got.length === 1, 'event');
      offA();
      offB();
    } finally {
      console.error = errors;
    }
  });
});

describe('takeStudioToken', () => {
  function env(href: string, stored?: string) {
    const store = new Map<string, string>(stored ? [[TOKEN_STORAGE_KEY, stored]] : []);
    const replaced: string[] = [];
    return {
      replaced,
      store,
      env: {
        location: { href },
        history: { state: { s: 1 }, replaceState: (_d: unknown, _u: string, url?: string | URL | null) => void replaced.push(String(url)) },
        storage: { getItem: (k: string) => store.get(k) ?? null, setItem: (k: string, v: string) => void store.set(k, v) },
      },
    };
  }
  it('takes ?token= from the URL, stores it and strips it from the address bar', () => {
    const t = env('http://127.0.0.1:5000/?token=abc&x=1#/flows');
    expect(takeStudioToken(t.env)).toBe('abc');
    expect(t.store.get(TOKEN_STORAGE_KEY)).toBe('abc');
    expect(t.replaced).toEqual(['/?x=1#/flows']);
  });
  it('falls back to sessionStorage after a reload', () => {
    const t = env('http://127.0.0.1:5000/', 'stored');
    expect(takeStudioToken(t.env)).toBe('stored');
    expect(t.replaced).toEqual([]);
    expect(takeStudioToken(env('http://127.0.0.1:5000/').env)).toBeUndefined();
  });
});
