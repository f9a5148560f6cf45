import { createReadStream } from 'node:fs';
import http from 'node:http';
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { HostApi } from './api';
import { invokeHostMethod, type WireError, type WireResult } from './transport-wire';
import { resolveStaticFile, securityHeaders, studioCsp } from './transport-static';

/**
 * The browser-studio transport of the HostApi: serves the built renderer, `POST /api/<method>` and a
 * WebSocket of run events on one loopback port, Jupyter-style with a per-launch token.
 */
export interface StudioServerOptions {
  api: HostApi;
  /** Directory of the built renderer (index.html + assets). */
  staticDir: string;
  /** Defaults to 127.0.0.1. */
  host?: string;
  /** 0 (default) picks a free port. */
  port?: number;
  /** Defaults to 32 random bytes, hex. */
  token?: string;
  /** Request body limit in bytes (default 16 MiB). */
  maxBodyBytes?: number;
}

export interface StudioServer {
  /** `http://127.0.0.1:PORT/?token=...`: the URL to print and open. */
  url: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

const LOOPBACK_NAMES = ['127.0.0.1', 'localhost', '[::1]'];
/** A client this far behind on events is dropped rather than buffering without bound. */
const MAX_WS_BUFFER = 8 * 1024 * 1024;

/**
 * Starts the studio server.
 *
 * @example
 * const studio = await startStudioServer({ api, staticDir: 'dist/renderer' });
 * console.log(`Open ${studio.url}`);
 * await studio.close();
 */
export async function startStudioServer(opts: StudioServerOptions): Promise<StudioServer> {
  const host = opts.host ?? '127.0.0.1';
  const token = opts.token ?? randomBytes(32).toString('hex');
  const tokenDigest = digest(token);
  const maxBody = opts.maxBodyBytes ?? 16 * 1024 * 1024;
  let port = 0;

  const hostNames = () => [...new Set([...LOOPBACK_NAMES, host.includes(':') ? `[${host}]` : host])].map((h) => `${h}:${port}`);
  const hostAllowed = (req: http.IncomingMessage) => hostNames().includes(String(req.headers.host ?? '').toLowerCase());
  const originAllowed = (req: http.IncomingMessage) => {
    const origin = req.headers.origin;
    if (origin === undefined) return true;
    return hostNames().some((h) => origin.toLowerCase() === `http://${h}`);
  };
  const tokenMatches = (given: string | null | undefined) => !!given && timingSafeEqual(digest(given), tokenDigest);
  const bearer = (req: http.IncomingMessage) => /^Bearer\s+(\S+)$/i.exec(String(req.headers.authorization ?? ''))?.[1];

  const server = http.createServer((req, res) => {
    handle(req, res).catch((err) => {
      if (!res.headersSent) sendJson(res, 500, { ok: false, error: { message: `internal error: ${(err as Error).message}`, code: 'internal' } });
      else res.destroy();
    });
  });

  async function handle(req: http.IncomingMessage, res: http.ServerResponse) {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (!hostAllowed(req)) return sendJson(res, 403, fail('the Host header must name this loopback server (DNS rebinding protection)', 'bad_host'));
    if (!originAllowed(req)) return sendJson(res, 403, fail(`cross-origin requests are not allowed (Origin ${req.headers.origin})`, 'bad_origin'));
    if (url.pathname === '/api' || url.pathname.startsWith('/api/')) return handleApi(req, res, url);
    if (req.method !== 'GET' && req.method !== 'HEAD') return sendJson(res, 405, fail(`${req.method} is not allowed here`, 'method_not_allowed'));
    const found = await resolveStaticFile(opts.staticDir, url.pathname);
    // CSP host sources cannot be IPv6 literals (the browser logs an error and drops them); 'self' covers that page.
    const headers = securityHeaders(studioCsp(hostNames().filter((h) => !h.startsWith('[')).map((h) => `ws://${h}`)));
    if (!found) {
      res.writeHead(404, { ...headers, 'Content-Type': 'text/plain; charset=utf-8' });
      return void res.end('not found');
    }
    const isHtml = found.contentType.startsWith('text/html');
    res.writeHead(200, {
      ...headers,
      'Content-Type': found.contentType,
      'Content-Length': String(found.size),
      // Hashed assets never change; the page itself must not be cached with a token-bearing URL.
      'Cache-Control': isHtml ? 'no-store' : url.pathname.startsWith('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache',
    });
    if (req.method === 'HEAD') return void res.end();
    createReadStream(found.file).on('error', () => res.destroy()).pipe(res);
  }

  async function handleApi(req: http.IncomingMessage, res: http.ServerResponse, url: URL) {
    if (!tokenMatches(bearer(req))) {
      return sendJson(res, 401, fail('missing or wrong studio token: open the URL printed by `hookline studio`', 'unauthorized'));
    }
    const method = url.pathname.slice('/api/'.length);
    if (url.pathname === '/api/events') return sendJson(res, 426, fail('/api/events is a WebSocket endpoint', 'upgrade_required'));
    if (req.method !== 'POST') return sendJson(res, 405, fail(`use POST /api/${method}`, 'method_not_allowed'));
    let args: unknown;
    try {
      const body = await readBody(req, maxBody);
      args = body.length === 0 ? [] : JSON.parse(body.toString('utf8'));
      restoreUndefined(args, req.headers['x-hookline-undefined-args']);
    } catch (err) {
      const tooLarge = (err as Error).message === 'too large';
      return sendJson(res, tooLarge ? 413 : 400, fail(tooLarge ? `request body is larger than ${maxBody} bytes` : 'request body must be a JSON array of arguments', tooLarge ? 'too_large' : 'bad_json'));
    }
    const result = await invokeHostMethod(opts.api, method, args);
    sendJson(res, statusOf(result), result);
  }

  // --- events over WebSocket ---
  const wss = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 });
  server.on('upgrade', (req: http.IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const reject = (status: number, text: string) => {
      socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
    };
    if (url.pathname !== '/api/events') return reject(404, 'Not Found');
    if (!hostAllowed(req) || !originAllowed(req)) return reject(403, 'Forbidden');
    if (!tokenMatches(url.searchParams.get('token') ?? bearer(req))) return reject(401, 'Unauthorized');
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
  });
  wss.on('connection', (ws: WebSocket) => {
    (ws as WebSocket & { alive?: boolean }).alive = true;
    ws.on('pong', () => ((ws as WebSocket & { alive?: boolean }).alive = true));
    // The event stream is one-way; anything the page sends is ignored.
    ws.on('error', () => ws.terminate());
  });
  // One subscription for all clients: serialise each event once.
  const unsubscribe = opts.api.onEvent((event) => {
    if (wss.clients.size === 0) return;
    const data = JSON.stringify(event);
    for (const ws of wss.clients) {
      if (ws.readyState !== ws.OPEN) continue;
      if (ws.bufferedAmount > MAX_WS_BUFFER) ws.close(1013, 'too far behind on events');
      else ws.send(data);
    }
  });
  // Ping so that half-open sockets (sleeping laptop, killed tab) do not pile up.
  const heartbeat = setInterval(() => {
    for (const ws of wss.clients as Set<WebSocket & { alive?: boolean }>) {
      if (ws.alive === false) ws.terminate();
      else {
        ws.alive = false;
        ws.ping();
      }
    }
  }, 30_000);
  heartbeat.unref();

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  port = (server.address() as { port: number }).port;
  const urlHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;

  let closing: Promise<void> | undefined;
  return {
    url: `http://${urlHost}:${port}/?token=${token}`,
    port,
    token,
    close() {
      closing ??= (async () => {
        unsubscribe();
        clearInterval(heartbeat);
        for (const ws of wss.clients) ws.close(1001, 'studio server closing');
        const wssClosed = new Promise<void>((resolve) => wss.close(() => resolve()));
        const serverClosed = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeAllConnections();
        // Give clients a moment for the close handshake, then drop the ones that do not answer.
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([wssClosed, new Promise<void>((resolve) => (timer = setTimeout(resolve, 1000)))]);
        clearTimeout(timer);
        for (const ws of wss.clients) ws.terminate();
        await Promise.all([wssClosed, serverClosed]);
      })();
      return closing;
    },
  };
}

function digest(s: string): Buffer {
  // Hashing first gives equal-length buffers, so timingSafeEqual never leaks the token length.
  return createHash('sha256').update(s, 'utf8').digest();
}

function fail(message: string, code: string): WireResult {
  return { ok: false, error: { message, code } };
}

/** Error codes host operations throw for a request that cannot be done as asked, by HTTP status. */
const CLIENT_ERRORS: Record<string, number> = { not_found: 404, in_use: 409, missing_secret: 422, invalid_curl: 422 };

function statusOf(r: WireResult): number {
  if (r.ok) return 200;
  const code = (r.error as WireError).code;
  if (code === 'unknown_method') return 404;
  if (code === 'invalid_args') return 400;
  if (r.error.problems?.length) return 422;
  // The caller's request was wrong, not the studio: a client error a script can tell from a crash.
  if (code !== undefined && code in CLIENT_ERRORS) return CLIENT_ERRORS[code];
  return 500;
}

function sendJson(res: http.ServerResponse, status: number, body: WireResult) {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': String(Buffer.byteLength(text)),
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
  });
  res.end(text);
}

function readBody(req: http.IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > limit) {
        req.removeAllListeners('data');
        req.resume();
        reject(new Error('too large'));
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/**
 * Puts back the arguments the browser sent as `undefined` (JSON turned them into `null`; see wire-call.ts in
 * the renderer): the header lists their positions, e.g. `1` for `runFlow(id, undefined, nodeId)`.
 */
export function restoreUndefined(args: unknown, header: string | string[] | undefined): void {
  if (!Array.isArray(args) || typeof header !== 'string') return;
  for (const part of header.split(',')) {
    const i = Number(part);
    if (Number.isInteger(i) && i >= 0 && i < args.length && args[i] === null) args[i] = undefined;
  }
}

