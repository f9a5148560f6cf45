import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FlowRepository } from '../../core/host/flow-repo';
import { SubscriptionRepository } from '../../core/host/subscription-repo';
import { importIntoDataDir } from '../../core/bundle/transfer';
import { buildBundle, parseBundle } from '../../core/bundle/bundle';
import { MemorySecretStore } from '../../core/secrets/secret-store';
import { generateWebhookSecret, verifyStandardWebhook } from '../../core/webhook/signatures';
import { chainFlow, tempDir, waitFor } from '../helpers/runtime';
import { flowSchema } from '../../core/model/flow';
import { runCli, startCli, type CliProcess } from '../helpers/cli-process';

const SIGNING = generateWebhookSecret();
const closers: Array<() => unknown> = [];
afterEach(async () => {
  for (const c of closers.splice(0).reverse()) await c();
});

async function receiver(got: Array<{ headers: http.IncomingHttpHeaders; body: string }>): Promise<string> {
  const s = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      got.push({ headers: req.headers, body });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  closers.push(() => new Promise((r) => s.close(r)));
  return `http://127.0.0.1:${(s.address() as AddressInfo).port}/events`;
}

const publishing = chainFlow({ path: '/dispatch', responseMode: 'async' }, [{ type: 'publish-event', settings: { eventType: 'DELIVERY', orderId: 'data.orderId', retry: { retryCount: 0 } } }], { id: 'dispatch' });

describe('a bundle with Publish Event', () => {
  it('carries the applied subscriptions of the types it publishes (secret names only); serve delivers to them, signed', async () => {
    const got: Array<{ headers: http.IncomingHttpHeaders; body: string }> = [];
    const url = await receiver(got);
    const studio = tempDir();
    new FlowRepository(studio).save(publishing);
    const subs = new SubscriptionRepository(studio, new MemorySecretStore());
    subs.saveDraft(
      {
        subscriptions: [
          { id: 'erp-delivery', eventType: 'DELIVERY', enabled: true, url, auth: { type: 'standardWebhooks', secret: 'DELIVERY_SIGNING' } },
          { id: 'erp-orders', eventType: 'ORDER', enabled: true, url },
        ],
      },
      { DELIVERY_SIGNING: SIGNING },
    );
    subs.apply();
    const file = path.join(tempDir(), 'dispatch.bundle.json');
    const exp = await runCli(['export', '--data-dir', studio, '--flows', 'dispatch', '--out', file]);
    expect(exp.code, exp.output).toBe(0);
    const text = fs.readFileSync(file, 'utf8');
    expect(text).not.toContain(SIGNING);
    const bundle = parseBundle(JSON.parse(text));
    expect(bundle.subscriptions?.map((s) => s.id)).toEqual(['erp-delivery']);
    expect(bundle.secrets).toContainEqual({ name: 'DELIVERY_SIGNING', usedBy: ['subscription erp-delivery'] });

    // serve names the signing secret when it is missing, and delivers once it is set.
    const refused = await runCli(['serve', file, '--port', '0', '--data-dir', tempDir()], { DELIVERY_SIGNING: '' });
    expect(refused.code).toBe(3);
    expect(refused.output).toContain('secret DELIVERY_SIGNING (used by subscription erp-delivery)');
    const p: CliProcess = await startCli(['serve', file, '--host', '127.0.0.1', '--port', '0', '--data-dir', tempDir()], { HOOKLINE_SECRET_DELIVERY_SIGNING: SIGNING });
    closers.push(() => p.child.exitCode === null && p.child.kill('SIGKILL'));
    const r = await fetch(`${p.url}/dispatch`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"orderId":"SO-7"}' });
    expect(r.status).toBe(202);
    await waitFor(() => got.length > 0 || undefined);
    expect(JSON.parse(got[0].body)).toMatchObject({ eventType: 'DELIVERY', orderId: 'SO-7' });
    expect(verifyStandardWebhook([SIGNING], got[0].headers, got[0].body, Math.floor(Date.now() / 1000)).ok).toBe(true);
  }, 60_000);

  it('imports its subscriptions into the draft (applying makes them live); one of the same id here is kept', () => {
    const b = buildBundle({ name: 'b', flows: [flowSchema.parse(publishing)], subscriptions: [{ id: 'erp-delivery', eventType: 'DELIVERY', enabled: true, url: 'https://erp.example/events', auth: { type: 'none' } }, { id: 'mine', eventType: 'DELIVERY', enabled: true, url: 'https://theirs.example/x', auth: { type: 'none' } }] });
    const dir = tempDir();
    const here = new SubscriptionRepository(dir);
    here.saveDraft({ subscriptions: [{ id: 'mine', eventType: 'DELIVERY', enabled: true, url: 'https://mine.example/x' }] });
    here.apply();
    const result = importIntoDataDir(JSON.parse(JSON.stringify(b)), dir, new FlowRepository(dir), new MemorySecretStore(), { onConflict: 'rename', subscriptions: here });
    expect(result.subscriptions).toEqual([{ id: 'erp-delivery' }, { id: 'mine', kept: true }]);
    const state = here.getState();
    expect(state.draft.subscriptions.map((s) => [s.id, s.url])).toEqual([
      ['mine', 'https://mine.example/x'],
      ['erp-delivery', 'https://erp.example/events'],
    ]);
    expect(state.applied.subscriptions.map((s) => s.id)).toEqual(['mine']);
    expect(state.pending).toBe(true);
  });

  it('a bundle without subscriptions has no such field, so bundles made before it keep their checksum', () => {
    const b = buildBundle({ name: 'plain', flows: [flowSchema.parse(chainFlow({ path: '/x' }, [{ type: 'log' }], { id: 'plain' }))] });
    expect('subscriptions' in b).toBe(false);
    expect(() => parseBundle(JSON.parse(JSON.stringify(b)))).not.toThrow();
  });
});
