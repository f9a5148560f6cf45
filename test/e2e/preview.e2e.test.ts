import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStudio } from './studio-page';

const BODY = { orderId: 'A-1', qty: 3, price: 2.5 };

/** Webhook -> Set (adds total) -> Template (XML) -> Web Integration to a local partner -> Map -> Respond. */
function flow(partnerUrl: string) {
  return {
    formatVersion: 1,
    id: 'preview',
    name: 'Preview through nodes',
    nodes: [
      { id: 'hook', type: 'webhook', position: { x: 0, y: 80 }, settings: { methods: ['POST'], path: '/e2e/preview', responseMode: 'requestResponse', timeoutMs: 5000 } },
      { id: 'calc', type: 'set', position: { x: 260, y: 80 }, settings: { fields: [{ name: 'data.total', expression: 'data.qty * data.price' }] } },
      { id: 'tpl', type: 'template', position: { x: 520, y: 80 }, settings: { kind: 'xml', template: '<Order id="{{ data.orderId }}" total="{{ data.total }}"/>', target: 'data' } },
      { id: 'erp', type: 'http-request', name: 'Call ERP', position: { x: 780, y: 80 }, settings: { method: 'POST', url: partnerUrl, body: '{{ data }}', contentType: 'application/xml', output: 'body' } },
      { id: 'pick', type: 'map', position: { x: 1040, y: 80 }, settings: { expression: '{ "erp": data.orderNo }' } },
      { id: 'reply', type: 'respond', position: { x: 1300, y: 80 }, settings: { status: 200, bodyMode: 'data' } },
      { id: 'check', type: 'validate', position: { x: 520, y: 260 }, settings: { schema: { type: 'object', required: ['customer'] } } },
    ],
    edges: [
      ...['calc', 'tpl', 'erp', 'pick', 'reply'].map((t, i, all) => ({ id: `e${i + 1}`, source: i === 0 ? 'hook' : all[i - 1], target: t })),
      { id: 'e6', source: 'calc', target: 'check' },
    ],
    sample: { trigger: { body: BODY, query: {}, headers: {} }, data: BODY, vars: {} },
  };
}

/** Schedule -> Set (since = the tick's time) and -> Set (stamp), meeting at a Log; a request sample pinned that must not be used. */
const nightly = {
  formatVersion: 1,
  id: 'nightly',
  name: 'Nightly sync',
  nodes: [
    { id: 'tick', type: 'schedule', position: { x: 0, y: 0 }, settings: { mode: 'cron', cron: '0 2 * * *' } },
    { id: 'since', type: 'set', position: { x: 300, y: 0 }, settings: { fields: [{ name: 'since', expression: 'data.scheduledAt' }] } },
    { id: 'stamp', type: 'set', position: { x: 300, y: 200 }, settings: { fields: [{ name: 'stamp', expression: '"b"' }] } },
    { id: 'done', type: 'log', position: { x: 600, y: 100 }, settings: {} },
  ],
  edges: [
    { id: 'e1', source: 'tick', target: 'since' },
    { id: 'e2', source: 'tick', target: 'stamp' },
    { id: 'e3', source: 'since', target: 'done' },
    { id: 'e4', source: 'stamp', target: 'done' },
  ],
  sample: { orderId: 'A-1' },
};

describe('nodes after a data-changing node preview what they will receive', () => {
  let env: Awaited<ReturnType<typeof openStudio>>;
  let partner: http.Server;
  let partnerCalls = 0;

  beforeAll(async () => {
    partner = http.createServer((req, res) => {
      partnerCalls++;
      req.resume();
      req.on('end', () => res.setHeader('content-type', 'application/json').end('{"orderNo":"ERP-77","accepted":true}'));
    });
    await new Promise<void>((r) => partner.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(partner.address() as AddressInfo).port}/orders`;
    env = await openStudio({ prefix: 'preview', flows: [flow(url), nightly] });
    await env.app.tid('flow-item-preview').click();
    await env.app.node('tpl').waitFor();
  });

  afterAll(async () => {
    await env?.close();
    await new Promise((r) => partner?.close(r));
  });

  it('a Template after a Set is checked and previewed with the field the Set adds, before any run', async () => {
    const { app } = env;
    await app.select('tpl');
    await expect.poll(() => app.tid('input-template-preview').textContent()).toContain('<Order id="A-1" total="7.5"/>');
    await expect.poll(() => app.tid('input-template-diagnostics').count()).toBe(0);
    await expect(app.tid('preview-note').count()).resolves.toBe(0);
    // Its output on the sample next to its settings: the XML as it reads.
    await expect.poll(() => app.tid('sample-data-output-text-data').textContent()).toBe('<Order id="A-1" total="7.5"/>');
    await app.screenshot('preview-01-template-after-set');
    await app.select('calc');
    await expect.poll(() => app.tid('sample-data-output').textContent()).toContain('"total": 7.5');
    await app.tid('sample-data-input-tab').click();
    await expect.poll(() => app.tid('sample-data-input').textContent()).not.toContain('total');
    await app.tid('sample-data-output-tab').click();
  });

  it('a node after a Web Integration that has not run says so, and is checked against the sample meanwhile', async () => {
    const { app } = env;
    await app.select('pick');
    await expect.poll(() => app.tid('preview-note').textContent()).toBe(
      "The preview stops at “Call ERP”: it calls out, which a preview never does; run the flow once (Run with sample) or pin a sample answer to use here. Fields here are checked against the trigger's sample instead.",
    );
    await expect.poll(() => app.tid('input-expression-diagnostics').textContent()).toContain('data.orderNo');
    await app.screenshot('preview-02-after-outbound-not-run');
    await app.select('erp');
    await expect.poll(() => app.tid('sample-data-none').textContent()).toMatch(/^No output: it calls out, which a preview never does/);
    await app.tid('sample-data-input-tab').click();
    await expect.poll(() => app.tid('sample-data-input-text-data').textContent()).toBe('<Order id="A-1" total="7.5"/>');
    await app.tid('sample-data-output-tab').click();
    expect(partnerCalls).toBe(0);
  });

  it("after one run, the Web Integration's recorded answer flows on: no note, no unknown field, a preview of the result", async () => {
    const { app } = env;
    await app.select('hook');
    await app.tid('run-sample').click();
    await expect.poll(() => partnerCalls, { timeout: 15_000 }).toBe(1);
    await app.select('pick');
    await expect.poll(() => app.tid('input-expression-preview').textContent(), { timeout: 10_000 }).toContain('"erp": "ERP-77"');
    await expect.poll(() => app.tid('preview-note').count()).toBe(0);
    await expect.poll(() => app.tid('input-expression-diagnostics').count()).toBe(0);
    await app.screenshot('preview-03-after-outbound-recorded');
    await app.select('erp');
    // The URL is a one-line template: its editor is one line tall (no line numbers), the body's is not.
    const url = (await app.tid('input-url-monaco').boundingBox())!;
    expect(url.height).toBeLessThan(40);
    expect((await app.tid('input-body-monaco').boundingBox())!.height).toBeGreaterThan(100);
    await expect.poll(() => app.tid('sample-data-recorded').count()).toBe(1);
    await expect.poll(() => app.tid('sample-data-output').textContent()).toContain('"orderNo": "ERP-77"');
    await app.screenshot('preview-03b-outbound-recorded-answer');
    expect(partnerCalls).toBe(1);
  });

  it('a node that fails on the sample says so, and the nodes after it explain where the preview stopped', async () => {
    const { app, browser } = env;
    await app.select('check');
    await expect.poll(() => app.tid('preview-failure').textContent()).toMatch(/^On the sample this node fails: .*customer/);
    await expect.poll(() => app.tid('sample-data-error').textContent()).toContain('customer');
    await app.screenshot('preview-04-node-fails-on-sample');
    // A Set shows its own error in its result preview: no second notice.
    await app.select('calc');
    await app.tid('input-fields-0-expression-static').click();
    await app.monaco('input-fields-0-expression');
    await browser.page.keyboard.press('Control+a');
    await browser.page.keyboard.type('$error("no price")', { delay: 10 });
    await browser.page.keyboard.press('Escape');
    await expect.poll(() => app.tid('set-preview').textContent()).toContain('no price');
    await expect(app.tid('preview-failure').count()).resolves.toBe(0);
    await app.select('tpl');
    await expect.poll(() => app.tid('preview-note').textContent()).toMatch(/^The preview stops at “Set fields”: it fails on the sample \(.*no price.*\)\. Fields here are checked against its input in the latest run instead\.$/);
    await app.screenshot('preview-05-after-failing-node');
  });

  it('D disables the selected node (n8n\'s shortcut): it passes the sample through, and D again enables it', async () => {
    const { app, browser } = env;
    // The Set that fails on the sample (previous test), disabled: the template gets the sample as it came.
    await app.select('calc');
    await browser.page.keyboard.press('d');
    await expect.poll(() => app.node('calc').getAttribute('class')).toContain('is-disabled');
    await app.select('tpl');
    await expect.poll(() => app.tid('preview-note').count()).toBe(0);
    await expect.poll(() => app.tid('sample-data-output-text-data').textContent()).toBe('<Order id="A-1" total=""/>');
    await app.screenshot('preview-06-disabled-node-passes-through');
    await app.select('calc');
    await browser.page.keyboard.press('d');
    await expect.poll(() => app.node('calc').getAttribute('class')).not.toContain('is-disabled');
    await app.select('tpl');
    await expect.poll(() => app.tid('preview-note').textContent()).toMatch(/^The preview stops at “Set fields”/);
  });

  it("a Schedule's flow previews and runs with a tick made now, not a request sample", async () => {
    const { app } = env;
    await app.tid('flow-item-nightly').click();
    await app.select('tick');
    await app.tid('schedule-sample').waitFor();
    await expect(app.tid('sample-body').count()).resolves.toBe(0);
    expect(JSON.parse((await app.tid('schedule-sample-data').textContent())!)).toEqual({ scheduledAt: expect.stringMatching(/^20\d\d-/), firedAt: expect.stringMatching(/^20\d\d-/) });
    await app.select('since');
    await expect.poll(async () => JSON.parse((await app.tid('sample-data-output').textContent()) ?? '{}').data?.since ?? '').toMatch(/^20\d\d-\d\d-\d\dT/);
    await expect(app.tid('preview-note').count()).resolves.toBe(0);
    await expect(app.tid('sample-data-reached').textContent()).resolves.toBe('on the sample');
    await app.screenshot('preview-07-schedule-tick');
    // Both branches reach the Log: it shows the first message and says how many came.
    await app.select('done');
    await expect.poll(() => app.tid('sample-data-reached').textContent()).toBe('on the sample · first of 2');
    // Notes (n8n's Notes, Node-RED's Description): kept with the node, a note badge on the card shows them on hover.
    await app.tid('input-notes').fill('Nightly export for the ERP team (ticket OPS-42)');
    await expect.poll(() => app.tid('badge-note-done').getAttribute('title')).toBe('Nightly export for the ERP team (ticket OPS-42)');
    await expect.poll(async () => (await env.studio.api.getFlow('nightly')).nodes.find((n) => n.id === 'done')?.notes, { timeout: 10_000 }).toBe('Nightly export for the ERP team (ticket OPS-42)');
    await app.select('tick');
    await app.tid('run-sample').click();
    await app.tid('step-4').waitFor({ timeout: 15_000 });
    await expect.poll(() => app.tid('bottom-panel').textContent()).toContain('Succeeded');
  });

  it('Run with sample at a webhook with nothing pinned says so instead of running on null; after a request came in it runs with that', async () => {
    const { app } = env;
    await app.tid('flow-new').click();
    await app.tid('canvas-empty').waitFor();
    await app.tid('palette-webhook').click();
    await app.tid('palette-log').click();
    await app.select('webhook-1');
    await app.tid('run-sample').click();
    await expect.poll(() => app.tid('toast').textContent()).toBe('Nothing to run with yet: pin a request body under Sample data, or send a Test request first.');
    await expect(app.tid('step-0').count()).resolves.toBe(0);
    await app.tid('deploy').click();
    await expect.poll(() => app.tid('endpoint-state').textContent(), { timeout: 15_000 }).toBe('live');
    await app.tid('tab-test').click();
    await app.tid('test-send').click();
    await app.tid('test-open-execution').click({ timeout: 15_000 });
    await app.tid('execution-id').waitFor({ timeout: 15_000 });
    const first = await app.tid('execution-id').textContent();
    await app.tid('run-sample').click();
    await expect.poll(() => app.tid('execution-id').textContent(), { timeout: 15_000 }).not.toBe(first);
    await app.tid('step-0').click();
    await expect.poll(() => app.tid('bottom-panel').textContent()).toContain('"hello": "world"');
  });

  it('a sticky note: added from the palette (never linked), its text on the card, no preview or error handling', async () => {
    const { app } = env;
    await app.select('log-1');
    const edges = await app.edges().count();
    await app.tid('palette-note').click();
    await app.tid('node-note-1').waitFor();
    expect(await app.edges().count()).toBe(edges);
    // Selected on a spot partly out of view: scrolled into it.
    await expect.poll(async () => {
      const [n, c] = [await app.tid('node-note-1').boundingBox(), await app.tid('canvas').boundingBox()];
      return n!.x >= c!.x && n!.x + n!.width <= c!.x + c!.width;
    }).toBe(true);
    await expect(app.tid('sticky-text-note-1').textContent()).resolves.toBe('Empty note: select it to write');
    await app.tid('input-text').fill('Owner: Ada (OPS-42)\nLogs every order.');
    await expect.poll(() => app.tid('sticky-text-note-1').textContent()).toBe('Owner: Ada (OPS-42)\nLogs every order.');
    await app.tid('input-color').selectOption('blue');
    await expect.poll(() => app.tid('node-note-1').getAttribute('class')).toContain('sticky-blue');
    expect(await app.tid('input-onError').count()).toBe(0);
    expect(await app.tid('preview-note').count()).toBe(0);
    await app.screenshot('preview-08-sticky-note');
  });

  it('a sticky note is resized by dragging its corner (one undo step) or by typing its size', async () => {
    const { app } = env;
    const page = app.page;
    await app.tid('sticky-text-note-1').click();
    await app.tid('input-width').waitFor();
    const box = async () => (await app.tid('node-note-1').boundingBox())!;
    const before = await box();
    expect(await app.tid('input-height').inputValue()).toBe('');
    const corner = page.locator('.react-flow__node[data-id="note-1"] .react-flow__resize-control.handle.bottom.right');
    const h = (await corner.boundingBox())!;
    const [x0, y0] = [h.x + h.width / 2, h.y + h.height / 2];
    await page.mouse.move(x0, y0);
    await page.mouse.down();
    for (let i = 1; i <= 6; i++) await page.mouse.move(x0 + 20 * i, y0 + 12 * i);
    await page.mouse.up();
    // The box follows the pointer (120 x 72 screen px) and the size lands in the settings.
    await expect.poll(async () => (await box()).width - before.width).toBeGreaterThan(100);
    expect((await box()).height - before.height).toBeGreaterThan(55);
    await expect.poll(async () => Number(await app.tid('input-width').inputValue())).toBeGreaterThan(240);
    expect(Number(await app.tid('input-height').inputValue())).toBeGreaterThan(48);
    await app.screenshot('preview-09-sticky-note-resized');
    await app.tid('undo').click();
    await expect.poll(() => app.tid('input-width').inputValue()).toBe('240');
    expect(await app.tid('input-height').inputValue()).toBe('');
    await expect.poll(async () => Math.round((await box()).width)).toBe(Math.round(before.width));
    // Typed: 480 px is twice the default width on screen, whatever the zoom.
    await app.tid('input-width').fill('480');
    await expect.poll(async () => (await box()).width / before.width).toBeCloseTo(2, 1);
    await app.tid('input-width').fill('5000');
    await expect.poll(() => app.tid('error-width').textContent()).toContain('1200');
  });
  it('Ctrl+F finds a node by name or setting and selects it; Escape closes the box', async () => {
    const { app } = env;
    const page = app.page;
    await app.tid('flow-item-preview').click();
    await app.node('erp').waitFor();
    await page.locator('.react-flow__pane').click({ position: { x: 20, y: 20 } });
    await page.keyboard.press('Control+f');
    await app.tid('find-node-input').waitFor();
    // By a setting: the Template's XML uses the field.
    await page.keyboard.type('orderId');
    await expect.poll(() => page.locator('[data-testid^="find-result-"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-testid')))).toEqual(['find-result-tpl']);
    await page.keyboard.press('Control+a');
    await page.keyboard.type('call erp');
    await expect.poll(() => page.locator('[data-testid^="find-result-"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-testid')))).toEqual(['find-result-erp']);
    await app.screenshot('preview-10-find-node');
    await page.keyboard.press('Enter');
    await expect.poll(() => app.tid('inspector-name').inputValue()).toBe('Call ERP');
    expect(await app.tid('find-node').count()).toBe(0);
    await page.locator('.react-flow__pane').click({ position: { x: 20, y: 20 } });
    await page.keyboard.press('Control+f');
    await app.tid('find-node-input').waitFor();
    await page.keyboard.press('Escape');
    await expect.poll(() => app.tid('find-node').count()).toBe(0);
  });
});
