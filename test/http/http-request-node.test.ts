import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { chainFlow, send, startRuntime, waitFor, type TestRuntime } from '../helpers/runtime';
import { ProblemsError } from '../../core/model/problems';
import { destroyAgents } from '../../core/http/agents';
import { json, startHttp, type TestServer } from './servers';

/** The Web Integration node through the real runtime: webhook -> http-request -> respond. */
let sink: TestServer;
let t: TestRuntime;
beforeAll(async () => {
  sink = await startHttp((req, res, body) => {
    if (req.url!.startsWith('/slow')) return;
    if (req.url!.startsWith('/fail')) return json(res, 503, { busy: true });
    if (req.url!.startsWith('/cookie')) res.setHeader('Set-Cookie', 'session=partner-session-1');
    json(res, 201, { received: body, auth: req.headers.authorization ?? null, version: req.headers['x-api-version'] ?? null, url: req.url });
  });
});
afterAll(async () => {
  await sink.close();
  destroyAgents();
});
beforeEach(async () => {
  t = await startRuntime({ secretValues: { PARTNER_PW: 'partner-pw-123' } });
});
afterEach(() => t.stop());

const rr = { methods: ['POST'], path: '/relay', responseMode: 'requestResponse' };

describe('http-request node', () => {
  it('relays a templated JSON body with headers and query, and passes the response on', async () => {
    await t.rt.deploy(
      chainFlow(rr, [
        {
          type: 'http-request',
          settings: {
            method: 'POST',
            url: `${sink.url}/orders`,
            query: [{ name: 'id', value: '{{data.id}}' }],
            headers: [{ name: 'X-Api-Version', value: '2' }],
            body: '{"orderId": {{data.id}}, "note": {{data.note}}}',
          },
        },
        { type: 'respond' },
      ]),
    );
    const r = await send(t.url('/relay'), { body: JSON.stringify({ id: 'A"1', note: 'line\nbreak' }), headers: { 'content-type': 'application/json' } });
    expect(r.status).toBe(200);
    expect(r.json.status).toBe(201);
    expect(JSON.parse(r.json.body.received)).toEqual({ orderId: 'A"1', note: 'line\nbreak' });
    expect(r.json.body.version).toBe('2');
    expect(r.json.body.url).toBe('/orders?id=A%221');
    expect(sink.requests.at(-1)!.headers['content-type']).toBe('application/json; charset=utf-8');
  });

  it('renders JSONata expressions in the URL, query, headers and body (the asynchronous path)', async () => {
    await t.rt.deploy(
      chainFlow(rr, [
        {
          type: 'http-request',
          settings: {
            method: 'POST',
            url: `${sink.url}/{{ $lowercase(data.kind) }}`,
            query: [{ name: 'n', value: '{{ $count(data.lines) }}' }],
            headers: [{ name: 'X-Api-Version', value: '{{ $string(1 + 1) }}' }],
            body: '{"total": {{ $sum(data.lines.qty) }}, "first": {{ data.lines[0].sku }}}',
          },
        },
        { type: 'respond' },
      ]),
    );
    const r = await send(t.url('/relay'), { body: JSON.stringify({ kind: 'ORDERS', lines: [{ sku: 'A', qty: 2 }, { sku: 'B', qty: 3 }] }), headers: { 'content-type': 'application/json' } });
    expect(r.status).toBe(200);
    expect(r.json.body.url).toBe('/orders?n=2');
    expect(r.json.body.version).toBe('2');
    expect(JSON.parse(r.json.body.received)).toEqual({ total: 5, first: 'A' });
  });

  it('a Target URL that can never work is a deploy problem naming the field, before any request', async () => {
    const problems = async (settings: Record<string, unknown>) => {
      const err = (await t.rt.deploy(chainFlow(rr, [{ type: 'http-request', settings }])).catch((e) => e)) as ProblemsError;
      return err instanceof ProblemsError ? err.problems.filter((p) => p.path.endsWith('.url')).map((p) => p.message) : [];
    };
    expect(await problems({ url: 'htp:/bad url' })).toEqual(['must not contain spaces (encode them as %20)']);
    expect(await problems({ url: 'ftp://partner.example/in' })).toEqual(['must start with http:// or https:// (not ftp:)']);
    expect(await problems({ url: 'localhost:3000/orders' })).toEqual(['must start with http:// or https://, e.g. http://localhost:3000/orders']);
    expect(await problems({ url: '/orders' })).toEqual(['must be an absolute URL starting with http:// or https:// (a path like /orders needs a connection with a Server URL)']);
    expect(await problems({ url: 'smtp:{{ $env.HOST }}' })).toEqual(['must start with http:// or https:// (not smtp:)']);
    // Fine: tokens decide the rest on send; a path resolves against a connection's Server URL.
    expect(await problems({ url: '{{$env.PARTNER_URL}}/orders' })).toEqual([]);
    expect(await problems({ url: 'https://{{ $env.HOST }}/orders/{{ data.id }}' })).toEqual([]);
    expect(await problems({ url: '/orders', connection: { baseUrl: 'https://partner.example' } })).toEqual([]);
  });

  it('a retry count above 5 is a deploy problem naming the field', async () => {
    const f = chainFlow(rr, [{ type: 'http-request', settings: { url: sink.url, retry: { retryCount: 6 } } }]);
    const err = (await t.rt.deploy(f).catch((e) => e)) as ProblemsError;
    expect(err).toBeInstanceOf(ProblemsError);
    expect(err.problems.map((p) => `${p.path}: ${p.message}`)).toContain('nodes[1].settings.retry.retryCount: must be at most 5');
  });

  it("errorReply decides what a failed flow tells the caller: details, message only, or generic; the record keeps everything", async () => {
    const reply = async (errorReply?: string) => {
      await t.rt.deploy(chainFlow({ ...rr, ...(errorReply ? { errorReply } : {}) }, [{ type: 'http-request', settings: { url: `${sink.url}/fail` } }], { id: 'err-reply' }));
      const r = await send(t.url('/relay'), { body: '{}' });
      expect(r.status).toBe(502);
      return r.json as Record<string, unknown>;
    };
    const full = await reply();
    expect(Object.keys(full)).toEqual(['error', 'message', 'nodeId', 'details', 'executionId']);
    expect(full).toMatchObject({ error: 'http_status', nodeId: 'n1', details: { status: 503, body: { busy: true } } });
    expect(full.message).toContain(`${sink.url}/fail: status 503`);
    const message = await reply('message');
    expect(Object.keys(message)).toEqual(['error', 'message', 'executionId']);
    const generic = await reply('generic');
    expect(generic).toEqual({ error: 'http_status', message: 'the flow failed', executionId: generic.executionId });
    expect(JSON.stringify(generic)).not.toContain(sink.url);
    const record = await waitFor(async () => {
      const e = await t.rt.store.getExecution(generic.executionId as string);
      return e && e.status !== 'running' ? e : undefined;
    });
    expect(record?.error?.message).toContain(`${sink.url}/fail: status 503`);
  });

  it('a URL that renders empty because a $env variable is not set names the variable', async () => {
    await t.rt.deploy(chainFlow(rr, [{ type: 'http-request', settings: { url: '{{ $env.ERP_URL }}/orders' } }]));
    const r = await send(t.url('/relay'), { body: '{}' });
    expect(r.status).toBe(502);
    expect(r.json.message).toBe('url: "/orders" is not an absolute URL (and the connection has no baseUrl); $env.ERP_URL is not set');
  });

  it('the timeout message is the error and the waiting caller gets it; attempts are recorded with the step', async () => {
    await t.rt.deploy(
      chainFlow(rr, [{ type: 'http-request', settings: { url: `${sink.url}/slow`, timeoutMs: 150, timeoutMessage: 'Partner did not answer', retry: { retryCount: 1, retryIntervalMs: 10 } } }]),
    );
    const r = await send(t.url('/relay'), { body: '{}' });
    expect(r.status).toBe(504);
    expect(r.json.message).toBe('Partner did not answer');
    const ex = await waitFor(async () => {
      const page = await t.rt.store.listExecutions({});
      return page.items[0] && page.items[0].status !== 'running' ? t.rt.store.getExecution(page.items[0].id) : undefined;
    });
    const step = ex!.steps.find((s) => s.nodeType === 'http-request')!;
    expect(step.error?.code).toBe('timeout');
    expect((step.attempts as Array<{ errorCode: string }>).map((a) => a.errorCode)).toEqual(['timeout', 'timeout']);
    expect(t.events.filter((e) => e.type === 'http.attempt')).toHaveLength(2);
    expect(t.events.filter((e) => e.type === 'retry.scheduled')).toHaveLength(1);
  });

  it('secrets never reach the execution database, even when the partner echoes them', async () => {
    await t.rt.deploy(
      chainFlow(rr, [
        {
          type: 'http-request',
          settings: {
            url: `${sink.url}/echo`,
            body: '{"requestor": {{vars.connection.requestor}}, "pw": {{vars.connection.password}}}',
            connection: { auth: { type: 'requestor', requestor: 'ACME01', username: 'acme', passwordSecret: 'PARTNER_PW' } },
          },
        },
      ]),
    );
    const r = await send(t.url('/relay'), { body: '{}' });
    expect(r.status).toBe(200);
    expect(JSON.parse(sink.requests.at(-1)!.body)).toEqual({ requestor: 'ACME01', pw: 'partner-pw-123' });
    expect(r.json.body.received).toBe('{"requestor": "ACME01", "pw": "***"}');
    await waitFor(async () => (await t.rt.store.listExecutions({})).items[0]?.status === 'succeeded');
    await t.stop();
    const basic = Buffer.from('acme:partner-pw-123').toString('base64');
    const files = fs.readdirSync(t.dataDir).filter((f) => f.includes('.db'));
    expect(files.length).toBeGreaterThan(0);
    for (const f of files) {
      const bytes = fs.readFileSync(path.join(t.dataDir, f));
      expect([f, bytes.includes('partner-pw-123'), bytes.includes(basic)]).toEqual([f, false, false]);
    }
  });

  it('non-2xx fails by default and routes the response status and body as error details', async () => {
    await t.rt.deploy(chainFlow(rr, [{ type: 'http-request', settings: { url: `${sink.url}/fail` }, onError: 'route' }]));
    const r = await send(t.url('/relay'), { body: '{}' });
    // No node on the error port: the execution ends there; the caller gets the routed message data.
    expect(r.status).toBe(200);
    const ex = await waitFor(async () => {
      const page = await t.rt.store.listExecutions({});
      return page.items[0] ? t.rt.store.getExecution(page.items[0].id) : undefined;
    });
    const step = ex!.steps.find((s) => s.nodeType === 'http-request')!;
    expect(step.error).toMatchObject({ code: 'http_status', details: { status: 503, body: { busy: true } } });
  });

  it('full diagnostics keep the HTTP traffic with the step (credentials masked); metadata keeps only the attempts', async () => {
    const steps = [
      {
        type: 'http-request',
        settings: {
          url: `${sink.url}/cookie`,
          headers: [{ name: 'X-Api-Version', value: '2' }],
          body: '{{ data }}',
          contentType: 'text/plain',
          connection: { auth: { type: 'basic', username: 'acme', passwordSecret: 'PARTNER_PW' } },
        },
      },
      { type: 'respond' },
    ];
    const lastHttpStep = async () => {
      const ex = await waitFor(async () => {
        const page = await t.rt.store.listExecutions({});
        return page.items[0] && page.items[0].status !== 'running' ? t.rt.store.getExecution(page.items[0].id) : undefined;
      });
      return ex!.steps.find((x) => x.nodeType === 'http-request')!;
    };
    await t.rt.deploy(chainFlow(rr, steps as any, { id: 'traffic' }));
    // The body is the input's data as it is: noted, not stored twice.
    expect((await send(t.url('/relay'), { body: JSON.stringify('<a>plain</a>'), headers: { 'content-type': 'application/json' } })).status).toBe(200);
    let step = await lastHttpStep();
    const [a] = step.attempts as any[];
    expect(a.request.headers).toMatchObject({ Authorization: '***', 'X-Api-Version': '2', 'Content-Type': 'text/plain; charset=utf-8' });
    expect(a.request.bodyIsInputData).toBe(true);
    expect(a.request.body).toBeUndefined();
    expect(a.response.headers['set-cookie']).toBe('***');
    expect(a.response.headers['content-type']).toMatch(/^application\/json/);
    expect(a.response.sizeBytes).toBeGreaterThan(0);

    // A rendered body that differs from the data is kept as sent.
    expect((await send(t.url('/relay'), { body: JSON.stringify({ raw: 'R-1' }), headers: { 'content-type': 'application/json' } })).status).toBe(200);
    step = await waitFor(async () => {
      const s2 = await lastHttpStep();
      return (s2.attempts as any[])[0].request.body ? s2 : undefined;
    });
    expect((step.attempts as any[])[0].request.body).toBe('{"raw":"R-1"}');

    await t.rt.deploy(chainFlow(rr, steps as any, { id: 'traffic', settings: { diagnostics: 'metadata' } } as any));
    expect((await send(t.url('/relay'), { body: JSON.stringify({ raw: 'R-2' }), headers: { 'content-type': 'application/json' } })).status).toBe(200);
    step = await waitFor(async () => {
      const page = await t.rt.store.listExecutions({});
      const ex = page.items.length === 3 && page.items[0].status !== 'running' ? page.items[0] : undefined;
      return ex ? (await t.rt.store.getExecution(ex.id))!.steps.find((x) => x.nodeType === 'http-request') : undefined;
    });
    expect((step.attempts as any[])[0].request).toBeUndefined();
    expect((step.attempts as any[])[0].response).toBeUndefined();
    expect((step.attempts as any[])[0].status).toBe(201);
  });
});
