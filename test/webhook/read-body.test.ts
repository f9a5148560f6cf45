import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { HttpError, readBody } from '../../core/webhook';

interface Seen {
  status?: number;
  bodyLength?: number;
  dataListenerAttached?: boolean;
  socketBytesRead?: number;
}

const servers: http.Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise<void>((r) => { s.closeAllConnections(); s.close(() => r()); })));
});

/** A bare node:http server that answers the way the runtime is meant to: HttpError -> its status/headers/body. */
async function startServer(maxBytes: number): Promise<{ port: number; seen: Seen[] }> {
  const seen: Seen[] = [];
  const server = http.createServer(async (req, res) => {
    const s: Seen = {};
    seen.push(s);
    req.socket.once('close', () => (s.socketBytesRead = req.socket.bytesRead));
    try {
      const body = await readBody(req, maxBytes);
      s.status = 200;
      s.bodyLength = body.length;
      res.end(JSON.stringify({ length: body.length, sum: body.reduce((a, b) => (a + b) % 65521, 0) }));
    } catch (e) {
      const err = e as HttpError;
      s.status = err.status;
      s.dataListenerAttached = req.listenerCount('data') > 0 || req.readableFlowing === true;
      res.writeHead(err.status, { 'content-type': 'application/json', ...err.headers });
      res.end(JSON.stringify(err.body));
    }
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { port: (server.address() as AddressInfo).port, seen };
}

function collect(res: http.IncomingMessage): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    res.on('data', (c: Buffer) => chunks.push(c));
    res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks).toString() }));
    res.on('error', reject);
  });
}

/** Sends `total` bytes (in 64 KiB chunks, respecting backpressure) and stops at the first answer or error. */
function sendChunked(port: number, total: number, headers: Record<string, string> = {}) {
  return new Promise<{ status: number; body: string; written: number }>((resolve, reject) => {
    let written = 0;
    let answered: { status: number; body: string } | undefined;
    const req = http.request({ host: '127.0.0.1', port, method: 'POST', path: '/', headers });
    req.on('response', (res) => collect(res).then((r) => { answered = r; resolve({ ...r, written }); }, reject));
    req.on('error', (err) => (answered ? undefined : reject(err)));
    const chunk = Buffer.alloc(64 * 1024, 0x61);
    const pump = () => {
      while (!answered && written < total && !req.destroyed) {
        const n = Math.min(chunk.length, total - written);
        written += n;
        if (!req.write(n === chunk.length ? chunk : chunk.subarray(0, n))) return void req.once('drain', pump);
      }
      if (written >= total && !answered) req.end();
    };
    pump();
  });
}

describe('readBody', () => {
  it('reads a Content-Length body below the limit completely', async () => {
    const { port, seen } = await startServer(1000);
    const body = Buffer.alloc(1000, 7);
    const res = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = http.request({ host: '127.0.0.1', port, method: 'POST', headers: { 'content-length': String(body.length) } }, (r) => collect(r).then(resolve, reject));
      req.on('error', reject);
      req.end(body);
    });
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body).length).toBe(1000);
    expect(seen[0].bodyLength).toBe(1000);
  });

  it('reads a chunked body of exactly the limit, and one byte more is 413', async () => {
    const { port } = await startServer(200_000);
    const ok = await sendChunked(port, 200_000);
    expect(ok.status).toBe(200);
    expect(JSON.parse(ok.body).length).toBe(200_000);
    const tooBig = await sendChunked(port, 200_001);
    expect(tooBig.status).toBe(413);
  });

  it('rejects an oversized Content-Length at once, before any body byte arrives', async () => {
    const { port, seen } = await startServer(1024);
    // Headers only: the client never sends the promised 10 MB, so a reader that waited would hang here.
    const res = await new Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }>((resolve, reject) => {
      const req = http.request({ host: '127.0.0.1', port, method: 'POST', headers: { 'content-length': String(10 * 1024 * 1024) } }, (r) => collect(r).then(resolve, reject));
      req.on('error', reject);
      req.flushHeaders();
    });
    expect(res.status).toBe(413);
    expect(res.headers.connection).toBe('close');
    const body = JSON.parse(res.body);
    expect(body.error).toBe('payload_too_large');
    expect(body.message).toContain('1024 bytes');
    expect(seen[0].dataListenerAttached).toBe(false);
  });

  it('stops reading an oversized chunked body instead of buffering it', async () => {
    const { port, seen } = await startServer(256 * 1024);
    const total = 64 * 1024 * 1024;
    const res = await sendChunked(port, total);
    expect(res.status).toBe(413);
    expect(JSON.parse(res.body).message).toContain(`${256 * 1024} bytes`);
    // Wait (bounded) for the server side to close the socket and record what it read.
    for (let i = 0; i < 200 && seen[0]?.socketBytesRead === undefined; i++) await new Promise((r) => setTimeout(r, 10));
    expect(seen[0].socketBytesRead).toBeDefined();
    expect(seen[0].socketBytesRead!).toBeLessThan(16 * 1024 * 1024);
    expect(res.written).toBeLessThan(total);
  });

  it('turns a client abort into a rejected promise, not a hang', async () => {
    let outcome: Promise<unknown> | undefined;
    const server = http.createServer((req) => {
      outcome = readBody(req, 1_000_000).then(() => 'resolved', (e: HttpError) => e.status);
    });
    servers.push(server);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as AddressInfo).port;
    const req = http.request({ host: '127.0.0.1', port, method: 'POST', headers: { 'transfer-encoding': 'chunked' } });
    req.on('error', () => {});
    req.write('partial');
    for (let i = 0; i < 200 && !outcome; i++) await new Promise((r) => setTimeout(r, 10));
    req.destroy();
    expect(await outcome).toBe(400);
  });
});
