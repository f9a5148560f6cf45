import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { linearFlow, openStudio } from './studio-page';

/**
 * Environments as in Postman: "dev" and "prod" made on the Environments page (a secret variable among them, the
 * host's refusals shown on the fields they name), then switched in the top bar while a deployed webhook answers
 * with `$env.GREETING`: every switch redeploys it with the new values.
 */
describe('environments: the page, the top-bar selector and a deployed flow reading $env', () => {
  let env: Awaited<ReturnType<typeof openStudio>>;
  const SECRET = 'tok-e2e-7f3a9c51';
  const greet = async () => (await fetch(`${env.studio.runtime.baseUrl}/e2e/greeting`)).text();

  beforeAll(async () => {
    env = await openStudio({
      prefix: 'environments',
      before: async (studio) => {
        await studio.api.saveFlow(
          linearFlow('greeter', 'Greeter', [
            { id: 'hook', type: 'webhook', settings: { methods: ['GET'], path: '/e2e/greeting', responseMode: 'requestResponse' } },
            { id: 'reply', type: 'respond', settings: { status: 200, bodyMode: 'template', templateKind: 'text', template: '{{ $env.GREETING }}' } },
          ]) as never,
        );
        expect((await studio.api.deploy('greeter')).ok).toBe(true);
      },
    });
  });
  afterAll(async () => env?.close());

  it('creates "dev" with a plain and a secret variable; the secret is stored, shown as set, never shown back', async () => {
    const { app, studio } = env;
    await app.tid('nav-environments').click();
    await app.tid('env-new').click();
    await expect(app.tid('env-save').isDisabled()).resolves.toBe(true);
    await app.tid('env-name').fill('dev');
    await app.tid('env-var-name-0').fill('GREETING');
    await app.tid('env-var-value-0').fill('hello-dev');
    await app.tid('env-add-var').click();
    await app.tid('env-var-name-1').fill('PARTNER_TOKEN');
    await app.tid('env-var-desc-1').fill('Partner API token');
    await app.tid('env-var-secret-1').check();
    await app.tid('env-secret-1-value').fill(SECRET);
    await expect(app.tid('env-secret-1-status').textContent()).resolves.toBe('unsaved');
    await app.screenshot('environments-01-new-dev');
    await app.tid('env-save').click();

    await app.tid('env-item-dev').waitFor();
    await expect.poll(() => app.tid('toast').textContent()).toBe('Environment "dev" saved');
    await expect.poll(() => app.tid('env-secret-1-status').textContent()).toBe('set');
    await expect(app.tid('env-secret-1-value').inputValue()).resolves.toBe('');
    await expect(app.tid('env-save').isDisabled()).resolves.toBe(true);
    expect(await app.page.content()).not.toContain(SECRET);
    expect(await studio.api.getEnvironments()).toEqual({
      active: null,
      environments: [
        {
          name: 'dev',
          variables: [
            { name: 'GREETING', value: 'hello-dev', secret: false },
            { name: 'PARTNER_TOKEN', secret: true, description: 'Partner API token', set: true },
          ],
          missing: [],
        },
      ],
    });
    // Stored for "dev" only (set: true above): the Secrets page's list, of secrets shared by name, leaves it out.
    expect((await studio.api.listSecrets()).map((s) => s.name)).not.toContain('PARTNER_TOKEN');
    await app.screenshot('environments-02-dev-saved');
  });

  it("shows the host's refusals on the field they name: a name flows cannot read, a credential in a plain value", async () => {
    const { app, studio } = env;
    await app.tid('env-add-var').click();
    await app.tid('env-var-name-2').fill('1BAD');
    await app.tid('env-var-value-2').fill('x');
    await app.tid('env-save').click();
    await expect.poll(() => app.tid('env-var-name-2-error').textContent()).toMatch(/variable name/);
    await expect(app.tid('env-error').textContent()).resolves.toBe('Not saved: fix the fields marked below.');
    await app.screenshot('environments-03-bad-name');

    // Typing in the field clears its error; the host then refuses a password kept as a plain value.
    await app.tid('env-var-name-2').fill('ERP_PASSWORD');
    await expect.poll(() => app.tid('env-var-name-2-error').count()).toBe(0);
    await app.tid('env-var-value-2').fill('hunter2-plain');
    await app.tid('env-save').click();
    await expect.poll(() => app.tid('env-var-value-2-error').textContent()).toMatch(/looks like a credential/);
    await expect(app.tid('env-var-name-2-error').count()).resolves.toBe(0);
    await app.screenshot('environments-04-credential-refused');
    expect((await studio.api.getEnvironments()).environments[0].variables.map((v) => v.name)).toEqual(['GREETING', 'PARTNER_TOKEN']);

    await app.tid('env-var-remove-2').click();
    await expect.poll(() => app.tid('env-var-value-2-error').count()).toBe(0);
    await expect(app.tid('env-error').count()).resolves.toBe(0);
    await expect(app.tid('env-save').isDisabled()).resolves.toBe(true);
  });

  it('creates "prod"; the top bar switches the active environment and the deployed flow answers with its values', async () => {
    const { app } = env;
    await app.tid('env-new').click();
    await app.tid('env-name').fill('prod');
    await app.tid('env-var-name-0').fill('GREETING');
    await app.tid('env-var-value-0').fill('hello-prod');
    await app.tid('env-save').click();
    await app.tid('env-item-prod').waitFor();
    await expect.poll(() => app.page.locator('[data-testid="environment-select"] option').allTextContents()).toEqual(['No environment', 'dev', 'prod']);

    // No environment yet: the flow reads the process environment, which has no GREETING.
    expect(await greet()).not.toMatch(/hello-/);
    await app.tid('environment-select').selectOption('dev');
    await expect.poll(() => app.tid('toast').textContent()).toBe('Environment "dev" is active: 1 deployed flow redeployed');
    await expect.poll(greet).toBe('hello-dev');
    await expect.poll(() => app.tid('env-active-dev').count()).toBe(1);

    await app.tid('environment-select').selectOption('prod');
    await expect.poll(() => app.tid('toast').textContent()).toBe('Environment "prod" is active: 1 deployed flow redeployed');
    await expect.poll(greet).toBe('hello-prod');
    await expect.poll(() => app.tid('env-active-dev').count()).toBe(0);
    await expect(app.tid('env-is-active').count()).resolves.toBe(1);
    // The toast sits over the form's head: the look of the head is judged once it is gone.
    await expect.poll(() => app.tid('toast').count(), { timeout: 8000 }).toBe(0);
    await app.screenshot('environments-05-prod-active');
  });

  it('the page and the selector agree: "Use this environment", then deleting the other one', async () => {
    const { app, studio } = env;
    await app.tid('env-item-dev').click();
    await expect.poll(() => app.tid('env-secret-1-status').textContent()).toBe('set');
    await app.tid('env-activate').click();
    await expect.poll(() => app.tid('environment-select').inputValue()).toBe('dev');
    await expect.poll(greet).toBe('hello-dev');
    await app.tid('env-is-active').waitFor();

    await app.tid('env-item-prod').click();
    await app.tid('env-delete').click();
    await app.tid('env-delete-confirm-box').waitFor();
    await app.screenshot('environments-06-delete-confirm');
    await app.tid('env-delete-confirm').click();
    await expect.poll(() => app.tid('env-item-prod').count()).toBe(0);
    await expect.poll(() => app.tid('toast').textContent()).toBe('Deleted environment "prod"');
    await expect(app.page.locator('[data-testid="environment-select"] option').allTextContents()).resolves.toEqual(['No environment', 'dev']);
    expect((await studio.api.getEnvironments()).active).toBe('dev');
    expect(await greet()).toBe('hello-dev');
    expect(await app.page.content()).not.toContain(SECRET);
    await app.tid('env-item-dev').click();
    await app.tid('theme-toggle').click();
    await expect.poll(() => app.page.locator('html').getAttribute('data-theme')).toBe('dark');
    await app.screenshot('environments-07-dev-dark');
    await app.tid('theme-toggle').click();
  });
  it("the editors know the active environment: $env completes its names and marks one it lacks", async () => {
    const { app } = env;
    const page = app.page;
    await app.tid('flow-item-greeter').click();
    await app.node('reply').waitFor();
    await app.select('reply');
    // "dev" is active and has GREETING: the token is not marked.
    await expect.poll(() => app.tid('input-template-diagnostics').count()).toBe(0);
    await app.monaco('input-template');
    await page.keyboard.press('Control+End');
    await page.keyboard.type(' {{ $env.', { delay: 20 });
    await page.locator('.suggest-widget.visible').getByText('GREETING').first().waitFor();
    await expect(page.locator('.suggest-widget.visible').getByText('PARTNER_TOKEN').count()).resolves.toBe(1);
    await app.screenshot('environments-08-env-completion');
    await page.keyboard.press('Escape');
    await page.keyboard.type('GRETING }}', { delay: 10 });
    await expect.poll(() => app.tid('input-template-diagnostics').textContent()).toContain('"$env.GRETING" is not a variable of the active environment');
    await page.keyboard.press('Control+z');
    await app.tid('environment-select').selectOption('');
    await expect.poll(() => app.tid('toast').textContent()).toMatch(/^No environment is active/);
  });

  it('a secret variable with no value of its own says it reads the shared secret of its name', async () => {
    const { app, studio } = env;
    await studio.api.setSecret('SHARED_TOKEN', 'from-the-secrets-page');
    await app.tid('nav-environments').click();
    await app.tid('env-new').click();
    await app.tid('env-name').fill('qa');
    await app.tid('env-var-name-0').fill('SHARED_TOKEN');
    await app.tid('env-var-secret-0').check();
    await app.tid('env-save').click();
    await app.tid('env-item-qa').waitFor();
    await expect.poll(() => app.tid('env-secret-0-shared').textContent()).toMatch(/^From the shared secret SHARED_TOKEN/);
    await expect(app.tid('env-secret-0-status').textContent()).resolves.toBe('set');
    // Typing a value of its own: the note goes (the value will be this environment's).
    await app.tid('env-secret-0-value').fill('qa-own');
    await expect.poll(() => app.tid('env-secret-0-shared').count()).toBe(0);
  });

  it('Duplicate starts a new environment with the same variables and plain values; its secrets are typed for it', async () => {
    const { app, studio } = env;
    await studio.api.saveEnvironment({ name: 'stage', variables: [{ name: 'GREETING', value: 'hello-stage' }, { name: 'PARTNER_TOKEN', secret: true }] }, { secretValues: { PARTNER_TOKEN: 'tok-stage' } });
    // The page reads the environments as it opens.
    await app.tid('nav-connections').click();
    await app.tid('nav-environments').click();
    await app.tid('env-item-stage').click();
    await app.tid('env-duplicate').click();
    await expect.poll(() => app.tid('env-name').inputValue()).toBe('stage copy');
    await expect(app.tid('env-var-value-0').inputValue()).resolves.toBe('hello-stage');
    await expect(app.tid('env-secret-1-status').textContent()).resolves.toBe('not set');
    await app.tid('env-secret-1-value').fill('tok-copy');
    await app.tid('env-save').click();
    await app.tid('env-item-stage copy').waitFor();
    const copy = (await studio.api.getEnvironments()).environments.find((e) => e.name === 'stage copy')!;
    expect(copy.variables.map((v) => [v.name, v.value, v.set])).toEqual([
      ['GREETING', 'hello-stage', undefined],
      ['PARTNER_TOKEN', undefined, true],
    ]);
    // Its own value, not the shared secret's; stage keeps its own.
    expect(copy.variables[1].shared).toBeUndefined();
    expect((await studio.api.getEnvironments()).environments.find((e) => e.name === 'stage')!.variables[1]).toEqual({ name: 'PARTNER_TOKEN', secret: true, set: true });
    await app.screenshot('environments-09-duplicated');
  });

  it('"+" in the flow list on a settings page opens the new flow on the canvas; so does a click on a flow', async () => {
    const { app, studio } = env;
    const flowId = 'greeter';
    const before = (await studio.api.listFlows()).length;
    await app.open(studio.url);
    for (const p of ['connections', 'environments', 'subscriptions']) {
      await app.tid(`nav-${p}`).click();
      await app.tid(`${p}-page`).waitFor();
      await app.tid('flow-new').click();
      await app.tid('canvas').waitFor();
      await expect(app.tid(`${p}-page`).count(), p).resolves.toBe(0);
      await expect.poll(() => app.tid('flow-name').inputValue()).toBe('Untitled flow');
    }
    await expect.poll(async () => (await studio.api.listFlows()).length).toBe(before + 3);
    await app.screenshot('environments-10-new-flow-from-settings');

    await app.tid('nav-environments').click();
    await app.tid(`flow-item-${flowId}`).click();
    await app.tid('canvas').waitFor();
    await expect.poll(() => app.tid('flow-name').inputValue()).toBe('Greeter');
    // Duplicate opens the copy: on the canvas too.
    await app.tid('nav-connections').click();
    await app.tid(`flow-item-${flowId}`).hover();
    await app.tid(`flow-duplicate-${flowId}`).click();
    await app.tid('canvas').waitFor();
    await expect.poll(() => app.tid('flow-name').inputValue()).toBe('Greeter (copy)');
  });
});
