import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { chainFlow, send, startRuntime, waitFor, type TestRuntime } from '../helpers/runtime';
import { ProblemsError } from '../../core/model/problems';

let t: TestRuntime;
beforeEach(async () => {
  t = await startRuntime();
});
afterEach(() => t.stop());

const rr = { methods: ['POST'], path: '/echo', responseMode: 'requestResponse' };

describe('webhook routing and responses', () => {
  it('answers a request-response flow with the Respond node', async () => {
    await t.rt.deploy(chainFlow(rr, [{ type: 'respond', settings: { status: 201, headers: [{ name: 'X-Test', value: 'yes' }] } }]));
    const r = await send(t.url('/echo'), { body: JSON.stringify({ a: 1 }), headers: { 'content-type': 'application/json' } });
    expect(r.status).toBe(201);
    expect(r.headers.get('x-test')).toBe('yes');
    expect(r.json).toEqual({ a: 1 });
  });

  it('a reply header an HTTP header cannot carry fails the flow with the reason; the caller is answered, not left waiting', async () => {
    await t.rt.deploy(chainFlow(rr, [{ type: 'respond', settings: { status: 200, headers: [{ name: 'X-Name', value: '{{ data.name }}' }] } }]));
    const r = await send(t.url('/echo'), { body: JSON.stringify({ name: 'Zoë €' }), headers: { 'content-type': 'application/json' } });
    expect(r.status).toBe(500);
    expect(r.json).toMatchObject({ error: 'invalid_header', message: 'headers: the value of "x-name" contains "€" (U+20AC), which an HTTP header cannot carry (ASCII and Latin-1 only); encode it, e.g. {{ $encodeUrlComponent(...) }}' });
    const ok = await send(t.url('/echo'), { body: JSON.stringify({ name: 'Ada' }), headers: { 'content-type': 'application/json' } });
    expect([ok.status, ok.headers.get('x-name')]).toEqual([200, 'Ada']);
  });

  it('falls back to the last node output when there is no Respond node', async () => {
    await t.rt.deploy(chainFlow(rr, [{ type: 'log' }]));
    const r = await send(t.url('/echo'), { body: '{"x":[1,2]}' });
    expect(r.status).toBe(200);
    expect(r.json).toEqual({ x: [1, 2] });
  });

  it('404 for an unknown path, 405 with Allow for a wrong method', async () => {
    await t.rt.deploy(chainFlow({ methods: ['POST', 'PUT'], path: '/orders/:id' }, []));
    expect((await send(t.url('/nope'))).status).toBe(404);
    const r = await send(t.url('/orders/7'), { method: 'GET' });
    expect(r.status).toBe(405);
    expect(r.headers.get('allow')).toBe('POST, PUT');
  });

  it('HEAD is answered by the GET trigger: same status and headers, no body; Allow names HEAD with GET', async () => {
    await t.rt.deploy(chainFlow({ methods: ['GET'], path: '/status/:id', responseMode: 'requestResponse' }, [{ type: 'respond', settings: { status: 200, headers: [{ name: 'X-Order', value: '{{ trigger.params.id }}' }], bodyMode: 'data' } }]));
    const get = await send(t.url('/status/7'), { method: 'GET' });
    const head = await send(t.url('/status/7'), { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.text).toBe('');
    expect(head.headers.get('x-order')).toBe('7');
    expect(head.headers.get('content-type')).toBe(get.headers.get('content-type'));
    expect(head.headers.get('content-length')).toBe(get.headers.get('content-length'));
    // The flow ran for it, and saw the method it was called with.
    const page = await t.rt.store.listExecutions({});
    const methods = await Promise.all(page.items.map(async (e) => ((await t.rt.store.getExecution(e.id))!.input as any).trigger.method));
    expect(methods.sort()).toEqual(['GET', 'HEAD']);
    const post = await send(t.url('/status/7'), { method: 'POST' });
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET, HEAD');
  });

  it('captures path parameters', async () => {
    await t.rt.deploy(chainFlow({ methods: ['GET'], path: '/orders/:id', responseMode: 'requestResponse' }, [{ type: 'respond', settings: { bodyMode: 'data' } }], {}));
    // Respond sends data; data is the body (null for GET) so check params through the execution record.
    const r = await send(t.url('/orders/A%2F1'), { method: 'GET' });
    expect(r.status).toBe(200);
    const page = await t.rt.store.listExecutions({});
    const ex = await t.rt.store.getExecution(page.items[0].id);
    expect((ex!.input as any).trigger.params).toEqual({ id: 'A/1' });
  });

  it('async mode answers 202 with the execution id and records the execution', async () => {
    const f = chainFlow({ methods: ['POST'], path: '/in' }, [{ type: 'log' }]);
    await t.rt.deploy(f);
    const r = await send(t.url('/in'), { body: '{"n":1}', headers: { 'content-type': 'application/json' } });
    expect(r.status).toBe(202);
    expect(typeof r.json.executionId).toBe('string');
    const ex = await waitFor(async () => {
      const e = await t.rt.store.getExecution(r.json.executionId);
      return e?.status === 'succeeded' ? e : undefined;
    });
    expect(ex.steps.map((s) => s.nodeId)).toEqual(['hook', 'n1']);
    expect(ex.flowId).toBe(f.id);
  });

  it('fills query defaults and rejects a missing required parameter with 400 naming it', async () => {
    await t.rt.deploy(
      chainFlow({ methods: ['GET'], path: '/prices', responseMode: 'requestResponse', queryParams: [{ name: 'item', required: true }, { name: 'currency', default: 'EUR' }] }, [
        { type: 'respond', settings: { bodyMode: 'text', body: 'ok' } },
      ]),
    );
    const bad = await send(t.url('/prices?currency=USD'), { method: 'GET' });
    expect(bad.status).toBe(400);
    expect(bad.json).toMatchObject({ error: 'missing_query_parameter', parameter: 'item' });
    expect(bad.json.message).toContain('"item"');
    // Empty counts as not given; twice is refused (the flow expects one text value), neither runs the flow.
    const empty = await send(t.url('/prices?item='), { method: 'GET' });
    expect([empty.status, empty.json.error, empty.json.message]).toEqual([400, 'missing_query_parameter', 'query parameter "item" is required (it was empty)']);
    const twice = await send(t.url('/prices?item=A&item=B'), { method: 'GET' });
    expect([twice.status, twice.json.error, twice.json.parameter]).toEqual([400, 'repeated_query_parameter', 'item']);
    const ok = await send(t.url('/prices?item=X1&currency='), { method: 'GET' });
    expect(ok.status).toBe(200);
    const page = await t.rt.store.listExecutions({});
    expect(page.total).toBe(1);
    const ex = await t.rt.store.getExecution(page.items[0].id);
    expect((ex!.input as any).trigger.query).toEqual({ item: 'X1', currency: 'EUR' });
  });

  it('rejects malformed JSON and XML with 400 and a position', async () => {
    await t.rt.deploy(chainFlow({ methods: ['POST'], path: '/m' }, []));
    const j = await send(t.url('/m'), { body: '{"a": 1,,}', headers: { 'content-type': 'application/json' } });
    expect(j.status).toBe(400);
    expect(j.json.line).toBe(1);
    expect(typeof j.json.column).toBe('number');
    const x = await send(t.url('/m'), { body: '<a><b></a>', headers: { 'content-type': 'application/xml' } });
    expect(x.status).toBe(400);
    expect(x.json.error).toBe('malformed_body');
    expect((await t.rt.store.listExecutions({})).total).toBe(0);
  });

  it('413 for a body over the limit, without starting an execution', async () => {
    await t.rt.deploy(chainFlow({ methods: ['POST'], path: '/small', maxBodyBytes: 1024 }, []));
    const r = await send(t.url('/small'), { body: 'x'.repeat(5000), headers: { 'content-type': 'text/plain' } });
    expect(r.status).toBe(413);
    expect((await t.rt.store.listExecutions({})).total).toBe(0);
  });

  it('keeps raw bytes and parses form, text, xml and binary bodies', async () => {
    await t.rt.deploy(chainFlow({ methods: ['POST'], path: '/any', responseMode: 'requestResponse' }, [{ type: 'respond' }]));
    const form = await send(t.url('/any'), { body: 'a=1&a=2&b=x', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(form.json).toEqual({ a: ['1', '2'], b: 'x' });
    const text = await send(t.url('/any'), { body: 'hello', headers: { 'content-type': 'text/plain' } });
    expect(text.json).toBe('hello');
    const bin = await send(t.url('/any'), { body: Buffer.from([0, 1, 2, 255]), headers: { 'content-type': 'application/octet-stream' } });
    expect(Buffer.from(bin.json, 'base64')).toEqual(Buffer.from([0, 1, 2, 255]));
    const page = await t.rt.store.listExecutions({ limit: 10 });
    const ex = await t.rt.store.getExecution(page.items[0].id);
    expect(Buffer.from((ex!.input as any).trigger.rawBody, 'base64')).toEqual(Buffer.from([0, 1, 2, 255]));
  });

  it('trigger.rawBody is the base64 of the bytes, for templates and in the record', async () => {
    await t.rt.deploy(
      chainFlow({ methods: ['POST'], path: '/raw', responseMode: 'requestResponse' }, [
        { type: 'respond', settings: { bodyMode: 'template', templateKind: 'text', template: '{{ trigger.rawBody }}', contentType: 'text/plain' } },
      ]),
    );
    const body = '{"orderId":"SO-9","note":"caf\u00e9"}';
    const r = await send(t.url('/raw'), { body, headers: { 'content-type': 'application/json' } });
    expect(r.status).toBe(200);
    expect(Buffer.from(r.text, 'base64').toString('utf8')).toBe(body);
    const page = await t.rt.store.listExecutions({ limit: 1 });
    const ex = await t.rt.store.getExecution(page.items[0].id);
    expect(Buffer.from((ex!.input as any).trigger.rawBody, 'base64').toString('utf8')).toBe(body);
    expect(Object.keys((ex!.input as any).trigger)).toContain('rawBody');
  });
});

describe('deploy', () => {
  it('a failed deploy leaves the previous version running', async () => {
    const f = chainFlow(rr, [{ type: 'respond', settings: { status: 200, bodyMode: 'text', body: 'v1' } }], { id: 'keep' });
    await t.rt.deploy(f);
    const broken = { ...f, revision: 2, nodes: [...(f.nodes as any[]), { id: 'bad', type: 'respond', settings: { status: 9999 } }] };
    await expect(t.rt.deploy(broken)).rejects.toBeInstanceOf(ProblemsError);
    try {
      await t.rt.deploy(broken);
    } catch (e) {
      expect((e as ProblemsError).problems[0].path).toBe('nodes[2].settings.status');
    }
    expect((await send(t.url('/echo'))).text).toBe('v1');
  });

  it('rejects a route another deployed flow already serves', async () => {
    await t.rt.deploy(chainFlow({ path: '/same' }, [], { id: 'a' }));
    await expect(t.rt.deploy(chainFlow({ path: '/same' }, [], { id: 'b' }))).rejects.toThrow(/already served by flow "a"/);
  });

  it('a redeploy that takes another flow\'s route is reported on the redeployed flow, naming the other one', async () => {
    await t.rt.deploy(chainFlow({ path: '/first' }, [], { id: 'a', name: 'Orders in' }));
    await t.rt.deploy(chainFlow({ path: '/second' }, [], { id: 'b', name: 'Invoices in' }));
    const err = (await t.rt.deploy(chainFlow({ path: '/second' }, [], { id: 'a', name: 'Orders in' })).catch((e) => e)) as ProblemsError;
    expect(err.problems).toEqual([
      expect.objectContaining({ path: 'nodes[0].settings.path', nodeId: 'hook', message: 'POST /second is already served by flow "Invoices in" (b, node "hook")' }),
    ]);
    expect((await send(t.url('/first'), { body: '{}' })).status).toBe(202); // the previous version still runs
  });

  it('unknown node types are a problem naming the type', async () => {
    const f = chainFlow(rr, [{ type: 'teleport' }]);
    await expect(t.rt.deploy(f)).rejects.toThrow(/unknown node type "teleport"/);
  });

  it('redeploy swaps the version without dropping requests; undeploy gives 404', async () => {
    const f = chainFlow(rr, [{ type: 'respond', settings: { bodyMode: 'text', body: 'one' } }], { id: 'swap' });
    await t.rt.deploy(f);
    const v2 = chainFlow(rr, [{ type: 'respond', settings: { bodyMode: 'text', body: 'two' } }], { id: 'swap', revision: 2 });
    const during = Promise.all(Array.from({ length: 50 }, () => send(t.url('/echo'))));
    await t.rt.deploy(v2);
    const results = await during;
    expect(results.every((r) => r.status === 200 && (r.text === 'one' || r.text === 'two'))).toBe(true);
    expect((await send(t.url('/echo'))).text).toBe('two');
    await t.rt.undeploy('swap');
    expect((await send(t.url('/echo'))).status).toBe(404);
  });
});

describe('internal routes', () => {
  it('are served ahead of webhooks and a webhook cannot take their path', async () => {
    t.rt.setInternalRoute('/_hookline/ping', (_req, res) => void res.end('pong'));
    expect((await send(t.url('/_hookline/ping?x=1'), { method: 'GET' })).text).toBe('pong');
    await expect(t.rt.deploy(chainFlow({ methods: ['GET'], path: '/_hookline/ping' }, []))).rejects.toThrow(/reserved by the runtime/);
  });
});

describe('request body schema', () => {
  it('answers 400 with every violation before accepting, even in async mode; nothing runs', async () => {
    const schema = { type: 'object', required: ['eventId', 'eventType'], properties: { eventId: { type: 'string' }, eventType: { enum: ['ORDER', 'INVOICE'] } } };
    await t.rt.deploy(chainFlow({ path: '/ev', bodySchema: schema }, [{ type: 'log' }]));
    const bad = await send(t.url('/ev'), { body: '{"eventType":"PARTY"}', headers: { 'content-type': 'application/json' } });
    expect(bad.status).toBe(400);
    expect(bad.json.violations.map((v: any) => `${v.path}: ${v.message}`)).toEqual(['eventId: is required', 'eventType: must be one of "ORDER", "INVOICE"']);
    expect(bad.json.message).toContain('eventId: is required');
    expect((await t.rt.store.listExecutions({})).total).toBe(0);
    const ok = await send(t.url('/ev'), { body: '{"eventId":"e1","eventType":"ORDER"}', headers: { 'content-type': 'application/json' } });
    expect(ok.status).toBe(202);
  });

  it('applies to a request that has a body: a GET without one (the same trigger also taking GET) is not refused', async () => {
    const schema = { type: 'object', required: ['eventId'] };
    await t.rt.deploy(chainFlow({ path: '/evg', methods: ['GET', 'POST'], bodySchema: schema }, [{ type: 'log' }]));
    expect((await send(t.url('/evg?probe=1'), { method: 'GET' })).status).toBe(202);
    const empty = await send(t.url('/evg'), { body: '', headers: { 'content-type': 'application/json' } });
    expect(empty.status).toBe(400);
    expect(empty.json.message).toContain('the request body is not valid');
    expect((await send(t.url('/evg'), { body: '{"eventId":"e1"}', headers: { 'content-type': 'application/json' } })).status).toBe(202);
  });

  it('a broken schema fails the deploy with its path', async () => {
    await expect(t.rt.deploy(chainFlow({ path: '/ev2', bodySchema: { type: 'nonsense' } }, []))).rejects.toThrow(/nodes\[0\]\.settings\.bodySchema/);
  });
});
