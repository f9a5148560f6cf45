import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPki } from '../../core/http/tls-test-pki';
import { startStudio } from '../../core/host/studio';
import { json, startHttps } from '../http/servers';
import { launchBrowser, studioBrowser, StudioPage } from './studio-page';

interface Received {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** A partner / subscriber stand-in on 127.0.0.1 that records every request and answers 200 JSON. */
async function startReceiver() {
  const received: Received[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      received.push({ method: req.method!, url: req.url!, headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ ok: true, path: req.url }));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  return { url: `http://127.0.0.1:${port}`, received, close: () => new Promise<void>((r) => server.close(() => r())) };
}

describe('studio settings: connections, bundles, event subscriptions', () => {
  let studio: Awaited<ReturnType<typeof startStudio>>;
  let browser: Awaited<ReturnType<typeof launchBrowser>>;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let app: StudioPage;
  let dataDir: string;
  let flowId = '';

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hookline-e2e-settings-'));
    receiver = await startReceiver();
    studio = await startStudio({ dataDir, port: 0, staticDir: 'dist/renderer' });
    // A connection whose secret was never set: the list must warn about it.
    await studio.api.saveConnection({ id: 'legacy', name: 'Legacy partner', auth: { type: 'bearer', tokenSecret: 'LEGACY_TOKEN' } });
    ({ browser, app } = await studioBrowser({ timeoutMs: 10_000 }));
  });

  afterAll(async () => {
    await browser?.close();
    await studio?.close();
    await receiver?.close();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('creates a connection with a secret and a client certificate, tests it and picks it in a Web Integration node', async () => {
    await app.open(studio.url);
    flowId = (await studio.api.listFlows())[0].id;
    await app.tid('nav-connections').click();
    await expect.poll(() => app.tid('connection-missing-legacy').textContent()).toBe('1 missing');
    await app.tid('connection-new').click();

    await app.tid('conn-name').fill('Partner ERP');
    await expect.poll(() => app.tid('conn-id').inputValue()).toBe('partner-erp');
    await app.tid('conn-baseUrl').fill('not a url');
    await expect.poll(() => app.tid('conn-error-baseUrl').textContent()).toContain('absolute http');
    await app.tid('conn-baseUrl').fill(`${receiver.url}/api/ping`);
    await expect(app.tid('conn-error-baseUrl').count()).resolves.toBe(0);
    await app.tid('conn-auth.type').selectOption('bearer');
    await expect.poll(() => app.tid('conn-auth.tokenSecret-status').textContent()).toBe('not set');
    await app.tid('conn-auth.tokenSecret-value').fill('tok-e2e-123');

    // Client certificate: a PFX upload becomes a base64 secret, the runtime parses it for the summary.
    const pki = createTestPki();
    await app.tid('connection-cert-passphrase').fill(pki.passphrase);
    await app.tid('connection-cert-file').setInputFiles({ name: 'client.pfx', mimeType: 'application/x-pkcs12', buffer: Buffer.from(pki.client.pfxBase64, 'base64') });
    await expect.poll(() => app.tid('connection-cert-info').textContent(), { timeout: 10_000 }).toMatch(/New client certificate \(stored on Save\):.*expires \d{4}-\d\d-\d\d \(\d+ days\)/);

    // Test connection: the whole exchange, with the token sent but masked in what the studio shows.
    await app.tid('connection-test-send').click();
    await expect.poll(() => app.tid('connection-test-result-status').textContent(), { timeout: 15_000 }).toContain('200');
    const hit = receiver.received.find((r) => r.url === '/api/ping');
    expect(hit?.headers.authorization).toBe('Bearer tok-e2e-123');
    await expect(app.tid('connection-test-result-request').textContent()).resolves.not.toContain('tok-e2e-123');
    await expect(app.tid('connection-test-result-response').textContent()).resolves.toContain('"ok": true');
    await expect(app.tid('exchange-timings').textContent()).resolves.toContain('total');
    // The test used the typed token and the checked PFX for that request only: nothing is stored before Save.
    expect((await studio.api.listSecrets()).filter((x) => x.name.startsWith('CONN_PARTNER_ERP'))).toEqual([]);
    await expect(app.tid('conn-auth.tokenSecret-status').textContent()).resolves.toBe('unsaved');

    await app.tid('connection-test-result').scrollIntoViewIfNeeded();
    await app.screenshot('20a-test-connection');
    await app.tid('connection-save').click();
    await app.tid('connection-item-partner-erp').waitFor();
    await expect.poll(() => app.tid('conn-auth.tokenSecret-status').textContent()).toBe('set');
    await expect.poll(() => app.tid('connection-cert-info').textContent()).toMatch(/^Current client certificate:/);
    const saved = await studio.api.getConnection('partner-erp');
    expect(saved).toMatchObject({ auth: { type: 'bearer', tokenSecret: 'CONN_PARTNER_ERP_TOKEN' }, tls: { clientCert: { kind: 'pfx', pfxSecret: 'CONN_PARTNER_ERP_PFX' } }, missingSecrets: [] });
    await app.screenshot('20-connections');

    // Back on the canvas: a Web Integration node picks the saved connection; its inline fields go away.
    await app.tid('nav-connections').click();
    await app.tid('palette-http-request').click();
    const nodeId = 'http-request-1';
    await app.tid('inspector-name').waitFor();
    await expect(app.tid('input-connection.auth.type').count()).resolves.toBe(1);
    // Import from cURL fills method, URL, headers and body in one undoable step.
    await app.tid('curl-import-open').click();
    await app.tid('curl-import-text').fill(`curl -X PUT '${receiver.url}/api/orders' -H 'Content-Type: application/json' --data '{"id":1}'`);
    await app.tid('curl-import').click();
    await expect.poll(() => app.tid(`node-subtitle-${nodeId}`).textContent()).toBe(`PUT ${new URL(receiver.url).host}`);
    await app.tid('input-connectionId').selectOption('partner-erp');
    await expect.poll(() => app.tid('input-connection.auth.type').count()).toBe(0);
    await expect.poll(() => app.tid('input-connectionId-cert').textContent()).toContain('Current client certificate');
    await app.tid('curl-copy').click();
    await expect.poll(() => app.tid('curl-text').textContent()).toContain(`${receiver.url}/api/orders`);
    await expect(app.tid('curl-text').textContent()).resolves.toContain('<secret:CONN_PARTNER_ERP_TOKEN>');
    await app.screenshot('21-web-integration-connection');
    await expect.poll(async () => (await studio.api.getFlow(flowId)).nodes.find((n) => n.id === nodeId)?.settings.connectionId, { timeout: 10_000 }).toBe('partner-erp');
  });

  it('exports a bundle and imports it back as renamed copies, and lists the problems of a broken one', async () => {
    const page = browser.page;
    await app.tid('bundle-export-open').click();
    await expect(app.tid(`bundle-flow-${flowId}`).isChecked()).resolves.toBe(true);
    await app.tid('bundle-name').fill('e2e-bundle');
    await app.screenshot('22-export-bundle');
    const [download] = await Promise.all([page.waitForEvent('download'), app.tid('bundle-export').click()]);
    expect(download.suggestedFilename()).toBe('e2e-bundle.bundle.json');
    const text = fs.readFileSync((await download.path())!, 'utf8');
    const bundle = JSON.parse(text);
    expect(bundle.flows.map((f: { id: string }) => f.id)).toEqual([flowId]);
    expect(bundle.connections.map((c: { id: string }) => c.id)).toContain('partner-erp');
    expect(text).not.toContain('tok-e2e-123');

    await app.tid('bundle-import-open').click();
    await app.tid('bundle-file').setInputFiles({ name: 'e2e-bundle.bundle.json', mimeType: 'application/json', buffer: Buffer.from(text) });
    await expect.poll(() => app.tid('bundle-file-name').textContent()).toBe('e2e-bundle.bundle.json');
    await app.tid('bundle-conflict-rename').check();
    await app.tid('bundle-import').click();
    await expect.poll(() => app.tid('bundle-renamed').textContent()).toBe(` renamed from ${flowId}`);
    await app.screenshot('23-import-bundle-result');
    expect((await studio.api.listFlows()).length).toBe(2);
    await app.tid('bundle-close').click();

    await app.tid('bundle-import-open').click();
    await app.tid('bundle-file').setInputFiles({ name: 'broken.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify({ ...bundle, flows: [{ id: 'x y' }] })) });
    await app.tid('bundle-import').click();
    await expect.poll(() => app.tid('bundle-problems').textContent()).toMatch(/flows\[0\]/);
    await app.screenshot('24-import-bundle-problems');
    await app.tid('bundle-close').click();
  });

  it('applies event subscriptions and sends a test event to a local receiver', async () => {
    await app.tid('nav-subscriptions').click();
    await app.tid('sub-ORDER').waitFor();
    await app.tid('sub-DELIVERY-url').fill('http://partner.example/hook');
    await expect.poll(() => app.tid('sub-DELIVERY-url-error').textContent()).toContain('https://');
    await expect(app.tid('subscriptions-apply').isDisabled()).resolves.toBe(true);
    await app.tid('sub-DELIVERY-url').fill('');

    await app.tid('sub-ORDER-enabled').check();
    await app.tid('sub-ORDER-url').fill(`${receiver.url}/hooks/order`);
    await expect.poll(() => app.tid('sub-ORDER-url-warning').textContent()).toContain('http://');
    await app.tid('sub-ORDER-auth').selectOption('basic');
    await app.tid('sub-ORDER-username').fill('itscope');
    await app.tid('sub-ORDER-password-value').fill('pw-e2e');
    await app.tid('subscriptions-not-applied').waitFor();
    expect((await studio.api.getSubscriptions()).applied.subscriptions).toEqual([]);
    await app.tid('subscriptions-apply').click();
    await app.tid('subscriptions-applied').waitFor();
    const applied = (await studio.api.getSubscriptions()).applied.subscriptions;
    expect(applied).toEqual([expect.objectContaining({ id: 'order', eventType: 'ORDER', enabled: true, auth: { type: 'basic', username: 'itscope', passwordSecret: 'SUB_ORDER_PASSWORD' } })]);

    await app.tid('sub-ORDER-test').click();
    await expect.poll(() => app.tid('sub-ORDER-result-status').textContent(), { timeout: 15_000 }).toContain('200');
    const ev = receiver.received.find((r) => r.url === '/hooks/order');
    expect(ev?.headers.authorization).toBe(`Basic ${Buffer.from('itscope:pw-e2e').toString('base64')}`);
    expect(JSON.parse(ev!.body)).toMatchObject({ eventType: 'ORDER' });
    await app.screenshot('25-event-subscriptions');
    await app.tid('nav-subscriptions').click();
  });

  it('shows the next runs of a schedule and runs a manual flow with its sample into the executions panel', async () => {
    await app.tid('flow-new').click();
    await app.tid('canvas-empty').waitFor();
    await app.tid('palette-schedule').click();
    await expect.poll(() => app.tid('next-run').count(), { timeout: 10_000 }).toBe(5);
    await app.screenshot('26a-schedule-next-runs');
    // A click on the palette with a node selected adds the new node after it, linked (n8n), and selects it.
    await app.tid('palette-log').click();
    await expect.poll(() => app.edges().count()).toBe(1);
    await expect.poll(() => app.tid('inspector-name').getAttribute('placeholder')).toBe('Log');
    const [from, to] = [await app.node('schedule-1').boundingBox(), await app.node('log-1').boundingBox()];
    expect(to!.x).toBeGreaterThan(from!.x + from!.width);
    expect(Math.abs(to!.y - from!.y)).toBeLessThan(2);
    // A trigger cannot follow anything: added, not linked.
    await app.tid('palette-manual').click();
    await expect.poll(() => app.node('manual-1').count()).toBe(1);
    expect(await app.edges().count()).toBe(1);
    await app.tid('run-sample').click();
    await app.tid('step-0').waitFor({ timeout: 15_000 });
    await expect(app.tid('bottom-panel').textContent()).resolves.toContain('Succeeded');
    await app.screenshot('26b-run-with-sample');
  });

  it('adds nodes from the keyboard: Tab searches, Enter adds after the selected node; Shift+S a sticky note; F2 renames', async () => {
    const page = app.page;
    const focused = () => page.evaluate(`document.activeElement?.getAttribute('data-testid')`);
    await app.select('log-1');
    const edges = await app.edges().count();
    await page.keyboard.press('Tab');
    await expect.poll(focused).toBe('palette-search');
    await page.keyboard.type('set f');
    await page.keyboard.press('Enter');
    await expect.poll(() => app.node('set-1').count()).toBe(1);
    await expect.poll(() => app.edges().count()).toBe(edges + 1);
    expect(await app.tid('palette-search').inputValue()).toBe('');
    // Shift+S: a sticky note, never linked.
    await page.keyboard.press('Shift+S');
    await expect.poll(() => app.node('note-1').count()).toBe(1);
    expect(await app.edges().count()).toBe(edges + 1);
    // F2: the selected node's name.
    await app.select('set-1');
    await page.keyboard.press('F2');
    await expect.poll(focused).toBe('inspector-name');
    await page.keyboard.type('Stamp');
    await expect.poll(() => app.node('set-1').textContent()).toContain('Stamp');
    // A palette entry is a button: focused, Enter adds it (after the selected Set).
    await app.tid('palette-log').focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => app.node('log-2').count()).toBe(1);
    await expect.poll(() => app.edges().count()).toBe(edges + 2);
    // Tab while a field has focus moves focus as usual.
    await app.tid('inspector-name').focus();
    await page.keyboard.press('Tab');
    expect(await focused()).not.toBe('palette-search');
    // n8n's zoom keys: 0 is 100 %, - and + zoom out and in.
    const zoom = async () => Number(/scale\(([\d.]+)\)/.exec((await page.locator('.react-flow__viewport').getAttribute('style')) ?? '')?.[1]);
    await page.locator('.react-flow__pane').click({ position: { x: 20, y: 20 } });
    await page.keyboard.press('0');
    await expect.poll(zoom).toBe(1);
    await page.keyboard.press('-');
    await expect.poll(zoom).toBeLessThan(0.9);
    await page.keyboard.press('+');
    await expect.poll(zoom).toBeCloseTo(1, 1);
  });

  it('Test connection on a saved connection sends a typed password once and stores it only on Save', async () => {
    await app.tid('nav-connections').click();
    await app.tid('connection-item-partner-erp').click();
    await app.tid('conn-auth.tokenSecret-value').fill('tok-unsaved-999');
    await app.tid('connection-test-send').click();
    await expect.poll(() => receiver.received.at(-1)?.headers.authorization, { timeout: 15_000 }).toBe('Bearer tok-unsaved-999');
    // Leave without saving, come back, test with the field blank: the stored token goes out.
    await app.tid('connection-item-legacy').click();
    await app.tid('connection-item-partner-erp').click();
    await expect.poll(() => app.tid('conn-auth.tokenSecret-status').textContent()).toBe('set');
    const before = receiver.received.length;
    await app.tid('connection-test-send').click();
    await expect.poll(() => receiver.received.length, { timeout: 15_000 }).toBeGreaterThan(before);
    expect(receiver.received.at(-1)?.headers.authorization).toBe('Bearer tok-e2e-123');
  });

  it('Extra CA bundle: multi-line PEM, checked before use with an error naming the field, and removable', async () => {
    const pki = createTestPki();
    // Still on the Connections page from the test before (the nav button toggles back to the canvas).
    await app.tid('connection-item-partner-erp').click();
    await app.tid('connection-advanced').click();
    // What a single-line input made of it: the line breaks gone.
    await app.tid('conn-tls.caSecret-value').fill(pki.ca.certPem.replace(/\r?\n/g, ''));
    await app.tid('conn-tls.caSecret-value').blur();
    await expect.poll(() => app.tid('conn-error-tls.caSecret-pem').textContent()).toContain('Extra CA bundle (PEM): certificate is not a valid PEM certificate');
    await app.tid('connection-test-send').click();
    await expect.poll(() => app.tid('connection-test-result-error').textContent()).toContain('Extra CA bundle (PEM): certificate is not a valid PEM certificate');
    await app.tid('connection-save').click();
    expect((await studio.api.getConnection('partner-erp')).tls?.caSecret).toBeUndefined();

    await app.tid('conn-tls.caSecret-value').fill(pki.ca.certPem);
    await expect(app.tid('conn-tls.caSecret-value').inputValue()).resolves.toBe(pki.ca.certPem.replace(/\r\n/g, '\n'));
    await app.tid('connection-save').click();
    await expect.poll(async () => (await studio.api.getConnection('partner-erp')).tls?.caSecret).toBe('CONN_PARTNER_ERP_CA');
    await expect.poll(() => app.tid('conn-tls.caSecret-status').textContent()).toBe('set');
    await expect(app.tid('conn-error-tls.caSecret-pem').count()).resolves.toBe(0);

    await app.tid('conn-tls.caSecret-remove').click();
    await expect.poll(() => app.tid('conn-tls.caSecret-status').textContent()).toBe('removed on Save');
    await app.tid('connection-save').click();
    await expect.poll(async () => (await studio.api.getConnection('partner-erp')).tls?.caSecret ?? null).toBeNull();
    await expect.poll(async () => (await studio.api.listSecrets()).some((x) => x.name === 'CONN_PARTNER_ERP_CA')).toBe(false);
    await expect.poll(() => app.tid('conn-tls.caSecret-status').textContent()).toBe('not set');
  });

  it('at 1024x700 the top bar fits: no sideways scroll, Deploy, theme and shortcuts on screen (canvas, Connections, Environments, Subscriptions)', async () => {
    const page = browser.page;
    const fits = async () => {
      // Runs in the page (this project's Node types have no DOM): the whole document's width.
      expect(await page.locator('html').evaluate((el) => el.scrollWidth)).toBeLessThanOrEqual(page.viewportSize()!.width);
      for (const id of ['deploy', 'environment-select', 'theme-toggle', 'shortcuts']) {
        const box = (await app.tid(id).boundingBox())!;
        expect(box.x, id).toBeGreaterThanOrEqual(0);
        expect(box.x + box.width, id).toBeLessThanOrEqual(page.viewportSize()!.width);
      }
    };
    const before = page.viewportSize()!;
    try {
      // The widest top bar: a deployed flow with a Manual trigger (Run with sample, Live pill, Undeploy, Redeploy).
      await app.open(studio.url);
      await app.tid('palette-manual').click();
      await app.tid('deploy').click();
      await app.tid('undeploy').waitFor();
      for (const size of [{ width: 1024, height: 700 }, { width: 1440, height: 900 }]) {
        await page.setViewportSize(size);
        for (const p of ['canvas', 'connections', 'environments', 'subscriptions']) {
          if (p !== 'canvas') await app.tid(`nav-${p}`).click();
          await app.tid(p === 'canvas' ? 'topbar' : `${p}-page`).waitFor();
          await fits();
          await app.screenshot(`27-topbar-${size.width}-${p}`);
          if (p !== 'canvas') await app.tid(`nav-${p}`).click();
        }
      }
    } finally {
      await page.setViewportSize(before);
    }
  });
  it('Use PEM certificate + key: pasted pair checked (errors name the field), stored on Save, and sent to a partner that requires it', async () => {
    const pki = createTestPki();
    const partner = await startHttps({ key: pki.server.keyPem, cert: pki.server.certPem, ca: pki.ca.certPem, requestCert: true, rejectUnauthorized: true }, (_req, res) => json(res, 200, { hello: 'mtls' }));
    try {
      await app.open(studio.url);
      await app.tid('nav-connections').click();
      await app.tid('connection-new').click();
      await app.tid('conn-name').fill('PEM partner');
      await app.tid('conn-baseUrl').fill(`${partner.url}/ping`);
      await app.tid('connection-advanced').click();
      await app.tid('conn-tls.caSecret-value').fill(pki.ca.certPem);

      await app.tid('connection-cert-use-pem').click();
      await app.tid('connection-cert-pem-certificate-value').fill(`${pki.client.certPem}${pki.ca.certPem}`);
      await app.tid('connection-cert-pem-key-value').fill(createTestPki().client.keyPem);
      await app.tid('connection-cert-pem-check').click();
      await expect.poll(() => app.tid('connection-cert-key-error').textContent()).toBe('Private key: does not match the certificate');
      await app.tid('connection-cert-pem-key-value').fill(pki.client.keyPem);
      await app.tid('connection-cert-pem-check').click();
      await expect.poll(() => app.tid('connection-cert-info').textContent()).toMatch(/New client certificate \(stored on Save\):.*CN=hookline-client.*issuer.*Hookline Test CA.*expires \d{4}-\d\d-\d\d/);
      await expect(app.tid('connection-cert-key-error').count()).resolves.toBe(0);
      await expect(app.tid('connection-cert-pem-key-status').textContent()).resolves.toBe('unsaved');
      // Checked, not stored: nothing of this connection is in the secret store before Save.
      expect((await studio.api.listSecrets()).filter((x) => x.name.startsWith('CONN_PEM_PARTNER'))).toEqual([]);
      await app.tid('connection-cert-section').scrollIntoViewIfNeeded();
      await app.screenshot('28-pem-client-certificate');

      await app.tid('connection-save').click();
      await app.tid('connection-item-pem-partner').waitFor();
      await expect.poll(() => app.tid('connection-cert-info').textContent()).toMatch(/^Current client certificate:.*CN=hookline-client/);
      await expect.poll(() => app.tid('connection-cert-pem-key-status').textContent()).toBe('set');
      const saved = await studio.api.getConnection('pem-partner');
      expect(saved.tls?.clientCert).toEqual({ kind: 'pem', certSecret: 'CONN_PEM_PARTNER_CERT', keySecret: 'CONN_PEM_PARTNER_KEY' });
      expect(saved.missingSecrets).toEqual([]);

      await app.tid('connection-test-send').click();
      await expect.poll(() => app.tid('connection-test-result-status').textContent(), { timeout: 15_000 }).toContain('200');
      expect(partner.requests.at(-1)?.clientCertCN).toBe('hookline-client');
      await app.tid('connection-test-result').scrollIntoViewIfNeeded();
      await app.screenshot('28b-pem-client-certificate-test');
    } finally {
      await partner.close();
    }
  });

  it('Delete asks first; confirmed, the connection and the secrets stored for it are gone', async () => {
    await studio.api.saveConnection({ id: 'old-partner', name: 'Old partner', auth: { type: 'bearer', tokenSecret: 'CONN_OLD_PARTNER_TOKEN' } });
    await studio.api.setSecret('CONN_OLD_PARTNER_TOKEN', 'tok-old-1');
    await app.open(studio.url);
    await app.tid('nav-connections').click();
    await app.tid('connection-item-old-partner').click();
    await app.tid('connection-delete').click();
    await expect.poll(() => app.tid('connection-delete-confirm-box').textContent()).toContain('Delete “Old partner” and the secrets stored for it?');
    await app.screenshot('29-connection-delete-confirm');
    await app.tid('connection-delete-cancel').click();
    await expect(app.tid('connection-delete-confirm-box').count()).resolves.toBe(0);
    expect((await studio.api.listConnections()).some((c) => c.id === 'old-partner')).toBe(true);

    await app.tid('connection-delete').click();
    await app.tid('connection-delete-confirm').click();
    await expect.poll(() => app.tid('connection-item-old-partner').count()).toBe(0);
    expect((await studio.api.listConnections()).some((c) => c.id === 'old-partner')).toBe(false);
    expect((await studio.api.listSecrets()).some((x) => x.name === 'CONN_OLD_PARTNER_TOKEN')).toBe(false);
  });
  it('labels are tied to their fields (getByLabel fills them, a click on a label focuses the field) and icon-only buttons have names', async () => {
    const page = browser.page;
    await app.open(studio.url);
    for (const name of ['Undo', 'Redo', 'Auto-layout', 'Import flow (JSON)', 'Export flow (JSON)', 'Import bundle', 'Export bundle', 'Keyboard shortcuts', 'Toggle sidebar', 'New flow']) {
      await expect(page.getByRole('button', { name, exact: true }).count(), name).resolves.toBe(1);
    }
    await expect(page.getByRole('button', { name: /^Theme: / }).count()).resolves.toBe(1);

    await app.tid('nav-connections').click();
    await app.tid('connection-new').click();
    await page.getByLabel('Server URL').fill('https://labelled.example/api');
    await expect(app.tid('conn-baseUrl').inputValue()).resolves.toBe('https://labelled.example/api');
    await page.getByText('Name', { exact: true }).click();
    await expect.poll(() => page.evaluate(`document.activeElement?.dataset.testid`)).toBe('conn-name');
    await page.getByLabel('Type', { exact: true }).selectOption('bearer');
    await page.getByLabel('Token').fill('tok-label');
    await expect(app.tid('conn-auth.tokenSecret-value').inputValue()).resolves.toBe('tok-label');
    await app.screenshot('37-connection-labels');

    await app.tid('nav-subscriptions').click();
    await app.tid('sub-ORDER-url').waitFor();
    await page.getByLabel('URL').first().fill('https://erp.example/hooks');
    await expect(app.tid('sub-ORDER-url').inputValue()).resolves.toBe('https://erp.example/hooks');
    await app.tid('nav-environments').click();
    await app.tid('env-new').click();
    await page.getByLabel('Name', { exact: true }).fill('labelled');
    await expect(app.tid('env-name').inputValue()).resolves.toBe('labelled');
  });

  it('a connection in use is refused before Delete asks, naming the flow and the node; Open goes to that node', async () => {
    // The flow of the first test and its copy from the bundle test.
    const users = (await Promise.all((await studio.api.listFlows()).map((f) => studio.api.getFlow(f.id)))).filter((f) => f.nodes.some((n) => n.settings.connectionId === 'partner-erp'));
    expect(users.map((f) => f.name).sort()).toEqual(['My first flow', 'My first flow (2)']);
    await app.open(studio.url);
    await app.tid('nav-connections').click();
    await app.tid('connection-item-partner-erp').click();
    await app.tid('connection-delete').click();
    await expect.poll(() => app.tid('connection-in-use-text').textContent()).toBe('Cannot delete “Partner ERP”: node “Web Integration” (http-request-1) in flow “My first flow” and node “Web Integration” (http-request-1) in flow “My first flow (2)” use it. Point them at another connection first.');
    await expect(app.tid('connection-delete-confirm-box').count()).resolves.toBe(0);
    await expect(app.tid('connection-in-use').textContent()).resolves.not.toContain(flowId);
    await app.screenshot('38-connection-in-use');
    expect((await studio.api.listConnections()).some((c) => c.id === 'partner-erp')).toBe(true);

    await app.tid(`connection-use-${flowId}-http-request-1`).getByRole('button', { name: 'Open' }).click();
    await expect.poll(() => app.tid('flow-name').inputValue()).toBe('My first flow');
    await app.tid('canvas').waitFor();
    await expect(app.tid('connections-page').count()).resolves.toBe(0);
    await expect.poll(() => app.tid('input-connectionId').inputValue()).toBe('partner-erp');
  });
});
