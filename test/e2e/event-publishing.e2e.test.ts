import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStudio } from '../../core/host/studio';
import { MemorySecretStore } from '../../core/secrets/secret-store';
import { launchBrowser, StudioPage } from './studio-page';

/**
 * Event publishing as a user tries it: subscriptions set up on the page, a Publish Event node in a deployed flow,
 * a subscriber on 127.0.0.1 that checks the Standard Webhooks signature itself (HMAC-SHA256 over
 * `webhook-id.webhook-timestamp.body` with the base64 key after `whsec_`).
 */
interface Received {
  body: string;
  headers: http.IncomingHttpHeaders;
}

function signedWith(secrets: string[], r: Received): number {
  const { 'webhook-id': id, 'webhook-timestamp': ts, 'webhook-signature': sig } = r.headers;
  return secrets.findIndex((s) => {
    const mac = crypto.createHmac('sha256', Buffer.from(s.slice('whsec_'.length), 'base64')).update(`${id}.${ts}.${r.body}`).digest('base64');
    return String(sig).split(' ').includes(`v1,${mac}`);
  });
}

describe('event publishing: subscriptions page and Publish Event node', () => {
  let studio: Awaited<ReturnType<typeof startStudio>>;
  let browser: Awaited<ReturnType<typeof launchBrowser>>;
  let app: StudioPage;
  let dataDir: string;
  let server: http.Server;
  let receiverUrl = '';
  const received: Received[] = [];

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hookline-e2e-events-'));
    server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c) => chunks.push(c));
      req.on('end', () => {
        received.push({ body: Buffer.concat(chunks).toString('utf8'), headers: req.headers });
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    receiverUrl = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    studio = await startStudio({ dataDir, port: 0, staticDir: 'dist/renderer', secrets: new MemorySecretStore() });
    await studio.api.saveFlow({
      formatVersion: 1,
      id: 'publish-delivery',
      name: 'Publish delivery',
      nodes: [
        { id: 'hook', type: 'webhook', position: { x: 0, y: 0 }, settings: { methods: ['POST'], path: '/delivered', responseMode: 'requestResponse' } },
        { id: 'event', type: 'publish-event', position: { x: 280, y: 0 }, settings: { eventType: 'DELIVERY', transactionStatus: "'ADVISED'", orderId: 'data.orderId', documentId: 'data.documentId' } },
        { id: 'reply', type: 'respond', position: { x: 560, y: 0 }, settings: {} },
      ],
      edges: [
        { id: 'e1', source: 'hook', target: 'event' },
        { id: 'e2', source: 'event', target: 'reply' },
      ],
    } as never);
    browser = await launchBrowser();
    app = new StudioPage(browser.page);
    browser.page.setDefaultTimeout(10_000);
    browser.page.on('pageerror', (e) => console.error('[page error]', e.message));
    await app.open(studio.url);
  });

  afterAll(async () => {
    await browser?.close();
    await studio?.close();
    await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  const deliver = async () => {
    const before = received.length;
    const res = await fetch(`${studio.runtime.baseUrl}/delivered`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"orderId":"123-SAMPLE-456","documentId":"123456789"}' });
    expect(res.status).toBe(200);
    expect(received.length).toBe(before + 1);
    return received.at(-1)!;
  };

  it('a new signing secret saved as a draft signs nothing live until "Apply changes"; "Send test event" uses it', async () => {
    await app.tid('nav-subscriptions').click();
    await app.tid('sub-DELIVERY-enabled').check();
    await app.tid('sub-DELIVERY-url').fill(`${receiverUrl}/hooks/delivery`);
    await app.tid('sub-DELIVERY-auth').selectOption('standardWebhooks');
    await app.tid('sub-DELIVERY-generate').click();
    const first = (await app.tid('sub-DELIVERY-signing-revealed').textContent())!;
    await app.tid('subscriptions-apply').click();
    await app.tid('subscriptions-applied').waitFor();
    await expect.poll(() => app.tid('sub-DELIVERY-signing-status').textContent()).toBe('set');

    await app.tid('flow-item-publish-delivery').click();
    await app.tid('deploy').click();
    await app.tid('deploy-state').waitFor();
    const ev = await deliver();
    expect(signedWith([first], ev)).toBe(0);
    expect(Object.keys(JSON.parse(ev.body)).slice(0, 5)).toEqual(['eventId', 'timestamp', 'eventType', 'transactionStatus', 'orderId']);

    // Rotate: generate, save the draft, and the live flow still signs with the applied secret.
    await app.tid('nav-subscriptions').click();
    await app.tid('sub-DELIVERY-generate').click();
    const second = (await app.tid('sub-DELIVERY-signing-revealed').textContent())!;
    expect(second).not.toBe(first);
    await app.tid('subscriptions-save').click();
    await expect.poll(() => app.tid('sub-DELIVERY-signing-status').textContent()).toBe('saved, not applied');
    await app.tid('subscriptions-not-applied').waitFor();
    expect(signedWith([first, second], await deliver())).toBe(0);

    await app.tid('sub-DELIVERY-test').click();
    await expect.poll(() => app.tid('sub-DELIVERY-result-status').textContent(), { timeout: 15_000 }).toContain('204');
    const test = received.at(-1)!;
    expect(JSON.parse(test.body)).toMatchObject({ eventType: 'DELIVERY', test: true });
    expect(signedWith([first, second], test)).toBe(1);
    await app.tid('sub-DELIVERY').screenshot({ path: 'test-results/screenshots/events-01-secret-saved-not-applied.png' });

    await app.tid('subscriptions-apply').click();
    await app.tid('subscriptions-applied').waitFor();
    await expect.poll(() => app.tid('sub-DELIVERY-signing-status').textContent()).toBe('set');
    expect(signedWith([first, second], await deliver())).toBe(1);
    // The state after a reload: applied, the new secret set, nothing pending.
    await app.open(studio.url);
    await app.tid('nav-subscriptions').click();
    await app.tid('subscriptions-applied').waitFor();
    await expect.poll(() => app.tid('sub-DELIVERY-signing-status').textContent()).toBe('set');
  });

  it('custom headers: a studio-owned name is refused on the field; a good one goes with the test event and, once applied, with events', async () => {
    await app.tid('sub-DELIVERY-headers-add').click();
    await app.tid('sub-DELIVERY-headers-0-name').fill('Authorization');
    await expect.poll(() => app.tid('sub-DELIVERY-headers-0-error').textContent()).toContain('is set by the studio');
    await expect(app.tid('subscriptions-apply').isDisabled()).resolves.toBe(true);
    await app.tid('sub-DELIVERY-headers-0-name').fill('X-Api-Version');
    await app.tid('sub-DELIVERY-headers-0-value').fill('2.1');
    await app.tid('sub-DELIVERY-test').click();
    await expect.poll(() => received.at(-1)?.headers['x-api-version']).toBe('2.1');
    expect(JSON.parse(received.at(-1)!.body).test).toBe(true);
    expect((await deliver()).headers['x-api-version']).toBeUndefined();
    await app.tid('subscriptions-apply').click();
    await app.tid('subscriptions-applied').waitFor();
    expect((await deliver()).headers['x-api-version']).toBe('2.1');
    await app.tid('sub-DELIVERY').screenshot({ path: 'test-results/screenshots/events-02-custom-headers.png' });
  });
});
