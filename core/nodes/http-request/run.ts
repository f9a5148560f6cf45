import { randomBytes } from 'node:crypto';
import { compileTemplate, type CompiledTemplate, type TemplateContext } from '../../template/index';
import { resolveConnection } from '../../http/auth';
import { sendRequest, type Exchange, type OutboundRequest } from '../../http/client';
import { HttpError } from '../../http/errors';
import { DEFAULT_RETRY, resolveRetryPolicy, type RetryPolicy } from '../../http/retry';
import { Masker } from '../../http/mask';
import type { Connection } from '../../model/connection';
import { ProblemsError, type Problem } from '../../model/problems';
import type { Message } from '../../model/message';
import { NodeError, type ConnectionLookup, type NodeResult, type NodeRunner, type PrepareContext } from '../runner-types';
import { targetUrlProblem, type HttpRequestSettings } from './spec';
import { secretEnvValues } from '../../model/secret-env';

/** Templates compiled once per deploy; the connection gets a pool id unique to this node. */
export interface Prepared {
  url: CompiledTemplate;
  headers: Array<[string, CompiledTemplate]>;
  query: Array<[string, CompiledTemplate]>;
  form: Array<[string, CompiledTemplate]>;
  body?: CompiledTemplate;
  connection?: Connection;
  /** Every template above renders synchronously (simple paths only). */
  sync: boolean;
  /** The retry policy, checked once. */
  retry: RetryPolicy;
}

export const httpRequestRunner: NodeRunner<HttpRequestSettings, Prepared> = {
  type: 'http-request',
  prepare(s, ctx) {
    const problems: Problem[] = [];
    const compile = (text: string, kind: 'json' | 'xml' | 'text', field: string): CompiledTemplate => {
      try {
        return compileTemplate(text, { kind });
      } catch (e) {
        problems.push({ path: `${ctx.path}.${field}`, code: 'template_syntax', message: (e as Error).message, nodeId: ctx.node.id });
        return { kind, sync: true, render: () => '' };
      }
    };
    const bodyKind = s.contentType === 'application/json' ? 'json' : s.contentType.endsWith('xml') ? 'xml' : 'text';
    const prepared: Prepared = {
      url: compile(s.url, 'text', 'url'),
      headers: s.headers.map((h, i) => [h.name, compile(h.value, 'text', `headers[${i}].value`)]),
      query: s.query.map((q, i) => [q.name, compile(q.value, 'text', `query[${i}].value`)]),
      form: s.form.map((f, i) => [f.name, compile(f.value, 'text', `form[${i}].value`)]),
      body: s.body !== undefined && s.contentType !== 'none' ? compile(s.body, bodyKind, 'body') : undefined,
      connection: s.connection && s.connection.id === 'inline' ? { ...s.connection, id: `${ctx.flow.id}.${ctx.node.id}` } : s.connection,
      sync: false,
      retry: DEFAULT_RETRY,
    };
    // With the template problems, so a deploy lists them all (a schema rule would have hidden those); a URL
    // template that does not compile has its problem already.
    const urlProblem = problems.some((p) => p.path === `${ctx.path}.url`) ? undefined : targetUrlProblem(s.url, !!(s.connectionId || s.connection?.baseUrl));
    if (urlProblem) problems.push({ path: `${ctx.path}.url`, code: 'invalid_value', message: urlProblem, nodeId: ctx.node.id });
    try {
      prepared.retry = resolveRetryPolicy(s.retry);
    } catch (e) {
      problems.push({ path: `${ctx.path}.${(e as Error).message.split(':')[0]}`, code: 'invalid_value', message: (e as Error).message, nodeId: ctx.node.id });
    }
    prepared.sync = [prepared.url, prepared.body, ...[...prepared.headers, ...prepared.query, ...prepared.form].map(([, t]) => t)].every((t) => !t || t.sync);
    if (s.connectionId) {
      prepared.connection = ctx.connections.get(s.connectionId);
      if (!prepared.connection) {
        problems.push({ path: `${ctx.path}.connectionId`, code: 'invalid_value', message: `connection "${s.connectionId}" was not found (create it under Connections, or pick another)`, nodeId: ctx.node.id });
      }
    }
    if (problems.length) throw new ProblemsError(problems);
    warnMissingSecrets(ctx, prepared.connection);
    return prepared;
  },

  async run(input, ctx) {
    const s = ctx.settings;
    const p = ctx.prepared;
    let resolved;
    try {
      resolved = resolveConnection(currentConnection(s, p, ctx.connections), ctx.secrets);
    } catch (e) {
      throw toNodeError(e, s);
    }
    // Secret $env variables (a token in a header or body template) are masked in the traffic like the connection's.
    const envSecrets = secretEnvValues(ctx.env);
    if (envSecrets.length) resolved = { ...resolved, secretValues: [...resolved.secretValues, ...envSecrets] };
    // Requestor / username / password are offered to templates as vars.connection.*, never recorded.
    const tctx: TemplateContext = { data: input.data, trigger: input.trigger, vars: { ...input.vars, connection: resolved.templateValues }, env: ctx.env };
    const built = renderRequest(s, p, tctx);
    const req = built instanceof Promise ? await built : built;
    const base = { executionId: ctx.executionId, nodeId: ctx.node.id };
    let exchange: Exchange;
    try {
      exchange = await sendRequest(req, {
        resolved,
        retry: p.retry,
        timeouts: { totalMs: s.timeoutMs, connectMs: s.connectTimeoutMs, message: s.timeoutMessage },
        followRedirects: s.followRedirects,
        failOnNon2xx: s.failOnNon2xx,
        maxResponseBytes: s.maxResponseBytes,
        signal: ctx.signal,
        // Full diagnostics keep the HTTP traffic (masked) with the step, for the execution view.
        traffic: ctx.flow.settings.diagnostics === 'full' ? { inputData: input.data } : undefined,
        onAttempt(a) {
          ctx.emit({ type: 'http.attempt', ...base, attempt: a.attempt, method: a.method, url: a.url, status: a.status, durationMs: a.durationMs, error: a.error });
        },
        onRetry(r) {
          ctx.emit({ type: 'retry.scheduled', ...base, attempt: r.attempt, delayMs: r.delayMs, reason: r.reason });
        },
        onWarning(w) {
          ctx.emit({ type: 'warning', code: w.code, message: w.message, flowId: ctx.flow.id, ...base });
        },
      });
    } catch (e) {
      throw toNodeError(withEnvHint(e, s.url, ctx.env), s, new Masker({ secretValues: resolved.secretValues, headerNames: resolved.maskedHeaderNames }));
    }
    // A partner that echoes a credential must not carry it into the flow data or the records.
    const r = exchange.response!;
    const data = s.output === 'body' ? r.body : { status: r.status, headers: r.headers, body: r.body };
    const message: Message = { ...input, data: resolved.secretValues.length ? new Masker({ secretValues: resolved.secretValues }).strings(data) : data };
    const result: NodeResult & { attempts: unknown[] } = { message, attempts: exchange.attempts };
    return result;
  },
};

/**
 * The request the node sends for this context, its templates rendered: synchronously when every template is a
 * simple path and there is no form (the relay's hot path: no promise per field), else asynchronously. "Send
 * test request" in the studio renders through this too, so it sends what a run would.
 */
export function renderRequest(s: HttpRequestSettings, p: Prepared, tctx: TemplateContext): OutboundRequest | Promise<OutboundRequest> {
  const form = s.contentType === 'application/x-www-form-urlencoded' || s.contentType === 'multipart/form-data';
  if (!p.sync || form) return renderRequestAsync(s, p, tctx, form);
  const req: OutboundRequest = { method: s.method, url: p.url.render(tctx) as string, headers: syncPairs(p.headers, tctx), query: syncPairs(p.query, tctx) };
  if (p.body && s.method !== 'GET' && s.method !== 'HEAD') withBody(req, s, p.body.render(tctx) as string);
  return req;
}

async function renderRequestAsync(s: HttpRequestSettings, p: Prepared, tctx: TemplateContext, form: boolean): Promise<OutboundRequest> {
  const req: OutboundRequest = {
    method: s.method,
    url: await renderAsync(p.url, tctx),
    headers: p.headers.length ? await renderPairs(p.headers, tctx) : [],
    query: p.query.length ? await renderPairs(p.query, tctx) : [],
  };
  if (form) {
    const fields = await renderPairs(p.form, tctx);
    Object.assign(req, s.contentType === 'multipart/form-data' ? multipart(fields) : { body: new URLSearchParams(fields).toString(), contentType: s.contentType });
  } else if (p.body && s.method !== 'GET' && s.method !== 'HEAD') withBody(req, s, await renderAsync(p.body, tctx));
  return req;
}

function withBody(req: OutboundRequest, s: HttpRequestSettings, body: string) {
  req.body = body;
  req.contentType = `${s.contentType}; charset=utf-8`;
}

/** A saved connection is read on every run, so an edited connection applies without redeploying the flows. */
function currentConnection(s: HttpRequestSettings, p: Prepared, connections: ConnectionLookup): Connection | undefined {
  if (!s.connectionId) return p.connection;
  const c = connections.get(s.connectionId);
  if (!c) throw new NodeError(`connectionId: connection "${s.connectionId}" was not found (it was deleted after deploy)`, 'connection_missing');
  return c;
}

function toNodeError(e: unknown, s: HttpRequestSettings, masker = new Masker()): NodeError {
  if (e instanceof NodeError) return e;
  if (!(e instanceof HttpError)) return new NodeError((e as Error).message ?? String(e), 'http_failed');
  const ex = e.exchange as Exchange | undefined;
  const res = ex?.response;
  const timeout = e.code === 'timeout' || e.code === 'connect_timeout';
  const details = res ? { status: res.status, headers: res.headers, body: masker.strings(res.body) } : undefined;
  const err = new NodeError(timeout && s.timeoutMessage ? s.timeoutMessage : e.message, e.code, details, timeout ? 504 : 502);
  // The executor records these with the step, so every attempt's timing and reason is kept.
  (err as NodeError & { attempts?: unknown[] }).attempts = ex?.attempts;
  return err;
}

/**
 * A URL that is not one because a `$env` variable it reads is not set (`url: "" is not an absolute URL`) says
 * which variable: the text alone sends the operator looking at the flow instead of at the environment.
 */
function withEnvHint(e: unknown, url: string, env: Readonly<Record<string, string>>): unknown {
  if (!(e instanceof HttpError) || e.code !== 'invalid_request' || !e.message.startsWith('url:')) return e;
  const unset = [...new Set([...url.matchAll(/\$env\.([A-Za-z_][A-Za-z0-9_]*)/g)].map((m) => m[1]))].filter((n) => !env[n]);
  if (!unset.length) return e;
  const names = unset.map((n) => `$env.${n}`).join(', ');
  return new HttpError(`${e.message}; ${names} ${unset.length > 1 ? 'are' : 'is'} not set`, e.code, e.exchange, e.status);
}

function multipart(fields: Array<[string, string]>): Pick<OutboundRequest, 'body' | 'contentType'> {
  const boundary = `----hookline${randomBytes(12).toString('hex')}`;
  const q = (n: string) => n.replace(/["\\\r\n]/g, (c) => encodeURIComponent(c));
  const body =
    fields.map(([n, v]) => `--${boundary}\r\nContent-Disposition: form-data; name="${q(n)}"\r\n\r\n${v}\r\n`).join('') + `--${boundary}--\r\n`;
  return { body, contentType: `multipart/form-data; boundary=${boundary}` };
}

/** Deploy still succeeds (a secret may be set later) but the log says which one is missing. */
function warnMissingSecrets(ctx: PrepareContext, c: Connection | undefined) {
  if (!c) return;
  try {
    resolveConnection(c, ctx.secrets);
  } catch (e) {
    ctx.logger.warn((e as Error).message, { nodeId: ctx.node.id, code: (e as HttpError).code });
  }
}

/** A template that may be asynchronous (JSONata), rendered to text. */
async function renderAsync(t: CompiledTemplate, tctx: TemplateContext): Promise<string> {
  return String(await t.render(tctx));
}

async function renderPairs(pairs: Array<[string, CompiledTemplate]>, tctx: TemplateContext): Promise<Array<[string, string]>> {
  const out: Array<[string, string]> = [];
  for (const [n, t] of pairs) out.push([n, await renderAsync(t, tctx)]);
  return out;
}

function syncPairs(pairs: Array<[string, CompiledTemplate]>, tctx: TemplateContext): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  for (const [n, t] of pairs) out.push([n, t.render(tctx) as string]);
  return out;
}
