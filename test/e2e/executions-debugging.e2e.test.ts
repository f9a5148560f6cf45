import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { linearFlow, openStudio } from './studio-page';

/**
 * Debugging a partner call as a consultant does: a Test request fails in the Web Integration node (the partner on
 * 127.0.0.1 answers 500), the answer links to its execution, which opens on the failed step's HTTP traffic (request
 * as sent with the token masked, each attempt and why it was retried, the partner's body); the partner is fixed, the
 * run retried, and the original and the retry link to each other while the list updates live. Also at 1024x768,
 * and with the panel made taller.
 */
describe('executions: debug a failed partner call and retry it', () => {
  let s: Awaited<ReturnType<typeof openStudio>>;
  let partner: http.Server;
  let failing = true;
  const TOKEN = 'tok-e2e-SECRET-4711';

  beforeAll(async () => {
    partner = http.createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        if (req.url === '/slow') return void setTimeout(() => res.writeHead(200, { 'content-type': 'application/json' }).end('{"late":true}'), 3000);
        res.writeHead(failing ? 500 : 201, { 'content-type': 'application/json', 'x-request-id': 'p-9' });
        res.end(JSON.stringify(failing ? { error: 'db down', detail: 'pool exhausted' } : { accepted: true }));
      });
    });
    await new Promise<void>((r) => partner.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(partner.address() as { port: number }).port}/orders`;
    const flow = linearFlow('orders', 'Orders to partner', [
      { id: 'hook', type: 'webhook', settings: { path: '/e2e/orders', responseMode: 'requestResponse' } },
      { id: 'call', type: 'http-request', settings: { method: 'POST', url, body: '{"orderId": {{ data.orderId }}}', connection: { auth: { type: 'bearer', tokenSecret: 'PARTNER_TOKEN' } }, retry: { retryCount: 1, retryIntervalMs: 100 } } },
      { id: 'reply', type: 'respond', settings: {} },
    ]) as Record<string, unknown>;
    flow.settings = { businessKey: 'data.orderId' };
    flow.sample = { trigger: { method: 'POST', body: { orderId: 'SO-9' } }, data: { orderId: 'SO-9' } };
    const slow = linearFlow('slow', 'Slow partner', [
      { id: 'hook', type: 'webhook', settings: { path: '/e2e/slow', responseMode: 'requestResponse', timeoutMs: 500 } },
      { id: 'call', type: 'http-request', settings: { method: 'GET', url: url.replace(/\/orders$/, '/slow'), contentType: 'none' } },
      { id: 'reply', type: 'respond', settings: {} },
    ]);
    const many = linearFlow('many', 'Many runs', [
      { id: 'hook', type: 'webhook', settings: { path: '/e2e/many', responseMode: 'requestResponse' } },
      { id: 'reply', type: 'respond', settings: {} },
    ]);
    s = await openStudio({ prefix: 'exec-debug', flows: [flow, slow, many], before: (studio) => studio.api.setSecret('PARTNER_TOKEN', TOKEN).then(() => {}) });
    for (const id of ['orders', 'slow', 'many']) expect((await s.studio.api.deploy(id)).ok).toBe(true);
  });

  afterAll(async () => {
    await s?.close();
    await new Promise((r) => partner?.close(r));
  });

  it('goes from a failed test request to the failed step, its HTTP traffic and the partner error', async () => {
    const { app } = s;
    await app.tid('flow-item-orders').click();
    // Flow settings show this flow's pinned sample (not the one opened before), and the business key finds its field.
    await expect.poll(() => app.tid('sample-body').inputValue()).toContain('"SO-9"');
    expect(await app.tid('flow-panel').textContent()).not.toContain('unknown field');
    await app.tid('tab-test').click();
    await app.tid('test-send').click();
    await expect.poll(() => app.tid('test-status').textContent(), { timeout: 15_000 }).toBe('502');
    // The answer reads as JSON does, and names the run it started.
    await expect.poll(() => app.tid('test-response-pretty').textContent()).toContain('\n  "error": "http_status"');
    expect(await app.tid('test-response-body').textContent()).toMatch(/^\{"error":"http_status"/);
    await app.tid('test-open-execution').click();

    // The run opens on the failed step, on its HTTP traffic.
    await expect.poll(() => app.tid('step-1').getAttribute('class')).toContain('active');
    await expect.poll(() => app.tid('step-tab-http').getAttribute('class')).toContain('active');
    await expect.poll(() => app.tid('step-http-summary').textContent()).toMatch(/^2 attempts · last: 500 Internal Server Error/);
    await expect.poll(() => app.tid('step-http-retry-1').textContent()).toContain('status 500');
    await expect.poll(() => app.tid('step-http-request').textContent()).toContain('Authorization: ***');
    await expect.poll(() => app.tid('step-http-response-body').textContent()).toContain('"detail": "pool exhausted"');
    expect(await app.tid('executions').textContent()).not.toContain(TOKEN);
    await app.screenshot('30-exec-failed-http');
    // Replay it from a terminal: the request as sent, as cURL, the token still masked.
    await app.tid('step-http-copy-curl').click();
    await expect.poll(() => app.tid('step-http-copy-curl').textContent()).toBe('Copied');
    const curl = String(await app.page.evaluate('navigator.clipboard.readText()'));
    expect(curl).toMatch(/^curl -X POST 'http:\/\/127\.0\.0\.1:\d+\/orders'/);
    expect(curl).toContain(`-H 'Authorization: ***'`);
    expect(curl).toContain(`--data '{"orderId": "SO-9"}'`); // the body exactly as sent
    expect(curl).not.toMatch(/Content-Length/i);

    // Input & output: the error says what failed and what the partner answered.
    await app.tid('step-tab-data').click();
    await expect.poll(() => app.tid('step-error').textContent()).toMatch(/status 500 Internal Server Error$/);
    await expect.poll(() => app.tid('step-error-body').textContent()).toContain('"error": "db down"');
    await app.screenshot('31-exec-failed-error');
  });

  it('retries after the partner is fixed: the runs link to each other and the list updates live', async () => {
    const { app, page } = { app: s.app, page: s.app.page };
    const failedId = (await app.tid('execution-id').textContent())!;
    failing = false;
    await app.tid('execution-retry').click();
    // The toast that announces the retry covers nothing in the panel (its Retry button was under it).
    const toast = await app.tid('toast').boundingBox();
    const panel = await app.tid('bottom-panel').boundingBox();
    expect(toast!.y + toast!.height).toBeLessThan(panel!.y);
    // The original shows its retry, and the retry's outcome as it comes in.
    await expect.poll(() => app.tid('execution-retried-as').textContent(), { timeout: 10_000 }).toMatch(/retried as …\w{8}\s*Succeeded/);
    // The new row carries the business key and the retry mark without a reload.
    const rows = page.locator('li[data-testid^="execution-"]');
    await expect.poll(() => rows.allTextContents(), { timeout: 10_000 }).toEqual([expect.stringMatching(/^Succeeded.*SO-9 ↻ retry/), expect.stringMatching(/^Failed.*SO-9/)]);
    await app.screenshot('32-exec-retried');

    // The retry says what it retried and how that run ended.
    await app.tid('execution-retried-as').click();
    await expect.poll(() => app.tid('execution-status').textContent()).toBe('Succeeded');
    await expect.poll(() => app.tid('execution-retry-of').textContent()).toContain(failedId.slice(-8));
    await expect.poll(() => app.tid('execution-original-error').textContent()).toContain('status 500');
    // What changed, step by step: the call failed in the original; the reply was never reached.
    await expect.poll(() => app.tid('step-1').textContent()).toContain('was failed');
    await expect.poll(() => app.tid('step-2').textContent()).toContain('was not reached');
    expect(await app.tid('step-0').textContent()).not.toContain('was');
    await app.screenshot('32b-exec-retry-changes');
    // The canvas shows the run that is open: the retry's call succeeded ...
    await expect.poll(() => app.tid('badge-run-call').getAttribute('class')).toContain('succeeded');
    await app.tid('execution-retry-of').click();
    await expect.poll(() => app.tid('execution-id').textContent()).toBe(failedId);
    // ... and opening the original brings its failed call back, with the partner's error on the card.
    await expect.poll(() => app.tid('badge-run-call').getAttribute('class')).toContain('failed');
    await expect.poll(() => app.tid('node-status-call').textContent()).toContain('500');
  });

  it('at 1024x768 the open run takes the panel (input and output readable), and a back link returns to the list', async () => {
    const { app } = s;
    const page = app.page;
    await page.setViewportSize({ width: 1024, height: 768 });
    await app.tid('step-tab-data').click();
    const input = await app.tid('step-input').boundingBox();
    const panel = await app.tid('bottom-panel').boundingBox();
    expect(input && panel).toBeTruthy();
    // Visible, inside the panel, and wide enough to read a line of JSON.
    expect(input!.x + input!.width).toBeLessThanOrEqual(panel!.x + panel!.width + 1);
    expect(input!.width).toBeGreaterThan(180);
    await app.screenshot('33-exec-1024');
    await app.tid('execution-back').click();
    await expect.poll(() => page.locator('li[data-testid^="execution-"]').first().isVisible()).toBe(true);
    await app.screenshot('34-exec-1024-list');
    // Test request: the path field keeps a usable width (the request goes above the response).
    await app.tid('tab-test').click();
    expect((await app.tid('test-path').boundingBox())!.width).toBeGreaterThan(180);
    await app.screenshot('34b-test-request-1024');
    await app.tid('tab-executions').click();
    await page.setViewportSize({ width: 1440, height: 900 });
    // At full width the back link is not needed: list and run side by side.
    await page.locator('li[data-testid^="execution-"]').first().click();
    await expect.poll(() => app.tid('execution-back').isVisible()).toBe(false);
  });

  it('the panel is made taller by dragging its top edge, and keeps that height', async () => {
    const { app } = s;
    const m = app.page.mouse;
    const before = (await app.tid('bottom-panel').boundingBox())!;
    const edge = (await app.tid('bottom-resize').boundingBox())!;
    await m.move(edge.x + 200, edge.y + edge.height / 2);
    await m.down();
    await m.move(edge.x + 200, edge.y - 150, { steps: 5 });
    await m.up();
    await expect.poll(async () => (await app.tid('bottom-panel').boundingBox())!.height).toBeGreaterThan(before.height + 140);
    await app.screenshot('35-exec-taller');
    const kept = await app.page.evaluate(`localStorage.getItem('hookline.bottomHeight')`);
    expect(Number(kept)).toBeGreaterThan(before.height + 140);
    // Double-click: back to the default height.
    await app.tid('bottom-resize').dblclick();
    await expect.poll(async () => Math.round((await app.tid('bottom-panel').boundingBox())!.height)).toBe(Math.round(before.height));
  });

  it('a run opened while it runs fills in live; one whose caller timed out opens on its slowest step and says what happened', async () => {
    const { app, studio } = s;
    expect((await fetch(`${studio.runtime.baseUrl}/e2e/slow`, { method: 'POST' })).status).toBe(504);
    await app.tid('flow-item-slow').click();
    const row = app.page.locator('li[data-testid^="execution-"]').first();
    // Opened while it still runs (the partner answers after 3 s), it fills in as the runtime reports.
    await expect.poll(() => row.textContent(), { timeout: 5_000 }).toMatch(/^Running/);
    await row.click();
    await expect.poll(() => app.tid('execution-status').textContent()).toBe('Running');
    expect(await app.tid('step-2').count()).toBe(0);
    await expect.poll(() => app.tid('execution-status').textContent(), { timeout: 10_000 }).toBe('Timed out');
    await expect.poll(() => app.tid('step-2').count()).toBe(1);
    await expect.poll(() => row.textContent()).toMatch(/^Timed out/);
    await row.click();
    await expect.poll(() => app.tid('step-1').getAttribute('class')).toContain('active');
    await expect.poll(() => app.tid('execution-timeout-hint').textContent()).toMatch(/Slowest step: Web Integration, 3\.\d+ s\./);
    await app.screenshot('36-exec-timed-out');
  });

  it('shows how many runs there are and loads older ones on request', async () => {
    const { app, studio } = s;
    for (let i = 0; i < 11; i++)
      await Promise.all(Array.from({ length: 10 }, (_, j) => fetch(`${studio.runtime.baseUrl}/e2e/many`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ n: i * 10 + j }) })));
    await app.tid('flow-item-many').click();
    const rows = app.page.locator('li[data-testid^="execution-"]');
    await expect.poll(() => app.tid('executions-more').textContent(), { timeout: 10_000 }).toMatch(/^100 of 110/);
    expect(await rows.count()).toBe(100);
    await app.tid('executions-load-older').click();
    await expect.poll(() => rows.count()).toBe(110);
    expect(await app.tid('executions-more').count()).toBe(0);
    // By keyboard: ↓ opens the next (older) run, ↑ the previous one.
    await rows.nth(0).click();
    await app.page.keyboard.press('ArrowDown');
    await expect.poll(() => app.tid('execution-id').textContent()).toBe(await rows.nth(1).getAttribute('title'));
    await app.page.keyboard.press('ArrowDown');
    await app.page.keyboard.press('ArrowUp');
    await expect.poll(() => app.tid('execution-id').textContent()).toBe(await rows.nth(1).getAttribute('title'));
    expect(await rows.nth(1).evaluate((el) => el === el.ownerDocument.activeElement)).toBe(true);
  });
});
