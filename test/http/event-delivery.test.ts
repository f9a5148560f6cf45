import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { destroyAgents } from '../../core/http/agents';
import { buildEnvelope, deliverEvent } from '../../core/http/event-delivery';
import { validateSubscriptions, type Subscription } from '../../core/model/subscription';
import { MemorySecretStore } from '../../core/secrets/secret-store';
import { generateWebhookSecret } from '../../core/webhook/signatures';
import { json, startHttp, type TestServer } from './servers';

/** Event delivery against a real receiver on 127.0.0.1 that checks signatures the Standard Webhooks way itself. */
const SECRET = generateWebhookSecret();
let flaky: TestServer;

/** The spec's algorithm, written out here rather than taken from core: HMAC-SHA256 over `id.timestamp.body`. */
function standardSignature(secret: string, id: string, ts: string, body: string) {
  return `v1,${crypto.createHmac('sha256', Buffer.from(secret.slice('whsec_'.length), 'base64')).update(`${id}.${ts}.${body}`).digest('base64')}`;
}

beforeAll(async () => {
  flaky = await startHttp((_req, res, _body, n) => (n === 1 ? json(res, 503, { busy: true }) : json(res, 200, { ok: true })));
});
afterAll(async () => {
  await flaky.close();
  destroyAgents();
});

const sub = (over: Partial<Subscription> = {}): Subscription => ({ id: 'erp', eventType: 'DELIVERY', enabled: true, url: `${flaky.url}/hook`, auth: { type: 'standardWebhooks', secret: 'SIGN' }, ...over });

describe('deliverEvent', () => {
  it('signs every attempt anew: the same webhook-id, the attempt`s own timestamp, a valid signature for it', async () => {
    // The retry waits 10 minutes (a Retry-After, a long interval): the first timestamp would be stale by then.
    let clock = Date.parse('2026-11-22T11:00:00Z');
    const [r] = await deliverEvent(buildEnvelope('DELIVERY', { orderId: '1' }), [sub()], {
      secrets: new MemorySecretStore({ SIGN: SECRET }),
      retry: { retryCount: 1, retryIntervalMs: 600_000, backoff: 'fixed', jitter: false, maxDelayMs: 600_000 },
      now: () => new Date(clock),
      send: { sleep: async (ms) => void (clock += ms) },
    });
    expect(r).toMatchObject({ ok: true, status: 200 });
    const [first, second] = flaky.requests.slice(-2);
    expect(second.headers['webhook-id']).toBe(first.headers['webhook-id']);
    expect([first.headers['webhook-timestamp'], second.headers['webhook-timestamp']]).toEqual(['1795345200', '1795345800']);
    for (const req of [first, second]) expect(req.headers['webhook-signature']).toBe(standardSignature(SECRET, String(req.headers['webhook-id']), String(req.headers['webhook-timestamp']), req.body));
  });

  it('a Basic auth password that is not set is an error naming the subscription field', async () => {
    const [r] = await deliverEvent(buildEnvelope('ORDER'), [sub({ id: 'order', auth: { type: 'basic', username: 'itscope', passwordSecret: 'SUB_ORDER_PASSWORD' } })], { secrets: new MemorySecretStore() });
    expect(r.error).toEqual({ code: 'missing_secret', message: 'subscription "order" auth.passwordSecret: secret SUB_ORDER_PASSWORD is not set' });
  });
});

describe('custom headers', () => {
  it('are sent with every delivery, next to the signature', async () => {
    const [r] = await deliverEvent(buildEnvelope('ORDER'), [sub({ headers: [{ name: 'X-Api-Version', value: '2.1' }, { name: 'Ocp-Apim-Subscription-Key', value: 'routing-7' }] })], { secrets: new MemorySecretStore({ SIGN: SECRET }), retry: { retryCount: 0 } });
    expect(r.ok).toBe(true);
    const got = flaky.requests.at(-1)!;
    expect([got.headers['x-api-version'], got.headers['ocp-apim-subscription-key'], typeof got.headers['webhook-signature']]).toEqual(['2.1', 'routing-7', 'string']);
  });

  it('a bad or studio-owned header is refused, naming the field', () => {
    const { problems } = validateSubscriptions({
      subscriptions: [{ id: 'a', eventType: 'ORDER', url: 'https://erp.example/h', headers: [{ name: 'X-Ok', value: '1' }, { name: 'webhook-signature', value: 'v1,forged' }, { name: 'Bad Name', value: '' }, { name: 'X-Split', value: 'a\r\nHost: evil' }] }],
    });
    expect(problems.map((p) => `${p.path}: ${p.message}`)).toEqual([
      'subscriptions[0].headers[1].name: is set by the studio (auth, signature or body); use another header name',
      "subscriptions[0].headers[2].name: must be a valid HTTP header name (letters, digits and !#$%&'*+.^_`|~-, no spaces)",
      'subscriptions[0].headers[3].value: must not contain CR or LF',
    ]);
  });
});

describe('buildEnvelope', () => {
  it('puts eventId, timestamp and eventType first, as the manual shows the event; fields never replace them', () => {
    const e = buildEnvelope('DELIVERY', { transactionStatus: 'ADVISED', orderId: '123-SAMPLE-456', eventId: 'forged', eventType: 'ORDER' }, new Date('2026-11-22T11:01:36Z'));
    expect(Object.keys(e)).toEqual(['eventId', 'timestamp', 'eventType', 'transactionStatus', 'orderId']);
    expect(e).toMatchObject({ timestamp: '2026-11-22T11:01:36.000Z', eventType: 'DELIVERY' });
    expect(e.eventId).toMatch(/^[0-9a-f-]{36}$/);
  });
});
