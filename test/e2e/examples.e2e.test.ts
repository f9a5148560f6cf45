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
        // The example posts to the studio's runtime on port 8080; this studio's runtime has a port of its own.
        const erp = order.nodes.find((n: { id: string }) => n.id === 'erp');
        erp.settings.url = erp.settings.url.replace('http://127.0.0.1:8080', studio.runtime.baseUrl);
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
    await app.select('xml');
    await expect.poll(() => app.tid('sample-data-output-text-data').textContent()).toContain('<Total currency="EUR">1058.8</Total>');
    await expect.poll(() => app.tid('input-template-diagnostics').count()).toBe(0);
    await app.screenshot('examples-01-order-xml-on-sample');
    await app.select('answer');
    await expect.poll(() => app.tid('preview-note').textContent()).toMatch(/^The preview stops at “POST to ERP”/);
  });

  it('with Mock ERP deployed, Run with sample goes through the ERP and the answer carries its order number', async () => {
    const { app, studio } = env;
    await app.tid('flow-item-mock-erp').click();
    await app.node('reply').waitFor();
    await app.tid('deploy').click();
    await expect.poll(async () => (await studio.api.listDeployments()).map((d) => d.flowId)).toEqual(['mock-erp']);
    await app.tid('flow-item-order-to-erp').click();
    await app.node('hook').waitFor();
    await app.select('hook');
    await app.tid('run-sample').click();
    await expect.poll(() => app.page.locator('[data-testid^="execution-"] .hl-status').first().textContent(), { timeout: 15_000 }).toBe('Succeeded');
    await app.select('answer');
    await expect.poll(() => app.tid('sample-data-output').textContent(), { timeout: 10_000 }).toContain('"erpOrderNo": "ERP-SO-100001"');
    await expect.poll(() => app.tid('preview-note').count()).toBe(0);
    await app.screenshot('examples-02-order-after-run');
  });
});
