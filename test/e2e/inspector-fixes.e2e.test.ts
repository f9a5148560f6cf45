import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPki } from '../../core/http/tls-test-pki';
import { startStudio } from '../../core/host/studio';
import { linearFlow, openStudio, StudioPage } from './studio-page';

/** Inspector and form fixes from the QA pass: certificates, JSON drafts, error labels, names, keys, templates. */
describe('inspector fixes', () => {
  let studio: Awaited<ReturnType<typeof startStudio>>;
  let app: StudioPage;
  let dataDir: string;
  const flowId = 'qa-fixes';

  let close: () => Promise<void>;

  beforeAll(async () => {
    ({ studio, dataDir, app, close } = await openStudio({
      prefix: 'inspector',
      flows: [
        linearFlow(flowId, 'QA fixes', [
          { id: 'hook', type: 'webhook', settings: { methods: ['POST'], path: '/qa/fixes', bodySchema: { type: 'object' } } },
          { id: 'tpl', type: 'template', settings: { kind: 'json', template: '{}' } },
          { id: 'call', type: 'http-request', settings: { method: 'POST', url: 'http://127.0.0.1:9/x' } },
        ]),
      ],
    }));
  });

  afterAll(() => close?.());

  const saved = () => expect.poll(() => app.tid('save-status').textContent(), { timeout: 10_000 }).toBe('Saved');

  it('a mistyped passphrase on "Replace PFX" keeps the working certificate and is shown on the Passphrase field', async () => {
    await expect.poll(() => app.tid('flow-name').inputValue()).toBe('QA fixes');
    const pki = createTestPki();
    const pfx = { name: 'client.pfx', mimeType: 'application/x-pkcs12', buffer: Buffer.from(pki.client.pfxBase64, 'base64') };
    await app.select('call');
    await app.tid('add-option').click();
    await app.tid('add-option-connection.tls.clientCert').click();
    const cert = 'input-connection.tls.clientCert';
    await app.tid(`${cert}-passphrase`).fill(pki.passphrase);
    await app.tid(`${cert}-file`).setInputFiles(pfx);
    await expect.poll(() => app.tid(`${cert}-info`).textContent()).toContain('hookline-client');
    await saved();
    const stored = (await studio.api.getFlow(flowId)).nodes.find((n) => n.id === 'call')!.settings as any;
    const { pfxSecret, passphraseSecret } = stored.connection.tls.clientCert;
    const before = await studio.api.certificateInfo(pfxSecret, passphraseSecret);

    await app.tid(`${cert}-passphrase`).fill('typo-passphrase');
    await app.tid(`${cert}-file`).setInputFiles({ ...pfx, buffer: Buffer.from(createTestPki().client.pfxBase64, 'base64') });
    await expect.poll(() => app.tid(`${cert}-passphrase-error`).textContent()).toBe('Passphrase: wrong passphrase for this PFX (nothing was replaced)');
    await expect(app.tid(`${cert}-passphrase`).inputValue()).resolves.toBe('typo-passphrase');
    await expect(app.tid(`${cert}-info`).textContent()).resolves.toContain('hookline-client');
    await app.screenshot('inspector-fixes-01-cert-wrong-passphrase');
    // The working pair still opens; no staging secret is left behind.
    expect((await studio.api.certificateInfo(pfxSecret, passphraseSecret)).fingerprintSha256).toBe(before.fingerprintSha256);
    expect((await studio.api.listSecrets()).filter((s) => s.name.endsWith('_PENDING'))).toEqual([]);
  });

  it('invalid JSON in "Body schema" is reported as not saved, refuses deploy, survives switching nodes; undo refreshes the box', async () => {
    await app.select('hook');
    const box = app.tid('input-bodySchema');
    await expect.poll(async () => JSON.parse(await box.inputValue())).toEqual({ type: 'object' });
    await box.fill('{"type": "string"}');
    await saved();
    await box.fill('{"type": ');
    await expect.poll(() => app.tid('input-bodySchema-error').textContent()).toContain('not valid JSON');
    await expect.poll(() => app.tid('save-status').textContent()).toBe('Body schema: not valid JSON – not saved');
    await expect.poll(() => app.tid('problems-count').textContent()).toBe('1');
    await app.tid('deploy').click();
    await expect.poll(() => app.tid('toast').textContent()).toContain('Deploy refused: Body schema is not valid');
    await expect.poll(() => app.tid('draft-problem-hook-bodySchema').textContent()).toContain('Webhook › Body schema (JSON Schema): not valid JSON');
    // The toast covers neither the problems list that opened at the top nor the bottom panel.
    const [toast, problems, panel] = [await app.tid('toast').boundingBox(), await app.tid('problems-panel').boundingBox(), await app.tid('bottom-panel').boundingBox()];
    expect(toast!.y).toBeGreaterThan(problems!.y + problems!.height);
    expect(toast!.y + toast!.height).toBeLessThan(panel!.y);
    await app.screenshot('inspector-fixes-02-json-draft');
    expect(await studio.api.listDeployments()).toEqual([]);

    await app.select('tpl');
    await app.select('hook');
    await expect.poll(() => app.tid('input-bodySchema').inputValue()).toBe('{"type": ');

    // Undo goes back through the document (string -> object); the open box shows that value, not the draft.
    await app.tid('undo').click();
    await expect.poll(async () => JSON.parse(await box.inputValue())).toEqual({ type: 'object' });
    await expect(app.tid('input-bodySchema-error').count()).resolves.toBe(0);
    await saved();
    await app.tid('redo').click();
    await expect.poll(async () => JSON.parse(await app.tid('input-bodySchema').inputValue())).toEqual({ type: 'string' });
    await saved();
    if (await app.tid('problems-panel').isVisible()) await app.tid('problems-button').click();
  });

  it('names fields in problems and row errors, and outlines only the wrong cell', async () => {
    await app.select('call');
    await app.tid('input-retry.retryCount').fill('6');
    await expect.poll(() => app.tid('error-retry.retryCount').textContent()).toBe('must be at most 5');
    await app.tid('input-retry.retryCount').fill('2.5');
    await expect.poll(() => app.tid('error-retry.retryCount').allTextContents()).toEqual(['must be an integer']);
    await app.tid('input-retry.retryCount').fill('6');
    await expect.poll(() => app.tid('problems-count').textContent(), { timeout: 10_000 }).toBe('1');
    if (!(await app.tid('problems-panel').isVisible())) await app.tid('problems-button').click();
    await expect.poll(() => app.tid('problem-0').textContent()).toBe('Web Integration › Retry count: must be at most 5');
    await expect(app.tid('problem-0').getAttribute('title')).resolves.toBe('nodes[2].settings.retry.retryCount');
    await app.tid('input-retry.retryCount').fill('2');

    await app.select('hook');
    await app.tid('input-queryParams-add').click();
    await app.tid('input-queryParams-0-default').fill('fallback');
    await expect.poll(() => app.tid('error-queryParams').textContent()).toBe('Row 1 · Name: is required');
    await expect(app.tid('input-queryParams-0-name').getAttribute('class')).resolves.toContain('invalid');
    await expect(app.tid('input-queryParams-0-default').getAttribute('class')).resolves.not.toContain('invalid');
    await app.screenshot('inspector-fixes-03-row-error');
    await app.tid('input-queryParams-0-name').fill('page');
    await expect.poll(() => app.tid('error-queryParams').count()).toBe(0);
  });

  it('refuses an empty flow name with an inline error and keeps the old name', async () => {
    const name = app.tid('flow-name');
    await name.fill('   ');
    await expect.poll(() => app.tid('flow-name-error').textContent()).toBe('Name: must not be empty');
    // On screen, not only in the DOM: the top bar clips what overflows it, so the message must not be inside that box.
    const hit = `(() => { const r = document.querySelector('[data-testid="flow-name-error"]').getBoundingClientRect(); return document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2)?.getAttribute('data-testid'); })()`;
    await expect.poll(() => app.page.evaluate(hit)).toBe('flow-name-error');
    await app.screenshot('inspector-fixes-04-empty-name');
    await name.press('Enter');
    await expect.poll(() => name.inputValue()).toBe('QA fixes');
    await expect.poll(() => app.tid('toast').textContent()).toBe('Name: must not be empty – kept “QA fixes”');
    await app.screenshot('inspector-fixes-04a-name-kept');
    await saved();
    expect((await studio.api.getFlow(flowId)).name).toBe('QA fixes');

    // The sidebar's rename box: Enter on a blank name keeps it open with the reason.
    await app.tid(`flow-item-${flowId}`).dblclick();
    await app.tid('flow-rename-input').fill(' ');
    await app.tid('flow-rename-input').press('Enter');
    await expect.poll(() => app.tid('flow-rename-error').textContent()).toBe('Name: must not be empty');
    await app.screenshot('inspector-fixes-04b-sidebar-rename');
    await app.tid('flow-rename-input').press('Escape');
    await expect.poll(() => app.tid(`flow-item-${flowId}`).textContent()).toContain('QA fixes');
  });

  it('takes an API key of your own, stored as a secret, and refuses a short one naming the field', async () => {
    await app.select('hook');
    await app.tid('input-auth.type').selectOption('apiKey');
    await app.tid('input-auth.keys-own').click();
    await app.tid('input-auth.keys-own-value').fill('short-key');
    await app.tid('input-auth.keys-own-add').click();
    await expect.poll(() => app.tid('input-auth.keys-own-error').textContent()).toBe('API key value: must be at least 16 characters (9 now)');
    await app.screenshot('inspector-fixes-05-own-key-short');
    await app.tid('input-auth.keys-own-value').fill('partner-given-key-0123');
    await app.tid('input-auth.keys-own-add').click();
    await expect.poll(() => app.tid('input-auth.keys-0-stored').textContent()).toMatch(/stored as secret QA_FIXES_HOOK_\w+/);
    await expect(app.tid('input-auth.keys-0-value').count()).resolves.toBe(0);
    await saved();
    const keys = ((await studio.api.getFlow(flowId)).nodes.find((n) => n.id === 'hook')!.settings as any).auth.keys;
    expect(keys).toHaveLength(1);
    expect((await studio.api.listSecrets()).find((s) => s.name === keys[0].secret)?.set).toBe(true);
    await app.screenshot('inspector-fixes-06-own-key');
  });

  it('switching an untouched Template to XML gives an XML skeleton instead of {}', async () => {
    await app.select('tpl');
    await app.tid('input-kind').selectOption('xml');
    await saved();
    const s = (await studio.api.getFlow(flowId)).nodes.find((n) => n.id === 'tpl')!.settings as any;
    expect(s).toMatchObject({ kind: 'xml', template: expect.stringMatching(/^<\?xml version="1.0" encoding="UTF-8"\?>\s*<message><\/message>$/) });
    await app.screenshot('inspector-fixes-07-template-xml');
  });

  it('custom auth headers take their value as a write-only secret, and warn when a credential is typed in plain', async () => {
    await app.select('call');
    const auth = app.tid('input-connection.auth.type');
    if (!(await auth.isVisible())) {
      await app.tid('add-option').click();
      await app.tid('add-option-connection.auth.type').click();
    }
    await auth.selectOption('headers');
    const rows = 'input-connection.auth.headers';
    if ((await app.tid(`${rows}-0-name`).count()) === 0) await app.tid(`${rows}-add`).click();
    await app.tid(`${rows}-0-name`).fill('X-API-KEY');
    await app.tid(`${rows}-0-value`).fill('super-secret-partner-key');
    await expect.poll(() => app.tid(`${rows}-plain-credential`).isVisible()).toBe(true);
    await app.tid(`${rows}-0-valueSecret-value`).fill('super-secret-partner-key');
    await app.tid(`${rows}-0-valueSecret-value`).press('Enter');
    await expect.poll(() => app.tid(`${rows}-plain-credential`).count()).toBe(0);
    await saved();
    const row = ((await studio.api.getFlow(flowId)).nodes.find((n) => n.id === 'call')!.settings as any).connection.auth.headers[0];
    expect(row.value).toBeUndefined();
    expect(row.valueSecret).toMatch(/^[A-Z0-9_]+$/);
    expect((await studio.api.listSecrets()).find((x) => x.name === row.valueSecret)?.set).toBe(true);
    expect(fs.readFileSync(path.join(dataDir, 'flows', `${flowId}.json`), 'utf8')).not.toContain('super-secret-partner-key');
    await app.screenshot('inspector-fixes-07-auth-header-secret');
  });
});

