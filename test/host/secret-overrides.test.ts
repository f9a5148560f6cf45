import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startHostedRuntime, type HostedRuntime } from '../../core/host/studio';
import { hostMethodArgs } from '../../core/host/api';
import { MemorySecretStore } from '../../core/secrets/secret-store';
import { createTestPki } from '../../core/http/tls';
import { destroyAgents } from '../../core/http/agents';
import { tempDir } from '../helpers/runtime';
import { json, startHttp, type TestServer } from '../http/servers';

/** "Test connection" with the values a form holds unsaved: used for that one call, never stored. */
let sink: TestServer;
let h: HostedRuntime;
let secrets: MemorySecretStore;

beforeAll(async () => {
  sink = await startHttp((req, res) => json(res, 200, { auth: req.headers.authorization ?? null }));
});
afterAll(async () => {
  await sink.close();
  destroyAgents();
});
beforeEach(async () => {
  secrets = new MemorySecretStore({ ERP_PASSWORD: 'old-password' });
  h = await startHostedRuntime({ dataDir: tempDir(), secrets, port: 0 });
});
afterEach(() => h.close());

const basic = (user: string, pass: string) => `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}`;

describe('secret overrides on testConnection and certificateInfo', () => {
  it('a test with a typed password sends it once; the stored password and the next test are unchanged', async () => {
    await h.api.saveConnection({ id: 'erp', name: 'ERP', auth: { type: 'basic', username: 'u', passwordSecret: 'ERP_PASSWORD' } });
    const typed = await h.api.testConnection({ connectionId: 'erp' }, { method: 'GET', url: `${sink.url}/a` }, { ERP_PASSWORD: 'new-password' });
    expect(typed.ok).toBe(true);
    expect(sink.requests.at(-1)!.headers.authorization).toBe(basic('u', 'new-password'));
    expect(secrets.get('ERP_PASSWORD')).toBe('old-password');
    expect((await h.api.listSecrets()).map((s) => s.name)).toEqual(['ERP_PASSWORD']);
    // Blank means "the stored value", as on save.
    await h.api.testConnection({ connectionId: 'erp' }, { method: 'GET', url: `${sink.url}/b` }, { ERP_PASSWORD: '' });
    expect(sink.requests.at(-1)!.headers.authorization).toBe(basic('u', 'old-password'));
  });

  it('an inline connection whose secret was never stored can be tested, and stays unset', async () => {
    const r = await h.api.testConnection({ connection: { auth: { type: 'bearer', tokenSecret: 'CONN_NEW_TOKEN' } } }, { method: 'GET', url: sink.url }, { CONN_NEW_TOKEN: 'tok-1' });
    expect(r.ok).toBe(true);
    expect(sink.requests.at(-1)!.headers.authorization).toBe('Bearer tok-1');
    expect(secrets.has('CONN_NEW_TOKEN')).toBe(false);
  });

  it('certificateInfo opens a PFX and passphrase given as overrides without storing them', async () => {
    const pki = createTestPki();
    const info = await h.api.certificateInfo('C_PFX', 'C_PASS', { C_PFX: pki.client.pfxBase64, C_PASS: pki.passphrase });
    expect(info.subject).toContain('CN=hookline-client');
    expect(secrets.list()).toEqual(['ERP_PASSWORD']);
    await expect(h.api.certificateInfo('C_PFX', 'C_PASS', { C_PFX: pki.client.pfxBase64, C_PASS: 'typo' })).rejects.toThrow(/passphrase is wrong/);
  });

  it('the transports validate overrides: secret names only, string values', () => {
    const req = { method: 'GET', url: 'http://x' };
    expect(hostMethodArgs.testConnection.safeParse([{ connectionId: 'erp' }, req, { A_B: 'v' }]).success).toBe(true);
    expect(hostMethodArgs.testConnection.safeParse([{ connectionId: 'erp' }, req]).success).toBe(true);
    expect(hostMethodArgs.testConnection.safeParse([{ connectionId: 'erp' }, req, { 'bad name': 'v' }]).success).toBe(false);
    expect(hostMethodArgs.certificateInfo.safeParse(['A', undefined, { A: 1 }]).success).toBe(false);
  });
});
