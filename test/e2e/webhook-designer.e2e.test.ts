import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStudio } from '../../core/host/studio';
import { linearFlow, openStudio, StudioPage } from './studio-page';

/**
 * The integration designer's side of the webhook trigger, where the product manual is silent: a key row whose
 * value is missing here (a flow file from a colleague), and an ordered line halted by a failed message.
 */
describe('webhook trigger: what the designer needs to see', () => {
  let studio: Awaited<ReturnType<typeof startStudio>>;
  let app: StudioPage;
  let close: () => Promise<void>;

  beforeAll(async () => {
    ({ studio, app, close } = await openStudio({
      prefix: 'webhook-designer',
      flows: [
        // Imported from a file: the key's secret has no value on this machine.
        linearFlow('imported', 'Imported orders', [
          { id: 'hook', type: 'webhook', settings: { path: '/imported/orders', responseMode: 'requestResponse', auth: { type: 'apiKey', keys: [{ id: 'k1', label: 'ERP', secret: 'IMPORTED_ERP_KEY' }] } } },
          { id: 'reply', type: 'respond', settings: { bodyMode: 'template', templateKind: 'json', template: '{ "ok": true }' } },
        ]),
        {
          ...linearFlow('keys', 'Keyed events', [{ id: 'hook', type: 'webhook', settings: { path: '/keyed/events', ordered: true, partitionKey: 'body.orderId', idempotencyKey: 'body.eventID' } }]),
          sample: { trigger: { type: 'webhook', body: { eventId: 'e-1', orderId: 'SO-1' }, query: {}, headers: { 'webhook-id': 'msg_1' } }, data: { eventId: 'e-1', orderId: 'SO-1' }, vars: {} },
        },
        // Calls a partner whose URL comes from an environment variable nobody has set on this machine.
        linearFlow('needs-env', 'Needs partner URL', [
          { id: 'hook', type: 'webhook', settings: { path: '/needs/env' } },
          { id: 'call', type: 'http-request', settings: { method: 'GET', url: '{{ $env.NOPE_PARTNER_URL }}/orders' } },
        ]),
        linearFlow('ordered', 'Ordered stock', [
          { id: 'hook', type: 'webhook', settings: { path: '/ordered/stock', ordered: true } },
          { id: 'check', type: 'map', settings: { expression: "trigger.body.fail ? $error('partner rejected ' & trigger.body.n) : trigger.body" } },
        ]),
      ],
    }));
  });

  afterAll(() => close?.());

  it('a key whose secret is not set says so at its row and takes the value the consumer sends', async () => {
    await app.tid('flow-item-imported').click();
    await expect.poll(() => app.tid('flow-name').inputValue()).toBe('Imported orders');
    await app.select('hook');
    const missing = app.tid('input-auth.keys-0-missing');
    await expect.poll(() => missing.textContent()).toContain('not set: secret IMPORTED_ERP_KEY has no value here, so every call with this key is refused (401)');
    expect(await app.tid('input-auth.keys-0-stored').count()).toBe(0);
    // The delivery settings say what the partner gets, without the README at hand.
    expect(await app.page.locator('[data-field="responseMode"]').textContent()).toContain('the caller gets 202 { executionId } as soon as the message is stored');
    expect(await app.page.locator('[data-field="timeoutMs"]').textContent()).toContain('the caller gets the timeout status with { error: "timeout", message, executionId }');
    await app.screenshot('webhook-designer-key-not-set');

    await app.tid('input-auth.keys-0-missing-value').fill('short');
    await app.tid('input-auth.keys-0-missing-set').click();
    await expect.poll(() => app.tid('input-auth.keys-0-missing-error').textContent()).toBe('API key value: must be at least 16 characters (5 now)');

    await app.tid('input-auth.keys-0-missing-value').fill('erp-key-from-the-old-server-42');
    await app.tid('input-auth.keys-0-missing-set').click();
    await expect.poll(() => app.tid('input-auth.keys-0-stored').textContent()).toBe('stored as secret IMPORTED_ERP_KEY');
    expect(await missing.count()).toBe(0);
    expect(await app.tid('input-auth.keys-0-used').textContent()).toBe('no accepted call yet');

    await app.tid('deploy').click();
    await expect.poll(() => app.tid('endpoint-state').textContent(), { timeout: 15_000 }).toBe('live');
    const res = await fetch(`${studio.runtime.baseUrl}/imported/orders`, { method: 'POST', headers: { 'x-api-key': 'erp-key-from-the-old-server-42', 'content-type': 'application/json' }, body: '{}' });
    expect(res.status).toBe(200);
    // The row tells which consumer still calls (before anyone revokes its key).
    await expect.poll(() => app.tid('input-auth.keys-0-used').textContent(), { timeout: 10_000 }).toMatch(/^last used \d{1,2}:\d{2}:\d{2}/);
    await app.screenshot('webhook-designer-key-last-used');
  });

  it('partition and idempotency keys are checked against the request as the runtime reads it (body, headers), not the message', async () => {
    await app.tid('flow-item-keys').click();
    await expect.poll(() => app.tid('flow-name').inputValue()).toBe('Keyed events');
    await app.select('hook');
    await expect.poll(() => app.tid('input-idempotencyKey-diagnostics').textContent(), { timeout: 10_000 }).toContain('did you mean "body.eventId"');
    // body.orderId is right for the runtime: no "did you mean trigger.body…" mark.
    await expect.poll(async () => ((await app.tid('input-partitionKey-diagnostics').count()) ? await app.tid('input-partitionKey-diagnostics').textContent() : '')).toBe('');
    await app.tid('input-idempotencyKey-diagnostics').scrollIntoViewIfNeeded();
    await app.screenshot('webhook-designer-keys');
  });

  it('an ordered line halted by a failed message says what waits and where to retry it', async () => {
    await app.tid('flow-item-ordered').click();
    await expect.poll(() => app.tid('flow-name').inputValue()).toBe('Ordered stock');
    await app.select('hook');
    await app.tid('deploy').click();
    await expect.poll(() => app.tid('endpoint-state').textContent(), { timeout: 15_000 }).toBe('live');
    expect(await app.tid('trigger-halted').count()).toBe(0);

    const post = (n: number, fail: boolean) =>
      fetch(`${studio.runtime.baseUrl}/ordered/stock`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ n, fail }) });
    const ids: string[] = [];
    for (const [n, fail] of [[1, true], [2, false]] as const) {
      const r = await post(n, fail);
      expect(r.status).toBe(202);
      ids.push(((await r.json()) as { executionId: string }).executionId);
    }

    await expect.poll(() => app.tid('trigger-halted').textContent(), { timeout: 15_000 }).toContain(
      'Ordered delivery is halted at a failed message: later messages wait in the queue until you retry or skip it in Executions.',
    );
    await app.screenshot('webhook-designer-halted');
    await app.tid('trigger-halted-open').click();
    await expect.poll(() => app.tid('tab-executions').getAttribute('class')).toContain('active');
    // The failed head offers Skip (it used to be offered only for parked messages, where the runtime refused it):
    // skipping releases the line without running it again, and the message behind it runs.
    await app.tid(`execution-${ids[0]}`).click();
    await app.tid('execution-skip').click();
    await expect.poll(async () => (await studio.api.getExecution(ids[1]))?.status, { timeout: 15_000 }).toBe('succeeded');
    await expect.poll(() => app.tid('execution-skip').count(), { timeout: 10_000 }).toBe(0);
    expect((await studio.api.getExecution(ids[0]))?.status).toBe('failed');
    await expect.poll(() => app.tid('trigger-halted').count(), { timeout: 15_000 }).toBe(0);
  });

  it('deploying a flow that reads a $env variable nobody set goes live, and the toast and problems say what will fail', async () => {
    await app.tid('flow-item-needs-env').click();
    await expect.poll(() => app.tid('flow-name').inputValue()).toBe('Needs partner URL');
    await app.select('hook');
    await app.tid('deploy').click();
    await expect.poll(() => app.tid('endpoint-state').textContent(), { timeout: 15_000 }).toBe('live');
    await expect.poll(() => app.tid('toast').textContent()).toBe('Deployed with 1 warning: $env.NOPE_PARTNER_URL is not set in the active environment: it renders empty');
    await app.screenshot('webhook-designer-deploy-warning');
  });
});
