import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { linearFlow, openStudio, StudioPage } from './studio-page';

/**
 * Every label of the node inspector, the flow panel and the bundle import dialog names its control: `getByLabel`
 * finds the control (the code editor's textarea for Monaco fields), and a click on the label focuses it.
 */
describe('inspector labels', () => {
  let s: Awaited<ReturnType<typeof openStudio>>;
  let app: StudioPage;
  const focusedId = () => app.page.evaluate(`document.activeElement?.id`);

  beforeAll(async () => {
    s = await openStudio({
      prefix: 'inspector-labels',
      flows: [
        linearFlow('labels', 'Labelled', [
          { id: 'hook', type: 'webhook', settings: { path: '/labels', methods: ['POST'] } },
          { id: 'call', type: 'http-request', settings: { method: 'POST', url: 'https://partner.example/orders', timeoutMs: 5000, headers: [{ name: 'X-Trace', value: '1' }] } },
        ]),
      ],
    });
    app = s.app;
  });
  afterAll(async () => s?.close());

  it('a Web Integration node: select, number, code editor, toggle, rows and On error are found by their labels', async () => {
    const page = app.page;
    await app.tid('flow-item-labels').click();
    await expect.poll(() => app.tid('flow-name').inputValue()).toBe('Labelled');
    await app.select('call');
    const inspector = app.tid('inspector');
    // Monaco: its textarea carries the label's id as aria-labelledby.
    const url = page.getByLabel('Target URL');
    await url.waitFor({ timeout: 30_000 });
    await expect(url.and(app.tid('input-url-monaco').locator('textarea')).count()).resolves.toBe(1);
    expect(await url.getAttribute('aria-labelledby')).toBeTruthy();
    await inspector.getByText('Target URL', { exact: true }).click();
    await expect.poll(focusedId).toBe(await url.getAttribute('id'));
    await expect.poll(() => app.tid('input-url-monaco').locator('.monaco-editor').getAttribute('class')).toContain('focused');

    // The same elements the test ids name, so tests written either way agree.
    await expect(page.getByLabel('HTTP method').getAttribute('data-testid')).resolves.toBe('input-method');
    await expect(page.getByLabel('Method').inputValue()).resolves.toBe('POST');
    await page.getByLabel('Method').selectOption('PUT');
    await expect.poll(() => app.tid('input-method').inputValue()).toBe('PUT');

    const timeout = page.getByLabel('Timeout (ms)', { exact: true });
    await expect(timeout.getAttribute('data-testid')).resolves.toBe('input-timeoutMs');
    await expect(timeout.inputValue()).resolves.toBe('5000');
    await inspector.getByText('Timeout (ms)', { exact: true }).click();
    await expect.poll(focusedId).toBe(await timeout.getAttribute('id'));
    await page.keyboard.press('Control+A');
    await page.keyboard.type('7000');
    await expect.poll(() => app.tid('input-timeoutMs').inputValue()).toBe('7000');

    await expect(page.getByLabel('Timeout message').getAttribute('data-testid')).resolves.toBe('input-timeoutMessage');
    await expect(page.getByLabel('Fail on non-2xx status').getAttribute('data-testid')).resolves.toBe('input-failOnNon2xx');
    await expect(page.getByLabel('Connection', { exact: true }).getAttribute('data-testid')).resolves.toBe('input-connectionId');
    // Rows: the list is a group named by its label, each cell by its column and row.
    await expect(page.getByRole('group', { name: 'Header parameters' }).count()).resolves.toBe(1);
    await expect(page.getByLabel('Name, row 1').inputValue()).resolves.toBe('X-Trace');
    // The value is a template (shown as text until clicked), named by its column and row too.
    await expect(page.getByLabel('Value, row 1').textContent()).resolves.toBe('1');

    await inspector.getByText('On error', { exact: true }).click();
    await expect.poll(() => page.evaluate(`document.activeElement?.dataset.testid`)).toBe('input-onError');
    await expect(page.getByLabel('On error').inputValue()).resolves.toBe('stop');
    await expect(page.getByLabel('Node name').getAttribute('data-testid')).resolves.toBe('inspector-name');
    await inspector.screenshot({ path: 'test-results/screenshots/inspector-labels-web-integration.png' });

    // A secret field: its write-only input is the control.
    await page.getByLabel('Authorisation').selectOption('bearer');
    await expect(page.getByLabel('Token', { exact: true }).getAttribute('data-testid')).resolves.toBe('input-connection.auth.tokenSecret-value');
  });

  it('the flow panel: Business key names its code field, before and after the editor loads', async () => {
    const page = app.page;
    await app.tid('inspector').getByTitle('Close').click();
    await app.tid('flow-panel').waitFor();
    // A plain placeholder until used (the editor chunk is not loaded at start-up); it is named by the label too.
    const placeholder = page.getByLabel('Business key');
    await expect(placeholder.getAttribute('data-testid')).resolves.toBe('input-businessKey-static');
    await page.getByText('Business key', { exact: true }).click();
    const editor = app.tid('input-businessKey-monaco').locator('.monaco-editor');
    await editor.waitFor({ timeout: 30_000 });
    const textarea = page.getByLabel('Business key');
    await expect.poll(() => textarea.and(editor.locator('textarea')).count()).toBe(1);
    await expect.poll(focusedId).toBe(await textarea.getAttribute('id'));
    await page.keyboard.type('trigger.body.orderId');
    await expect.poll(async () => (await s.studio.api.getFlow('labels')).settings.businessKey, { timeout: 10_000 }).toBe('trigger.body.orderId');
    await expect(page.getByLabel('Step recording').inputValue()).resolves.toBe('full');
  });

  it('the bundle import dialog: "When a flow id already exists" names its radio group', async () => {
    const page = app.page;
    await app.tid('bundle-import-open').click();
    const group = page.getByLabel('When a flow id already exists');
    await expect(group.getAttribute('role')).resolves.toBe('radiogroup');
    await expect(page.getByRole('radiogroup', { name: 'When a flow id already exists' }).count()).resolves.toBe(1);
    await group.getByLabel('Replace the existing flow').check();
    await expect(app.tid('bundle-conflict-replace').isChecked()).resolves.toBe(true);
    await page.getByText('When a flow id already exists', { exact: true }).click();
    await expect.poll(() => page.evaluate(`document.activeElement?.dataset.testid`)).toBe('bundle-conflict-replace');
    await page.keyboard.press('Escape');
  });
});
