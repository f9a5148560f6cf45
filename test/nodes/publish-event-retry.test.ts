import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { stableEventId } from '../../core/http/event-delivery';
import { subscriptionLookup } from '../../core/model/subscription';
import { chainFlow, send, startRuntime, waitFor } from '../helpers/runtime';

const closers: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const c of closers.splice(0).reverse()) await c();
});

async function receiver(status: number, got: Array<{ id: string; eventId: string }>): Promise<string> {
  const s = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      got.push({ id: String(req.headers['webhook-id'] ?? ''), eventId: JSON.parse(body).eventId });
      res.writeHead(status).end();
    });
  });
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  closers.push(() => new Promise((r) => s.close(r)));
  return `http://127.0.0.1:${(s.address() as AddressInfo).port}/events`;
}

describe('Publish Event and retries', () => {
  it('a retried execution sends the same event (same eventId) again; a new message gets a new one', async () => {
    const ok: Array<{ id: string; eventId: string }> = [];
    const broken: Array<{ id: string; eventId: string }> = [];
    const subscriptions = subscriptionLookup([
      { id: 'healthy', eventType: 'DELIVERY', enabled: true, url: await receiver(204, ok), auth: { type: 'none' } },
      { id: 'down', eventType: 'DELIVERY', enabled: true, url: await receiver(500, broken), auth: { type: 'none' } },
    ]);
    const t = await startRuntime({ subscriptions });
    closers.push(() => t.stop());
    await t.rt.deploy(chainFlow({ path: '/out', responseMode: 'async' }, [{ type: 'publish-event', settings: { eventType: 'DELIVERY', orderId: 'data.orderId', retry: { retryCount: 0 } } }], { id: 'pub' }));
    expect((await send(t.url('/out'), { body: '{"orderId":"A-1"}', headers: { 'content-type': 'application/json' } })).status).toBe(202);
    const first = await waitFor(async () => (await t.rt.store.listExecutions({ flowId: 'pub', status: ['failed'] })).items[0]);
    expect(ok).toHaveLength(1);

    const { executionId: retry1 } = await t.rt.retryExecution(first.id);
    await waitFor(async () => (await t.rt.store.listExecutions({ flowId: 'pub', status: ['failed'] })).items.find((e) => e.id === retry1));
    // A retry of the retry still belongs to the first run.
    await t.rt.retryExecution(retry1);
    await waitFor(() => (ok.length === 3 ? true : undefined));
    expect(new Set(ok.map((e) => e.eventId)).size).toBe(1);
    expect(ok[0].eventId).toBe(stableEventId(first.id, 1));
    expect(ok[0].eventId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);

    await send(t.url('/out'), { body: '{"orderId":"A-2"}', headers: { 'content-type': 'application/json' } });
    await waitFor(() => (ok.length === 4 ? true : undefined));
    expect(ok[3].eventId).not.toBe(ok[0].eventId);
  });
});
