import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStudio } from '../../core/host/studio';
import { launchBrowser, studioBrowser, StudioPage } from './studio-page';

/** Parses the cURL command the studio shows (the format of renderer/inspector/curl.ts). */
function parseCurl(text: string): { method: string; url: string; headers: Record<string, string>; body?: string } {
  const unq = (s: string) => s.replace(/'\\''/g, "'");
  const first = /curl -X (\w+) '((?:[^']|'\\'')*)'/.exec(text);
  if (!first) throw new Error(`not a cURL command: ${text}`);
  const headers: Record<string, string> = {};
  for (const m of text.matchAll(/-H '((?:[^']|'\\'')*)'/g)) {
    const h = unq(m[1]);
    const i = h.indexOf(':');
    headers[h.slice(0, i)] = h.slice(i + 1).trim();
  }
  const body = /--data '((?:[^']|'\\'')*)'/.exec(text);
  return { method: first[1], url: unq(first[2]), headers, body: body ? unq(body[1]) : undefined };
}

const SAMPLE = { orderId: 'A-1', customer: { name: 'Ada' } };

describe('browser studio end to end', () => {
  let studio: Awaited<ReturnType<typeof startStudio>>;
  let browser: Awaited<ReturnType<typeof launchBrowser>>;
  let app: StudioPage;
  let dataDir: string;
  const mid = 'map-1';

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hookline-e2e-'));
    studio = await startStudio({ dataDir, port: 0, staticDir: 'dist/renderer' });
    ({ browser, app } = await studioBrowser());
  });

  afterAll(async () => {
    await browser?.close();
    await studio?.close();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('builds a flow by drag and drop, configures it, deploys it and answers the copied cURL call', async () => {
    const page = browser.page;
    await app.open(studio.url);
    await expect(app.tid('canvas-empty').isVisible()).resolves.toBe(true);
    await app.screenshot('01-empty-canvas');

    await app.dragFromPalette('webhook', 140, 220);
    await app.dragFromPalette('map', 440, 220);
    await app.dragFromPalette('respond', 740, 220);
    for (const id of ['webhook-1', mid, 'respond-1']) await app.node(id).waitFor();
    await app.connect('webhook-1', mid);
    await app.connect(mid, 'respond-1');
    await expect.poll(() => app.edges().count()).toBe(2);
    // Nothing may flow into a trigger: the wire is refused.
    await app.connect('respond-1', 'webhook-1').catch(() => {});
    await expect.poll(() => app.edges().count()).toBe(2);

    // Webhook trigger: path, request-response, API key, pinned sample.
    await app.select('webhook-1');
    await app.tid('input-path').fill('/e2e/orders');
    await expect.poll(() => app.tid('node-subtitle-webhook-1').textContent()).toBe('POST /e2e/orders');
    // Acknowledging at once while a Respond follows: a warning (amber, not an error) says the Respond answers no one.
    await expect.poll(() => app.tid('warning-responseMode').textContent(), { timeout: 10_000 }).toContain('the Respond node "respond-1" after it answers no one');
    await expect(app.tid('badge-warnings-webhook-1').isVisible()).resolves.toBe(true);
    await expect(app.tid('problems-count').textContent()).resolves.toBe('0');
    await app.tid('input-responseMode').selectOption('requestResponse');
    await expect.poll(() => app.tid('warning-responseMode').count(), { timeout: 10_000 }).toBe(0);
    await app.tid('input-auth.type').selectOption('apiKey');
    await expect.poll(() => app.tid('error-auth.keys').first().textContent()).toContain('at least one API key');
    await app.tid('input-auth.keys-generate').click();
    await app.tid('input-auth.keys-0-value').waitFor();
    await expect(app.tid('error-auth.keys').count()).resolves.toBe(0);
    await app.tid('sample-body').fill(JSON.stringify(SAMPLE));
    await app.tid('sample-pin').click();
    await app.screenshot('02-webhook-inspector');

    // Map: a JSONata expression in Monaco, with completion from the pinned sample and a live preview.
    await app.select('map-1');
    await app.monaco('input-expression');
    await page.keyboard.press('Control+a');
    await page.keyboard.type('{ "id": data.ord', { delay: 30 });
    await page.locator('.suggest-widget.visible').getByText('orderId').first().waitFor();
    await page.keyboard.press('Enter');
    await page.keyboard.type(', "who": data.customer.name }', { delay: 20 });
    await expect.poll(() => app.tid('input-expression-preview').textContent()).toContain('"who": "Ada"');
    await app.screenshot('03a-map-expression');

    // Respond: a JSON template in Monaco — accept a completion, see a marker for a wrong token, fix it.
    await app.select('respond-1');
    await app.tid('input-bodyMode').selectOption('template');
    await app.tid('input-templateKind').selectOption('json');
    const ed = await app.monaco('input-template');
    await page.keyboard.press('Control+a');
    await page.keyboard.type('{"order": "{{ trigger.body.ord', { delay: 30 });
    const suggest = page.locator('.suggest-widget.visible');
    await suggest.getByText('orderId').first().waitFor();
    await page.keyboard.press('Enter');
    await page.keyboard.type(' }}{{ data.nope }}', { delay: 20 });
    await expect.poll(() => app.tid('input-template-diagnostics').textContent()).toContain('data.nope');
    await expect.poll(() => ed.locator('.squiggly-warning, .squiggly-error').count()).toBeGreaterThan(0);
    await app.screenshot('03-template-editor');
    for (let i = 0; i < '{{ data.nope }}'.length; i++) await page.keyboard.press('Backspace');
    await page.keyboard.type('", "mapped": {{ data }} }', { delay: 20 });
    await expect.poll(() => app.tid('input-template-preview').textContent()).toContain('"order": "A-1"');
    await expect(app.tid('input-template-diagnostics').count()).resolves.toBe(0);
    // Wide mode: pick a field from the data tree next to the editor.
    await app.tid('input-template-expand').click();
    await app.monaco('input-template');
    await page.keyboard.press('Control+End');
    for (let i = 0; i < 2; i++) await page.keyboard.press('Backspace');
    await page.keyboard.type(', "name": "', { delay: 20 });
    await app.tid('input-template-tree').locator('li[title="Insert trigger.body.customer.name"]').click();
    await page.keyboard.type('" }', { delay: 20 });
    await expect.poll(() => app.tid('input-template-preview').textContent()).toContain('"name": "Ada"');
    await app.screenshot('03b-template-editor-wide');
    await app.tid('input-template-expand').click();

    // Deploy and call the endpoint with the details of the copied cURL command.
    await app.tid('deploy').click();
    await expect.poll(() => app.tid('deploy-state').textContent(), { timeout: 15_000 }).toMatch(/^Live · rev \d+$/);
    await app.select('webhook-1');
    await expect.poll(() => app.tid('endpoint-state').textContent()).toBe('live');
    await app.tid('copy-curl').click();
    const curl = parseCurl((await app.tid('webhook-curl').textContent())!);
    expect(curl.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/e2e\/orders$/);
    expect(JSON.parse(curl.body!)).toEqual(SAMPLE);
    const res = await fetch(curl.url, { method: curl.method, headers: curl.headers, body: curl.body });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ order: 'A-1', mapped: { id: 'A-1', who: 'Ada' }, name: 'Ada' });
    const { 'X-API-Key': _key, ...noKey } = curl.headers;
    expect((await fetch(curl.url, { method: 'POST', headers: noKey, body: curl.body })).status).toBe(401);
    await expect.poll(() => app.tid('trigger-stats').textContent(), { timeout: 10_000 }).toContain('1 refused by auth');

    await app.tid('badge-run-respond-1').waitFor({ timeout: 10_000 });
    await app.screenshot('04-deployed-after-run');

    await app.tid('tab-executions').click();
    const first = page.locator('[data-testid^="execution-"]').first();
    await first.waitFor();
    await first.click();
    await app.tid('step-0').waitFor();
    await expect.poll(() => app.tid('step-input').textContent()).toContain('A-1');
    await app.screenshot('05-executions');

    await app.tid('tab-test').click();
    await app.tid('test-send').click();
    await expect.poll(() => app.tid('test-status').textContent()).toBe('200');
    await expect.poll(() => app.tid('test-response-body').textContent()).toContain('"who":"Ada"');
    await app.screenshot('06-test-request');
    await app.tid('toggle-bottom').click();
  });

  it('lists problems and selects the node and field from the problems panel', async () => {
    await app.select('webhook-1');
    await app.tid('input-path').fill('no-slash');
    await expect.poll(() => app.tid('error-path').textContent()).toContain('must start with "/"');
    await expect.poll(() => app.tid('problems-count').textContent(), { timeout: 10_000 }).not.toBe('0');
    await app.tid('problems-button').click();
    await app.tid('problems-panel').waitFor();
    await app.page.locator('.react-flow__pane').click({ position: { x: 40, y: 500 } });
    await app.tid('problem-0').click();
    await expect.poll(() => app.tid('inspector-name').getAttribute('placeholder')).toBe('Webhook');
    await app.screenshot('07-problems');
    await app.tid('input-path').fill('/e2e/orders');
    await expect.poll(() => app.tid('problems-count').textContent(), { timeout: 10_000 }).toBe('0');
    await app.tid('problems-button').click();
  });

  it('undoes and redoes document changes, and a reload keeps the flow', async () => {
    const page = app.page;
    const count = () => page.locator('.react-flow__node').count();
    await page.locator('.react-flow__pane').click({ position: { x: 40, y: 500 } });
    const before = await count();
    await app.tid('palette-log').click();
    await expect.poll(count).toBe(before + 1);
    await page.locator('.react-flow__pane').click({ position: { x: 40, y: 500 } });
    await page.keyboard.press('Control+z');
    await expect.poll(count).toBe(before);
    await page.keyboard.press('Control+Shift+z');
    await expect.poll(count).toBe(before + 1);
    await app.tid('undo').click();
    await expect.poll(count).toBe(before);

    // Copy / paste the whole flow (one undo step), then auto-layout (one undo step).
    await page.locator('.react-flow__pane').click({ position: { x: 40, y: 500 } });
    await page.keyboard.press('Control+a');
    await page.keyboard.press('Control+c');
    await page.keyboard.press('Control+v');
    await expect.poll(count).toBe(before * 2);
    await expect.poll(() => app.edges().count()).toBe(4);
    await page.keyboard.press('Control+z');
    await expect.poll(count).toBe(before);
    const pos = () => app.node('respond-1').boundingBox();
    const p0 = await pos();
    await app.tid('auto-layout').click();
    await expect.poll(async () => JSON.stringify(await pos())).not.toBe(JSON.stringify(p0));
    await app.tid('undo').click();

    await expect.poll(() => app.tid('save-status').getAttribute('data-dirty'), { timeout: 10_000 }).toBe('false');
    await page.reload();
    await app.waitReady();
    await expect.poll(count).toBe(3);
    await expect.poll(() => app.edges().count()).toBe(2);
    await expect.poll(() => app.tid('node-subtitle-webhook-1').textContent()).toBe('POST /e2e/orders');
    await app.screenshot('08-after-reload');

    await page.keyboard.press('?');
    await app.tid('cheat-sheet').waitFor();
    await app.screenshot('09-shortcuts');
    await page.keyboard.press('Escape');
    await page.emulateMedia({ colorScheme: 'dark' });
    await app.select('webhook-1');
    await app.screenshot('10-dark-theme');
    await page.emulateMedia({ colorScheme: 'light' });
  });

  it('pastes nodes copied as JSON elsewhere (another studio, a file), and says why when they are broken', async () => {
    const page = app.page;
    const count = () => page.locator('.react-flow__node').count();
    const before = await count();
    const edges = await app.edges().count();
    const put = (text: string) => page.evaluate(`navigator.clipboard.writeText(${JSON.stringify(text)})`);
    await put(JSON.stringify({ nodes: [{ id: 'a', type: 'log', position: { x: 9000, y: 9000 } }, { id: 'b', type: 'delay', position: { x: 9300, y: 9000 } }], edges: [{ source: 'a', target: 'b' }] }));
    await page.locator('.react-flow__pane').click({ position: { x: 40, y: 500 } });
    await page.keyboard.press('Control+v');
    await expect.poll(count).toBe(before + 2);
    await expect.poll(() => app.edges().count()).toBe(edges + 1);
    // Far away where they came from: placed in view (and selected) instead.
    const pane = (await page.locator('.react-flow__pane').boundingBox())!;
    const log = (await app.node('log-1').boundingBox())!;
    expect(log.x).toBeGreaterThan(pane.x);
    expect(log.x).toBeLessThan(pane.x + pane.width);
    await put('{"nodes":[{"id":"x","type":"n8n-nodes-base.set"}]}');
    await page.locator('.react-flow__pane').click({ position: { x: 40, y: 500 } });
    await page.keyboard.press('Control+v');
    await expect.poll(() => app.tid('toast').textContent()).toContain('unknown node type "n8n-nodes-base.set"');
    // Plain text is not nodes: nothing happens.
    await put('https://partner.example/orders');
    await page.keyboard.press('Control+v');
    await page.waitForTimeout(200);
    expect(await count()).toBe(before + 2);
    await page.keyboard.press('Control+z');
    await expect.poll(count).toBe(before);
  });
  it('manages flows in the sidebar: create, rename, duplicate, search, delete with undo', async () => {
    const page = app.page;
    const items = () => page.locator('[data-testid^="flow-item-"]');
    const before = await items().count();
    await app.tid('flow-new').click();
    await expect.poll(() => items().count()).toBe(before + 1);
    await app.tid('canvas-empty').waitFor();
    const created = items().filter({ hasText: 'Untitled flow' });
    const id = (await created.getAttribute('data-testid'))!.replace('flow-item-', '');
    await created.dblclick();
    await app.tid('flow-rename-input').fill('Second flow');
    await app.tid('flow-rename-input').press('Enter');
    await expect.poll(() => app.tid('flow-name').inputValue()).toBe('Second flow');
    await app.tid(`flow-item-${id}`).hover();
    await app.tid(`flow-duplicate-${id}`).click();
    await expect.poll(() => items().filter({ hasText: 'Second flow (copy)' }).count()).toBe(1);
    await app.tid('flow-search').fill('second');
    await expect.poll(() => items().count()).toBe(2);
    await app.screenshot('11-flow-list');
    await app.tid('flow-search').fill('');
    await app.tid(`flow-item-${id}`).hover();
    await app.tid(`flow-delete-${id}`).click();
    await expect.poll(() => app.tid(`flow-item-${id}`).count()).toBe(0);
    await app.tid('toast-action').click();
    await expect.poll(() => app.tid(`flow-item-${id}`).count()).toBe(1);
    await expect.poll(() => app.tid('flow-name').inputValue()).toBe('Second flow');
  });

  it('loads without console errors: the icon is inline, so no /favicon.ico request fails', async () => {
    const page = await browser.context.newPage();
    const errors: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    try {
      await page.goto(studio.url);
      await page.locator('[data-testid="app"][data-app-state="ready"]').waitFor({ timeout: 30_000 });
      await page.waitForLoadState('networkidle');
      expect(await page.evaluate(`document.querySelector('link[rel="icon"]')?.getAttribute('href')`)).toMatch(/^data:image\/svg\+xml,/);
      expect(errors).toEqual([]);
    } finally {
      await page.close();
    }
  });
});
