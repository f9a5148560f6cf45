import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ERP_TEMPLATE, itscopeEvent } from '../bench/lib/erp-xml';
import { linearFlow, openStudio } from './studio-page';

/**
 * An integration designer turning an ITscope event into a partner's JSON and ERP XML: completion, the data tree,
 * markers and previews of the processing nodes, with the event pinned as the sample.
 */
const EVENT = itscopeEvent(1);
const LINEAR = linearFlow('itscope', 'ITscope to ERP', [
  { id: 'hook', type: 'webhook', settings: { methods: ['POST'], path: '/itscope/events' } },
  { id: 'map', type: 'map', settings: { expression: '{ "id": data.orderId }' } },
  { id: 'xml', type: 'template', settings: { kind: 'xml', template: ERP_TEMPLATE } },
  { id: 'build', type: 'build-xml', settings: { source: '{ "@_type": data.eventType, "OrderId": data.orderId, "Line": data.lines }', rootName: 'ErpOrderEvent', declaration: false } },
]) as { edges: Array<{ id: string; source: string; target: string }> };
const FLOW = {
  ...LINEAR,
  // Build XML reads the event itself: on a branch of its own from the trigger (after the template it would get XML text).
  edges: LINEAR.edges.map((e) => (e.target === 'build' ? { ...e, source: 'hook' } : e)),
  sample: { trigger: { body: EVENT, query: {}, headers: { 'content-type': 'application/json', 'x-itscope-event': 'ORDERRESPONSE' } }, data: EVENT, vars: {} },
};

describe('processing nodes for an ITscope event', () => {
  let s: Awaited<ReturnType<typeof openStudio>>;
  beforeAll(async () => {
    s = await openStudio({ prefix: 'processing', flows: [FLOW] });
    await s.app.tid('flow-item-itscope').click();
    await s.app.node('xml').waitFor();
  });
  afterAll(async () => s?.close());

  it('marks a misspelt field of a mapping with the sample\'s name, and says where a mapping fails', async () => {
    const { app, browser } = s;
    await app.select('map');
    await app.monaco('input-expression');
    await browser.page.keyboard.press('Control+a');
    await browser.page.keyboard.type('{ "id": data.orderId, "erp": data.itscopeOrderID }', { delay: 5 });
    await expect.poll(() => app.tid('input-expression-diagnostics').textContent()).toBe('unknown field "data.itscopeOrderID" in the sample data; did you mean "data.itscopeOrderId"?');
    await app.screenshot('processing-01-map-did-you-mean');
    await browser.page.keyboard.press('Control+a');
    await browser.page.keyboard.type('{ "id": data.orderId, "next": data.orderId + 1 }', { delay: 5 });
    await expect.poll(() => app.tid('input-expression-preview').textContent()).toBe('Preview with sampleline 1, column 44: The left side of the "+" operator must evaluate to a number');
    await app.screenshot('processing-02-map-error-place');
  });

  it('the data tree inserts paths JSONata reads: an array item and a header with a dash', async () => {
    const { app, browser } = s;
    // The picked path replaces the selection (the whole mapping).
    await app.monaco('input-expression');
    await browser.page.keyboard.press('Control+a');
    await app.tid('input-expression-expand').click();
    const tree = app.tid('input-expression-tree');
    await tree.locator('li[title="Insert data.lines[0].sku"]').click();
    await expect.poll(() => app.tid('input-expression-preview').textContent()).toBe('Preview with sample"ITS-4411"');
    await app.screenshot('processing-03-tree-array-item');
    await app.monaco('input-expression');
    await browser.page.keyboard.press('Control+a');
    await tree.locator('li[title="Insert trigger.headers.`x-itscope-event`"]').click();
    await expect.poll(() => app.tid('input-expression-preview').textContent()).toBe('Preview with sample"ORDERRESPONSE"');
    await app.tid('input-expression-expand').click();
  });

  it('completion puts a header with a dash in backticks, and the token reads it', async () => {
    const { app, browser } = s;
    const page = browser.page;
    await app.select('xml');
    await app.monaco('input-template');
    await page.keyboard.press('Control+a');
    await page.keyboard.type('<Evt type="{{ trigger.headers.x', { delay: 20 });
    await page.locator('.suggest-widget.visible').getByText('x-itscope-event').first().waitFor();
    await page.keyboard.press('Enter');
    await page.keyboard.type(' }}"/>', { delay: 20 });
    await expect.poll(() => app.tid('input-template-preview').textContent()).toBe('Preview with sample<Evt type="ORDERRESPONSE"/>');
    await app.screenshot('processing-04-template-header-completion');
  });

  it('Build XML shows the document it will build from the sample, escaped, and what would fail', async () => {
    const { app } = s;
    await app.select('build');
    await expect.poll(() => app.tid('build-xml-preview').textContent()).toContain('<ErpOrderEvent type="ORDERRESPONSE"><OrderId>SO-100001</OrderId><Line><sku>ITS-4411</sku>');
    expect(await app.tid('build-xml-preview').textContent()).toContain('<sku>B&amp;O-H95</sku>');
    await app.screenshot('processing-05-build-xml-preview');
    await app.tid('input-rootName').fill('');
    await expect.poll(() => app.tid('build-xml-preview').textContent()).toContain('without a root element name the value must have exactly one element key');
  });
});
