import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { startHostedRuntime, type HostedRuntime } from '../../core/host/studio';
import { ConnectionRepository } from '../../core/host/connection-repo';
import { MemorySecretStore } from '../../core/secrets/secret-store';
import { ProblemsError } from '../../core/model/problems';
import { createTestPki } from '../../core/http/tls';
import { destroyAgents } from '../../core/http/agents';
import { chainFlow, send, tempDir, waitFor } from '../helpers/runtime';
import { json, startHttp, type TestServer } from '../http/servers';

/** Saved connections through the hosted runtime and HostApi, against real servers on 127.0.0.1. */
let sink: TestServer;
let tokens: TestServer;
let h: HostedRuntime;
let secrets: MemorySecretStore;
let dataDir: string;

beforeAll(async () => {
  sink = await startHttp((req, res, body) => json(res, 200, { auth: req.headers.authorization ?? null, key: req.headers['x-api-key'] ?? null, body }));
  tokens = await startHttp((req, res, body) => {
    const form = new URLSearchParams(body);
    if (form.get('grant_type') !== 'client_credentials' || form.get('client_secret') !== 'cc-secret-value') return json(res, 401, { error: 'invalid_client' });
    json(res, 200, { access_token: `tok-${tokens.requests.length}`, token_type: 'bearer', expires_in: 3600 });
  });
});
afterAll(async () => {
  await sink.close();
  await tokens.close();
  destroyAgents();
});
beforeEach(async () => {
  dataDir = tempDir();
  secrets = new MemorySecretStore({ CC_SECRET: 'cc-secret-value', PARTNER_KEY: 'plain-partner-key-4711' });
  h = await startHostedRuntime({ dataDir, secrets, port: 0 });
});
afterEach(() => h.close());

const rr = (p: string) => ({ methods: ['POST'], path: p, responseMode: 'requestResponse' });

describe('ConnectionRepository', () => {
  it('stores one JSON file per connection, secrets by name only, and validates with paths', () => {
    const dir = tempDir();
    const repo = new ConnectionRepository(dir);
    repo.save({ id: 'partner-a', name: 'Partner A', auth: { type: 'apiKey', name: 'X-Api-Key', valueSecret: 'PARTNER_KEY' } });
    const file = path.join(dir, 'connections', 'partner-a.json');
    expect(JSON.parse(fs.readFileSync(file, 'utf8')).auth).toEqual({ type: 'apiKey', in: 'header', name: 'X-Api-Key', valueSecret: 'PARTNER_KEY' });
    expect(repo.get('partner-a')?.name).toBe('Partner A');
    expect(repo.list().map((c) => c.id)).toEqual(['partner-a']);
    const err = (() => {
      try {
        repo.save({ id: 'bad', name: 'Bad', auth: { type: 'oauth2ClientCredentials', tokenUrl: 'not a url', clientId: '', clientSecretSecret: 'has space' } });
      } catch (e) {
        return e as ProblemsError;
      }
    })()!;
    expect(err).toBeInstanceOf(ProblemsError);
    const paths = err.problems.map((p) => p.path);
    expect(paths).toEqual(expect.arrayContaining(['auth.tokenUrl', 'auth.clientId', 'auth.clientSecretSecret']));
    expect(repo.delete('partner-a')).toBe(true);
    expect(repo.get('partner-a')).toBeUndefined();
  });
});

describe('connections in the hosted runtime', () => {
  it('one saved OAuth2 connection serves two flows: one token for both, Bearer on every call', async () => {
    await h.api.saveConnection({
      id: 'partner-cc',
      name: 'Partner (client credentials)',
      auth: { type: 'oauth2ClientCredentials', tokenUrl: `${tokens.url}/token`, clientId: 'app', clientSecretSecret: 'CC_SECRET' },
    });
    for (const p of ['/one', '/two']) {
      const f = chainFlow(rr(p), [{ type: 'http-request', settings: { url: `${sink.url}${p}`, connectionId: 'partner-cc', body: '{}' } }, { type: 'respond' }], { id: `flow${p.slice(1)}` });
      await h.api.saveFlow(f);
      const r = await h.api.deploy(f.id);
      expect(r.problems.filter((x) => x.severity !== 'warning')).toEqual([]);
      expect(r.ok).toBe(true);
    }
    const before = tokens.requests.length;
    for (const p of ['/one', '/two', '/one']) {
      const r = await send(h.runtime.baseUrl + p, { body: '{}' });
      expect(r.status).toBe(200);
      // The partner echoes the header: the flow data gets it masked, the partner got the real token.
      expect(r.json.body.auth).toBe('Bearer ***');
      expect(sink.requests.at(-1)!.headers.authorization).toMatch(/^Bearer tok-\d+$/);
    }
    expect(tokens.requests.length - before).toBe(1);
  });

  it('a connection id that does not exist is a deploy problem naming the field', async () => {
    const f = chainFlow(rr('/missing'), [{ type: 'http-request', settings: { url: sink.url, connectionId: 'nope' } }], { id: 'missing' });
    await h.api.saveFlow(f);
    const r = await h.api.deploy('missing');
    expect(r.ok).toBe(false);
    expect(r.problems).toContainEqual(expect.objectContaining({ path: 'nodes[1].settings.connectionId', message: expect.stringContaining('connection "nope" was not found') }));
  });

  it('saveConnection reports every problem with its path; delete is refused while a flow uses it', async () => {
    const err = (await h.api.saveConnection({ id: 'x', name: '', auth: { type: 'basic', username: 'a:b', passwordSecret: '1bad' } } as never).catch((e) => e)) as ProblemsError;
    expect(err.problems.map((p) => `${p.path}: ${p.message}`)).toEqual(
      expect.arrayContaining(['name: must not be empty', 'auth.username: must not contain ":"', expect.stringMatching(/^auth\.passwordSecret: must be a secret name/)]),
    );
    await h.api.saveConnection({ id: 'keyed', name: 'Keyed', auth: { type: 'apiKey', name: 'X-Api-Key', valueSecret: 'PARTNER_KEY' } });
    await h.api.saveFlow(chainFlow(rr('/k'), [{ type: 'http-request', settings: { url: sink.url, connectionId: 'keyed' } }], { id: 'uses-keyed' }));
    await expect(h.api.deleteConnection('keyed')).rejects.toThrow('connection "Keyed" is used by node "n1" in flow "uses-keyed"; point those nodes elsewhere first');
    await h.api.deleteFlow('uses-keyed');
    await h.api.deleteConnection('keyed');
    expect(await h.api.listConnections()).toEqual([]);
  });

  it('listConnections says which secrets are missing', async () => {
    await h.api.saveConnection({ id: 'b', name: 'B', auth: { type: 'bearer', tokenSecret: 'NOT_SET_YET' } });
    expect((await h.api.getConnection('b')).missingSecrets).toEqual(['NOT_SET_YET']);
  });

  it('testConnection returns the whole exchange, masked, with timings; inline connections work too', async () => {
    await h.api.saveConnection({ id: 'keyed', name: 'Keyed', auth: { type: 'apiKey', name: 'X-Api-Key', valueSecret: 'PARTNER_KEY' } });
    const r = await h.api.testConnection({ connectionId: 'keyed' }, { method: 'post', url: `${sink.url}/echo`, body: '{"a":1}', contentType: 'application/json' });
    expect(r.ok).toBe(true);
    expect(r.exchange!.request.headers['X-Api-Key']).toBe('***');
    expect(r.exchange!.response!.status).toBe(200);
    // The sink echoes the key back: the studio must not see it either.
    expect(JSON.stringify(r.exchange)).not.toContain('plain-partner-key-4711');
    expect(r.timings!.totalMs).toBeGreaterThanOrEqual(0);
    const bad = await h.api.testConnection({ connection: { auth: { type: 'bearer', tokenSecret: 'MISSING' } } }, { method: 'GET', url: sink.url });
    expect(bad.ok).toBe(false);
    expect(bad.error).toMatchObject({ code: 'missing_secret', message: expect.stringContaining('MISSING') });
    await expect(h.api.testConnection({ connection: { auth: { type: 'nope' } } } as never, { method: 'GET', url: sink.url })).rejects.toThrow(/connection\.auth/);
    // A path with spaces is refused, not sent as /ht%20tp://x%20y under the Server URL.
    const spaced = await h.api.testConnection({ connection: { baseUrl: sink.url } }, { method: 'GET', url: 'ht tp://x y' });
    expect(spaced).toMatchObject({ ok: false, error: { code: 'invalid_request', message: 'path: "ht tp://x y" must not contain spaces (encode them as %20)' } });
  });

  it('certificateInfo reads a PFX secret (and PEM), and says clearly when the passphrase is wrong', async () => {
    const pki = createTestPki();
    secrets.set('CLIENT_PFX', pki.client.pfxBase64);
    secrets.set('CLIENT_PFX_PASS', pki.passphrase);
    secrets.set('WRONG_PASS', 'not-the-passphrase');
    secrets.set('CLIENT_PEM', pki.client.certPem);
    const info = await h.api.certificateInfo('CLIENT_PFX', 'CLIENT_PFX_PASS');
    expect(info.subject).toContain('CN=hookline-client');
    expect(info.daysLeft).toBeGreaterThan(30);
    expect((await h.api.certificateInfo('CLIENT_PEM')).fingerprintSha256).toBe(info.fingerprintSha256);
    await expect(h.api.certificateInfo('CLIENT_PFX', 'WRONG_PASS')).rejects.toThrow('CLIENT_PFX: certificate passphrase is wrong');
    await expect(h.api.certificateInfo('NOT_THERE')).rejects.toThrow('secret NOT_THERE is not set');
  });

  it('importCurl moves credentials into new secrets; toCurl writes placeholders, never values', async () => {
    secrets.set('CURL_TOKEN', 'already-taken-token');
    const imp = await h.api.importCurl(`curl -X POST 'https://api.example.com/orders?x=1' -H 'Authorization: Bearer s3cret-token-value' -H 'Content-Type: application/json' -H 'X-Api-Version: 2' -d '{"id":1}'`);
    expect(imp.secrets).toEqual(['CURL_TOKEN_2']);
    expect(secrets.get('CURL_TOKEN_2')).toBe('s3cret-token-value');
    expect(secrets.get('CURL_TOKEN')).toBe('already-taken-token');
    expect(JSON.stringify(imp.settings)).not.toContain('s3cret-token-value');
    expect(imp.settings).toMatchObject({
      method: 'POST',
      url: 'https://api.example.com/orders',
      query: [{ name: 'x', value: '1' }],
      contentType: 'application/json',
      headers: [{ name: 'X-Api-Version', value: '2' }],
      body: '{"id":1}',
      connection: { auth: { type: 'bearer', tokenSecret: 'CURL_TOKEN_2' } },
    });
    const curl = await h.api.toCurl(imp.settings);
    expect(curl).toContain("'Authorization: Bearer <secret:CURL_TOKEN_2>'");
    expect(curl).toContain("'https://api.example.com/orders?x=1'");
    expect(curl).not.toContain('s3cret-token-value');
    await expect(h.api.toCurl({ url: 'x', retry: { retryCount: 9 } })).rejects.toThrow('settings.retry.retryCount');
  });

  it('secrets used through saved connections never reach the execution database', async () => {
    await h.api.saveConnection({ id: 'keyed', name: 'Keyed', auth: { type: 'apiKey', name: 'X-Api-Key', valueSecret: 'PARTNER_KEY' } });
    const f = chainFlow(rr('/secret'), [{ type: 'http-request', settings: { url: `${sink.url}/echo`, connectionId: 'keyed', body: '{}' } }, { type: 'respond' }], {
      id: 'secret-flow',
      settings: { diagnostics: 'full' },
    } as never);
    await h.api.saveFlow(f);
    expect((await h.api.deploy('secret-flow')).ok).toBe(true);
    const r = await send(h.runtime.baseUrl + '/secret', { body: '{}' });
    expect(r.status).toBe(200);
    expect(sink.requests.at(-1)!.headers['x-api-key']).toBe('plain-partner-key-4711');
    await waitFor(async () => (await h.api.listExecutions({})).items.find((e) => e.status === 'succeeded'));
    await h.close();
    const files = fs.readdirSync(dataDir, { recursive: true }).map(String).filter((f) => fs.statSync(path.join(dataDir, f)).isFile());
    expect(files.some((f) => f.startsWith('executions.db'))).toBe(true);
    for (const f of files) expect(fs.readFileSync(path.join(dataDir, f)).includes('plain-partner-key-4711'), f).toBe(false);
  });
});
