import http from 'node:http';
import https from 'node:https';
import type { LookupFunction, Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { performance } from 'node:perf_hooks';
import axios, { type AxiosResponse } from 'axios';
import { HttpError } from './errors';
import { certificateInfo, type CertificateInfo } from './tls';
import type { HttpTimings } from '../host/api';

/**
 * One HTTP request/response without redirects or retries (client.ts does those), through axios with a
 * custom transport so that socket events give real timings and the connect timeout can be separate.
 */

/** Per-attempt timings; the type lives with the host API so the studio (browser) shares it. */
export type Timings = HttpTimings;

export interface HopRequest {
  method: string;
  url: URL;
  headers: Record<string, string>;
  body?: Buffer;
}

export interface HopOptions {
  agent: http.Agent;
  /** Epoch ms by which the whole attempt must be finished. */
  deadline: number;
  totalMs: number;
  connectMs: number;
  timeoutMessage?: string;
  maxResponseBytes: number;
  signal?: AbortSignal;
  lookup?: LookupFunction;
  capturePeerCertificate?: boolean;
}

export interface HopResult {
  status: number;
  statusText: string;
  headers: Record<string, string>;
  buf: Buffer;
  timings: Timings;
  peerCertificate?: CertificateInfo;
}

const round = (n: number) => Math.round(n * 100) / 100;

/** Sends one request; throws HttpError with a code (timeout, connect_timeout, network, ...) and the timings so far. */
export async function sendHop(req: HopRequest, o: HopOptions): Promise<HopResult> {
  const t0 = performance.now();
  const since = () => round(performance.now() - t0);
  const timings: Timings = { totalMs: 0, reusedSocket: false };
  const ctrl = new AbortController();
  let why: 'timeout' | 'connect' | 'caller' | 'too_large' | undefined;
  const abort = (reason: typeof why) => {
    why ??= reason;
    ctrl.abort();
  };
  const totalTimer = setTimeout(() => abort('timeout'), Math.max(0, o.deadline - Date.now()));
  const onCallerAbort = () => abort('caller');
  if (o.signal?.aborted) abort('caller');
  o.signal?.addEventListener('abort', onCallerAbort, { once: true });
  let connectTimer: NodeJS.Timeout | undefined;
  let peerCertificate: CertificateInfo | undefined;

  const transport = {
    request(options: https.RequestOptions, cb: (res: http.IncomingMessage) => void) {
      if (o.lookup) options.lookup = o.lookup;
      const mod = options.protocol === 'https:' ? https : http;
      const r = mod.request(options, (res) => {
        timings.firstByteMs = since();
        if (o.capturePeerCertificate) peerCertificate = peerOf(res.socket as TLSSocket);
        cb(res);
      });
      r.on('socket', (socket: Socket) => {
        if (!socket.connecting) {
          timings.reusedSocket = true;
          return;
        }
        connectTimer = setTimeout(() => {
          abort('connect');
          r.destroy(new Error('connect timeout'));
        }, o.connectMs);
        socket.once('lookup', () => (timings.dnsMs = since()));
        socket.once('connect', () => {
          timings.connectMs = since();
          clearTimeout(connectTimer);
        });
        socket.once('secureConnect', () => (timings.tlsMs = since()));
      });
      return r;
    },
  };

  const fail = (e: unknown): never => {
    timings.totalMs = since();
    const where = `${req.method} ${req.url.origin}${req.url.pathname}`;
    if (why === 'timeout') throw withTimings(new HttpError(o.timeoutMessage || `${where}: no complete response within ${o.totalMs} ms`, 'timeout'), timings);
    if (why === 'connect') throw withTimings(new HttpError(o.timeoutMessage || `${where}: could not connect within ${o.connectMs} ms`, 'connect_timeout'), timings);
    if (why === 'caller') throw withTimings(new HttpError(`${where}: cancelled`, 'aborted'), timings);
    if (e instanceof HttpError) throw withTimings(e, timings);
    const err = e as { code?: string; message?: string; cause?: { code?: string } };
    const code = err.code ?? err.cause?.code ?? '';
    if (/ALERT/.test(code)) {
      // The server ended the handshake: usually a missing, expired or untrusted client certificate.
      throw withTimings(new HttpError(`${where}: the server rejected the TLS handshake (${code}); check the client certificate`, 'tls_rejected'), timings);
    }
    if (/CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ALTNAME/.test(code)) {
      throw withTimings(new HttpError(`${where}: the server's TLS certificate is not trusted (${code}: ${err.message})`, 'certificate_invalid'), timings);
    }
    throw withTimings(new HttpError(`${where}: ${code ? `${code}: ` : ''}${err.message ?? String(e)}`, 'network'), timings);
  };

  try {
    let res: AxiosResponse;
    try {
      res = await axios.request({
        url: req.url.toString(),
        method: req.method,
        headers: req.headers,
        data: req.body,
        responseType: 'stream',
        maxRedirects: 0,
        validateStatus: () => true,
        // Proxies are resolved per connection in agents.ts, not by axios from the environment.
        proxy: false,
        httpAgent: o.agent,
        httpsAgent: o.agent,
        transport,
        signal: ctrl.signal,
        decompress: true,
        maxBodyLength: Infinity,
        maxContentLength: -1,
        transformRequest: [(d: unknown) => d],
      });
    } catch (e) {
      return fail(e);
    }
    clearTimeout(connectTimer);
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(res.headers as Record<string, unknown>)) {
      if (v !== undefined && v !== null) headers[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : String(v);
    }
    const stream = res.data as NodeJS.ReadableStream & { destroy(): void };
    const tooLarge = () =>
      new HttpError(`${req.method} ${req.url.origin}${req.url.pathname}: response larger than ${o.maxResponseBytes} bytes`, 'response_too_large');
    const declared = Number(headers['content-length']);
    if (!headers['content-encoding'] && Number.isFinite(declared) && declared > o.maxResponseBytes) {
      stream.destroy();
      return fail(tooLarge());
    }
    const chunks: Buffer[] = [];
    let size = 0;
    try {
      for await (const chunk of stream) {
        const b = chunk as Buffer;
        size += b.length;
        if (size > o.maxResponseBytes) {
          why = 'too_large';
          stream.destroy();
          throw tooLarge();
        }
        chunks.push(b);
      }
    } catch (e) {
      return fail(e);
    }
    timings.totalMs = since();
    return { status: res.status, statusText: res.statusText ?? '', headers, buf: Buffer.concat(chunks, size), timings, peerCertificate };
  } finally {
    clearTimeout(totalTimer);
    clearTimeout(connectTimer);
    o.signal?.removeEventListener('abort', onCallerAbort);
  }
}

function withTimings(e: HttpError, timings: Timings): HttpError {
  (e as HttpError & { timings?: Timings }).timings = timings;
  return e;
}

function peerOf(socket: TLSSocket): CertificateInfo | undefined {
  const raw = socket?.getPeerCertificate?.(false)?.raw;
  if (!raw) return undefined;
  const pem = `-----BEGIN CERTIFICATE-----\n${raw.toString('base64').match(/.{1,64}/g)!.join('\n')}\n-----END CERTIFICATE-----\n`;
  try {
    return certificateInfo(pem);
  } catch {
    return undefined;
  }
}
