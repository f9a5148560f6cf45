import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStudio } from '../../core/host/studio';
import { launchBrowser, StudioPage } from './studio-page';

const BODY = { orderId: 'A-1', lines: [{ sku: 'S1', qty: 2, price: 9.5 }, { sku: 'S2', qty: 1, price: 100 }] };

/** Webhook -> Set (a flow variable) -> Map -> Template (XML, failing on missing values) -> Respond. */
const FLOW = {
  formatVersion: 1,
  id: 'data-nodes',
  name: 'Data nodes',
  nodes: [
    { id: 'hook', type: 'webhook', position: { x: 0, y: 80 }, settings: { methods: ['POST'], path: '/e2e/data', responseMode: 'requestResponse', timeoutMs: 5000 } },
    { id: 'set', type: 'set', position: { x: 260, y: 80 }, settings: { fields: [{ name: 'vars.count', expression: '$count(data.lines)' }] } },
    { id: 'map', type: 'map', position: { x: 520, y: 80 }, settings: { expression: '{ "count": $vars.count, "id": data.orderId, "lines": data.lines }' } },
    {
      id: 'tpl',
      type: 'template',
      position: { x: 780, y: 80 },
      settings: { kind: 'xml', template: '<Order id="{{ data.id }}"><Note>{{ data.note }}</Note></Order>', target: 'data', missing: 'fail' },
    },
    { id: 'reply', type: 'respond', position: { x: 1040, y: 80 }, settings: { status: 200, bodyMode: 'data' } },
    { id: 'route', type: 'switch', position: { x: 780, y: 260 }, settings: { mode: 'first', cases: [{ id: 'many', label: 'Many lines', expression: '$count(data.lines) > 1' }] } },
  ],
  edges: [
    { id: 'e1', source: 'hook', target: 'set' },
    { id: 'e2', source: 'set', target: 'map' },
    { id: 'e3', source: 'map', target: 'tpl' },
    { id: 'e4', source: 'tpl', target: 'reply' },
    { id: 'e5', source: 'map', target: 'route' },
  ],
  sample: { trigger: { body: BODY, query: {}, headers: {} }, data: BODY, vars: {} },
};

describe('data-processing nodes in the studio', () => {
  let studio: Awaited<ReturnType<typeof startStudio>>;
  let browser: Awaited<ReturnType<typeof launchBrowser>>;
  let app: StudioPage;
  let dataDir: string;

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hookline-e2e-data-'));
    studio = await startStudio({ dataDir, port: 0, staticDir: 'dist/renderer' });
    studio.flows.save(FLOW as never);
    browser = await launchBrowser();
    app = new StudioPage(browser.page);
    await app.open(studio.url);
    await app.tid('flow-item-data-nodes').click();
    await app.node('tpl').waitFor();
  });

  afterAll(async () => {
    await browser?.close();
    await studio?.close();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('previews a template with the node\'s missing-value policy, as the run fails', async () => {
    await app.select('tpl');
    await expect.poll(() => app.tid('input-template-preview').textContent()).toMatch(/\{\{ data\.note \}\} at line 1, column \d+: has no value/);
    await app.screenshot('data-01-template-missing-fail');
    await app.tid('input-missing').selectOption('empty');
    await expect.poll(() => app.tid('input-template-preview').textContent()).toContain('<Note></Note>');
    // An advanced option set back to its default stays on screen while it is being edited.
    await expect(app.tid('input-missing').isVisible()).resolves.toBe(true);
    await app.tid('input-missing').selectOption('fail');
  });

  it('previews an expression with $vars from the node\'s input of the last run', async () => {
    await app.select('hook');
    await app.tid('run-sample').click();
    await app.tid('step-0').waitFor({ timeout: 15_000 });
    await app.select('map');
    await expect.poll(() => app.tid('input-expression-preview').textContent()).toContain('"count": 2');
    await app.screenshot('data-02-map-vars-preview');
  });

  /** Replaces a row's expression: the row shows plain text until clicked, then the editor. */
  async function typeInRow(testId: string, text: string) {
    const shown = app.tid(`${testId}-static`);
    if (await shown.count()) await shown.click();
    await app.monaco(testId);
    await browser.page.keyboard.press('Control+a');
    await browser.page.keyboard.type(text, { delay: 10 });
    await browser.page.keyboard.press('Escape');
  }

  it('previews what Set fields makes of its input, and names a broken row', async () => {
    await app.select('set');
    await expect.poll(() => app.tid('set-preview').textContent()).toContain('"count": 2');
    await expect.poll(() => app.tid('input-fields-0-expression-static').textContent()).toBe('$count(data.lines)');
    await typeInRow('input-fields-0-expression', '$count(data.lines) +');
    await expect.poll(() => app.tid('set-preview').textContent()).toMatch(/^Preview with sampleRow 1 · Expression: /);
    await app.screenshot('data-025-set-preview-error');
    await typeInRow('input-fields-0-expression', '$count(data.lines)');
    await expect.poll(() => app.tid('set-preview').textContent()).toContain('"count": 2');
  });

  it('completes and checks a Set row against the sample, as the node\'s own expressions', async () => {
    await app.select('set');
    const page = browser.page;
    await app.tid('input-fields-add').click();
    await app.tid('input-fields-1-expression-static').click();
    await app.monaco('input-fields-1-expression');
    await page.keyboard.type('data.li', { delay: 20 });
    const suggest = page.locator('.suggest-widget.visible');
    await suggest.getByText('lines').first().waitFor();
    await app.screenshot('data-027-set-row-completion');
    await page.keyboard.press('Escape');
    await page.keyboard.press('Control+a');
    await page.keyboard.type('data.orderID', { delay: 10 });
    await page.keyboard.press('Escape');
    await expect.poll(() => app.tid('input-fields-1-expression-diagnostics').textContent()).toContain('did you mean "data.orderId"?');
    await app.tid('input-fields').locator('button[title="Remove"]').nth(1).click();
    await expect.poll(() => app.tid('input-fields-1-expression').count()).toBe(0);
  });

  it('previews which output a Switch sends its input to', async () => {
    await app.select('route');
    await expect.poll(() => app.tid('route-preview').textContent()).toBe('Preview with sample→ Many lines (many)');
    await typeInRow('input-cases-0-expression', '$count(data.lines) > 5');
    await expect.poll(() => app.tid('route-preview').textContent()).toBe('Preview with sample→ default');
    await app.screenshot('data-026-switch-preview');
  });

  it('completes the fields of a loop variable inside {{#each}} in a template', async () => {
    await app.select('tpl');
    await app.tid('input-missing').selectOption('empty');
    const page = browser.page;
    await app.monaco('input-template');
    await page.keyboard.press('Control+a');
    await page.keyboard.type('<Order>{{#each data.lines as line, i}}<Line no="{{ i + 1 }}" sku="{{ line.', { delay: 20 });
    const suggest = page.locator('.suggest-widget.visible');
    await suggest.getByText('sku').first().waitFor();
    await page.keyboard.press('Enter');
    await page.keyboard.type(' }}"/>{{/each}}</Order>', { delay: 20 });
    await expect.poll(() => app.tid('input-template-preview').textContent()).toContain('<Line no="2" sku="S2"/>');
    await app.screenshot('data-03-template-loop-completion');
  });

  it('shows a text output (the XML) as it reads in the executions panel, data before the trigger', async () => {
    await app.select('hook');
    await app.tid('run-sample').click();
    await expect.poll(() => app.page.locator('[data-testid^="execution-"] .hl-status').first().textContent(), { timeout: 15_000 }).toBe('Succeeded');
    await app.tid('step-3').click();
    await expect.poll(() => app.tid('step-output-text-data').textContent()).toBe('<Order><Line no="1" sku="S1"/><Line no="2" sku="S2"/></Order>');
    await expect.poll(async () => (await app.tid('step-output').textContent())!.trimStart().startsWith('{\n  "data"')).toBe(true);
    await app.screenshot('data-04-execution-xml-output');
  });
});
