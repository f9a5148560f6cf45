import type { RunEvent } from '../../core/runtime/events';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { chainFlow, send, startRuntime, waitFor, type TestRuntime } from '../helpers/runtime';
import { signStandardWebhook, signHmacHeader } from '../../core/webhook';
import { createJsonLogger } from '../../core/runtime/logger';

let t: TestRuntime;
let logged: Array<Record<string, unknown>> = [];
beforeEach(async () => {
  logged = [];
  t = await startRuntime({ logger: createJsonLogger({ level: 'warn', write: (l) => logged.push(JSON.parse(l)) }), secretValues: { KEY_A: 'alpha-key-value', KEY_B: 'bravo-key-value', PW: 's3cret', WH: 'whsec_' + Buffer.from('0123456789abcdef0123').toString('base64'), GH: 'gh-secret' } });
});
afterEach(() => t.stop());

const total = async () => (await t.rt.store.listExecutions({})).total;

describe('webhook authentication', () => {
  const apiKeyFlow = () =>
    chainFlow({ path: '/k', responseMode: 'requestResponse', auth: { type: 'apiKey', keys: [{ id: 'a', label: 'Partner A', secret: 'KEY_A' }, { id: 'b', label: 'Partner B', secret: 'KEY_B' }] } }, [
      { type: 'respond', settings: { bodyMode: 'text', body: 'in' } },
    ]);

  it('API keys: any configured key in X-API-Key or Bearer; 401 otherwise with no execution and a counted rejection', async () => {
    const f = apiKeyFlow();
    await t.rt.deploy(f);
    expect((await send(t.url('/k'))).status).toBe(401);
    expect((await send(t.url('/k'), { headers: { 'x-api-key': 'wrong' } })).status).toBe(401);
    expect(await total()).toBe(0);
    expect(await t.rt.store.rejections(f.id, 'hook')).toBe(2);
    expect(t.events.filter((e) => e.type === 'auth.rejected')).toHaveLength(2);
    // The log line says who was refused, so an operator can tell a misconfigured partner from someone probing.
    expect(logged.filter((l) => l.msg === 'webhook authentication failed').map((l) => l.from)).toEqual(['127.0.0.1', '127.0.0.1']);
    expect((await send(t.url('/k'), { headers: { 'x-api-key': 'bravo-key-value' } })).text).toBe('in');
    expect((await send(t.url('/k'), { headers: { authorization: 'Bearer alpha-key-value' } })).text).toBe('in');
    expect(await total()).toBe(2);
    const used = await t.rt.store.apiKeyLastUsed(f.id, 'hook');
    expect(Object.keys(used).sort()).toEqual(['a', 'b']);
  });

  it('a 401 tells the caller what the request lacks, naming the header, but not which keys exist', async () => {
    await t.rt.deploy(apiKeyFlow());
    const missing = await send(t.url('/k'));
    expect(missing.json).toEqual({ error: 'unauthorized', message: 'authentication failed: send the API key in the X-API-Key header or as Authorization: Bearer <key>' });
    const wrong = await send(t.url('/k'), { headers: { 'x-api-key': 'alpha-key-valu' } });
    expect(wrong.json).toEqual({ error: 'unauthorized', message: 'authentication failed: the API key in the X-API-Key header is not valid' });
    expect(wrong.text).not.toMatch(/Partner|KEY_A|alpha-key-value/);
  });

  it('one key value may serve several triggers', async () => {
    await t.rt.deploy(apiKeyFlow());
    await t.rt.deploy(chainFlow({ path: '/k2', responseMode: 'requestResponse', auth: { type: 'apiKey', keys: [{ id: 'x', label: 'Same consumer', secret: 'KEY_A' }] } }, [{ type: 'respond', settings: { bodyMode: 'text', body: 'k2' } }]));
    expect((await send(t.url('/k2'), { headers: { 'x-api-key': 'alpha-key-value' } })).text).toBe('k2');
  });

  it('basic auth', async () => {
    await t.rt.deploy(chainFlow({ path: '/b', responseMode: 'requestResponse', auth: { type: 'basic', username: 'erp', passwordSecret: 'PW' } }, [{ type: 'respond', settings: { bodyMode: 'text', body: 'ok' } }]));
    const bad = await send(t.url('/b'), { headers: { authorization: 'Basic ' + Buffer.from('erp:nope').toString('base64') } });
    expect(bad.status).toBe(401);
    expect(bad.headers.get('www-authenticate')).toMatch(/Basic/);
    expect((await send(t.url('/b'), { headers: { authorization: 'Basic ' + Buffer.from('erp:s3cret').toString('base64') } })).status).toBe(200);
    expect(await total()).toBe(1);
  });

  it('Standard Webhooks signatures with tolerance, and the signature covers the raw bytes', async () => {
    await t.rt.deploy(chainFlow({ path: '/sw', responseMode: 'requestResponse', auth: { type: 'hmac', preset: 'standardWebhooks', secrets: ['WH'] } }, [{ type: 'respond' }]));
    const body = '{"eventType":"ORDER"}';
    const now = Math.floor(Date.now() / 1000);
    const sig = signStandardWebhook(t.secrets.get('WH')!, 'msg_1', now, body);
    const ok = await send(t.url('/sw'), { body, headers: { 'content-type': 'application/json', 'webhook-id': 'msg_1', 'webhook-timestamp': String(now), 'webhook-signature': sig } });
    expect(ok.status).toBe(200);
    const tampered = await send(t.url('/sw'), { body: body.replace('ORDER', 'INVOICE'), headers: { 'content-type': 'application/json', 'webhook-id': 'msg_1', 'webhook-timestamp': String(now), 'webhook-signature': sig } });
    expect(tampered.status).toBe(401);
    const old = now - 3600;
    const stale = await send(t.url('/sw'), { body, headers: { 'webhook-id': 'msg_1', 'webhook-timestamp': String(old), 'webhook-signature': signStandardWebhook(t.secrets.get('WH')!, 'msg_1', old, body) } });
    expect(stale.status).toBe(401);
    expect(await total()).toBe(1);
  });

  it('GitHub X-Hub-Signature-256 preset', async () => {
    await t.rt.deploy(chainFlow({ path: '/gh', responseMode: 'requestResponse', auth: { type: 'hmac', preset: 'github', secrets: ['GH'] } }, [{ type: 'respond' }]));
    const body = '{"action":"opened"}';
    const header = signHmacHeader('gh-secret', body, { algorithm: 'sha256', encoding: 'hex', prefix: 'sha256=' } as any);
    expect((await send(t.url('/gh'), { body, headers: { 'x-hub-signature-256': header } })).status).toBe(200);
    expect((await send(t.url('/gh'), { body, headers: { 'x-hub-signature-256': 'sha256=' + '0'.repeat(64) } })).status).toBe(401);
  });
});

describe('request-response', () => {
  it('on timeout answers the configured status and message; the execution goes on and is recorded', async () => {
    await t.rt.deploy(
      chainFlow({ path: '/slow', responseMode: 'requestResponse', timeoutMs: 100, timeoutStatus: 503, timeoutMessage: 'ERP is slow today' }, [
        { type: 'delay', settings: { ms: 400 } },
        { type: 'respond', settings: { bodyMode: 'text', body: 'late' } },
      ]),
    );
    const r = await send(t.url('/slow'), { body: '{}' });
    expect(r.status).toBe(503);
    const id = (await t.rt.store.listExecutions({})).items[0].id;
    // The caller learns which execution goes on without it (as a failed flow's answer names it).
    expect(r.json).toEqual({ error: 'timeout', message: 'ERP is slow today', executionId: id });
    const ex = await waitFor(async () => {
      const e = await t.rt.store.getExecution(id);
      return e && e.status !== 'running' ? e : undefined;
    });
    expect(ex.status).toBe('timed-out');
    expect(ex.steps.map((s) => s.nodeId)).toEqual(['hook', 'n1', 'n2']);
  });

  it('a failing flow answers 500 with the error and the execution id', async () => {
    await t.rt.deploy(chainFlow({ path: '/fail', responseMode: 'requestResponse' }, [{ type: 'log', settings: { value: '$error("no stock for " & data.sku)' } }]));
    const r = await send(t.url('/fail'), { body: '{"sku":"X9"}', headers: { 'content-type': 'application/json' } });
    expect(r.status).toBe(500);
    expect(r.json.message).toContain('no stock for X9');
    expect(r.json.nodeId).toBe('n1'); // which node failed, as the execution record says
    expect((await t.rt.store.getExecution(r.json.executionId))!.status).toBe('failed');
  });
});

describe('deduplication', () => {
  it('a repeated idempotency key runs nothing and answers the original execution id', async () => {
    await t.rt.deploy(chainFlow({ path: '/d', idempotencyKey: 'headers.`webhook-id`' }, [{ type: 'log' }]));
    const first = await send(t.url('/d'), { body: '{}', headers: { 'webhook-id': 'evt-1' } });
    const again = await Promise.all([1, 2, 3].map(() => send(t.url('/d'), { body: '{}', headers: { 'webhook-id': 'evt-1' } })));
    for (const r of again) expect(r.json).toEqual({ executionId: first.json.executionId, duplicate: true });
    const other = await send(t.url('/d'), { body: '{}', headers: { 'webhook-id': 'evt-2' } });
    expect(other.json.executionId).not.toBe(first.json.executionId);
    expect(await total()).toBe(2);
  });

  it('concurrent duplicates are caught before they are committed', async () => {
    await t.rt.deploy(chainFlow({ path: '/d2', idempotencyKey: 'body.eventId' }, []));
    const rs = await Promise.all(Array.from({ length: 20 }, () => send(t.url('/d2'), { body: '{"eventId":"same"}', headers: { 'content-type': 'application/json' } })));
    expect(new Set(rs.map((r) => r.json.executionId)).size).toBe(1);
    expect(await total()).toBe(1);
  });
});

describe('request-response with keys', () => {
  it('answers a repeated idempotency key with the first execution, and records a business key', async () => {
    const respond = { type: 'respond', settings: { bodyMode: 'data' } };
    await t.rt.deploy(chainFlow({ path: '/rk', responseMode: 'requestResponse', idempotencyKey: 'body.eventId' }, [respond], { id: 'rk', settings: { businessKey: 'data.order' } } as never));
    const first = await send(t.url('/rk'), { body: '{"eventId":"e-1","order":"SO-7"}', headers: { 'content-type': 'application/json' } });
    expect(first.status).toBe(200);
    expect(first.json).toEqual({ eventId: 'e-1', order: 'SO-7' });
    const page = await t.rt.store.listExecutions({ flowId: 'rk' });
    expect(page.items.map((e) => e.businessKey)).toEqual(['SO-7']);
    expect(await t.rt.store.findByIdempotencyKey('rk', 'hook', 'e-1', 0)).toMatchObject({ id: page.items[0].id, reply: { status: 200, body: '{"eventId":"e-1","order":"SO-7"}' } });
    // A duplicate gets the original answer again (replayed, not run again: still one execution).
    const again = await send(t.url('/rk'), { body: '{"eventId":"e-1","order":"SO-7"}', headers: { 'content-type': 'application/json' } });
    expect(again.status).toBe(200);
    expect(again.json).toEqual({ eventId: 'e-1', order: 'SO-7' });
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect((await t.rt.store.listExecutions({ flowId: 'rk' })).total).toBe(1);
    // Without keys the run starts at once, the same way.
    await t.rt.deploy(chainFlow({ path: '/plain', responseMode: 'requestResponse' }, [respond], { id: 'plain' } as never));
    expect((await send(t.url('/plain'), { body: '{"a":1}', headers: { 'content-type': 'application/json' } })).json).toEqual({ a: 1 });
  });
});

describe('request-response duplicates get the original answer (as Stripe replays one)', () => {
  const json = { 'content-type': 'application/json' };
  const answerOf = (r: { status: number; json: unknown }) => ({ status: r.status, body: r.json });

  it('while the original runs, and after it finished; a run that failed is replayed as it failed', async () => {
    // $millis() differs between two runs: equal answers mean the flow ran once.
    const flow = chainFlow({ path: '/rp', responseMode: 'requestResponse', idempotencyKey: 'body.eventId' }, [
      { type: 'delay', settings: { ms: 200 } },
      { type: 'map', settings: { expression: 'data.fail ? $error("no stock") : { "orderId": "SO-" & data.eventId, "at": $millis() }' } },
    ]);
    await t.rt.deploy(flow);
    const body = '{"eventId":"e1"}';
    const [first, during] = await Promise.all([send(t.url('/rp'), { body, headers: json }), new Promise((r) => setTimeout(r, 50)).then(() => send(t.url('/rp'), { body, headers: json }))]);
    expect(first.status).toBe(200);
    expect((first.json as { orderId: string }).orderId).toBe('SO-e1');
    expect(answerOf(during)).toEqual(answerOf(first));
    expect(during.headers.get('idempotent-replayed')).toBe('true');
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    const after = await send(t.url('/rp'), { body, headers: json });
    expect(answerOf(after)).toEqual(answerOf(first));
    expect(await total()).toBe(1);

    const failed = await send(t.url('/rp'), { body: '{"eventId":"e2","fail":true}', headers: json });
    expect(failed.status).toBe(500);
    const failedAgain = await send(t.url('/rp'), { body: '{"eventId":"e2","fail":true}', headers: json });
    expect(answerOf(failedAgain)).toEqual(answerOf(failed));
    expect(await total()).toBe(2);
  });

  it('after a restart too: the answer is stored with the execution (JSON, text and bytes as sent)', async () => {
    const flow = (id: string, respond: Record<string, unknown>) =>
      chainFlow({ path: `/${id}`, responseMode: 'requestResponse', idempotencyKey: 'body.eventId' }, [{ type: 'map', settings: { expression: '{ "orderId": "SO-" & data.eventId, "at": $millis() }' } }, { type: 'respond', settings: respond }], { id });
    const flows = [
      flow('as-json', { status: 201, headers: [{ name: 'X-Order', value: '{{ data.orderId }}' }], bodyMode: 'data' }),
      flow('as-text', { bodyMode: 'text', body: 'order {{ data.orderId }} at {{ data.at }}', headers: [{ name: 'Content-Type', value: 'text/plain; charset=utf-8' }] }),
    ];
    for (const f of flows) await t.rt.deploy(f);
    const call = (path: string) => send(t.url(path), { body: '{"eventId":"r1"}', headers: json });
    const before = { json: await call('/as-json'), text: await call('/as-text') };
    expect(before.json.status).toBe(201);
    const dataDir = t.dataDir;
    await t.stop();
    t = await startRuntime({ dataDir });
    for (const f of flows) await t.rt.deploy(f);
    const after = { json: await call('/as-json'), text: await call('/as-text') };
    for (const k of ['json', 'text'] as const) {
      expect(after[k].status).toBe(before[k].status);
      expect(after[k].text).toBe(before[k].text); // same $millis(): the flow did not run again
      expect(after[k].headers.get('content-type')).toBe(before[k].headers.get('content-type'));
      expect(after[k].headers.get('idempotent-replayed')).toBe('true');
    }
    expect(after.json.headers.get('x-order')).toBe('SO-r1');
    expect(await total()).toBe(2);
  });

  it('a caller that timed out and sends again gets the answer the flow gave after its timeout', async () => {
    await t.rt.deploy(chainFlow({ path: '/rt', responseMode: 'requestResponse', timeoutMs: 100, idempotencyKey: 'body.eventId' }, [{ type: 'delay', settings: { ms: 300 } }, { type: 'map', settings: { expression: '{ "orderId": "SO-" & data.eventId }' } }]));
    const first = await send(t.url('/rt'), { body: '{"eventId":"e3"}', headers: json });
    expect((first.json as { error: string }).error).toBe('timeout');
    await waitFor(async () => (await t.rt.store.listExecutions({})).items[0]?.status === 'timed-out');
    const again = await send(t.url('/rt'), { body: '{"eventId":"e3"}', headers: json });
    expect(again.status).toBe(200);
    expect(again.json).toEqual({ orderId: 'SO-e3' });
    expect(await total()).toBe(1);
  });
});

describe('retry', () => {
  it('retrying an execution runs the same input again, linked to the original', async () => {
    await t.rt.deploy(chainFlow({ path: '/r' }, [{ type: 'log', settings: { value: 'data.fail ? $error("boom") : data' } }], { id: 'r', settings: { businessKey: 'data.n' } } as never));
    const events: RunEvent[] = [];
    const off = t.rt.onEvent((e) => events.push(e));
    const r = await send(t.url('/r'), { body: '{"fail":true,"n":7}', headers: { 'content-type': 'application/json' } });
    await waitFor(async () => (await t.rt.store.getExecution(r.json.executionId))?.status === 'failed');
    const { executionId } = await t.rt.retryExecution(r.json.executionId);
    const retried = await waitFor(async () => {
      const e = await t.rt.store.getExecution(executionId);
      return e && e.status !== 'queued' && e.status !== 'running' ? e : undefined;
    });
    expect(retried.retryOf).toBe(r.json.executionId);
    expect((retried.input as any).trigger.body).toEqual({ fail: true, n: 7 });
    expect(retried.status).toBe('failed');
    // The studio's list shows the business key and the retry mark from the events, without asking again.
    const started = events.find((e) => e.type === 'execution.started' && e.executionId === executionId);
    expect(started).toMatchObject({ businessKey: '7', retryOf: r.json.executionId });
    expect(events.find((e) => e.type === 'execution.started' && e.executionId === r.json.executionId)).toMatchObject({ businessKey: '7' });
    off();
  });
});

describe('inbound credentials', () => {
  it('are masked in the message and never stored', async () => {
    const fs = await import('node:fs');
    const path = await import('node:path');
    const f = chainFlow({ path: '/m', responseMode: 'requestResponse', auth: { type: 'apiKey', header: 'X-Partner-Key', keys: [{ id: 'a', label: 'A', secret: 'KEY_A' }] } }, [{ type: 'respond', settings: { bodyMode: 'text', body: 'ok' } }]);
    await t.rt.deploy(f);
    expect((await send(t.url('/m'), { body: '{}', headers: { 'x-partner-key': 'alpha-key-value', cookie: 'session=s3cr3t-cookie' } })).status).toBe(200);
    const ex = await t.rt.store.getExecution((await t.rt.store.listExecutions({})).items[0].id);
    expect((ex!.input as any).trigger.headers['x-partner-key']).toBe('***');
    expect((ex!.input as any).trigger.headers.cookie).toBe('***');
    await t.stop();
    for (const file of fs.readdirSync(t.dataDir)) {
      const bytes = fs.readFileSync(path.join(t.dataDir, file)).toString('latin1');
      expect(bytes.includes('alpha-key-value'), file).toBe(false);
      expect(bytes.includes('s3cr3t-cookie'), file).toBe(false);
    }
  });
});
