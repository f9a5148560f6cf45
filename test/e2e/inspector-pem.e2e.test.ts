import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPki, type TestPki } from '../../core/http/tls-test-pki';
import { startStudio } from '../../core/host/studio';
import { json, startHttps, type TestServer } from '../http/servers';
import { send } from '../helpers/runtime';
import { launchBrowser, linearFlow, openStudio, StudioPage } from './studio-page';

/**
 * The inspector's "Use PEM certificate + key" on a Web Integration node's own connection: a wrong pair is refused at
 * the field it is about, a good pair is stored (the PFX it replaces is deleted on deploy) and described, the deployed flow
 * calls a partner that requires the certificate, and a reload shows the stored state.
 */
describe('inspector: PEM client certificate', () => {
  let studio: Awaited<ReturnType<typeof startStudio>>;
  let browser: Awaited<ReturnType<typeof launchBrowser>>;
  let app: StudioPage;
  let dataDir: string;
  let pki: TestPki;
  let partner: TestServer;
  const flowId = 'pem-inspector';
  const owner = 'CONN_PEM_INSPECTOR_CALL';
  const cert = 'input-connection.tls.clientCert';

  let close: () => Promise<void>;

  beforeAll(async () => {
    pki = createTestPki();
    partner = await startHttps({ key: pki.server.keyPem, cert: pki.server.certPem, ca: pki.ca.certPem, requestCert: true, rejectUnauthorized: true }, (_req, res) => json(res, 200, { partner: 'mtls ok' }));
    ({ studio, dataDir, browser, app, close } = await openStudio({
      prefix: 'pem',
      before: async (s) => void (await s.api.setSecret('PARTNER_CA', pki.ca.certPem)),
      flows: [
        linearFlow(flowId, 'PEM inspector', [
          { id: 'hook', type: 'webhook', settings: { methods: ['POST'], path: '/pem/orders', responseMode: 'requestResponse' } },
          { id: 'call', type: 'http-request', settings: { method: 'GET', url: `${partner.url}/ping`, output: 'body', connection: { tls: { caSecret: 'PARTNER_CA' } } } },
          { id: 'reply', type: 'respond', settings: {} },
        ]),
      ],
    }));
  });

  afterAll(async () => {
    await close?.();
    await partner?.close();
  });

  const saved = () => expect.poll(() => app.tid('save-status').textContent(), { timeout: 10_000 }).toBe('Saved');
  const ownSecrets = async () => (await studio.api.listSecrets()).filter((s) => s.name.startsWith(owner)).map((s) => s.name);
  const clientCert = async () => ((await studio.api.getFlow(flowId)).nodes.find((n) => n.id === 'call')!.settings as any).connection.tls.clientCert;

  it('refuses a wrong pair naming the field, stores a good one in place of the PFX and shows its subject and expiry', async () => {
    await expect.poll(() => app.tid('flow-name').inputValue()).toBe('PEM inspector');
    await app.select('call');
    await app.tid('add-option').click();
    await app.tid('add-option-connection.tls.clientCert').click();

    // First a PFX, as a partner might have sent it.
    await app.tid(`${cert}-passphrase`).fill(pki.passphrase);
    await app.tid(`${cert}-file`).setInputFiles({ name: 'client.pfx', mimeType: 'application/x-pkcs12', buffer: Buffer.from(pki.client.pfxBase64, 'base64') });
    await expect.poll(() => app.tid(`${cert}-info`).textContent()).toContain('CN=hookline-client');
    await saved();
    expect(await ownSecrets()).toEqual([`${owner}_PFX`, `${owner}_PFX_PASSPHRASE`]);

    await app.tid(`${cert}-use-pem`).click();
    await expect(app.tid(`${cert}-pem-check`).textContent()).resolves.toBe('Check and store');

    // Not a certificate at all: the message is on the certificate field.
    await app.tid(`${cert}-pem-certificate-value`).fill('hello, not a certificate');
    await app.tid(`${cert}-pem-key-value`).fill(pki.client.keyPem);
    await app.tid(`${cert}-pem-check`).click();
    await expect.poll(() => app.tid(`${cert}-certificate-error`).textContent()).toBe('Certificate (PEM): not a PEM certificate (expected -----BEGIN CERTIFICATE----- … -----END CERTIFICATE-----)');

    // A key of another pair: refused on the key field, nothing stored, the PFX still in use.
    await app.tid(`${cert}-pem-certificate-value`).fill(`${pki.client.certPem}${pki.ca.certPem}`);
    await app.tid(`${cert}-pem-key-value`).fill(createTestPki().client.keyPem);
    await app.tid(`${cert}-pem-check`).click();
    await expect.poll(() => app.tid(`${cert}-key-error`).textContent()).toBe('Private key: does not match the certificate');
    await expect(app.tid(`${cert}-certificate-error`).count()).resolves.toBe(0);
    expect(await ownSecrets()).toEqual([`${owner}_PFX`, `${owner}_PFX_PASSPHRASE`]);
    expect((await clientCert()).kind).toBe('pfx');
    await app.tid(`${cert}-section`).scrollIntoViewIfNeeded();
    await app.screenshot('inspector-pem-01-key-mismatch');

    // The right key: stored at once (the inspector has no Save button) and described from the stored secrets.
    await app.tid(`${cert}-pem-key-value`).fill(pki.client.keyPem);
    await app.tid(`${cert}-pem-check`).click();
    await expect.poll(() => app.tid(`${cert}-info`).textContent()).toMatch(/^Current client certificate:.*CN=hookline-client.*issuer.*Hookline Test CA.*expires \d{4}-\d\d-\d\d \(\d+ days\)/);
    await expect(app.tid(`${cert}-key-error`).count()).resolves.toBe(0);
    await expect.poll(() => app.tid(`${cert}-pem-key-status`).textContent()).toBe('set');
    await expect(app.tid(`${cert}-pem-certificate-value`).inputValue()).resolves.toBe('');
    await saved();
    expect(await clientCert()).toEqual({ kind: 'pem', certSecret: `${owner}_CERT`, keySecret: `${owner}_KEY` });
    // The PFX and its passphrase stay while the flow is being edited (an Undo may bring them back); deploying drops
    // them (next test). No private key or certificate in the flow file.
    await expect.poll(ownSecrets).toEqual([`${owner}_CERT`, `${owner}_KEY`, `${owner}_PFX`, `${owner}_PFX_PASSPHRASE`]);
    const flowFile = fs.readFileSync(path.join(dataDir, 'flows', `${flowId}.json`), 'utf8');
    expect(flowFile).not.toContain('PRIVATE KEY');
    expect(flowFile).not.toContain('BEGIN CERTIFICATE');
    await app.tid(`${cert}-section`).scrollIntoViewIfNeeded();
    await app.screenshot('inspector-pem-02-stored');
  });

  it('the deployed flow presents the certificate to a partner that requires it', async () => {
    await app.tid('deploy').click();
    await expect.poll(async () => (await studio.api.listDeployments()).map((d) => d.flowId)).toEqual([flowId]);
    await expect.poll(ownSecrets).toEqual([`${owner}_CERT`, `${owner}_KEY`]);
    const r = await send(`${studio.runtime.baseUrl}/pem/orders`, { body: '{}', headers: { 'content-type': 'application/json' } });
    expect(r.status).toBe(200);
    expect(r.json).toEqual({ partner: 'mtls ok' });
    expect(partner.requests.at(-1)?.clientCertCN).toBe('hookline-client');
  });

  it('after a reload the inspector shows the stored PEM pair', async () => {
    await browser.page.reload();
    await app.waitReady();
    await expect.poll(() => app.tid('flow-name').inputValue()).toBe('PEM inspector');
    await app.select('call');
    await expect.poll(() => app.tid(`${cert}-info`).textContent()).toMatch(/^Current client certificate:.*CN=hookline-client.*expires \d{4}-\d\d-\d\d/);
    await expect.poll(() => app.tid(`${cert}-pem-certificate-status`).textContent()).toBe('set');
    await expect(app.tid(`${cert}-pem-key-status`).textContent()).resolves.toBe('set');
    await expect(app.tid(`${cert}-pem-check`).isVisible()).resolves.toBe(true);
    await app.tid(`${cert}-section`).scrollIntoViewIfNeeded();
    await app.screenshot('inspector-pem-03-after-reload');
  });
});
