import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStudio } from '../../core/host/studio';
import { linearFlow, openStudio, StudioPage } from './studio-page';

/** Fixes from the integration designer's QA pass: field focus on the first click, node names with spaces. */
describe('designer QA fixes', () => {
  let studio: Awaited<ReturnType<typeof startStudio>>;
  let app: StudioPage;
  let close: () => Promise<void>;
  const flowId = 'qa-designer';

  beforeAll(async () => {
    ({ studio, app, close } = await openStudio({
      prefix: 'designer-qa',
      flows: [
        linearFlow(flowId, 'Designer QA', [
          { id: 'hook', type: 'webhook', settings: { methods: ['POST'], path: '/qa/designer' } },
          { id: 'set', type: 'set', settings: { fields: [{ name: 'a', expression: 'data.x' }, { name: 'b', expression: 'data.y' }] } },
        ]),
        {
          ...linearFlow('qa-headers', 'Header tokens', [
            { id: 'hook', type: 'webhook', settings: { methods: ['POST'], path: '/qa/headers' } },
            { id: 'call', type: 'http-request', settings: { method: 'POST', url: 'http://127.0.0.1:9/orders' } },
          ]),
          sample: { orderId: 'A-1', customerNumber: 'C-7' },
        },
      ],
    }));
  });
  afterAll(() => close?.());

  const setNode = async () => (await studio.api.getFlow(flowId)).nodes.find((n) => n.id === 'set')! as unknown as { disabled?: boolean; name?: string; settings: { fields: Array<{ expression: string }> } };

  it('one click on an expression shown as text gives a focused editor: typing goes into it, not to the canvas shortcuts', async () => {
    await expect.poll(() => app.tid('flow-name').inputValue()).toBe('Designer QA');
    await app.select('set');
    // First use: the editor is still loading when the keys come; they must not reach the canvas (D disables the node).
    await app.tid('input-fields-0-expression-static').click();
    await app.page.keyboard.type('d', { delay: 30 });
    await expect.poll(() => app.page.evaluate('!!document.activeElement?.closest(".monaco-editor")'), { timeout: 15_000 }).toBe(true);
    await app.page.keyboard.type(' + 1', { delay: 30 });
    await expect.poll(async () => (await setNode()).settings.fields[0].expression, { timeout: 10_000 }).toMatch(/^data\.x.* \+ 1$/);
    expect((await setNode()).disabled).toBeFalsy();

    // The editor code is loaded now: one click and the cursor is at the end of the text.
    await app.tid('input-fields-1-expression-static').click();
    await app.page.keyboard.type('.total', { delay: 30 });
    await expect.poll(async () => (await setNode()).settings.fields[1].expression, { timeout: 10_000 }).toBe('data.y.total');
    expect((await setNode()).disabled).toBeFalsy();
    await app.screenshot('designer-qa-01-one-click');
  });

  it('a node name takes spaces between words, and is trimmed when the field is left', async () => {
    await app.select('set');
    await app.tid('inspector-name').click();
    await app.page.keyboard.type('Compute totals ', { delay: 20 });
    await app.page.keyboard.press('Tab');
    await expect.poll(async () => (await setNode()).name, { timeout: 10_000 }).toBe('Compute totals');
    await expect(app.tid('inspector-name').inputValue()).resolves.toBe('Compute totals');
  });

  it('"+ Add option" closes on Escape and on a click elsewhere', async () => {
    await app.select('hook');
    await app.tid('add-option').click();
    await expect.poll(() => app.tid('add-option-menu').isVisible()).toBe(true);
    await app.page.keyboard.press('Escape');
    await expect.poll(() => app.tid('add-option-menu').count()).toBe(0);
    await app.tid('add-option').click();
    await expect.poll(() => app.tid('add-option-menu').isVisible()).toBe(true);
    await app.tid('inspector-name').click();
    await expect.poll(() => app.tid('add-option-menu').count()).toBe(0);
  });

  it("the Test request panel keeps its last answer when the Executions tab is shown and back", async () => {
    await app.tid('deploy').click();
    await expect.poll(async () => (await studio.api.listDeployments()).some((d) => d.flowId === flowId), { timeout: 15_000 }).toBe(true);
    await app.tid('tab-test').click();
    await app.tid('test-send').click();
    await expect.poll(() => app.tid('test-status').textContent(), { timeout: 15_000 }).toBe('202');
    await app.tid('tab-executions').click();
    await app.tid('tab-test').click();
    await expect.poll(() => app.tid('test-status').textContent()).toBe('202');
    await app.screenshot('designer-qa-02-test-kept');
  });

  it("an edge drawn after the run shows no item count (the run did not go along it)", async () => {
    // The test request above ran hook -> set: that edge has its count.
    const first = (await studio.api.getFlow(flowId)).edges[0].id;
    await expect.poll(() => app.tid(`edge-label-${first}`).textContent(), { timeout: 10_000 }).toBe('1 item');
    await app.select('set');
    await app.tid('palette-log').click();
    await expect.poll(async () => (await studio.api.getFlow(flowId)).edges.length, { timeout: 10_000 }).toBe(2);
    const added = (await studio.api.getFlow(flowId)).edges.find((e) => e.source === 'set')!.id;
    await app.page.waitForTimeout(300);
    expect(await app.tid(`edge-label-${added}`).count()).toBe(0);
    expect(await app.tid(`edge-label-${first}`).textContent()).toBe('1 item');
  });

  it('a flow deployed with its webhook disabled says it has no endpoint', async () => {
    await app.select('hook');
    await app.page.getByLabel('Disabled (passes messages through)').check();
    await expect.poll(() => app.tid('save-status').textContent(), { timeout: 10_000 }).toBe('Saved');
    await app.tid('deploy').click();
    await expect.poll(() => app.tid('deploy-state').textContent(), { timeout: 15_000 }).toMatch(/^Live · rev \d+ · no endpoint$/);
  });

  it('a header value completes {{ }} tokens from the sample, as the body does, and is saved as typed', async () => {
    await app.tid('flow-item-qa-headers').click();
    await app.node('call').waitFor();
    await app.select('call');
    await app.tid('input-headers-add').click();
    await app.tid('input-headers-0-name').fill('X-Order');
    await app.tid('input-headers-0-value-static').click();
    await expect.poll(() => app.page.evaluate('!!document.activeElement?.closest(".monaco-editor")'), { timeout: 15_000 }).toBe(true);
    await app.page.keyboard.type('{{ data.', { delay: 30 });
    const suggest = app.page.locator('.suggest-widget.visible');
    await suggest.getByText('customerNumber').first().waitFor();
    await app.screenshot('designer-qa-03-header-completion');
    await app.page.keyboard.press('Escape');
    await app.page.keyboard.type('orderId }}', { delay: 20 });
    const header = async () => ((await studio.api.getFlow('qa-headers')).nodes.find((n) => n.id === 'call')!.settings as { headers: Array<{ name: string; value: string }> }).headers;
    await expect.poll(header, { timeout: 10_000 }).toEqual([{ name: 'X-Order', value: '{{ data.orderId }}' }]);
  });
});
