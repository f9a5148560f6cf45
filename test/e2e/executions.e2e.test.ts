import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStudio } from '../../core/host/studio';
import { chainFlow } from '../helpers/runtime';
import { launchBrowser, studioBrowser, StudioPage } from './studio-page';

/**
 * The executions and test-request panels with real runs: HTTP traffic of a Web Integration step, retry with
 * feedback, search by id, a request draft that survives tab and flow switches, the selection following the open
 * flow, and the prompt before leaving with an unsaved edit.
 */
describe('executions panel end to end', () => {
  let studio: Awaited<ReturnType<typeof startStudio>>;
  let browser: Awaited<ReturnType<typeof launchBrowser>>;
  let app: StudioPage;
  let dataDir: string;
  let partner: http.Server;
  let partnerUrl = '';
  let failing = true;

  beforeAll(async () => {
    partner = http.createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        res.writeHead(failing ? 503 : 201, { 'content-type': 'application/json', 'x-partner': 'acme' });
        res.end(JSON.stringify({ ok: !failing }));
      });
    });
    await new Promise<void>((r) => partner.listen(0, '127.0.0.1', r));
    partnerUrl = `http://127.0.0.1:${(partner.address() as { port: number }).port}/orders`;
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hookline-e2e-exec-'));
    studio = await startStudio({ dataDir, port: 0, staticDir: 'dist/renderer' });
    const relay = chainFlow({ path: '/e2e/relay', responseMode: 'requestResponse' }, [
      { type: 'http-request', settings: { method: 'POST', url: partnerUrl, headers: [{ name: 'X-Api-Version', value: '2' }], body: '{"id": {{ data.id }}}' } },
      { type: 'respond' },
    ], { id: 'relay', name: 'A relay' } as never);
    const other = chainFlow({ path: '/e2e/other' }, [{ type: 'log' }], { id: 'other', name: 'B other' } as never);
    (relay.nodes[1] as { name?: string }).name = 'Call partner';
    // Laid out side by side, as a user would have drawn them.
    for (const f of [relay, other]) f.nodes.forEach((n, i) => ((n as { position?: object }).position = { x: 80 + 300 * i, y: 160 }));
    await studio.api.saveFlow(relay);
    await studio.api.saveFlow(other);
    await studio.api.deploy('relay');
    ({ browser, app } = await studioBrowser());
  });

  afterAll(async () => {
    await browser?.close();
    await studio?.close();
    await new Promise((r) => partner?.close(r));
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  /** Opens a bottom-panel tab (clicking the active one would close the panel). */
  async function showTab(name: 'test' | 'executions') {
    const tab = app.tid(`tab-${name}`);
    if (!((await tab.getAttribute('class')) ?? '').includes('active')) await tab.click();
  }

  it('shows the HTTP traffic of a failed call, retries it with feedback, and finds executions by id', async () => {
    const page = app.page;
    await app.open(studio.url);
    await app.tid('flow-item-relay').click();
    await showTab('test');
    await app.tid('test-body').fill('{"id": "A-7"}');
    // The draft is kept when the tab changes.
    await showTab('executions');
    await showTab('test');
    await expect.poll(() => app.tid('test-body').inputValue()).toBe('{"id": "A-7"}');
    await app.tid('test-send').click();
    await expect.poll(() => app.tid('test-status').textContent(), { timeout: 15_000 }).toBe('502');

    await showTab('executions');
    const row = page.locator('li[data-testid^="execution-"]').first();
    await row.waitFor();
    const failedId = (await row.getAttribute('title'))!;
    // Rows name executions by the random end of their id (the start is the time, alike within a minute).
    await expect.poll(() => row.textContent()).toContain(failedId.slice(-8));
    await row.click();
    // The open step's node is outlined on the canvas; only that one.
    const outlined = () => page.locator('.hl-node.is-inspected').evaluateAll((els) => els.map((e) => e.getAttribute('data-testid')));
    await app.tid('step-0').click();
    await expect.poll(outlined).toEqual(['node-hook']);
    await app.tid('step-1').click();
    await expect.poll(outlined).toEqual(['node-n1']);
    await app.tid('step-http').waitFor();
    await expect.poll(() => app.tid('step-http-attempt-1').textContent()).toContain('503');
    await expect.poll(() => app.tid('step-http-request').textContent()).toContain('X-Api-Version: 2');
    await expect.poll(() => app.tid('step-http-request-body').textContent()).toContain('"id": "A-7"');
    await expect.poll(() => app.tid('step-http-response-1').textContent()).toContain('x-partner: acme');
    await app.screenshot('20-execution-http-traffic');
    // With the panel closed, no step is shown, so no node is outlined.
    await app.tid('toggle-bottom').click();
    await expect.poll(outlined).toEqual([]);
    await app.tid('toggle-bottom').click();
    if (!(await app.tid('execution-retry').isVisible())) await row.click();
    await app.tid('step-1').click();

    failing = false;
    await app.tid('execution-retry').click();
    await expect.poll(() => app.tid('toast').textContent()).toMatch(/Retry of …\w{8} started as …\w{8}/);
    await app.tid('toast-action').click();
    await expect.poll(() => app.tid('execution-retry-of').textContent(), { timeout: 10_000 }).toContain(failedId.slice(-8));
    await expect.poll(() => app.tid('execution-id').textContent()).not.toBe(failedId);
    await app.screenshot('21-execution-retried');

    // Search by (a piece of) the id finds exactly that execution.
    await app.tid('executions-search').fill(failedId.slice(-12).toUpperCase());
    await expect.poll(() => page.locator('li[data-testid^="execution-"]').count(), { timeout: 10_000 }).toBe(1);
    await expect.poll(() => page.locator('li[data-testid^="execution-"]').first().getAttribute('title')).toBe(failedId);
  });

  it('another flow starts with its own request, executions and selection; the first keeps its draft', async () => {
    await app.select('n1');
    await expect.poll(() => app.tid('inspector-name').inputValue()).toBe('Call partner');
    await app.tid('flow-item-other').click();
    await expect.poll(() => app.tid('execution-id').count()).toBe(0);
    await showTab('test');
    await expect.poll(() => app.tid('test-path').inputValue()).toBe('/e2e/other');
    // Nothing of the previous flow's selection is left: one click selects one node.
    await app.select('n1');
    await expect.poll(() => app.tid('inspector-name').getAttribute('placeholder')).toBe('Log');
    await app.tid('flow-item-relay').click();
    await showTab('test');
    await expect.poll(() => app.tid('test-body').inputValue()).toBe('{"id": "A-7"}');
  });

  it('asks before leaving while an edit waits to be saved, and has saved it', async () => {
    const page = app.page;
    await app.select('n1');
    const dialogs: string[] = [];
    page.once('dialog', (d) => {
      dialogs.push(d.type());
      void d.dismiss();
    });
    await app.tid('inspector-name').fill('Call the partner');
    await page.reload({ timeout: 5_000 }).catch(() => {}); // the prompt is dismissed: the page stays
    expect(dialogs).toEqual(['beforeunload']);
    await expect.poll(async () => (await studio.api.getFlow('relay')).nodes.find((n) => n.id === 'n1')?.name, { timeout: 10_000 }).toBe('Call the partner');
  });

  it('deleting a live flow says which endpoint goes offline, and Undo brings the endpoint back', async () => {
    const url = `${studio.runtime.baseUrl}/e2e/relay`;
    const post = () => fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"id": "D-1"}' }).then((r) => r.status);
    expect(await post()).toBe(200);
    await app.tid('flow-item-relay').hover();
    await app.tid('flow-delete-relay').click();
    await expect.poll(() => app.tid('toast').textContent()).toContain('POST /e2e/relay no longer answers');
    expect(await post()).toBe(404);
    await app.tid('toast-action').click();
    await expect.poll(post, { timeout: 10_000 }).toBe(200);
    await expect.poll(() => app.tid('deploy-state').textContent(), { timeout: 10_000 }).toMatch(/^Live/);
  });
});

