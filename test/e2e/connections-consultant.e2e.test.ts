import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPki, type TestPki } from '../../core/http/tls-test-pki';
import { startStudio } from '../../core/host/studio';
import { json, startHttp, startHttps, type TestServer } from '../http/servers';
import { linearFlow, openStudio, StudioPage } from './studio-page';

const run = promisify(execFile);

/**
 * A consultant trying a partner's endpoints from the studio: Test connection before naming the connection, a
 * mistyped PFX passphrase corrected in place, Postman / Chrome cURL commands pasted into a Web Integration node,
 * and the node copied back as cURL and run with the real curl against the local partner.
 */
describe("connections and cURL: the consultant's path", () => {
  let studio: Awaited<ReturnType<typeof startStudio>>;
  let app: StudioPage;
  let close: () => Promise<void>;
  let partner: TestServer;
  let mtls: TestServer;
  let pki: TestPki;
  const flowId = 'consultant';
  const BASIC_OK = `Basic ${Buffer.from('alice:s3cret').toString('base64')}`;

  beforeAll(async () => {
    pki = createTestPki();
    partner = await startHttp((req, res, body) => {
      if (req.url?.startsWith('/hang')) return; // a partner that never answers (Cancel)
      if (req.url?.startsWith('/basic')) return req.headers.authorization === BASIC_OK ? json(res, 200, { ok: true }) : json(res, 401, { error: 'bad credentials' });
      if (req.url === '/token-cc')
        return new URLSearchParams(body).get('client_secret') === 'cc-secret-1' ? json(res, 200, { access_token: 'at-e2e-777', token_type: 'bearer', expires_in: 600 }) : json(res, 401, { error: 'invalid_client' });
      json(res, 200, { method: req.method, url: req.url, contentType: req.headers['content-type'], body });
    });
    mtls = await startHttps({ key: pki.server.keyPem, cert: pki.server.certPem, ca: pki.ca.certPem, requestCert: true, rejectUnauthorized: true }, (_req, res) => json(res, 200, { mtls: true }));
    ({ studio, app, close } = await openStudio({
      prefix: 'consultant',
      flows: [linearFlow(flowId, 'Consultant', [{ id: 'call', type: 'http-request', settings: { method: 'GET', url: 'http://127.0.0.1:9/x' } }])],
    }));
  });

  /** Gives the Web Integration node these settings (saved behind the studio's back), reloads and selects it. */
  async function openCallWith(settings: Record<string, unknown>) {
    const flow = await studio.api.getFlow(flowId);
    flow.nodes.find((n) => n.id === 'call')!.settings = settings;
    await studio.api.saveFlow(flow);
    await app.page.reload();
    await app.waitReady();
    await app.tid(`flow-item-${flowId}`).click();
    await app.select('call');
  }

  afterAll(async () => {
    await close?.();
    await partner?.close();
    await mtls?.close();
  });

  it('tests a connection before it has a name, reads why a wrong password fails, and keeps the password typed before the name', async () => {
    await app.tid('nav-connections').click();
    await app.tid('connection-new').click();
    await app.tid('conn-baseUrl').fill(`${partner.url}/basic`);
    await app.tid('conn-auth.type').selectOption('basic');
    await app.tid('conn-auth.username').fill('alice');
    await app.tid('conn-auth.passwordSecret-value').fill('wrong');
    // No name yet: Postman sends an unsaved request too.
    await app.tid('connection-test-send').click();
    await expect.poll(() => app.tid('connection-test-result-status').textContent(), { timeout: 15_000 }).toContain('401');
    await expect(app.tid('connection-test-result-error').textContent()).resolves.toBe('401 Unauthorized: the partner rejected the credentials; check Username and Password');
    await app.tid('connection-test-result').scrollIntoViewIfNeeded();
    await app.screenshot('consultant-01-wrong-password');

    await app.tid('conn-auth.passwordSecret-value').fill('s3cret');
    await app.tid('connection-test-send').click();
    await expect.poll(() => app.tid('connection-test-result-status').textContent(), { timeout: 15_000 }).toContain('200');
    // Naming it now renames the secret; the typed password goes along instead of staying under CONN_NEW_PASSWORD.
    await app.tid('conn-name').fill('Partner Basic');
    await expect.poll(() => app.tid('conn-auth.passwordSecret-status').textContent()).toBe('unsaved');
    await app.tid('connection-save').click();
    await app.tid('connection-item-partner-basic').waitFor();
    expect(await studio.api.getConnection('partner-basic')).toMatchObject({ auth: { passwordSecret: 'CONN_PARTNER_BASIC_PASSWORD' }, missingSecrets: [] });
    expect((await studio.api.listSecrets()).map((s) => s.name)).not.toContain('CONN_NEW_PASSWORD');
  });

  it('a mistyped PFX passphrase is corrected in place: the file is kept and opened with the new passphrase', async () => {
    await app.tid('connection-new').click();
    await app.tid('conn-name').fill('Partner mTLS');
    await app.tid('conn-baseUrl').fill(`${mtls.url}/ping`);
    await app.tid('connection-advanced').click();
    await app.tid('conn-tls.caSecret-value').fill(pki.ca.certPem);
    await app.tid('connection-cert-passphrase').fill('typo');
    await app.tid('connection-cert-file').setInputFiles({ name: 'acme-client.pfx', mimeType: 'application/x-pkcs12', buffer: Buffer.from(pki.client.pfxBase64, 'base64') });
    await expect.poll(() => app.tid('connection-cert-passphrase-error').textContent()).toContain('wrong passphrase');
    await expect(app.tid('connection-cert-held').textContent()).resolves.toContain('acme-client.pfx is kept');
    await app.tid('connection-cert-passphrase').fill(pki.passphrase);
    await app.tid('connection-cert-retry').click();
    await expect.poll(() => app.tid('connection-cert-info').textContent(), { timeout: 10_000 }).toMatch(/New client certificate \(stored on Save\):.*hookline-client/);
    await expect(app.tid('connection-cert-held').count()).resolves.toBe(0);
    await app.tid('connection-cert-section').scrollIntoViewIfNeeded();
    await app.screenshot('consultant-02-pfx-opened');
    await app.tid('connection-test-send').click();
    await expect.poll(() => app.tid('connection-test-result-status').textContent(), { timeout: 15_000 }).toContain('200');
    expect(mtls.requests.at(-1)?.clientCertCN).toBe('hookline-client');
  });

  it('Sign in saves a client secret typed but not saved yet, so the code exchange after consent can use it', async () => {
    await studio.api.saveConnection({
      id: 'partner-c',
      name: 'Partner C',
      auth: { type: 'oauth2AuthCode', authUrl: `${partner.url}/authorize`, tokenUrl: `${partner.url}/token`, clientId: 'studio-app', clientSecretSecret: 'PARTNER_C_CLIENT_SECRET', scope: 'orders', refreshTokenSecret: 'PARTNER_C_REFRESH' },
    });
    // Saved behind the studio's back: a reload lists it.
    await app.page.reload();
    await app.waitReady();
    await app.tid('nav-connections').click();
    await app.tid('connection-item-partner-c').click();
    await app.tid('conn-auth.clientSecretSecret-value').fill('cs-typed-value');
    const [popup] = await Promise.all([app.page.context().waitForEvent('page'), app.tid('connection-signin').click()]);
    await popup.waitForLoadState();
    const authorize = new URL(popup.url());
    expect(authorize.pathname).toBe('/authorize');
    expect(authorize.searchParams.get('client_id')).toBe('studio-app');
    await popup.close();
    expect((await studio.api.listSecrets()).find((s) => s.name === 'PARTNER_C_CLIENT_SECRET')?.set).toBe(true);
    await expect.poll(() => app.tid('conn-auth.clientSecretSecret-status').textContent()).toBe('set');
  });

  it('imports a copied command into a Web Integration node, sends it with "Send test request", and copies it back as a cURL command that runs', async () => {
    await app.tid(`flow-item-${flowId}`).click();
    await app.select('call');
    await app.tid('curl-import-open').click();
    // Chrome: a key in the query; Postman: a pretty-printed body with line continuations.
    await app.tid('curl-import-text').fill(`curl '${partner.url}/orders?api_key=QK-777&page=2' \\
  -H 'accept: application/json' \\
  -H 'content-type: application/json' \\
  --data-raw $'{\\n  "note": "it\\'s",\\n  "qty": 1\\n}' \\
  --compressed`);
    await app.tid('curl-import').click();
    await expect.poll(() => app.page.getByTestId('curl-note').allTextContents()).toEqual(['Credentials were moved into secret(s) CURL_API_KEY; the node refers to them by name.']);
    await app.screenshot('consultant-03-import-curl');
    await expect.poll(async () => (await studio.api.getFlow(flowId)).nodes[0].settings.body, { timeout: 10_000 }).toBe('{\n  "note": "it\'s",\n  "qty": 1\n}');
    const settings = (await studio.api.getFlow(flowId)).nodes[0].settings;
    expect(JSON.stringify(settings)).not.toContain('QK-777');
    expect(settings.connection).toMatchObject({ auth: { type: 'apiKey', in: 'query', name: 'api_key', valueSecret: 'CURL_API_KEY' } });

    // Send test request: the node's own request through its inline connection, key masked in what is shown.
    await app.tid('node-test-send').click();
    await expect.poll(() => app.tid('node-test-result-status').textContent(), { timeout: 15_000 }).toContain('200');
    await expect(app.tid('node-test-result-request').textContent()).resolves.toContain('/orders?page=2&api_key=***');
    await expect(app.tid('node-test-result-response').textContent()).resolves.not.toContain('QK-777');
    expect(partner.requests.at(-1)).toMatchObject({ method: 'POST', url: '/orders?page=2&api_key=QK-777', body: '{\n  "note": "it\'s",\n  "qty": 1\n}' });
    // No token requests here (API key): the exchange has a request and a response, nothing else headed.
    await expect(app.tid('node-test-result').locator('h5').allTextContents()).resolves.toEqual(['Request', 'Response']);
    await app.tid('node-test-result').scrollIntoViewIfNeeded();
    await app.screenshot('consultant-04-node-test');

    await app.tid('curl-copy').click();
    const copied = (await app.tid('curl-text').textContent())!;
    expect(copied).toContain('api_key=<secret:CURL_API_KEY>');
    // The user puts the key in place of the placeholder and runs the command in a shell.
    const { stdout } = await run('bash', ['-c', `${copied.replace('<secret:CURL_API_KEY>', 'QK-777')} -sS`]);
    expect(JSON.parse(stdout)).toEqual({ method: 'POST', url: '/orders?page=2&api_key=QK-777', contentType: 'application/json', body: '{\n  "note": "it\'s",\n  "qty": 1\n}' });
  });
  it('after Import from cURL the shown cURL command is the new one, and the earlier test result is marked as from older settings', async () => {
    // Left by the test above: the copied command and a 200 result for the POST to /orders.
    await expect(app.tid('node-test-result-box').getAttribute('data-stale')).resolves.toBe('false');
    await app.tid('curl-import-open').click();
    await app.tid('curl-import-text').fill(`curl -X DELETE ${partner.url}/orders/7`);
    await app.tid('curl-import').click();
    await expect.poll(() => app.tid('curl-text').textContent()).toBe(`curl -X DELETE ${partner.url}/orders/7`);
    await expect(app.tid('curl-text').textContent()).resolves.not.toContain('api_key');
    await expect.poll(() => app.tid('node-test-result-box').getAttribute('data-stale')).toBe('true');
    await expect(app.tid('node-test-stale').textContent()).resolves.toBe('Settings changed since this test: send it again to test the current settings.');
    await app.tid('node-test-result-box').scrollIntoViewIfNeeded();
    await app.screenshot('consultant-035-stale-test-result');

    // Edits in the inspector are followed too; sending again gives a result for the settings as they are.
    await app.tid('input-method').selectOption('PATCH');
    await expect.poll(() => app.tid('curl-text').textContent()).toBe(`curl -X PATCH ${partner.url}/orders/7`);
    await app.tid('node-test-send').click();
    await expect.poll(() => app.tid('node-test-result-request').textContent(), { timeout: 15_000 }).toContain(`PATCH ${partner.url}/orders/7`);
    await expect(app.tid('node-test-result-box').getAttribute('data-stale')).resolves.toBe('false');
    await expect(app.tid('node-test-stale').count()).resolves.toBe(0);
  });
  it('Send test request right after typing an inline password (no blur first) uses that password', async () => {
    await app.tid('curl-import-open').click();
    await app.tid('curl-import-text').fill(`curl ${partner.url}/basic`);
    await app.tid('curl-import').click();
    await expect.poll(async () => (await studio.api.getFlow(flowId)).nodes[0].settings.connection, { timeout: 10_000 }).toBeUndefined();
    // Without an inline connection the request goes without auth: the select says None, not "Choose…".
    await expect(app.tid('input-connection.auth.type').inputValue()).resolves.toBe('none');
    await expect(app.tid('input-connection.auth.type').locator('option:checked').textContent()).resolves.toBe('None');
    await app.tid('input-connection.auth.type').selectOption('basic');
    await app.tid('input-connection.auth.username').fill('alice');
    await app.tid('input-connection.auth.passwordSecret-value').fill('s3cret');
    // The click itself ends the typing: the password is stored and named in the node while the request is built.
    await app.tid('node-test-send').click();
    await expect.poll(() => app.tid('node-test-result-status').textContent(), { timeout: 15_000 }).toContain('200');
    expect(partner.requests.at(-1)?.headers.authorization).toBe(BASIC_OK);
    await expect(app.tid('node-test-result-request').textContent()).resolves.toContain('Authorization: ***');
  });
  it('picks the saved connection in the node (its auth type named as in the form) and sends through it', async () => {
    await app.tid('input-connectionId').selectOption('partner-basic');
    await expect.poll(() => app.tid('input-connectionId-summary').textContent()).toBe(`Server URL ${partner.url}/basic · Authorisation: Basic (username / password)`);
    await app.tid('node-test-send').click();
    await expect.poll(() => app.tid('node-test-result-status').textContent(), { timeout: 15_000 }).toContain('200');
    expect(partner.requests.at(-1)?.headers.authorization).toBe(BASIC_OK);
  });
  it('importing a command with credentials over a picked connection says that the connection was replaced', async () => {
    await app.tid('curl-import-open').click();
    await app.tid('curl-import-text').fill(`curl -H 'X-Api-Key: k-123' ${partner.url}/x`);
    await app.tid('curl-import').click();
    await expect.poll(() => app.page.getByTestId('curl-note').first().textContent()).toBe('The command\'s credentials replace the connection "partner-basic" the node used: pick it again under Connection to use it instead.');
    await expect.poll(async () => (await studio.api.getFlow(flowId)).nodes[0].settings.connectionId, { timeout: 10_000 }).toBeUndefined();
  });
  it('Test connection of an OAuth2 connection shows the token request and its answer, client secret and token masked', async () => {
    await studio.api.setSecret('PARTNER_D_SECRET', 'cc-secret-1');
    await studio.api.saveConnection({
      id: 'partner-d',
      name: 'Partner D',
      baseUrl: `${partner.url}/api`,
      auth: { type: 'oauth2ClientCredentials', tokenUrl: `${partner.url}/token-cc`, clientId: 'app-d', clientSecretSecret: 'PARTNER_D_SECRET', scope: 'orders' },
    });
    await app.page.reload();
    await app.waitReady();
    await app.tid('nav-connections').click();
    await app.tid('connection-item-partner-d').click();
    await app.tid('connection-test-send').click();
    await expect.poll(() => app.tid('connection-test-result-status').textContent(), { timeout: 15_000 }).toContain('200');
    const token = app.tid('connection-test-result-token-0');
    await expect(token.locator('summary').textContent()).resolves.toMatch(/OAuth2 token request · 200 · /);
    await token.locator('summary').click();
    await expect(app.tid('connection-test-result-token-0-request').textContent()).resolves.toContain('grant_type=client_credentials&scope=orders&client_id=app-d&client_secret=***');
    await expect(app.tid('connection-test-result-token-0-response').textContent()).resolves.toContain('"access_token": "***"');
    expect(await app.tid('connection-test-result').textContent()).not.toMatch(/cc-secret-1|at-e2e-777/);
    await app.tid('connection-test-result').scrollIntoViewIfNeeded();
    await app.screenshot('consultant-05-oauth2-token-request');
  });
  it('Send test request renders $env and the sample in the runtime, as a run would', async () => {
    // $env is the active environment's variables (over the studio's process environment, read at start).
    await studio.api.saveEnvironment({ name: 'e2e', variables: [{ name: 'E2E_PARTNER_URL', value: partner.url }] });
    await studio.api.setActiveEnvironment('e2e');
    await openCallWith({ method: 'POST', url: '{{ $env.E2E_PARTNER_URL }}/env-orders', contentType: 'application/json', body: '{"order": 1}' });
    await app.tid('node-test-send').click();
    await expect.poll(() => app.tid('node-test-result-status').textContent(), { timeout: 15_000 }).toContain('200');
    expect(partner.requests.at(-1)).toMatchObject({ method: 'POST', url: '/env-orders', body: '{"order": 1}' });
    await expect(app.tid('node-test-result-request').textContent()).resolves.toContain(`${partner.url}/env-orders`);
  });
  it('Cancel stops a test request to a partner that does not answer, at once instead of after the timeout', async () => {
    await openCallWith({ method: 'GET', url: `${partner.url}/hang`, timeoutMs: 120_000 });
    await app.tid('node-test-send').click();
    await expect.poll(() => partner.requests.at(-1)?.url, { timeout: 10_000 }).toBe('/hang');
    await app.tid('node-test-cancel').scrollIntoViewIfNeeded();
    await app.screenshot('consultant-06-sending-cancel');
    await app.tid('node-test-cancel').click();
    await expect.poll(() => app.tid('node-test-result-error').textContent(), { timeout: 5_000 }).toContain('/hang: cancelled');
    await expect(app.tid('node-test-cancel').count()).resolves.toBe(0);
    await expect(app.tid('node-test-send').isEnabled()).resolves.toBe(true);
  });
});
