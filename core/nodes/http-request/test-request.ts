import { resolveConnection } from '../../http/auth';
import { HttpError } from '../../http/errors';
import { testConnection, type TestConnectionResult } from '../../http/test-connection';
import { substituteConnectionEnv, type Connection } from '../../model/connection';
import { isWholeMessage, type Message } from '../../model/message';
import { ProblemsError } from '../../model/problems';
import { zodProblems } from '../../model/zod-problems';
import { silentLogger } from '../../runtime/logger';
import type { SecretStore } from '../../secrets/secret-store';
import type { TemplateContext } from '../../template/index';
import type { ConnectionLookup } from '../runner-types';
import { httpRequestRunner, renderRequest } from './run';
import { httpRequestSettingsSchema } from './spec';

export interface NodeTestOptions {
  /** Saved connections, as stored (their `{{ $env.NAME }}` placeholders are filled in here). */
  connections: ConnectionLookup;
  secrets: SecretStore;
  /** What the runtime's flows read as `$env`. */
  env: Record<string, string>;
  /** Cancels the request (the studio's Cancel). */
  signal?: AbortSignal;
}

/**
 * "Send test request" for a Web Integration node (Postman's Send, n8n's "Test step"): the node's request rendered
 * from a sample as a run renders it (same templates, `$env`, the connection's requestor / username / password),
 * sent once through the node's connection with the node's timeouts and redirects, without retries. The whole
 * exchange comes back masked (see testConnection).
 *
 * `sample`: a whole message (`{ trigger, data }`), or the data to start with, as manual runs read it.
 * Settings the node schema refuses, and templates that do not compile, are a ProblemsError naming the field.
 *
 * @example
 * await testNodeRequest({ method: 'GET', url: '{{ $env.PARTNER_URL }}/orders/{{ data.id }}' }, { id: 7 }, { connections, secrets, env: { PARTNER_URL: 'https://p.example' } });
 */
export async function testNodeRequest(settings: Record<string, unknown>, sample: unknown, o: NodeTestOptions): Promise<TestConnectionResult> {
  const parsed = httpRequestSettingsSchema.safeParse(settings);
  if (!parsed.success) throw new ProblemsError(zodProblems(parsed.error, 'settings'));
  const s = parsed.data;
  const connections: ConnectionLookup = {
    get: (id) => {
      const c = o.connections.get(id);
      return c && substituteConnectionEnv(c, o.env);
    },
  };
  const node = { id: 'test', type: 'http-request', settings } as never;
  const flow = { id: 'test', name: 'test', nodes: [], edges: [], settings: {} } as never;
  let connection: Connection | undefined;
  let prepared;
  try {
    prepared = await httpRequestRunner.prepare!(s, { flow, node, path: 'settings', env: o.env, secrets: o.secrets, connections, logger: silentLogger });
    connection = prepared.connection;
  } catch (e) {
    if (e instanceof ProblemsError) throw e;
    // A saved connection whose `{{ $env.NAME }}` is not set: say so as the runtime would, as a failed test.
    return failed('invalid_connection', (e as Error).message);
  }
  const msg = (isWholeMessage(sample) ? sample : { data: sample ?? {} }) as Partial<Message>;
  let templateValues: Record<string, string>;
  try {
    templateValues = resolveConnection(connection, o.secrets, { env: o.env }).templateValues;
  } catch (e) {
    return failed(e instanceof HttpError ? e.code : 'invalid_connection', (e as Error).message);
  }
  const tctx: TemplateContext = { data: msg.data, trigger: msg.trigger, vars: { ...msg.vars, connection: templateValues }, env: o.env };
  let req;
  try {
    req = await renderRequest(s, prepared, tctx);
  } catch (e) {
    return failed('template_failed', `the request could not be built from the sample: ${(e as Error).message}`);
  }
  return testConnection(req, {
    connection,
    secrets: o.secrets,
    env: o.env,
    timeouts: { totalMs: s.timeoutMs, connectMs: s.connectTimeoutMs, message: s.timeoutMessage },
    followRedirects: s.followRedirects,
    maxResponseBytes: s.maxResponseBytes,
    signal: o.signal,
  });
}

const failed = (code: string, message: string): TestConnectionResult => ({ ok: false, error: { code, message }, warnings: [] });
