import type { LookupFunction } from 'node:net';
import { HEADER_NAME_RE, HEADER_NAME_RULE, type Connection } from '../model/connection';
import type { SecretStore } from '../secrets/secret-store';
import type { HttpAttempt, HttpTrafficRequest } from '../host/api';
import { agentFor, agentKey, proxyForUrl, type AgentSpec } from './agents';
import { resolveConnection, type Credentials, type ResolvedConnection } from './auth';
import { HttpError, isRetryableCode, type HttpErrorCode } from './errors';
import { sendHop, type HopRequest, type HopResult, type Timings } from './hop';
import { outboundThreadEnabled, sendHopOnThread, unlessThreadStart } from './hop-thread';
import { BoundedMap } from '../model/bounded-map';
import { isoAt } from '../model/iso-time';
import { HeaderSet, USER_AGENT, headerCharProblem } from './header-set';
import { Masker, SENSITIVE_HEADERS, anySensitiveHeader } from './mask';
import type { TokenCache } from './oauth2';
import { parseBody, type BodyEncoding } from './response';
import { isRetryableStatus, parseRetryAfter, resolveRetryPolicy, retryDelay, sleep as defaultSleep, type RetryPolicy } from './retry';
import type { CertificateInfo } from './tls';

/**
 * The one outbound HTTP client (axios underneath, see hop.ts): auth from a connection, retries with
 * backoff and Retry-After, redirects followed by hand so credentials never cross origins, size
 * limits, timings per attempt, and an exchange record with secrets masked.
 */

export const HTTP_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD'] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];
export const DEFAULT_MAX_RESPONSE_BYTES = 10 * 1024 * 1024;
export const DEFAULT_MAX_REDIRECTS = 5;

export interface OutboundRequest {
  method: HttpMethod;
  /** Absolute, or relative to the connection's baseUrl. */
  url: string;
  query?: Array<[string, string]>;
  headers?: Array<[string, string]>;
  /** Headers made anew for each attempt (1, 2, ...), e.g. a Standard Webhooks signature over a fresh timestamp. */
  attemptHeaders?: (attempt: number) => Array<[string, string]>;
  body?: string | Buffer;
  /** Sets Content-Type unless a header already does. */
  contentType?: string;
}

export interface SendOptions {
  connection?: Connection;
  secrets?: SecretStore;
  /** A connection resolved beforehand (e.g. once per deploy), instead of connection + secrets. */
  resolved?: ResolvedConnection;
  retry?: Partial<RetryPolicy>;
  timeouts?: { totalMs?: number; connectMs?: number; message?: string };
  maxResponseBytes?: number;
  /** Redirects to follow; 0 turns following off (the 3xx is then the response). */
  followRedirects?: number;
  failOnNon2xx?: boolean;
  signal?: AbortSignal;
  /** Environment for HTTP(S)_PROXY / NO_PROXY (default process.env). */
  env?: Record<string, string | undefined>;
  /** Custom DNS lookup (pinning, split-horizon DNS, tests). */
  lookup?: LookupFunction;
  capturePeerCertificate?: boolean;
  tokenCache?: TokenCache;
  now?: () => Date;
  /** Injected waits and randomness, so retry schedules are testable without waiting. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  random?: () => number;
  /**
   * Keep the HTTP traffic in the attempt records (full diagnostics): the request as sent on the first attempt
   * (headers, body up to TRAFFIC_BODY_LIMIT) and each response's status line and headers, credential headers and
   * secret values masked. `inputData`: a body equal to it is noted as such instead of stored twice.
   */
  traffic?: { inputData?: unknown };
  onAttempt?(a: AttemptRecord): void;
  onRetry?(r: { attempt: number; delayMs: number; reason: string }): void;
  onWarning?(w: { code: string; message: string }): void;
}

/** One redirect followed within an attempt. */
export type RedirectRecord = HttpAttempt['redirects'][number];

/**
 * One attempt as an execution records it: the shape the studio reads (HttpAttempt, host API), with its error code
 * typed. `retryReason`: why another attempt follows (absent on the last); `request` / `response`: the traffic, with
 * SendOptions.traffic.
 */
export interface AttemptRecord extends Omit<HttpAttempt, 'errorCode'> {
  errorCode?: HttpErrorCode;
}

/** The type lives with the host API, so the studio's executions panel reads the same shape. */
export type TrafficRequest = HttpTrafficRequest;

/** Request bodies are kept up to this many characters in execution records. */
export const TRAFFIC_BODY_LIMIT = 256 * 1024;

export interface Exchange {
  ok: boolean;
  request: { method: string; url: string; headers: Record<string, string>; body?: string; bodyBytes: number };
  response?: {
    status: number;
    statusText: string;
    headers: Record<string, string>;
    body: unknown;
    rawText?: string;
    encoding: BodyEncoding;
    sizeBytes: number;
    /** Final URL after redirects. */
    url: string;
    parseError?: string;
  };
  attempts: AttemptRecord[];
  durationMs: number;
  clientCertificate?: CertificateInfo;
  peerCertificate?: CertificateInfo;
}

const ALWAYS_DROPPED_CROSS_ORIGIN = ['authorization', 'proxy-authorization', 'cookie'];
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
const BAD_CHARS = /[\r\n\0]/;
const warned = new Map<string, number>();

/**
 * Sends a request with retries and redirects. Resolves with the exchange (request and attempts
 * masked; the response as received, for the flow to use); rejects with an HttpError carrying the
 * masked exchange so far.
 *
 * @example
 * const ex = await sendRequest(
 *   { method: 'POST', url: 'https://partner.example/orders', body: '{"id":1}', contentType: 'application/json' },
 *   { connection, secrets, retry: { retryCount: 3, retryIntervalMs: 500, backoff: 'exponential' } },
 * );
 * ex.response?.body; // parsed JSON
 */
export async function sendRequest(req: OutboundRequest, opts: SendOptions = {}): Promise<Exchange> {
  const t0 = Date.now();
  const conn = opts.resolved?.connection ?? opts.connection;
  const policy = resolveRetryPolicy(opts.retry);
  const rc = opts.resolved ?? resolveConnection(conn, opts.secrets, { tokenCache: opts.tokenCache, now: opts.now?.(), env: opts.env });
  warnOnce(rc.warnings, opts.onWarning);
  const totalMs = opts.timeouts?.totalMs ?? conn?.timeoutMs ?? 30_000;
  const connectMs = opts.timeouts?.connectMs ?? conn?.connectTimeoutMs ?? 10_000;
  const timeoutMessage = opts.timeouts?.message ?? conn?.timeoutMessage;
  const maxRedirects = opts.followRedirects ?? DEFAULT_MAX_REDIRECTS;
  const sleep = opts.sleep ?? defaultSleep;

  const method = String(req.method).toUpperCase() as HttpMethod;
  if (!HTTP_METHODS.includes(method)) throw new HttpError(`method: must be one of ${HTTP_METHODS.join(', ')}`, 'invalid_request');
  const target = resolveUrl(req.url, conn?.baseUrl);
  const targetText = target.toString();
  checkPairs(req.headers ?? [], 'headers', true);
  checkPairs(req.query ?? [], 'query', false);
  // A string body goes to node:http as it is (encoded as UTF-8 there, in one write with the headers), not copied
  // into a Buffer first; its byte length is counted without one.
  const body = req.body;
  const bodyBytes = body === undefined ? 0 : typeof body === 'string' ? Buffer.byteLength(body) : body.length;
  // The body as text for the exchange record: the caller's string when it gave one.
  const bodyText = body === undefined ? undefined : typeof body === 'string' ? body : body.toString('utf8');

  const attempts: AttemptRecord[] = [];
  // One masker per set of known secrets (an OAuth2 token fetched during the request adds one).
  let cachedMasker: Masker | undefined;
  let maskedCount = -1;
  const masker = () => {
    if (!cachedMasker || maskedCount !== rc.secretValues.length) {
      cachedMasker = new Masker({ secretValues: rc.secretValues, headerNames: rc.maskedHeaderNames });
      maskedCount = rc.secretValues.length;
    }
    return cachedMasker;
  };
  // Attempt records hold no headers, only URLs and messages, unless traffic is kept: without secret values there is
  // nothing to mask but credential headers, and a record without any is kept as it is (no copy per request).
  const traffic = opts.traffic;
  const hasCredentialHeader = (r: AttemptRecord) => anySensitiveHeader(r.request?.headers, rc.maskedHeaderNames) || anySensitiveHeader(r.response?.headers, rc.maskedHeaderNames);
  const masked = <T extends AttemptRecord | AttemptRecord[]>(v: T): T => {
    if (rc.secretValues.length) return masker().value(v);
    if (!traffic) return v;
    return (Array.isArray(v) ? v.some(hasCredentialHeader) : hasCredentialHeader(v as AttemptRecord)) ? masker().value(v) : v;
  };
  let sent: Exchange['request'] = { method, url: targetText, headers: {}, bodyBytes };
  let sentSensitive = false;
  const exchange = (hop?: HopResult & { url: string }): Exchange => {
    // The request as sent: credential headers masked by name, secret values anywhere (nothing to do without either).
    const request = rc.secretValues.length || sentSensitive ? masker().value(sent) : sent;
    const ex: Exchange = { ok: false, request, attempts: masked(attempts), durationMs: Date.now() - t0, clientCertificate: rc.clientCertificate };
    if (hop) {
      const parsed = parseBody(hop.buf, hop.headers['content-type']);
      ex.ok = hop.status >= 200 && hop.status <= 299;
      ex.response = {
        status: hop.status,
        statusText: hop.statusText,
        headers: hop.headers,
        body: parsed.body,
        rawText: parsed.rawText,
        encoding: parsed.encoding,
        sizeBytes: hop.buf.length,
        url: hop.url,
        ...(parsed.parseError ? { parseError: parsed.parseError } : {}),
      };
      ex.peerCertificate = hop.peerCertificate;
    }
    return ex;
  };
  const failWith = (e: HttpError, hop?: HopResult & { url: string }): never => {
    const masked = new HttpError(masker().string(e.message), e.code, exchange(hop), e.status);
    throw masked;
  };

  let retriesUsed = 0;
  let refreshedAfter401 = false;
  let force: { force?: boolean; rejectedToken?: string } = {};
  let finalHop: (HopResult & { url: string }) | undefined;
  for (let n = 1; ; n++) {
    const startedAt = Date.now();
    const record: AttemptRecord = { attempt: n, startedAt: isoAt(startedAt), durationMs: 0, method, url: targetText, redirects: [] };
    let hop: (HopResult & { url: string }) | undefined;
    let creds: Credentials;
    try {
      // Fixed credentials come back at once: no promise per request unless OAuth2 may fetch a token.
      const c = rc.usesOAuth2 ? rc.credentials({ ...force, signal: opts.signal }) : rc.credentials();
      creds = c instanceof Promise ? await c : c;
    } catch (e) {
      return failWith(e instanceof HttpError ? e : new HttpError((e as Error).message, 'oauth2_token'));
    }
    let url = target;
    if (req.query?.length || creds.query.length) {
      url = new URL(target);
      for (const [k, v] of [...(req.query ?? []), ...creds.query]) url.searchParams.append(k, v);
      record.url = url.toString();
    }
    const headers = new HeaderSet();
    headers.set('User-Agent', USER_AGENT);
    headers.set('Accept', '*/*');
    headers.set('Accept-Encoding', 'gzip, deflate, br');
    if (creds.headers.length) checkPairs(creds.headers, `connection ${JSON.stringify(conn?.name ?? conn?.id ?? '')} headers`, true);
    for (const [k, v] of creds.headers) headers.set(k, v);
    if (req.headers) for (const [k, v] of req.headers) headers.set(k, v);
    if (req.attemptHeaders) for (const [k, v] of req.attemptHeaders(n)) headers.set(k, v);
    if (req.contentType && !headers.has('content-type')) headers.set('Content-Type', req.contentType);
    if (body !== undefined) headers.set('Content-Length', String(bodyBytes));
    const flat = headers.flat();
    sent = { method, url: record.url, headers: flat, bodyBytes };
    sentSensitive = headers.anyNamed(SENSITIVE_HEADERS) || rc.maskedHeaderNames.some((n) => headers.has(n));
    if (bodyText !== undefined) sent.body = bodyText;
    if (traffic && n === 1) record.request = trafficRequest(flat, bodyText, traffic.inputData);
    try {
      hop = await followRedirects({ method, url, flat, body }, record, rc, opts, { totalMs, connectMs, timeoutMessage, maxRedirects });
    } catch (e) {
      const err = e instanceof HttpError ? e : new HttpError((e as Error).message, 'network');
      record.durationMs = Date.now() - startedAt;
      record.error = err.message;
      record.errorCode = err.code;
      record.timings = (err as HttpError & { timings?: Timings }).timings;
      attempts.push(record);
      if (isRetryableCode(err.code) && retriesUsed < policy.retryCount && !opts.signal?.aborted) {
        retriesUsed++;
        await scheduleRetry(record, retryDelay(policy, retriesUsed, undefined, opts.random), `${err.code}: ${err.message}`);
        continue;
      }
      opts.onAttempt?.(masked(record));
      return failWith(err);
    }
    record.durationMs = Date.now() - startedAt;
    record.status = hop.status;
    record.timings = hop.timings;
    if (traffic) record.response = { statusText: hop.statusText, headers: hop.headers, sizeBytes: hop.buf.length };
    attempts.push(record);
    if (hop.status === 401 && rc.usesOAuth2 && !refreshedAfter401) {
      // The token may have been revoked early: fetch a new one once, then trust the answer.
      refreshedAfter401 = true;
      force = { force: true, rejectedToken: creds.token };
      record.retryReason = '401 Unauthorized: OAuth2 token refreshed';
      opts.onAttempt?.(masked(record));
      continue;
    }
    if (isRetryableStatus(hop.status) && retriesUsed < policy.retryCount && !opts.signal?.aborted) {
      retriesUsed++;
      const ra = parseRetryAfter(hop.headers['retry-after'], opts.now?.() ?? new Date());
      await scheduleRetry(record, retryDelay(policy, retriesUsed, ra, opts.random), `status ${hop.status}${ra !== undefined ? ` (Retry-After ${hop.headers['retry-after']})` : ''}`);
      continue;
    }
    opts.onAttempt?.(masked(record));
    finalHop = hop;
    break;
  }
  const last = exchange(finalHop);
  if (!last.ok && (opts.failOnNon2xx ?? true)) {
    const r = last.response!;
    throw new HttpError(masker().string(`${method} ${r.url}: status ${r.status}${r.statusText ? ` ${r.statusText}` : ''}`), 'http_status', last, r.status);
  }
  return last;

  async function scheduleRetry(record: AttemptRecord, delayMs: number, reason: string) {
    record.retryReason = masker().string(reason);
    record.delayMs = delayMs;
    opts.onAttempt?.(masked(record));
    opts.onRetry?.({ attempt: record.attempt + 1, delayMs, reason: record.retryReason });
    try {
      await sleep(delayMs, opts.signal);
    } catch {
      failWith(new HttpError(`${method} ${target.origin}${target.pathname}: cancelled`, 'aborted'));
    }
  }
}

function trafficRequest(headers: Record<string, string>, body: string | undefined, inputData: unknown): TrafficRequest {
  if (body === undefined) return { headers };
  if (body === inputData) return { headers, bodyIsInputData: true };
  return body.length > TRAFFIC_BODY_LIMIT ? { headers, body: body.slice(0, TRAFFIC_BODY_LIMIT), bodyTruncated: true } : { headers, body };
}

interface Limits {
  totalMs: number;
  connectMs: number;
  timeoutMessage?: string;
  maxRedirects: number;
}

/** One attempt: the request and any redirects, within one total deadline. */
async function followRedirects(
  first: { method: HttpMethod; url: URL; flat: Record<string, string>; body?: string | Buffer },
  record: AttemptRecord,
  rc: ResolvedConnection,
  opts: SendOptions,
  limits: Limits,
): Promise<HopResult & { url: string }> {
  const deadline = Date.now() + limits.totalMs;
  const origin = first.url.origin;
  let { method, url, body } = first;
  // The first hop sends the headers as built (never changed afterwards); a redirect builds its own.
  let flat = first.flat;
  for (let hops = 0; ; hops++) {
    const spec: AgentSpec = { poolId: rc.poolId, tls: rc.tls, proxyUrl: proxyForUrl(url, rc.connection?.proxy?.url, opts.env) };
    const hopReq: HopRequest = { method, url, headers: flat, body };
    const hopOpts = {
      deadline,
      totalMs: limits.totalMs,
      connectMs: limits.connectMs,
      timeoutMessage: limits.timeoutMessage,
      maxResponseBytes: opts.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES,
      signal: opts.signal,
      capturePeerCertificate: opts.capturePeerCertificate,
    };
    // Here, not on the outbound thread: a hop with a custom DNS lookup (a function cannot cross threads), or one the
    // thread never took because it could not start.
    let hop: HopResult | undefined;
    if (!opts.lookup && outboundThreadEnabled()) hop = await sendHopOnThread(hopReq, agentKey(url, spec), spec, hopOpts).catch(unlessThreadStart);
    hop ??= await sendHop(hopReq, { ...hopOpts, agent: agentFor({ ...spec, url }), lookup: opts.lookup });
    const location = hop.headers.location;
    if (!REDIRECT_STATUSES.has(hop.status) || !location || limits.maxRedirects === 0) return Object.assign(hop, { url: url.toString() });
    if (hops >= limits.maxRedirects) {
      throw new HttpError(`${method} ${url.origin}${url.pathname}: more than ${limits.maxRedirects} redirects`, 'too_many_redirects');
    }
    let next: URL;
    try {
      next = new URL(location, url);
    } catch {
      throw new HttpError(`redirect to an invalid URL: ${JSON.stringify(location)}`, 'network');
    }
    if (next.protocol !== 'http:' && next.protocol !== 'https:') throw new HttpError(`redirect to a non-HTTP URL: ${next.protocol}`, 'network');
    const crossOrigin = next.origin !== origin;
    const dropped: string[] = [];
    // A copy: the headers sent so far stay as they were recorded.
    const headers = new HeaderSet();
    for (const k of Object.keys(flat)) headers.set(k, flat[k]);
    if (crossOrigin) {
      // Credentials belong to the origin they were configured for; a redirect must not carry them away.
      for (const name of [...ALWAYS_DROPPED_CROSS_ORIGIN, ...rc.authHeaderNames]) {
        if (headers.delete(name)) dropped.push(name);
      }
    }
    // 303, and 301/302 after POST (as browsers do), continue as GET without the body.
    if (hop.status === 303 ? method !== 'HEAD' : (hop.status === 301 || hop.status === 302) && method === 'POST') {
      method = 'GET';
      body = undefined;
      for (const h of ['content-type', 'content-length']) headers.delete(h);
    }
    record.redirects.push({ status: hop.status, from: url.toString(), to: next.toString(), crossOrigin, droppedHeaders: dropped });
    url = next;
    flat = headers.flat();
  }
}

/**
 * Target URLs parsed before, by text and base: a flow calls the same few URLs again and again, and parsing one
 * made a URL object per request. Nothing here changes a URL once made (a query makes a copy, a redirect a new one).
 */
const parsedUrls = new BoundedMap<string, URL>(500);

function resolveUrl(raw: string, baseUrl: string | undefined): URL {
  // The base's length says where it ends, so no two (base, text) pairs share a key; `-` marks no base.
  const key = baseUrl ? `${baseUrl.length}:${baseUrl}${raw}` : `-${raw}`;
  let u = parsedUrls.get(key);
  if (u === undefined) parsedUrls.set(key, (u = parseUrl(raw, baseUrl)));
  return u;
}

function parseUrl(raw: string, baseUrl: string | undefined): URL {
  let s = raw.trim();
  if (baseUrl && !/^[a-z][a-z0-9+.-]*:/i.test(s)) s = `${baseUrl.replace(/\/+$/, '')}/${s.replace(/^\/+/, '')}`;
  let u: URL;
  try {
    u = new URL(s);
  } catch {
    throw new HttpError(`url: ${JSON.stringify(raw)} is not an absolute URL${baseUrl ? '' : ' (and the connection has no baseUrl)'}`, 'invalid_request');
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new HttpError(`url: must start with http:// or https://`, 'invalid_request');
  return u;
}

/**
 * CR/LF in a header would let a template inject headers or split the request: refuse before sending. So are
 * characters an HTTP header cannot carry (node:http throws on them, e.g. a "€" from the data).
 */
function checkPairs(pairs: ReadonlyArray<readonly [string, string]>, field: string, isHeader: boolean): void {
  for (let i = 0; i < pairs.length; i++) {
    const [name, value] = pairs[i];
    // Three tests per pair on every request; the label is only built for a pair that fails one.
    if (BAD_CHARS.test(name) || BAD_CHARS.test(value)) {
      throw new HttpError(`${pairLabel(field, i, name)}: ${BAD_CHARS.test(name) ? 'name' : 'value'} must not contain CR, LF or NUL`, 'invalid_header');
    }
    if (!isHeader) continue;
    if (!HEADER_NAME_RE.test(name)) throw new HttpError(`${pairLabel(field, i, name)}: ${HEADER_NAME_RULE}`, 'invalid_header');
    const problem = headerCharProblem(value);
    if (problem) throw new HttpError(`${pairLabel(field, i, name)}: value ${problem}`, 'invalid_header');
  }
}

function pairLabel(field: string, i: number, name: string): string {
  return `${field}[${i}] ${JSON.stringify(name)}`;
}

/** Warnings (expiring certificate, TLS verification off) at most once an hour each, not per request. */
function warnOnce(ws: ReadonlyArray<{ code: string; message: string }>, cb: SendOptions['onWarning']): void {
  if (!cb) return;
  const now = Date.now();
  for (const w of ws) {
    const key = `${w.code}|${w.message}`;
    if ((warned.get(key) ?? 0) > now - 3_600_000) continue;
    warned.set(key, now);
    cb(w);
  }
}

/** Forget which warnings were given (tests, or after a connection changed). */
export function resetWarnings(): void {
  warned.clear();
}
