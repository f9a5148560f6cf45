import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { startHostedRuntime, type HostedRuntime } from '../../core/host/studio';
import { MemorySecretStore } from '../../core/secrets/secret-store';
import { ProblemsError } from '../../core/model/problems';
import { generateWebhookSecret, verifyStandardWebhook } from '../../core/webhook/signatures';
import { destroyAgents } from '../../core/http/agents';
import { chainFlow, send, tempDir, waitFor } from '../helpers/runtime';
import { json, startHttp, type TestServer } from '../http/servers';

/** Publish Event through the hosted runtime: subscriptions (draft / apply), signing, Basic auth, retries, test events. */
const SIGNING = generateWebhookSecret();
let signed: TestServer;
let basic: TestServer;
let flaky: TestServer;
let h: HostedRuntime;
let secrets: MemorySecretStore;
let dataDir: string;
const verdicts: Array<{ ok: boolean; reason?: string }> = [];

beforeAll(async () => {
  signed = await startHttp((req, res, body) => {
    const v = verifyStandardWebhook([SIGNING], req.headers, body, Math.floor(Date.now() / 1000));
    verdicts.push(v.ok ? { ok: true } : { ok: false, reason: v.reason });
    json(res, v.ok ? 204 : 401, v.ok ? {} : { reason: (v as { reason: string }).reason });
  });
  basic = await startHttp((req, res) => {
    const ok = req.headers.authorization === `Basic ${Buffer.from('itscope:basic-pass-9876').toString('base64')}`;
    json(res, ok ? 200 : 401, { ok });
  });
  flaky = await startHttp((req, res, body, n) => (n % 3 === 0 ? json(res, 200, { ok: true }) : json(res, 503, { busy: true })));
});
afterAll(async () => {
  for (const s of [signed, basic, flaky]) await s.close();
  destroyAgents();
});
beforeEach(async () => {
  dataDir = tempDir();
  secrets = new MemorySecretStore({ ORDER_SIGNING: SIGNING, BASIC_PW: 'basic-pass-9876', NOT_WHSEC: 'plain-value-1234' });
  h = await startHostedRuntime({ dataDir, secrets, port: 0 });
});
afterEach(() => h.close());

const rr = { methods: ['POST'], path: '/publish', responseMode: 'requestResponse' };
const publish = (eventType: string, extra: Record<string, unknown> = {}) =>
  chainFlow(
    rr,
    [
      {
        type: 'publish-event',
        settings: {
          eventType,
          transactionStatus: "'ADVISED'",
          orderId: 'data.orderId',
          documentId: 'data.documentId',
          documentUrl: "'https://api.example.com/documents/' & data.documentId & '/DISPATCHNOTIFICATION.xml'",
          transactionId: 'data.tx',
          custom: [{ name: 'carrier', expression: 'data.carrier' }],
          retry: { retryCount: 2, retryIntervalMs: 10, backoff: 'fixed', jitter: false },
          ...extra,
        },
      },
      { type: 'respond' },
    ],
    { id: `pub-${eventType.toLowerCase()}` },
  );

async function deploy(flow: ReturnType<typeof publish>) {
  await h.api.saveFlow(flow);
  const r = await h.api.deploy(flow.id);
  expect(r.problems.filter((p) => p.severity !== 'warning')).toEqual([]);
}
const order = { orderId: '123-SAMPLE-456', documentId: 123456789, tx: 'TX-1', carrier: { name: 'DHL' } };

describe('subscriptions', () => {
  it('a saved draft changes nothing until applied', async () => {
    await deploy(publish('DELIVERY'));
    const draft = await h.api.saveSubscriptions({ subscriptions: [{ id: 'erp', eventType: 'DELIVERY', enabled: true, url: `${signed.url}/hook`, auth: { type: 'standardWebhooks', secret: 'ORDER_SIGNING' } }] });
    expect(draft.pending).toBe(true);
    expect(draft.applied.subscriptions).toEqual([]);
    const before = signed.requests.length;
    const r1 = await send(h.runtime.baseUrl + '/publish', { body: JSON.stringify(order), headers: { 'content-type': 'application/json' } });
    expect(r1.json).toMatchObject({ delivered: 0, failed: 0, deliveries: [] });
    expect(signed.requests.length).toBe(before);

    const applied = await h.api.applySubscriptions();
    expect(applied.pending).toBe(false);
    const r2 = await send(h.runtime.baseUrl + '/publish', { body: JSON.stringify(order), headers: { 'content-type': 'application/json' } });
    expect(r2.json).toMatchObject({ delivered: 1, failed: 0 });
    expect(signed.requests.length).toBe(before + 1);
    // Survives a restart: the applied set is on disk.
    expect(JSON.parse(fs.readFileSync(path.join(dataDir, 'subscriptions.json'), 'utf8')).applied.subscriptions[0].id).toBe('erp');
  });

  it('URLs must be https; http only for localhost, with a warning; disabled subscribers get nothing', async () => {
    const err = (await h.api
      .saveSubscriptions({ subscriptions: [{ id: 'x', eventType: 'ORDER', enabled: true, url: 'http://partner.example/hook' }, { id: 'y', eventType: 'order', url: 'https://ok.example' }] })
      .catch((e) => e)) as ProblemsError;
    expect(err).toBeInstanceOf(ProblemsError);
    expect(err.problems.map((p) => `${p.path}: ${p.message}`)).toEqual([
      'subscriptions[0].url: must be an https:// URL (http:// is allowed only for localhost and 127.0.0.1)',
      'subscriptions[1].eventType: must be upper-case letters, digits and "_", starting with a letter (e.g. ORDER)',
    ]);
    const ok = await h.api.saveSubscriptions({ subscriptions: [{ id: 'local', eventType: 'ORDER', enabled: false, url: `${basic.url}/hook` }] });
    expect(ok.problems).toEqual([expect.objectContaining({ path: 'subscriptions[0].url', severity: 'warning', message: expect.stringContaining('http://') })]);
    await h.api.applySubscriptions();
    await deploy(publish('ORDER'));
    const r = await send(h.runtime.baseUrl + '/publish', { body: JSON.stringify(order), headers: { 'content-type': 'application/json' } });
    expect(r.json.delivered).toBe(0);
    expect(basic.requests.length).toBe(0);
  });
});

describe('Publish Event node', () => {
  it('builds the envelope from expressions and signs it the Standard Webhooks way (verified by the receiver)', async () => {
    await h.api.saveSubscriptions({ subscriptions: [{ id: 'erp', eventType: 'DELIVERY', enabled: true, url: `${signed.url}/hook`, auth: { type: 'standardWebhooks', secret: 'ORDER_SIGNING' } }] });
    await h.api.applySubscriptions();
    await deploy(publish('DELIVERY'));
    verdicts.length = 0;
    const r = await send(h.runtime.baseUrl + '/publish', { body: JSON.stringify(order), headers: { 'content-type': 'application/json' } });
    expect(r.status).toBe(200);
    expect(verdicts).toEqual([{ ok: true }]);
    const got = signed.requests.at(-1)!;
    const event = JSON.parse(got.body);
    expect(event).toEqual({
      eventId: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/),
      timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d/),
      eventType: 'DELIVERY',
      transactionStatus: 'ADVISED',
      orderId: '123-SAMPLE-456',
      documentId: '123456789',
      documentUrl: 'https://api.example.com/documents/123456789/DISPATCHNOTIFICATION.xml',
      transactionId: 'TX-1',
      carrier: { name: 'DHL' },
    });
    expect(got.headers['webhook-id']).toBe(event.eventId);
    expect(got.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(r.json.deliveries).toEqual([expect.objectContaining({ subscriptionId: 'erp', ok: true, status: 204, attempts: 1 })]);
  });

  it('sends Basic auth to every enabled subscriber of the type, and keeps the password out of the records', async () => {
    await h.api.saveSubscriptions({
      subscriptions: [
        { id: 'a', eventType: 'INVOICE', enabled: true, url: `${basic.url}/a`, auth: { type: 'basic', username: 'itscope', passwordSecret: 'BASIC_PW' } },
        { id: 'b', eventType: 'INVOICE', enabled: true, url: `${basic.url}/b`, auth: { type: 'basic', username: 'itscope', passwordSecret: 'BASIC_PW' } },
        { id: 'c', eventType: 'ORDER', enabled: true, url: `${basic.url}/c` },
      ],
    });
    await h.api.applySubscriptions();
    await deploy(publish('INVOICE'));
    const r = await send(h.runtime.baseUrl + '/publish', { body: JSON.stringify(order), headers: { 'content-type': 'application/json' } });
    expect(r.json).toMatchObject({ delivered: 2, failed: 0 });
    expect(basic.requests.map((x) => x.url).sort()).toEqual(['/a', '/b']);
    await waitFor(async () => (await h.api.listExecutions({})).items.find((e) => e.status === 'succeeded'));
    await h.close();
    const b64 = Buffer.from('itscope:basic-pass-9876').toString('base64');
    for (const f of fs.readdirSync(dataDir).filter((x) => x.startsWith('executions.db'))) {
      const bytes = fs.readFileSync(path.join(dataDir, f));
      expect(bytes.includes('basic-pass-9876'), f).toBe(false);
      expect(bytes.includes(b64), f).toBe(false);
    }
  });

  it('retries 5xx with the retry policy and records every attempt', async () => {
    await h.api.saveSubscriptions({ subscriptions: [{ id: 'flaky', eventType: 'ORDERRESPONSE', enabled: true, url: `${flaky.url}/hook` }] });
    await h.api.applySubscriptions();
    await deploy(publish('ORDERRESPONSE'));
    const before = flaky.requests.length;
    const r = await send(h.runtime.baseUrl + '/publish', { body: JSON.stringify(order), headers: { 'content-type': 'application/json' } });
    expect(r.json.deliveries).toEqual([expect.objectContaining({ ok: true, status: 200, attempts: 3 })]);
    expect(flaky.requests.length - before).toBe(3);
    // The same event (same id) on every attempt.
    const ids = new Set(flaky.requests.slice(before).map((x) => JSON.parse(x.body).eventId));
    expect(ids.size).toBe(1);
    const ex = await waitFor(async () => {
      const it = (await h.api.listExecutions({})).items.find((e) => e.status === 'succeeded');
      return it && h.api.getExecution(it.id);
    });
    const step = ex.steps.find((s) => s.nodeType === 'publish-event')!;
    expect((step.attempts as Array<{ status: number; subscriptionId: string }>).map((a) => `${a.subscriptionId}:${a.status}`)).toEqual(['flaky:503', 'flaky:503', 'flaky:200']);
  });

  it('fails the node (by default) when a delivery fails, naming the subscriber; failWhen never passes results on', async () => {
    await h.api.saveSubscriptions({ subscriptions: [{ id: 'unsigned', eventType: 'ORDER', enabled: true, url: `${signed.url}/hook` }] });
    await h.api.applySubscriptions();
    await deploy(publish('ORDER'));
    const before = signed.requests.length;
    const r = await send(h.runtime.baseUrl + '/publish', { body: JSON.stringify(order), headers: { 'content-type': 'application/json' } });
    expect(r.status).toBe(502);
    expect(r.json.message).toMatch(/^1 of 1 ORDER deliveries failed \(unsigned: .*status 401/);
    // 401 is not retried.
    expect(signed.requests.length - before).toBe(1);
    await deploy(publish('ORDER', { failWhen: 'never' }));
    const r2 = await send(h.runtime.baseUrl + '/publish', { body: JSON.stringify(order), headers: { 'content-type': 'application/json' } });
    expect(r2.status).toBe(200);
    expect(r2.json).toMatchObject({ delivered: 0, failed: 1, deliveries: [{ subscriptionId: 'unsigned', ok: false, status: 401 }] });
  });

  it('a signing secret that is not a whsec_ secret is a clear delivery error; a bad expression is a deploy problem', async () => {
    await h.api.saveSubscriptions({ subscriptions: [{ id: 's', eventType: 'ORDER', enabled: true, url: `${signed.url}/hook`, auth: { type: 'standardWebhooks', secret: 'NOT_WHSEC' } }] });
    await h.api.applySubscriptions();
    await deploy(publish('ORDER', { failWhen: 'never' }));
    const r = await send(h.runtime.baseUrl + '/publish', { body: JSON.stringify(order), headers: { 'content-type': 'application/json' } });
    expect(r.json.deliveries[0].error).toEqual({ code: 'invalid_secret', message: 'subscription "s" auth.secret: secret NOT_WHSEC must be a whsec_ signing secret' });
    const bad = publish('ORDER', { orderId: 'data.(' });
    await h.api.saveFlow(bad);
    const d = await h.api.deploy(bad.id);
    expect(d.ok).toBe(false);
    expect(d.problems[0]).toMatchObject({ path: 'nodes[1].settings.orderId', code: 'expression_syntax' });
  });
});

describe('sendTestEvent', () => {
  it('sends a dummy event to the draft subscription and returns the masked exchange', async () => {
    await h.api.saveSubscriptions({ subscriptions: [{ id: 'inv', eventType: 'INVOICE', enabled: true, url: `${basic.url}/test`, auth: { type: 'basic', username: 'itscope', passwordSecret: 'BASIC_PW' } }] });
    const r = await h.api.sendTestEvent('INVOICE');
    expect(r).toMatchObject({ subscriptionId: 'inv', ok: true, status: 200 });
    expect(r.exchange!.request.headers.Authorization).toBe('***');
    const sent = JSON.parse(r.exchange!.request.body!);
    expect(sent).toMatchObject({ eventType: 'INVOICE', transactionStatus: 'TEST', test: true });
    // Every field of the ITscope envelope is there, itscopeOrderId included.
    for (const k of ['eventId', 'timestamp', 'transactionStatus', 'orderId', 'itscopeOrderId', 'documentId', 'documentUrl', 'transactionId']) expect([k, typeof sent[k]]).toEqual([k, 'string']);
    expect(JSON.stringify(r)).not.toContain('basic-pass-9876');
    expect((await h.api.sendTestEvent('inv')).ok).toBe(true);
    await expect(h.api.sendTestEvent('DELIVERY')).rejects.toThrow('no subscription with id or event type "DELIVERY"');
  });
});
