import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStudio } from '../../core/host/studio';
import { linearFlow, openStudio, StudioPage } from './studio-page';

/**
 * The inbound webhook trigger as the product manual describes it: API keys with labels, request-response, query
 * parameters with defaults. A user sets it up in the inspector, deploys, and tries it from the Test request panel.
 */
describe('webhook trigger (manual walk-through)', () => {
  let studio: Awaited<ReturnType<typeof startStudio>>;
  let app: StudioPage;
  const flowId = 'create-customer';

  let close: () => Promise<void>;

  beforeAll(async () => {
    ({ studio, app, close } = await openStudio({
      prefix: 'webhook',
      flows: [
        linearFlow(flowId, 'Create customer', [
          {
            id: 'hook',
            type: 'webhook',
            settings: {
              methods: ['GET', 'POST'],
              path: '/t37ed/CreateCustomerRecord',
              queryParams: [{ name: 'customerid', required: true }, { name: 'customername', default: 'TheCompany' }],
              responseMode: 'requestResponse',
              timeoutMs: 5000,
            },
          },
          { id: 'reply', type: 'respond', settings: { bodyMode: 'template', templateKind: 'json', template: '{ "id": {{ trigger.query.customerid }}, "name": {{ trigger.query.customername }} }' } },
        ]),
      ],
    }));
  });

  afterAll(() => close?.());

  const saved = () => expect.poll(() => app.tid('save-status').textContent(), { timeout: 10_000 }).toBe('Saved');

  it('the endpoint cURL carries the required query parameter; two keys with one label are refused on the second', async () => {
    await expect.poll(() => app.tid('flow-name').inputValue()).toBe('Create customer');
    await app.select('hook');
    expect(await app.tid('webhook-curl').textContent()).toContain('/t37ed/CreateCustomerRecord?customerid=value');

    await app.tid('input-auth.type').selectOption('apiKey');
    await app.tid('input-auth.keys-generate').click();
    await app.tid('input-auth.keys-0-value').waitFor();
    await app.tid('input-auth.keys-0-label').fill('ERP');
    await app.tid('input-auth.keys-own').click();
    await app.tid('input-auth.keys-own-value').fill('shop-owned-key-0123456789');
    await app.tid('input-auth.keys-own-add').click();
    await app.tid('input-auth.keys-1-label').fill('erp');
    await expect.poll(() => app.tid('error-auth.keys').allTextContents()).toEqual([expect.stringContaining('duplicate label "erp" (key 1 has it)')]);
    await app.tid('input-auth.keys-1-label').fill('Web shop');
    await expect.poll(() => app.tid('error-auth.keys').count()).toBe(0);
    await saved();
    await app.screenshot('webhook-trigger-keys');
  });

  it('deployed, the Test request panel starts with the query the trigger requires and gets the flow\'s answer', async () => {
    await app.tid('deploy').click();
    await expect.poll(() => app.tid('endpoint-state').textContent(), { timeout: 15_000 }).toBe('live');
    await app.tid('tab-test').click();
    expect(await app.tid('test-path').inputValue()).toBe('/t37ed/CreateCustomerRecord?customerid=value');
    await app.tid('test-path').fill('/t37ed/CreateCustomerRecord?customerid=123');
    await app.tid('test-send').click();
    await expect.poll(() => app.tid('test-status').textContent(), { timeout: 15_000 }).toBe('200');
    expect(JSON.parse((await app.tid('test-response-body').textContent())!)).toEqual({ id: '123', name: 'TheCompany' });
    await app.screenshot('webhook-trigger-test-request');

    // The pasted key serves a partner that never saw the studio; a wrong one is told which header is wrong.
    const base = `${studio.runtime.baseUrl}/t37ed/CreateCustomerRecord?customerid=9&customername=Shop`;
    const ok = await fetch(base, { headers: { 'x-api-key': 'shop-owned-key-0123456789' } });
    expect(await ok.json()).toEqual({ id: '9', name: 'Shop' });
    const bad = await fetch(base, { headers: { 'x-api-key': 'shop-owned-key-012345678' } });
    expect(bad.status).toBe(401);
    expect(((await bad.json()) as { message: string }).message).toBe('authentication failed: the API key in the X-API-Key header is not valid');
  });

  it('another trigger reuses a key by picking it: the partner calls both with one key', async () => {
    await studio.api.saveFlow(
      linearFlow('update-customer', 'Update customer', [
        { id: 'hook', type: 'webhook', settings: { methods: ['POST'], path: '/t37ed/UpdateCustomerRecord', responseMode: 'requestResponse' } },
        { id: 'reply', type: 'respond', settings: { bodyMode: 'template', templateKind: 'json', template: '{ "updated": true }' } },
      ]) as never,
    );
    await app.open(studio.url);
    await app.tid('flow-item-update-customer').click();
    await expect.poll(() => app.tid('flow-name').inputValue()).toBe('Update customer');
    await app.select('hook');
    await app.tid('input-auth.type').selectOption('apiKey');
    await app.tid('input-auth.keys-reuse').click();
    const pick = app.tid('input-auth.keys-reuse-pick');
    await expect.poll(async () => (await pick.locator('option').allTextContents()).slice(1)).toEqual(['ERP · Create customer › hook', 'Web shop · Create customer › hook']);
    await pick.selectOption({ label: 'Web shop · Create customer › hook' });
    await expect.poll(() => app.tid('input-auth.keys-0-label').inputValue()).toBe('Web shop');
    await expect.poll(() => app.tid('input-auth.keys-0-stored').textContent()).toBe('stored as secret CREATE_CUSTOMER_HOOK_' + (await sharedSecretSuffix()));
    await saved();
    await app.screenshot('webhook-trigger-reused-key');
    await app.tid('deploy').click();
    await expect.poll(() => app.tid('endpoint-state').textContent(), { timeout: 15_000 }).toBe('live');

    const call = (p: string, key: string) => fetch(`${studio.runtime.baseUrl}${p}`, { method: 'POST', headers: { 'x-api-key': key, 'content-type': 'application/json' }, body: '{}' });
    expect((await call('/t37ed/UpdateCustomerRecord', 'shop-owned-key-0123456789')).status).toBe(200);
    expect((await call('/t37ed/CreateCustomerRecord?customerid=1', 'shop-owned-key-0123456789')).status).toBe(200);
    expect((await call('/t37ed/UpdateCustomerRecord', 'not-the-shop-key-0123456789')).status).toBe(401);
  });

  /** The id part of the shop key's secret name in the first flow (rows get random ids). */
  async function sharedSecretSuffix(): Promise<string> {
    const f = await studio.api.getFlow(flowId);
    const keys = (f.nodes.find((n) => n.id === 'hook')!.settings as { auth: { keys: Array<{ label: string; secret: string }> } }).auth.keys;
    return keys.find((k) => k.label === 'Web shop')!.secret.replace('CREATE_CUSTOMER_HOOK_', '');
  }
});
