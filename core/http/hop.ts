import http from 'node:http';
import https from 'node:https';
import type { LookupFunction, Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { performance } from 'node:perf_hooks';
import zlib from 'node:zlib';
import { Axios, type AxiosResponse, type InternalAxiosRequestConfig } from 'axios';
import { atEndOfTurn } from './end-of-turn';
import { HttpError } from './errors';
import { certificateInfo, type CertificateInfo } from './tls';
import type { HttpTimings } from '../host/api';

/**
 * One HTTP request/response without redirects or retries (client.ts does those), through axios with our own
 * adapter: axios keeps the request pipeline (config, interceptors, request and response hooks, its error types),
 * client.ts builds and checks the headers, and the adapter moves the bytes with node:http / node:https over the
 * connection's keep-alive agent. Axios's own http adapter cost about 250 µs of CPU per request on top of
 * node:http (375–420 µs vs 70–85 µs per request against a local sink); with this adapter and an instance
 * without defaults a request costs 53–56 µs against 45 µs for raw node:http. Socket events here give real
 * timings and a separate connect timeout.
 */

/** Per-attempt timings; the type lives with the host API so the studio (browser) shares it. */
export type Timings = HttpTimings;

export interface HopRequest {
  method: string;
  url: URL;
  headers: Record<string, string>;
  /** A string is sent as UTF-8. */
  body?: string | Buffer;
}

export interface HopOptions {
  agent: http.Agent;
  /** Epoch ms by which the whole attempt must be finished. */
  deadline: number;
  totalMs: number;
  connectMs: number;
  timeoutMessage?: string;
  maxResponseBytes: number;
  signal?: HopSignal;
  lookup?: LookupFunction;
  capturePeerCertificate?: boolean;
}

/** What sendHop reads of a cancellation signal: an AbortSignal, or the outbound thread's lighter stand-in. */
export interface HopSignal {
  readonly aborted: boolean;
  addEventListener(type: 'abort', listener: () => void, options?: { once?: boolean }): void;
  removeEventListener(type: 'abort', listener: () => void): void;
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

/**
 * The one axios instance, without defaults. Axios merges an instance's defaults into every request's config,
 * and that merge was most of its cost: with the stock defaults (per-method header buckets, transitional flags
 * checked on each call, XSRF and form settings) or even a handful of our own, request() took 15 us before the
 * adapter ran; with none, about 3. None is needed: the adapter below answers every status itself (axios's
 * validateStatus is only read by its own adapters), follows no redirects and uses no proxy settings (client.ts
 * does both), and without transforms bodies pass as they are. client.ts sets Accept and the other headers.
 */
const client = new Axios({});

/** Why an attempt was cut short, when it was. */
type Cut = 'timeout' | 'connect' | 'caller' | 'too_large';

/** What the adapter learns besides the axios response. */
interface HopState {
  why?: Cut;
  peerCertificate?: CertificateInfo;
  headers?: http.IncomingHttpHeaders;
}

/** Response headers as one string each: node:http keeps repeated Set-Cookie lines as an array. */
function flatHeaders(h: http.IncomingHttpHeaders): Record<string, string> {
  let out: Record<string, string> | undefined;
  for (const k in h) {
    const v = h[k];
    if (typeof v === 'string') continue;
    out ??= { ...(h as Record<string, string>) };
    if (v === undefined) delete out[k];
    else out[k] = v.join(', ');
  }
  return out ?? (h as Record<string, string>);
}

/** Sends one request; throws HttpError with a code (timeout, connect_timeout, network, ...) and the timings so far. */
export async function sendHop(req: HopRequest, o: HopOptions): Promise<HopResult> {
  const t0 = performance.now();
  const timings: Timings = { totalMs: 0, reusedSocket: false };
  const state: HopState = {};
  let res: AxiosResponse<Buffer>;
  try {
    // The headers go to the adapter as client.ts built and checked them (names and values validated, one
    // entry per name): axios's case-insensitive merge and normalisation of them was a third of its cost.
    res = await client.request<Buffer>({
      url: req.url.toString(),
      method: req.method,
      data: req.body,
      adapter: (config) => transport(config, req, o, t0, timings, state),
    });
  } catch (e) {
    timings.totalMs = round(performance.now() - t0);
    throw failure(e, req, o, state.why, timings);
  }
  timings.totalMs = round(performance.now() - t0);
  return { status: res.status, statusText: res.statusText ?? '', headers: flatHeaders(state.headers!), buf: res.data, timings, peerCertificate: state.peerCertificate };
}

/**
 * The axios adapter: sends over node:http(s) with the given agent, records socket timings, enforces the
 * connect timeout, the attempt's deadline, the caller's abort signal and the response size limit (after
 * decompression, so a small gzip bomb is stopped too).
 */
function transport(config: InternalAxiosRequestConfig, req: HopRequest, o: HopOptions, t0: number, timings: Timings, state: HopState): Promise<AxiosResponse<Buffer>> {
  return new Promise((resolve, reject) => {
    const since = () => round(performance.now() - t0);
    const url = req.url;
    const secure = url.protocol === 'https:';
    const headers = req.headers;
    let connectTimer: NodeJS.Timeout | undefined;
    let settled = false;
    const done = (err: unknown, value?: AxiosResponse<Buffer>) => {
      if (settled) return;
      settled = true;
      clearTimeout(totalTimer);
      clearTimeout(connectTimer);
      o.signal?.removeEventListener('abort', onCallerAbort);
      if (err) reject(err);
      else resolve(value!);
    };
    let response: http.IncomingMessage | undefined;
    const cut = (why: Cut, err?: Error) => {
      state.why ??= why;
      const e = err ?? new Error(why);
      // Mid-body, the response is what must fail (destroying only the request may end it silently).
      if (response) {
        response.destroy(e);
        done(e);
      }
      r.destroy(e);
    };
    const onCallerAbort = () => cut('caller');
    const totalTimer = setTimeout(() => cut('timeout'), Math.max(0, o.deadline - Date.now()));
    const options: https.RequestOptions = {
      protocol: url.protocol,
      hostname: url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname,
      port: url.port || (secure ? 443 : 80),
      path: url.pathname + url.search,
      method: req.method.toUpperCase(),
      headers,
      agent: o.agent,
    };
    if (url.username || url.password) options.auth = `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`;
    if (o.lookup) options.lookup = o.lookup;
    // node:http throws at once on a header it cannot send (client.ts checks them first; this is the backstop):
    // fail the attempt, and leave no timer behind that would later reach a request that was never made.
    let r: http.ClientRequest;
    try {
      // The callback stays an anonymous arrow: a named one costs a name wrapper per request under tsx's loader.
      r = (secure ? https : http).request(options, (res) => {
        response = res;
        state.headers = res.headers;
        timings.firstByteMs = since();
        clearTimeout(connectTimer);
        if (o.capturePeerCertificate) state.peerCertificate = peerOf(res.socket as TLSSocket);
        const encoding = String(res.headers['content-encoding'] ?? '').trim().toLowerCase();
        const declared = Number(res.headers['content-length']);
        if (!encoding && Number.isFinite(declared) && declared > o.maxResponseBytes) {
          state.why = 'too_large';
          res.destroy();
          return done(tooLarge(req, o));
        }
        const stream = decoder(res, encoding);
        const chunks: Buffer[] = [];
        let size = 0;
        stream.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > o.maxResponseBytes) {
            state.why = 'too_large';
            stream.destroy();
            res.destroy();
            return done(tooLarge(req, o));
          }
          chunks.push(chunk);
        });
        stream.on('end', () =>
          done(undefined, {
            data: chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, size),
            status: res.statusCode ?? 0,
            statusText: res.statusMessage ?? '',
            // The headers reach sendHop through `state` as node:http parsed them (names already lower case):
            // handing them to axios would only have them normalised twice more and then flattened again.
            headers: {},
            config,
            request: r,
          }),
        );
        stream.on('error', (e) => done(e));
        res.on('error', (e) => done(e));
      });
    } catch (e) {
      return done(e);
    }
    // A pooled socket is known at once (node:http sets reusedSocket while creating the request): nothing to watch.
    if (r.reusedSocket) timings.reusedSocket = true;
    else {
      r.on('socket', (socket: Socket) => {
        if (!socket.connecting) {
          timings.reusedSocket = true; // a pooled socket that was busy when the request was made
          return;
        }
        connectTimer = setTimeout(() => cut('connect', new Error('connect timeout')), o.connectMs);
        socket.once('lookup', () => (timings.dnsMs = since()));
        socket.once('connect', () => {
          timings.connectMs = since();
          clearTimeout(connectTimer);
        });
        socket.once('secureConnect', () => (timings.tlsMs = since()));
      });
    }
    r.on('error', (e) => done(e));
    if (o.signal?.aborted) cut('caller');
    else o.signal?.addEventListener('abort', onCallerAbort, { once: true });
    atEndOfTurn(endRequest, r, config.data as string | Buffer | undefined);
  });
}

/** Sends a request's body (see end-of-turn.ts) unless it was cut meanwhile. */
function endRequest(r: http.ClientRequest, body: string | Buffer | undefined) {
  if (!r.destroyed) r.end(body);
}

/** The response body as sent, or decompressed for gzip / deflate / br (what Accept-Encoding offers). */
function decoder(res: http.IncomingMessage, encoding: string): NodeJS.ReadableStream & { destroy(): void } {
  if (encoding === 'gzip' || encoding === 'x-gzip') return res.pipe(zlib.createGunzip({ finishFlush: zlib.constants.Z_SYNC_FLUSH }));
  if (encoding === 'deflate') return res.pipe(zlib.createInflate({ finishFlush: zlib.constants.Z_SYNC_FLUSH }));
  if (encoding === 'br') return res.pipe(zlib.createBrotliDecompress({ finishFlush: zlib.constants.BROTLI_OPERATION_FLUSH }));
  return res;
}

function tooLarge(req: HopRequest, o: HopOptions): HttpError {
  return new HttpError(`${req.method} ${req.url.origin}${req.url.pathname}: response larger than ${o.maxResponseBytes} bytes`, 'response_too_large');
}

/** Maps what went wrong to an HttpError with a code and the timings so far. */
function failure(e: unknown, req: HopRequest, o: HopOptions, why: Cut | undefined, timings: Timings): HttpError {
  const where = `${req.method} ${req.url.origin}${req.url.pathname}`;
  if (why === 'timeout') return withTimings(new HttpError(o.timeoutMessage || `${where}: no complete response within ${o.totalMs} ms`, 'timeout'), timings);
  if (why === 'connect') return withTimings(new HttpError(o.timeoutMessage || `${where}: could not connect within ${o.connectMs} ms`, 'connect_timeout'), timings);
  if (why === 'caller') return withTimings(new HttpError(`${where}: cancelled`, 'aborted'), timings);
  if (e instanceof HttpError) return withTimings(e, timings);
  const err = e as { code?: string; message?: string; cause?: { code?: string } };
  const code = err.code ?? err.cause?.code ?? '';
  if (/ALERT/.test(code)) {
    // The server ended the handshake: usually a missing, expired or untrusted client certificate.
    return withTimings(new HttpError(`${where}: the server rejected the TLS handshake (${code}); check the client certificate`, 'tls_rejected'), timings);
  }
  if (/CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ALTNAME/.test(code)) {
    // Say what to do: a private CA belongs in the connection's CA bundle; a name mismatch is the URL's host.
    const hint = /ALTNAME/.test(code)
      ? 'the certificate is not for this host name: check the URL'
      : "if the partner uses a private CA, add it to the connection's Extra CA bundle (tls.caSecret), or check that the bundle holds the CA that signed this server";
    return withTimings(new HttpError(`${where}: the server's TLS certificate is not trusted (${code}: ${err.message}); ${hint}`, 'certificate_invalid'), timings);
  }
  // Node's own text usually names the code already ("connect ECONNREFUSED 127.0.0.1:1"): say it once.
  const text = err.message ?? String(e);
  return withTimings(new HttpError(`${where}: ${code && !text.includes(code) ? `${code}: ` : ''}${text}`, 'network'), timings);
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
