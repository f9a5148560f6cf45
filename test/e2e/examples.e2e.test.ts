import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXAMPLE_FLOWS_DIR } from '../../core/host/studio';
import { openStudio } from './studio-page';

const read = (name: string) => JSON.parse(fs.readFileSync(path.join(EXAMPLE_FLOWS_DIR, name), 'utf8'));

/** The Order to ERP example as a first-time user meets it: look at the nodes on the sample, deploy the Mock ERP, run. */
describe('the Order to ERP example in the studio', () => {
  let env: Awaited<ReturnType<typeof openStudio>>;

  beforeAll(async () => {
    env = await openStudio({
      prefix: 'examples',
      before: async (studio) => {
        const order = read('order-to-erp.flow.json');
        // The example posts to $env.ERP_URL: the Mock ERP on port 8080 in the studio's "local" environment; this
        // studio's runtime has a port of its own.
        await studio.api.saveEnvironment({ name: 'local', variables: [{ name: 'ERP_URL', value: `${studio.runtime.baseUrl}/example/mock-erp` }] });
        await studio.api.setActiveEnvironment('local');
        await studio.api.saveFlow(order);
        await studio.api.saveFlow(read('mock-erp.flow.json'));
      },
    });
  });
  afterAll(async () => env?.close());

  it('shows each node on the sample before anything runs: the total, the XML, where the preview stops', async () => {
    const { app } = env;
    await app.tid('flow-item-order-to-erp').click();
    await app.node('xml').waitFor();
    // Six cards in a row do not fit a laptop's canvas at a readable zoom: it opens at 75 % from the trigger.
    const scale = Number(/scale\(([\d.]+)\)/.exec((await app.page.locator('.react-flow__viewport').getAttribute('style')) ?? '')?.[1]);
    expect(scale).toBe(0.75);
    const [canvas, trigger] = await Promise.all([app.tid('canvas').boundingBox(), app.node('hook').boundingBox()]);
    expect(trigger!.x).toBeGreaterThan(canvas!.x);
    expect(trigger!.x).toBeLessThan(canvas!.x + 100);
    await app.select('xml');
    await expect.poll(() => app.tid('sample-data-output-text-data').textContent()).toContain('<Total currency="EUR">1058.8</Total>');
    await expect.poll(() => app.tid('input-template-diagnostics').count()).toBe(0);
    await app.screenshot('examples-01-order-xml-on-sample');
    await app.select('answer');
    await expect.poll(() => app.tid('preview-note').textContent()).toMatch(/^The preview stops at “POST to ERP”/);
  });

  it('a sample answer pinned on the ERP call (as from its API docs) carries the preview on, without calling it', async () => {
    const { app, browser, studio } = env;
    await app.select('erp');
    await app.tid('pin-sample-answer').click();
    // The node hands on the body only: the editor starts from an empty object (the whole response otherwise).
    await expect(app.tid('pin-editor').inputValue()).resolves.toBe('{}');
    await app.tid('pin-editor').fill('{ "orderNo": ');
    await app.tid('pin-save').click();
    await expect.poll(() => app.tid('pin-editor-error').textContent()).toMatch(/^not valid JSON/);
    await app.tid('pin-editor').fill('{ "orderNo": "ERP-PINNED", "accepted": true }');
    await app.tid('pin-save').click();
    await expect.poll(() => app.tid('sample-data-pinned').count()).toBe(1);
    await expect.poll(() => app.tid('badge-pinned-erp').count()).toBe(1);
    await app.screenshot('examples-015-pinned-sample-answer');
    await app.select('answer');
    await expect.poll(() => app.tid('preview-note').count()).toBe(0);
    await expect.poll(() => app.tid('sample-data-output').textContent()).toContain('"erpOrderNo": "ERP-PINNED"');
    // Saved with the flow (Ctrl+S), nothing deployed or run.
    await browser.page.keyboard.press('Control+s');
    await expect.poll(async () => (await studio.api.getFlow('order-to-erp')).pinned).toEqual({ erp: { orderNo: 'ERP-PINNED', accepted: true } });
    expect((await studio.api.listExecutions({ flowId: 'order-to-erp' })).items).toEqual([]);
  });

  it('with Mock ERP deployed, Run with sample goes through the ERP and the answer carries its order number', async () => {
    const { app, studio } = env;
    await app.tid('flow-item-mock-erp').click();
    await app.node('reply').waitFor();
    await app.tid('deploy').click();
    await expect.poll(async () => (await studio.api.listDeployments()).map((d) => d.flowId)).toEqual(['mock-erp']);
    // Its sample is an XML order: the sample editor shows the XML, and Test request sends it as XML, so the Mock ERP
    // answers with the order's id (sent as a JSON string of the XML, it answered "ERP-").
    await expect(app.tid('sample-body').inputValue()).resolves.toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<ErpOrder /);
    await app.tid('tab-test').click();
    await expect(app.tid('test-headers').inputValue()).resolves.toBe('Content-Type: application/xml');
    await app.tid('test-send').click();
    await expect.poll(() => app.tid('test-response').textContent(), { timeout: 10_000 }).toContain('ERP-SO-100001');
    await app.tid('flow-item-order-to-erp').click();
    await app.node('hook').waitFor();
    // Send test request renders the node's body from what it will receive: the XML the template makes, not the event.
    // Clicked as soon as the flow is open, before its preview (what the node will receive) has arrived: the button
    // waits for it rather than sending the trigger's sample.
    await app.select('erp');
    await app.tid('node-test-send').click();
    await expect.poll(() => app.tid('node-test-result-status').textContent(), { timeout: 15_000 }).toContain('201');
    await expect(app.tid('node-test-result-request').textContent()).resolves.toContain('<Total currency="EUR">1058.8</Total>');
    await expect(app.tid('node-test-result-response').textContent()).resolves.toContain('ERP-SO-100001');
    await app.select('hook');
    await app.tid('run-sample').click();
    await expect.poll(() => app.page.locator('[data-testid^="execution-"] .hl-status').first().textContent(), { timeout: 15_000 }).toBe('Succeeded');
    // The pin still stands in (runs never use it) until it is removed; then the run's answer does.
    await app.select('answer');
    await expect.poll(() => app.tid('sample-data-output').textContent(), { timeout: 10_000 }).toContain('"erpOrderNo": "ERP-PINNED"');
    await app.select('erp');
    await app.tid('pin-remove').click();
    await expect.poll(() => app.tid('sample-data-recorded').count()).toBe(1);
    await expect.poll(() => app.tid('badge-pinned-erp').count()).toBe(0);
    await app.select('answer');
    await expect.poll(() => app.tid('sample-data-output').textContent(), { timeout: 10_000 }).toContain('"erpOrderNo": "ERP-SO-100001"');
    await expect.poll(() => app.tid('preview-note').count()).toBe(0);
    await app.screenshot('examples-02-order-after-run');
  });

  it('Send test request right after an edit sends what the node receives after the edit, waiting for its preview', async () => {
    const { app } = env;
    // A slow preview: the click comes long before the preview of the edited flow is there.
    await app.page.route('**/api/previewFlow', async (route) => {
      await new Promise((r) => setTimeout(r, 1500));
      await route.continue();
    });
    try {
      await app.tid('flow-item-order-to-erp').click();
      await app.node('totals').waitFor();
      await app.select('totals');
      await app.tid('input-fields-0-expression-static').click();
      await app.monaco('input-fields-0-expression');
      await app.page.keyboard.press('Control+End');
      await app.page.keyboard.type(' + 1000');
      await app.select('erp');
      await app.tid('node-test-send').click();
      await expect.poll(() => app.tid('node-test-result-request').count(), { timeout: 15_000 }).toBe(1);
      await expect(app.tid('node-test-result-request').textContent()).resolves.toContain('<Total currency="EUR">2058.8</Total>');
    } finally {
      await app.page.unroute('**/api/previewFlow');
    }
  });
});
