import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createJsonLogger, logRunEvents, type LogLevel } from '../../core/runtime/logger';
import { chainFlow, send, startRuntime, waitFor, type TestRuntime } from '../helpers/runtime';

const closers: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const c of closers.splice(0).reverse()) await c();
});

async function sink(): Promise<string> {
  const s = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => res.writeHead(201, { 'content-type': 'application/json' }).end('{"ok":true}'));
  });
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  closers.push(() => new Promise((r) => s.close(r)));
  return `http://127.0.0.1:${(s.address() as AddressInfo).port}/erp`;
}

async function runtimeLogging(level: LogLevel): Promise<{ t: TestRuntime; lines: Array<Record<string, any>> }> {
  const lines: Array<Record<string, any>> = [];
  const logger = createJsonLogger({ level, write: (l) => lines.push(JSON.parse(l)) });
  const t = await startRuntime({ logger });
  closers.push(() => t.stop());
  t.rt.onEvent(logRunEvents(logger));
  return { t, lines };
}

describe('--log-level debug', () => {
  it('writes an access line per request (path without its query), a line per step and per outbound attempt', async () => {
    const { t, lines } = await runtimeLogging('debug');
    const url = await sink();
    await t.rt.deploy(chainFlow({ path: '/dbg', responseMode: 'requestResponse' }, [{ type: 'http-request', settings: { method: 'POST', url, output: 'body' } }, { type: 'respond', settings: { bodyMode: 'data' } }], { id: 'dbg' }));
    const r = await send(t.url('/dbg?token=s3cr3t-in-query'), { body: '{"n":1}', headers: { 'content-type': 'application/json' } });
    expect(r.status).toBe(200);
    await send(t.url('/nowhere'), { body: '{}' });

    const request = await waitFor(() => lines.find((l) => l.msg === 'request' && l.path === '/dbg'));
    expect(request).toMatchObject({ level: 'debug', method: 'POST', status: 200, from: '127.0.0.1' });
    expect(request.durationMs).toBeGreaterThanOrEqual(0);
    expect(JSON.stringify(lines)).not.toContain('s3cr3t-in-query');
    expect(await waitFor(() => lines.find((l) => l.msg === 'request' && l.path === '/nowhere'))).toMatchObject({ status: 404 });

    const steps = lines.filter((l) => l.msg === 'step finished');
    expect(steps.map((s) => [s.nodeId, s.nodeType, s.status])).toEqual([
      ['hook', 'webhook', 'succeeded'],
      ['n1', 'http-request', 'succeeded'],
      ['n2', 'respond', 'succeeded'],
    ]);
    expect(steps[1]).toMatchObject({ flowId: 'dbg', port: 'out' });
    const attempt = lines.find((l) => l.msg === 'http attempt');
    expect(attempt).toMatchObject({ level: 'debug', nodeId: 'n1', attempt: 1, method: 'POST', url, status: 201 });
    expect(lines.find((l) => l.msg === 'execution finished')).toMatchObject({ level: 'info', flowId: 'dbg', status: 'succeeded' });
  });

  it('names a caller that went away before the answer', async () => {
    const { t, lines } = await runtimeLogging('debug');
    await t.rt.deploy(chainFlow({ path: '/slow', responseMode: 'requestResponse' }, [{ type: 'delay', settings: { ms: 1500 } }, { type: 'respond' }], { id: 'slow' }));
    const ac = new AbortController();
    const sent = fetch(t.url('/slow'), { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' }, signal: ac.signal }).catch((e) => e);
    await waitFor(() => t.events.some((e) => e.type === 'execution.started'));
    ac.abort();
    await sent;
    const line = await waitFor(() => lines.find((l) => l.msg === 'request' && l.path === '/slow'));
    expect(line).toMatchObject({ method: 'POST', aborted: true, from: '127.0.0.1' });
    expect(line).not.toHaveProperty('status');
  });

  it('at info level writes none of these lines', async () => {
    const { t, lines } = await runtimeLogging('info');
    await t.rt.deploy(chainFlow({ path: '/quiet', responseMode: 'requestResponse' }, [{ type: 'respond' }], { id: 'quiet' }));
    expect((await send(t.url('/quiet'), { body: '{}', headers: { 'content-type': 'application/json' } })).status).toBe(200);
    await waitFor(() => lines.find((l) => l.msg === 'execution finished'));
    expect(lines.filter((l) => l.level === 'debug')).toEqual([]);
  });
});
