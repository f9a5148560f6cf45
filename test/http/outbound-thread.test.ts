import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { destroyAgents } from '../../core/http/agents';
import { sendRequest } from '../../core/http/client';
import { outboundThreadStatus, stopOutboundThread } from '../../core/http/hop-thread';
import { packCall, packReply, unpackCalls, unpackReplies, type HopCall, type HopReply } from '../../core/http/hop-wire';
import { json, startHttp, type TestServer } from './servers';

const run = promisify(execFile);
let srv: TestServer;
const closedSockets: string[] = [];
beforeAll(async () => {
  srv = await startHttp((req, res) => {
    if (req.url === '/slow') return void setTimeout(() => json(res, 200, { slow: true }), 1500);
    req.socket.once('close', () => closedSockets.push(`${req.socket.remotePort}`));
    json(res, 200, { path: req.url, port: req.socket.remotePort });
  });
});
afterAll(async () => {
  await destroyAgents();
  await srv.close();
});

describe('the outbound thread', () => {
  it('sends hops on a thread of its own, and a hop with a custom DNS lookup (a function) on this one', async () => {
    const ex = await sendRequest({ method: 'GET', url: `${srv.url}/a` });
    expect(ex.response?.body).toMatchObject({ path: '/a' });
    expect(outboundThreadStatus()).toMatchObject({ enabled: true, threadId: expect.any(Number) });
    const looked: string[] = [];
    const viaLookup = await sendRequest(
      { method: 'GET', url: `http://partner.test:${srv.port}/b` },
      {
        lookup: (host, opts, cb) => {
          looked.push(host);
          if ((opts as { all?: boolean }).all) (cb as (e: null, a: Array<{ address: string; family: number }>) => void)(null, [{ address: '127.0.0.1', family: 4 }]);
          else (cb as (e: null, a: string, f: number) => void)(null, '127.0.0.1', 4);
        },
      },
    );
    expect(viaLookup.response?.body).toMatchObject({ path: '/b' });
    expect(looked).toEqual(['partner.test']);
  });

  it('keeps sockets alive on the thread, and destroyAgents closes them there', async () => {
    const first = await sendRequest({ method: 'GET', url: `${srv.url}/k1` });
    const second = await sendRequest({ method: 'GET', url: `${srv.url}/k2` });
    const port = (first.response?.body as { port: number }).port;
    expect((second.response?.body as { port: number }).port).toBe(port);
    expect(second.attempts[0].timings?.reusedSocket).toBe(true);
    await destroyAgents();
    for (let i = 0; i < 100 && !closedSockets.includes(String(port)); i++) await new Promise((r) => setTimeout(r, 10));
    expect(closedSockets).toContain(String(port));
  });

  it('cancels a hop on the thread when the caller aborts', async () => {
    const ctrl = new AbortController();
    const t0 = Date.now();
    const p = sendRequest({ method: 'GET', url: `${srv.url}/slow` }, { signal: ctrl.signal });
    setTimeout(() => ctrl.abort(), 100);
    await expect(p).rejects.toMatchObject({ code: 'aborted' });
    expect(Date.now() - t0).toBeLessThan(1200);
  });

  it('fails the hops a stopped thread held, clearly, and starts a new thread for the next one', async () => {
    await sendRequest({ method: 'GET', url: `${srv.url}/warm` });
    const before = outboundThreadStatus().threadId;
    const p = sendRequest({ method: 'GET', url: `${srv.url}/slow` }, { retry: { retryCount: 0 } });
    await new Promise((r) => setTimeout(r, 100));
    await stopOutboundThread();
    await expect(p).rejects.toMatchObject({ code: 'network', message: expect.stringContaining('outbound thread stopped') });
    const again = await sendRequest({ method: 'GET', url: `${srv.url}/after` });
    expect(again.response?.body).toMatchObject({ path: '/after' });
    expect(outboundThreadStatus().threadId).not.toBe(before);
  });

  it('HOOKLINE_OUTBOUND_THREAD=0 keeps every hop on the main thread, and says so', async () => {
    const code = `
      import { sendRequest } from './core/http/client.ts';
      import { outboundThreadStatus } from './core/http/hop-thread.ts';
      import { destroyAgents } from './core/http/agents.ts';
      const ex = await sendRequest({ method: 'GET', url: process.argv[1] });
      console.log(JSON.stringify({ status: ex.response.status, thread: outboundThreadStatus() }));
      await destroyAgents();`;
    // Not spawnSync: the test server answering the child runs on this event loop.
    const r = await run(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code, `${srv.url}/env`], {
      env: { ...process.env, HOOKLINE_OUTBOUND_THREAD: '0' },
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(JSON.parse(r.stdout.trim().split('\n').pop()!)).toEqual({ status: 200, thread: { enabled: false, reason: 'turned off (HOOKLINE_OUTBOUND_THREAD=0)' } });
  });
});

describe('hop-wire', () => {
  it('carries calls and replies across in flat batches, every field as it was', () => {
    const calls: HopCall[] = [
      { id: 1, agentKey: 'a|http|default|', spec: { poolId: 'a' }, method: 'POST', url: 'http://x/1', headers: { 'content-type': 'application/xml', 'x-a': 'é' }, body: '<a/>', deadline: 5, totalMs: 30_000, connectMs: 10_000, timeoutMessage: 'late', maxResponseBytes: 10, capturePeerCertificate: true, cancellable: false },
      { id: 2, agentKey: 'b', method: 'GET', url: 'https://y/', headers: {}, deadline: 6, totalMs: 1, connectMs: 2, maxResponseBytes: 3, capturePeerCertificate: false, cancellable: true },
      { id: 3, agentKey: 'c', method: 'PUT', url: 'http://z/', headers: { a: '1' }, body: Buffer.from([0, 255]), deadline: 7, totalMs: 1, connectMs: 2, maxResponseBytes: 3, capturePeerCertificate: false, cancellable: false },
    ];
    const batch: unknown[] = [];
    for (const c of calls) packCall(batch, c);
    const back: HopCall[] = [];
    unpackCalls(structuredClone(batch), (c) => back.push(c));
    expect(back.map((c) => ({ ...c, body: typeof c.body === "object" ? [...(c.body as Uint8Array)] : c.body }))).toEqual(
      calls.map((c) => ({ ...c, spec: c.spec, timeoutMessage: c.timeoutMessage, body: Buffer.isBuffer(c.body) ? [...c.body] : c.body })),
    );

    const replies: HopReply[] = [
      { id: 1, status: 200, statusText: 'OK', headers: { 'content-type': 'text/plain', 'set-cookie': 'a=1, b=2' }, body: new Uint8Array([104, 105]), timings: { totalMs: 3.5, reusedSocket: true, firstByteMs: 2 } },
      { id: 2, error: { message: 'GET https://y/: no complete response within 1 ms', code: 'timeout' }, timings: { totalMs: 1, reusedSocket: false, dnsMs: 0.1, connectMs: 0.2, tlsMs: 0.3 } },
      { id: 3, error: { message: 'boom', code: 'network', status: 502 } },
      { id: 4, status: 204, statusText: '', headers: {}, body: new Uint8Array(), timings: { totalMs: 1, reusedSocket: false }, peerCertificate: { subject: 'CN=x' } as never },
    ];
    const rb: unknown[] = [];
    for (const r of replies) packReply(rb, r);
    const got: HopReply[] = [];
    unpackReplies(structuredClone(rb), (r) => got.push(r));
    expect(got).toEqual(replies);
  });
});

describe('large responses from the outbound thread', () => {
  it('arrive whole, byte for byte (moved across, not copied), and small ones next to them too', async () => {
    const big = Buffer.alloc(3 * 1024 * 1024);
    for (let i = 0; i < big.length; i++) big[i] = (i * 7) & 255;
    const server = await startHttp((req, res) => {
      res.setHeader('content-type', 'application/octet-stream');
      res.end(req.url === '/big' ? big : Buffer.from('small'));
    });
    try {
      const [a, b] = await Promise.all([sendRequest({ method: 'GET', url: `${server.url}/big` }), sendRequest({ method: 'GET', url: `${server.url}/small` })]);
      expect(a.response?.sizeBytes).toBe(big.length);
      expect(a.response?.encoding).toBe('base64');
      expect(Buffer.from(a.response!.body as string, 'base64').equals(big)).toBe(true);
      expect(Buffer.from(b.response!.body as string, 'base64').toString()).toBe('small');
    } finally {
      await server.close();
    }
  });
});
