import type { IncomingMessage, ServerResponse } from 'node:http';
import { allowOrigin, answerPreflight, setCorsHeaders } from '../webhook/cors';
import { requestView, type Message, type TriggerInfo } from '../model/message';
import { noteBodyParsedFromRaw } from '../model/raw-body';
import type { WebhookSettings } from '../nodes/webhook/spec';
import type { CompiledExpression } from '../template/expression';
import { HttpError, parseBody, readBody, type AuthVerifier } from '../webhook';
import type { Router } from './router';
import type { ValidateFunction } from 'ajv';
import { validateValue } from '../nodes/validate/run';
import { atEndOfTurn } from '../http/end-of-turn';
import { isoAt } from '../model/iso-time';

/** A deployed webhook trigger as the HTTP ingest sees it. */
export interface WebhookTarget {
  flowId: string;
  nodeId: string;
  settings: WebhookSettings;
  verify: AuthVerifier;
  partition?: CompiledExpression;
  idempotency?: CompiledExpression;
  /** The request body schema, compiled at deploy. */
  bodyCheck?: ValidateFunction;
  /** Origins that may call it from a browser (parsed allowedOrigins; empty: no CORS). */
  origins?: string[];
}

export interface IngestHost {
  router(): Router<WebhookTarget>;
  /** `from`: the caller's address, so an operator can tell a misconfigured partner from someone probing. */
  rejected(t: WebhookTarget, reason: string, from: string | undefined): void;
  keyUsed(t: WebhookTarget, keyId: string): void;
  /** Takes an authenticated, parsed message and answers the caller (202, or the flow's reply). */
  accept(t: WebhookTarget, message: Message, res: ServerResponse, keys: { partition?: string; idempotency?: string }): Promise<void> | void;
  onError(err: unknown): void;
}

/**
 * The HTTP front of every webhook trigger: route (404/405), size limit (413), authentication (401, no
 * execution), query parameters (400 naming the missing one, defaults filled), body parsing (400 with the
 * parser's position), then hands the message to the runtime.
 */
export function createIngestHandler(host: IngestHost) {
  return async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    try {
      const url = req.url ?? '/';
      const q = url.indexOf('?');
      const pathname = q === -1 ? url : url.slice(0, q);
      const method = req.method ?? 'GET';
      const m = host.router().match(method, pathname);
      if (!m.target) {
        req.resume();
        // A browser's preflight asks about the method it wants to send: that trigger's allowed origins decide.
        const preflightOf = method === 'OPTIONS' && m.allowed.length && req.headers['access-control-request-method'] ? host.router().match(String(req.headers['access-control-request-method']).toUpperCase(), pathname).target : undefined;
        if (preflightOf?.origins?.length) return answerPreflight(req, res, preflightOf.origins, m.allowed);
        if (m.allowed.length) return sendJson(res, 405, { error: 'method_not_allowed', message: `${method} is not allowed here`, allowed: m.allowed }, { allow: m.allowed.join(', ') });
        return sendJson(res, 404, { error: 'not_found', message: `no webhook at ${pathname}` });
      }
      const t = m.target;
      const s = t.settings;
      if (t.origins?.length) {
        // Every answer, errors included, so the calling page can read why it was refused.
        const allow = allowOrigin(t.origins, req.headers.origin);
        if (allow) setCorsHeaders(res, allow);
      }
      const raw = await readBody(req, s.maxBodyBytes);
      const headers = flatHeaders(req.headers);
      const auth = t.verify({ headers: req.headers, rawBody: raw });
      if (!auth.ok) {
        host.rejected(t, auth.reason, req.socket.remoteAddress);
        // The message says what the request lacks (a header's name, a key that is not valid); never which keys exist.
        return sendJson(res, 401, { error: 'unauthorized', message: auth.message ? `authentication failed: ${auth.message}` : 'authentication failed' }, { 'www-authenticate': s.auth.type === 'basic' ? 'Basic realm="hookline"' : 'Bearer' });
      }
      if (auth.keyId) host.keyUsed(t, auth.keyId);
      maskCredentials(headers, s.auth);
      const query = parseQuery(q === -1 ? '' : url.slice(q + 1));
      // Declared parameters are single values: given twice is a 400 naming it (a flow would otherwise get an
      // array where it expects text), and an empty one (`?item=`) counts as not given.
      for (const p of s.queryParams) {
        const v = query[p.name];
        if (Array.isArray(v)) return sendJson(res, 400, { error: 'repeated_query_parameter', parameter: p.name, message: `query parameter "${p.name}" must be given once (got ${v.length} values)` });
        if (given(v)) continue;
        if (p.required) return sendJson(res, 400, { error: 'missing_query_parameter', parameter: p.name, message: `query parameter "${p.name}" is required${v === '' ? ' (it was empty)' : ''}` });
        if (p.default !== undefined) query[p.name] = p.default;
      }
      const contentType = headers['content-type'];
      const { kind, body } = parseBody(raw, contentType);
      // The schema is about a body: a GET or HEAD without one (a trigger that also takes GET) has nothing to check.
      if (t.bodyCheck && !(raw.length === 0 && (method === 'GET' || method === 'HEAD'))) {
        const violations = validateValue(t.bodyCheck, body);
        if (violations.length) {
          const listed = violations.slice(0, 5).map((v) => (v.path ? `${v.path}: ${v.message}` : v.message)).join('; ');
          return sendJson(res, 400, { error: 'invalid_body', message: `the request body is not valid: ${listed}${violations.length > 5 ? '; ...' : ''}`, violations });
        }
      }
      const trigger: TriggerInfo = {
        type: 'webhook',
        nodeId: t.nodeId,
        method,
        path: pathname,
        params: m.params,
        query,
        headers,
        body,
        rawBody: raw.length ? raw.toString('base64') : undefined,
        contentType,
        receivedAt: isoAt(Date.now()),
      };
      // JSON re-parses to the same value, so the store may keep the raw bytes only (see model/raw-body.ts).
      if (kind === 'json') noteBodyParsedFromRaw(trigger, raw);
      const message: Message = { trigger, data: body, vars: {} };
      const view = requestView(trigger);
      const keys: { partition?: string; idempotency?: string } = {};
      if (t.partition) keys.partition = keyString(await t.partition.evaluate(view));
      if (t.idempotency) keys.idempotency = keyString(await t.idempotency.evaluate(view));
      const accepted = host.accept(t, message, res, keys);
      if (accepted) await accepted;
    } catch (err) {
      if (err instanceof HttpError) {
        if (err.status === 413) res.setHeader('connection', 'close');
        return sendJson(res, err.status, err.body ?? { error: 'bad_request', message: err.message }, err.headers);
      }
      host.onError(err);
      if (!res.headersSent) sendJson(res, 500, { error: 'internal_error', message: 'the message could not be accepted' });
    }
  };
}

const CREDENTIAL_HEADERS = ['authorization', 'proxy-authorization', 'cookie'];

/**
 * The caller's credentials never reach nodes, execution records or logs: they were checked above and are
 * replaced by `***` (the signature headers of HMAC schemes stay: they are not secrets and aid debugging).
 */
function maskCredentials(headers: Record<string, string>, auth: WebhookSettings['auth']): void {
  for (const h of CREDENTIAL_HEADERS) if (headers[h] !== undefined) headers[h] = '***';
  if (auth.type === 'apiKey') {
    const h = auth.header.toLowerCase();
    if (headers[h] !== undefined) headers[h] = '***';
  }
  if (headers['x-api-key'] !== undefined) headers['x-api-key'] = '***';
}

/** A declared query parameter counts as given unless it is missing or empty (`?item=`). */
const given = (v: unknown) => v !== undefined && v !== '';

/**
 * The query a run sees: a declared parameter missing or empty takes its default, as a request's does above. Used for
 * manual runs with a sample ("Run with sample", `hookline exec`), so they see what a live request would.
 */
export function withQueryDefaults(params: WebhookSettings['queryParams'], query: unknown): TriggerInfo['query'] {
  const out: TriggerInfo['query'] = { ...(query && typeof query === 'object' ? (query as TriggerInfo['query']) : {}) };
  for (const p of params) if (!given(out[p.name]) && p.default !== undefined) out[p.name] = p.default;
  return out;
}

function keyString(v: unknown): string | undefined {
  if (v === undefined || v === null) return undefined;
  return typeof v === 'string' ? v : JSON.stringify(v);
}

export function flatHeaders(h: IncomingMessage['headers']): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k in h) {
    const v = h[k];
    if (v !== undefined) out[k] = Array.isArray(v) ? v.join(', ') : v;
  }
  return out;
}

export function parseQuery(search: string): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = Object.create(null);
  if (!search) return out;
  for (const [k, v] of new URLSearchParams(search)) {
    if (k === '__proto__' || k === 'constructor' || k === 'prototype') continue;
    const prev = out[k];
    if (prev === undefined) out[k] = v;
    else if (Array.isArray(prev)) prev.push(v);
    else out[k] = [prev, v];
  }
  return out;
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers?: Record<string, string>): void {
  sendReply(res, status, { 'content-type': 'application/json; charset=utf-8', ...headers }, JSON.stringify(body));
}

/** Writes a reply's body unless its connection is gone meanwhile. */
function endReply(res: ServerResponse, payload: string | Buffer) {
  if (!res.destroyed) res.end(payload);
}

/**
 * Replies: the status and headers are set at once (so `res.headersSent` is true and no second reply can
 * follow), the body goes out at the end of the turn (see end-of-turn.ts). Strings and Buffers go as they are,
 * anything else as JSON.
 */
export function sendReply(res: ServerResponse, status: number, headers: Record<string, string>, body: unknown): void {
  if (res.headersSent || res.destroyed) return;
  let payload: string | Buffer;
  let typed = false;
  // Copied into a flat array (writeHead takes [name, value, ...]): the caller's object is never changed.
  const flat: string[] = [];
  for (const k in headers) {
    const lower = k.toLowerCase();
    if (lower === 'content-length') continue;
    if (lower === 'content-type') typed = true;
    flat.push(k, headers[k]);
  }
  if (typeof body === 'string' || Buffer.isBuffer(body)) payload = body;
  else {
    payload = JSON.stringify(body === undefined ? null : body);
    if (!typed) flat.push('content-type', 'application/json; charset=utf-8');
  }
  flat.push('content-length', String(Buffer.byteLength(payload)));
  try {
    res.writeHead(status, flat);
  } catch (e) {
    // A header node:http refuses (the Respond node checks its own; this is the backstop): answer 500 with the
    // reason rather than leave the caller waiting for a reply that can never be written.
    payload = JSON.stringify({ error: 'invalid_reply', message: `the reply could not be sent: ${(e as Error).message}` });
    res.writeHead(500, { 'content-type': 'application/json; charset=utf-8', 'content-length': String(Buffer.byteLength(payload)) });
  }
  atEndOfTurn(endReply, res, payload);
}
