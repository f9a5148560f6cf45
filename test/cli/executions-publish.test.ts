import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { subscriptionLookup } from '../../core/model/subscription';
import { cli } from '../helpers/cli-process';
import { chainFlow, send, startRuntime, waitFor } from '../helpers/runtime';

const servers: http.Server[] = [];
afterAll(async () => {
  for (const s of servers) await new Promise((r) => s.close(r));
});

async function receiver(status: number): Promise<string> {
  const s = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => res.writeHead(status).end());
  });
  servers.push(s);
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(s.address() as AddressInfo).port}/events`;
}

describe('hookline executions <id> of a Publish Event step', () => {
  it('lists each subscriber with its outcome and its own attempts', async () => {
    const subscriptions = subscriptionLookup([
      { id: 'erp', eventType: 'DELIVERY', enabled: true, url: await receiver(204), auth: { type: 'none' } },
      { id: 'crm', eventType: 'DELIVERY', enabled: true, url: await receiver(500), auth: { type: 'none' } },
    ]);
    const t = await startRuntime({ subscriptions });
    await t.rt.deploy(chainFlow({ path: '/out', responseMode: 'async' }, [{ type: 'publish-event', settings: { eventType: 'DELIVERY', retry: { retryCount: 1, retryIntervalMs: 10, backoff: 'fixed', jitter: false } } }], { id: 'pub' }));
    await send(t.url('/out'), { body: '{}', headers: { 'content-type': 'application/json' } });
    const failed = await waitFor(async () => (await t.rt.store.listExecutions({ flowId: 'pub', status: ['failed'] })).items[0]);
    await t.stop();
    const r = await cli(['executions', failed.id, '--data-dir', t.dataDir]);
    expect(r.code).toBe(0);
    const lines = r.out.split('\n');
    const erp = lines.findIndex((l) => l.trim() === 'subscription erp  delivered');
    const crm = lines.findIndex((l) => /^ {5}subscription crm {2}failed/.test(l));
    expect(erp).toBeGreaterThan(0);
    expect(crm).toBeGreaterThan(0);
    expect(crm).toBeGreaterThan(erp);
    const erpBlock = lines.slice(erp + 1, crm).join('\n');
    expect(erpBlock).toMatch(/#1 → 204/);
    expect(erpBlock).not.toMatch(/500/);
    expect(lines.slice(crm).join('\n')).toMatch(/#1 → 500[\s\S]*#2 → 500/);
  });
});
