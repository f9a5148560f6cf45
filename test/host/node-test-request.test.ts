import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startHostedRuntime, type HostedRuntime } from '../../core/host/studio';
import { MemorySecretStore } from '../../core/secrets/secret-store';
import { ProblemsError } from '../../core/model/problems';
import { destroyAgents } from '../../core/http/agents';
import { tempDir } from '../helpers/runtime';
import { json, startHttp, type TestServer } from '../http/servers';

/**
 * "Send test request" on a Web Integration node (HostApi.sendNodeTestRequest): the runtime renders the node's
 * request from the sample as a run would, with $env and the connection's values, and sends it once.
 */
let partner: TestServer;
let h: HostedRuntime;
const sample = { trigger: { type: 'webhook', method: 'POST' }, data: { id: 7, name: 'Ada "A"' }, vars: { tenant: 't1' } };

beforeAll(async () => {
  partner = await startHttp((req, res, body) => {
    if (req.url!.startsWith('/busy')) return json(res, 503, { error: 'busy' });
    if (req.url!.startsWith('/slow')) return void setTimeout(() => json(res, 200, {}), 2000);
    if (req.url!.startsWith('/hang')) return; // never answers (closed with the server)
    json(res, 200, { got: body, auth: req.headers.authorization ?? null });
  });
});
afterAll(async () => {
  await partner.close();
  destroyAgents();
});
beforeEach(async () => {
  const secrets = new MemorySecretStore({ PARTNER_PW: 'pw-plain-0815' });
  h = await startHostedRuntime({ dataDir: tempDir(), secrets, port: 0, env: { PARTNER_URL: partner.url, TENANT: 'acme' } });
  await h.api.saveConnection({ id: 'partner', name: 'Partner', baseUrl: '{{ $env.PARTNER_URL }}', auth: { type: 'requestor', requestor: 'HOOK01', username: 'hook', passwordSecret: 'PARTNER_PW' } });
});
afterEach(() => h.close());

describe('sendNodeTestRequest', () => {
  it('renders URL, headers, query and body with $env, the sample and vars.connection (password included), and masks the password', async () => {
    const r = await h.api.sendNodeTestRequest(
      {
        method: 'POST',
        url: '{{ $env.PARTNER_URL }}/orders/{{ data.id }}',
        connectionId: 'partner',
        headers: [{ name: 'X-Tenant', value: '{{ $env.TENANT }}-{{ vars.tenant }}' }],
        query: [{ name: 'v', value: '2' }],
        contentType: 'application/json',
        body: '{"name": {{ data.name }}, "by": {{ vars.connection.requestor }}, "user": {{ vars.connection.username }}, "pw": {{ vars.connection.password }}}',
      },
      sample,
    );
    expect(r.ok).toBe(true);
    const got = partner.requests.at(-1)!;
    expect(got.url).toBe('/orders/7?v=2');
    expect(got.headers['x-tenant']).toBe('acme-t1');
    expect(got.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(JSON.parse(got.body)).toEqual({ name: 'Ada "A"', by: 'HOOK01', user: 'hook', pw: 'pw-plain-0815' });
    expect(got.headers.authorization).toBe(`Basic ${Buffer.from('hook:pw-plain-0815').toString('base64')}`);
    // The exchange shown in the studio never holds the password, neither as sent nor as echoed back.
    expect(JSON.stringify(r)).not.toContain('pw-plain-0815');
    expect(JSON.stringify(r)).not.toContain(Buffer.from('hook:pw-plain-0815').toString('base64'));
    expect(got.headers['x-requestor']).toBe('HOOK01');
    expect(r.exchange?.response?.status).toBe(200);
  });

  it('reads a sample that is not a whole message as the data, sends forms, and no body with GET', async () => {
    const form = [{ name: 'who', value: '{{ data.name }}' }];
    await h.api.sendNodeTestRequest({ method: 'POST', url: `${partner.url}/f`, contentType: 'application/x-www-form-urlencoded', form }, { name: 'Bo' });
    expect(partner.requests.at(-1)!.body).toBe('who=Bo');
    await h.api.sendNodeTestRequest({ method: 'PUT', url: `${partner.url}/m`, contentType: 'multipart/form-data', form }, sample);
    const mp = partner.requests.at(-1)!;
    const boundary = /boundary=(.+)$/.exec(String(mp.headers['content-type']))![1];
    expect(mp.body).toBe(`--${boundary}\r\nContent-Disposition: form-data; name="who"\r\n\r\nAda "A"\r\n--${boundary}--\r\n`);
    await h.api.sendNodeTestRequest({ method: 'GET', url: `${partner.url}/g`, contentType: 'application/json', body: '{"a": 1}' }, sample);
    expect(partner.requests.at(-1)).toMatchObject({ method: 'GET', body: '' });
  });

  it('sends once without retries, with the node timeout and its timeout message', async () => {
    const before = partner.requests.length;
    const busy = await h.api.sendNodeTestRequest({ method: 'GET', url: `${partner.url}/busy`, retry: { retryCount: 3, retryIntervalMs: 10 } }, sample);
    expect(busy.ok).toBe(false);
    expect(busy.exchange?.response?.status).toBe(503);
    expect(partner.requests.length).toBe(before + 1);
    const slow = await h.api.sendNodeTestRequest({ method: 'GET', url: `${partner.url}/slow`, timeoutMs: 150, timeoutMessage: 'Partner did not answer in time' }, sample);
    expect(slow.error).toMatchObject({ code: 'timeout' });
    expect(slow.error?.message).toContain('Partner did not answer in time');
  });

  it('names the field of bad settings, and says which variable a connection is missing', async () => {
    const err = await h.api.sendNodeTestRequest({ method: 'GET', url: 'http://x/', retry: { retryCount: 9 } }, sample).catch((e) => e);
    expect(err).toBeInstanceOf(ProblemsError);
    expect((err as ProblemsError).problems.map((p) => p.path)).toContain('settings.retry.retryCount');
    const tpl = await h.api.sendNodeTestRequest({ method: 'GET', url: 'http://x/', headers: [{ name: 'X-A', value: '{{ data.id' }] }, sample).catch((e) => e);
    expect((tpl as ProblemsError).problems.map((p) => p.path)).toEqual(['settings.headers[0].value']);
    await h.api.saveConnection({ id: 'elsewhere', name: 'Elsewhere', baseUrl: '{{ $env.ELSEWHERE_URL }}', auth: { type: 'none' } });
    const missing = await h.api.sendNodeTestRequest({ method: 'GET', url: '/x', connectionId: 'elsewhere' }, sample);
    expect(missing).toMatchObject({ ok: false, error: { code: 'invalid_connection' } });
    expect(missing.error?.message).toContain('variable ELSEWHERE_URL is not set');
  });

  it('Cancel: cancelTest stops a running test at once (node and connection tests), and says when nothing ran', async () => {
    const t0 = Date.now();
    const node = h.api.sendNodeTestRequest({ method: 'GET', url: `${partner.url}/hang`, timeoutMs: 60_000 }, sample, undefined, 'node-1');
    const conn = h.api.testConnection({ connectionId: 'partner' }, { method: 'GET', url: '/hang' }, undefined, 'conn-1');
    await new Promise((r) => setTimeout(r, 150));
    // A second test under a running id is refused, not mixed up with the first.
    await expect(h.api.testConnection({ connectionId: 'partner' }, { method: 'GET', url: '/x' }, undefined, 'conn-1')).rejects.toThrow('already running');
    expect(await h.api.cancelTest('node-1')).toBe(true);
    expect(await h.api.cancelTest('conn-1')).toBe(true);
    const [n, c] = await Promise.all([node, conn]);
    expect(Date.now() - t0).toBeLessThan(10_000);
    expect(n).toMatchObject({ ok: false, error: { code: 'aborted' } });
    expect(n.error?.message).toContain('/hang: cancelled');
    expect(c).toMatchObject({ ok: false, error: { code: 'aborted' } });
    expect(await h.api.cancelTest('node-1')).toBe(false);
    // The id is free again once its test ended.
    expect((await h.api.testConnection({ connectionId: 'partner' }, { method: 'GET', url: '/x' }, undefined, 'conn-1')).ok).toBe(true);
  });

  it("Test connection fills a connection's {{ $env.NAME }} fields as the runtime does, and names a missing variable", async () => {
    const r = await h.api.testConnection({ connectionId: 'partner' }, { method: 'GET', url: '/ping' });
    expect(r.ok).toBe(true);
    expect(partner.requests.at(-1)?.url).toBe('/ping');
    const inline = await h.api.testConnection({ connection: { baseUrl: '{{ $env.NOT_SET_URL }}', auth: { type: 'none' } } }, { method: 'GET', url: '/ping' });
    expect(inline).toMatchObject({ ok: false, error: { code: 'invalid_connection' } });
    expect(inline.error?.message).toContain('baseUrl: variable NOT_SET_URL is not set');
  });
});
