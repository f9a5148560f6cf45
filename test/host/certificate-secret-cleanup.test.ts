import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { startHostedRuntime } from '../../core/host/studio';
import { staleCertificateSecrets, staleInlineCertificateSecrets } from '../../core/host/secret-cleanup';
import { createTestPki, type TestPki } from '../../core/http/tls-test-pki';
import { destroyAgents } from '../../core/http/agents';
import { FileSecretStore } from '../../core/secrets/env-store';
import type { ConnectionInput } from '../../core/model/connection';
import type { Flow } from '../../core/model/flow';
import { hostedPerTest } from '../helpers/hosted';
import { chainFlow, send, tempDir, waitFor } from '../helpers/runtime';
import { json, startHttps, type TestServer } from '../http/servers';

/**
 * Switching a client certificate between PFX and PEM (or removing it) deletes the secrets of the old one through the
 * real HostApi: the ones the studio named after that connection, once nothing else refers to them.
 */
const PFX = { kind: 'pfx', pfxSecret: 'CONN_ERP_PFX', passphraseSecret: 'CONN_ERP_PFX_PASSPHRASE' } as const;
const PEM = { kind: 'pem', certSecret: 'CONN_ERP_CERT', keySecret: 'CONN_ERP_KEY', passphraseSecret: 'CONN_ERP_KEY_PASSPHRASE' } as const;
const erp = (clientCert?: object, extra: Partial<ConnectionInput> = {}): ConnectionInput =>
  ({ id: 'erp', name: 'ERP', auth: { type: 'bearer', tokenSecret: 'CONN_ERP_TOKEN' }, tls: { ...(clientCert ? { clientCert } : {}), caSecret: 'CONN_ERP_CA' }, ...extra }) as ConnectionInput;
const ALL = ['CONN_ERP_CA', 'CONN_ERP_CERT', 'CONN_ERP_KEY', 'CONN_ERP_KEY_PASSPHRASE', 'CONN_ERP_PFX', 'CONN_ERP_PFX_PASSPHRASE', 'CONN_ERP_TOKEN'];

describe('staleCertificateSecrets', () => {
  it('lists what the old config named after the owner and the new one does not use', () => {
    expect(staleCertificateSecrets('erp', PFX, PEM)).toEqual(['CONN_ERP_PFX', 'CONN_ERP_PFX_PASSPHRASE']);
    expect(staleCertificateSecrets('erp', PEM, PFX)).toEqual(['CONN_ERP_CERT', 'CONN_ERP_KEY', 'CONN_ERP_KEY_PASSPHRASE']);
    expect(staleCertificateSecrets('erp', PEM, undefined)).toEqual(['CONN_ERP_CERT', 'CONN_ERP_KEY', 'CONN_ERP_KEY_PASSPHRASE']);
    expect(staleCertificateSecrets('erp', PFX, { ...PFX, passphraseSecret: undefined })).toEqual(['CONN_ERP_PFX_PASSPHRASE']);
    expect(staleCertificateSecrets('erp', PFX, PFX)).toEqual([]);
    expect(staleCertificateSecrets('erp', undefined, PEM)).toEqual([]);
    // Typed by the user, or another owner's: never a candidate.
    expect(staleCertificateSecrets('erp', { kind: 'pfx', pfxSecret: 'PARTNER_PFX' }, undefined)).toEqual([]);
    expect(staleCertificateSecrets('other', PFX, undefined)).toEqual([]);
  });

  it('for inline connections, per node that is still there', () => {
    const flow = (clientCert: object | undefined, nodes = ['call']) =>
      ({ id: 'orders', nodes: nodes.map((id) => ({ id, type: 'http-request', settings: { connection: { tls: { clientCert } } } })) }) as unknown as Flow;
    const pfx = { kind: 'pfx', pfxSecret: 'CONN_ORDERS_CALL_PFX' };
    const pem = { kind: 'pem', certSecret: 'CONN_ORDERS_CALL_CERT', keySecret: 'CONN_ORDERS_CALL_KEY' };
    expect(staleInlineCertificateSecrets(flow(pfx), flow(pem))).toEqual(['CONN_ORDERS_CALL_PFX']);
    expect(staleInlineCertificateSecrets(flow(pem), flow(undefined))).toEqual(['CONN_ORDERS_CALL_CERT', 'CONN_ORDERS_CALL_KEY']);
    expect(staleInlineCertificateSecrets(flow(pfx), flow(undefined, []))).toEqual([]);
    expect(staleInlineCertificateSecrets(undefined, flow(pem))).toEqual([]);
  });
});

describe('saveConnection deletes the certificate secrets the connection no longer refers to', () => {
  const host = hostedPerTest();
  const setAll = () => ALL.forEach((n) => host.secrets.set(n, `value of ${n}`));

  it('PFX -> PEM deletes the PFX file and its passphrase; PEM -> PFX deletes certificate, key and passphrase', async () => {
    setAll();
    await host.h.api.saveConnection(erp(PFX));
    expect(host.secrets.list()).toEqual(ALL);
    const saved = await host.h.api.saveConnection(erp(PEM));
    expect(host.secrets.list()).toEqual(ALL.filter((n) => !n.includes('_PFX')));
    expect(saved.missingSecrets).toEqual([]);

    host.secrets.set('CONN_ERP_PFX', 'new pfx');
    await host.h.api.saveConnection(erp({ kind: 'pfx', pfxSecret: 'CONN_ERP_PFX' }));
    expect(host.secrets.list()).toEqual(['CONN_ERP_CA', 'CONN_ERP_PFX', 'CONN_ERP_TOKEN']);
    expect(host.secrets.get('CONN_ERP_PFX')).toBe('new pfx');
    expect((await host.h.api.listSecrets()).map((s) => s.name)).toEqual(['CONN_ERP_CA', 'CONN_ERP_PFX', 'CONN_ERP_TOKEN']);
  });

  it('removing the certificate deletes its secrets and keeps the rest (CA bundle, token)', async () => {
    setAll();
    await host.h.api.saveConnection(erp(PEM));
    await host.h.api.saveConnection(erp(undefined));
    expect(host.secrets.list()).toEqual(['CONN_ERP_CA', 'CONN_ERP_PFX', 'CONN_ERP_PFX_PASSPHRASE', 'CONN_ERP_TOKEN']);
    // Without tls at all, too.
    await host.h.api.saveConnection(erp(PFX));
    await host.h.api.saveConnection({ id: 'erp', name: 'ERP', auth: { type: 'bearer', tokenSecret: 'CONN_ERP_TOKEN' } });
    expect(host.secrets.list()).toEqual(['CONN_ERP_CA', 'CONN_ERP_TOKEN']);
  });

  it('keeps a secret another connection, a flow or an event subscription still refers to', async () => {
    setAll();
    await host.h.api.saveConnection(erp(PFX));
    // Same name by another route: `erp_` gives CONN_ERP_... too, and the user may point a second connection at it.
    await host.h.api.saveConnection({ id: 'erp-copy', name: 'ERP copy', tls: { clientCert: { kind: 'pfx', pfxSecret: 'CONN_ERP_PFX' } } });
    await host.h.api.saveFlow(chainFlow({ path: '/x' }, [{ type: 'http-request', settings: { url: 'https://127.0.0.1:9/', connection: { tls: { caSecret: 'CONN_ERP_KEY' } } } }], { id: 'uses-key' }));
    await host.h.api.saveSubscriptions({ subscriptions: [{ id: 's1', eventType: 'ORDER', url: 'https://127.0.0.1:9/hook', enabled: true, auth: { type: 'standardWebhooks', secret: 'CONN_ERP_CERT' } }] } as never);
    await host.h.api.saveConnection(erp(PEM));
    await host.h.api.saveConnection(erp(undefined));
    expect(host.secrets.list()).toEqual(['CONN_ERP_CA', 'CONN_ERP_CERT', 'CONN_ERP_KEY', 'CONN_ERP_PFX', 'CONN_ERP_TOKEN']);
  });

  it('leaves names the user chose (not the connection\'s by convention), and a refused save deletes nothing', async () => {
    host.secrets.set('PARTNER_PFX', 'pfx');
    host.secrets.set('CONN_ERP_CERT', 'cert');
    await host.h.api.saveConnection(erp({ kind: 'pfx', pfxSecret: 'PARTNER_PFX' }));
    await host.h.api.saveConnection(erp(undefined));
    expect(host.secrets.has('PARTNER_PFX')).toBe(true);

    await host.h.api.saveConnection(erp({ kind: 'pem', certSecret: 'CONN_ERP_CERT', keySecret: 'CONN_ERP_KEY' }));
    await expect(host.h.api.saveConnection({ ...erp(undefined), timeoutMs: -1 })).rejects.toThrow();
    expect(host.secrets.has('CONN_ERP_CERT')).toBe(true);
  });

  it('deleting a connection deletes the secrets named after it that nothing else uses; a new one with its id starts empty', async () => {
    setAll();
    host.secrets.set('PARTNER_CA', 'ca');
    await host.h.api.saveConnection(erp(PFX, { tls: { clientCert: PFX, caSecret: 'PARTNER_CA' } } as Partial<ConnectionInput>));
    // Another connection still points at the token: it stays.
    await host.h.api.saveConnection({ id: 'erp-copy', name: 'ERP copy', auth: { type: 'bearer', tokenSecret: 'CONN_ERP_TOKEN' } });
    await host.h.api.deleteConnection('erp');
    // Gone: the PFX and its passphrase. Kept: the shared token, the CA the user named, and CONN_ERP_* names the
    // deleted connection did not refer to (not its secrets).
    expect(host.secrets.list()).toEqual(['CONN_ERP_CA', 'CONN_ERP_CERT', 'CONN_ERP_KEY', 'CONN_ERP_KEY_PASSPHRASE', 'CONN_ERP_TOKEN', 'PARTNER_CA']);
    const again = await host.h.api.saveConnection(erp(PFX));
    expect(again.missingSecrets).toEqual(['CONN_ERP_PFX', 'CONN_ERP_PFX_PASSPHRASE']);
  });

  it('a connection a flow uses is not deleted, and neither are its secrets', async () => {
    setAll();
    await host.h.api.saveConnection(erp(PFX));
    await host.h.api.saveFlow(chainFlow({ path: '/x' }, [{ type: 'http-request', settings: { url: 'https://127.0.0.1:9/', connectionId: 'erp' } }], { id: 'uses-erp' }));
    await expect(host.h.api.deleteConnection('erp')).rejects.toThrow(/is used by node "n1" in flow "uses-erp"/);
    expect(host.secrets.list()).toEqual(ALL);
  });
});

describe('the file secret store and inline connections of flows', () => {
  let pki: TestPki;
  let partner: TestServer;
  beforeAll(async () => {
    pki = createTestPki();
    partner = await startHttps({ key: pki.server.keyPem, cert: pki.server.certPem, ca: pki.ca.certPem, requestCert: true, rejectUnauthorized: true }, (_req, res) => json(res, 200, { ok: true }));
  });
  afterAll(async () => {
    await partner.close();
    destroyAgents();
  });

  it('a saved connection switched to PEM leaves no PFX in the secrets file', async () => {
    const dataDir = tempDir();
    const file = path.join(dataDir, 'secrets.json');
    const secrets = new FileSecretStore(file, { create: true });
    const h = await startHostedRuntime({ dataDir, secrets, port: 0 });
    try {
      await h.api.setSecret('CONN_ERP_PFX', pki.client.pfxBase64);
      await h.api.setSecret('CONN_ERP_PFX_PASSPHRASE', pki.passphrase);
      await h.api.saveConnection(erp(PFX));
      await h.api.setSecret('CONN_ERP_CERT', pki.client.certPem);
      await h.api.setSecret('CONN_ERP_KEY', pki.client.keyPem);
      await h.api.saveConnection(erp({ kind: 'pem', certSecret: 'CONN_ERP_CERT', keySecret: 'CONN_ERP_KEY' }));
      const onDisk = fs.readFileSync(file, 'utf8');
      expect(Object.keys(JSON.parse(onDisk)).sort()).toEqual(['CONN_ERP_CERT', 'CONN_ERP_KEY']);
      expect(onDisk).not.toContain(pki.client.pfxBase64.slice(0, 40));
      expect(onDisk).not.toContain(pki.passphrase);
    } finally {
      await h.close();
    }
  });

  it('a deployed flow keeps the old secrets until it is redeployed, and calls the partner with either', async () => {
    const dataDir = tempDir();
    const secrets = new FileSecretStore(path.join(dataDir, 'secrets.json'), { create: true });
    const h = await startHostedRuntime({ dataDir, secrets, port: 0 });
    const owner = 'CONN_MTLS_CALL';
    const flow = (clientCert: object) =>
      chainFlow({ methods: ['POST'], path: '/mtls', responseMode: 'requestResponse' }, [{ id: 'call', type: 'http-request', settings: { method: 'GET', url: `${partner.url}/ping`, output: 'body', connection: { tls: { clientCert, caSecret: 'PARTNER_CA' } } } }, { type: 'respond' }], { id: 'mtls' });
    try {
      secrets.set('PARTNER_CA', pki.ca.certPem);
      secrets.set(`${owner}_PFX`, pki.client.pfxBase64);
      secrets.set(`${owner}_PFX_PASSPHRASE`, pki.passphrase);
      await h.api.saveFlow(flow({ kind: 'pfx', pfxSecret: `${owner}_PFX`, passphraseSecret: `${owner}_PFX_PASSPHRASE` }));
      expect((await h.api.deploy('mtls')).ok).toBe(true);

      // The inspector stores the checked PEM pair, then the flow is saved: the deployed revision still uses the PFX.
      secrets.set(`${owner}_CERT`, pki.client.certPem);
      secrets.set(`${owner}_KEY`, pki.client.keyPem);
      await h.api.saveFlow(flow({ kind: 'pem', certSecret: `${owner}_CERT`, keySecret: `${owner}_KEY` }));
      expect(secrets.list()).toEqual([`${owner}_CERT`, `${owner}_KEY`, `${owner}_PFX`, `${owner}_PFX_PASSPHRASE`, 'PARTNER_CA']);
      expect((await send(`${h.runtime.baseUrl}/mtls`, { body: '{}' })).json).toEqual({ ok: true });

      expect((await h.api.deploy('mtls')).ok).toBe(true);
      expect(secrets.list()).toEqual([`${owner}_CERT`, `${owner}_KEY`, 'PARTNER_CA']);
      expect((await send(`${h.runtime.baseUrl}/mtls`, { body: '{}' })).json).toEqual({ ok: true });
      expect(partner.requests.map((r) => r.clientCertCN)).toEqual(['hookline-client', 'hookline-client']);

      // Not deployed: removing the certificate keeps its secrets while the flow is edited (an Undo needs them) and
      // deletes them when it is deployed again.
      await h.api.undeploy('mtls');
      const f = await h.api.getFlow('mtls');
      const call = f.nodes.find((n) => n.id === 'call')!;
      await h.api.saveFlow({ ...f, nodes: f.nodes.map((n) => (n === call ? { ...n, settings: { ...n.settings, connection: { tls: { caSecret: 'PARTNER_CA' } } } } : n)) });
      expect(secrets.list()).toEqual([`${owner}_CERT`, `${owner}_KEY`, 'PARTNER_CA']);
      expect((await h.api.deploy('mtls')).ok).toBe(true);
      expect(secrets.list()).toEqual(['PARTNER_CA']);
    } finally {
      await h.close();
    }
  });

  it('deleting a flow deletes the secrets named after its nodes after the Undo window; an Undo in time keeps them; closing does not wait', async () => {
    const dataDir = tempDir();
    const file = path.join(dataDir, 'secrets.json');
    const secrets = new FileSecretStore(file, { create: true });
    const h = await startHostedRuntime({ dataDir, secrets, port: 0, deletedFlowUndoMs: 300 });
    const own = (id: string) => [`CONN_${id.toUpperCase()}_CALL_PASSWORD`, `CONN_${id.toUpperCase()}_CALL_PFX`, `CONN_${id.toUpperCase()}_CALL_PFX_PASSPHRASE`];
    const flow = (id: string) => {
      const [password, pfxSecret, passphraseSecret] = own(id);
      const connection = { auth: { type: 'basic', username: 'u', passwordSecret: password }, tls: { clientCert: { kind: 'pfx', pfxSecret, passphraseSecret }, caSecret: 'PARTNER_CA' } };
      return chainFlow({ methods: ['POST'], path: `/${id}` }, [{ id: 'call', type: 'http-request', settings: { method: 'GET', url: `${partner.url}/ping`, connection } }], { id });
    };
    const setOwn = (id: string) => own(id).forEach((n) => secrets.set(n, `${pki.client.pfxBase64.slice(0, 40)} of ${n}`));
    try {
      secrets.set('PARTNER_CA', pki.ca.certPem);
      for (const id of ['gone', 'undone', 'closing']) {
        setOwn(id);
        await h.api.saveFlow(flow(id));
      }
      // Another flow shares one of the names on purpose: it stays.
      await h.api.saveFlow(chainFlow({ path: '/other' }, [{ type: 'log', settings: { value: '$env.X' } }, { type: 'http-request', settings: { url: `${partner.url}/ping`, connection: { auth: { type: 'basic', username: 'u', passwordSecret: 'CONN_GONE_CALL_PASSWORD' } } } }], { id: 'other' }));
      expect((await h.api.deploy('gone')).ok).toBe(true);

      await h.api.deleteFlow('gone');
      await h.api.deleteFlow('undone');
      // Within the window everything is still there, so the studio's Undo (saving the flow again) finds it.
      expect(secrets.list()).toEqual(expect.arrayContaining([...own('gone'), ...own('undone')]));
      await h.api.saveFlow(flow('undone'));
      await waitFor(() => !secrets.has('CONN_GONE_CALL_PFX'), { tries: 100, intervalMs: 20 });
      await new Promise((r) => setTimeout(r, 400)); // past the window for 'undone' too
      expect(secrets.list()).toEqual(['CONN_CLOSING_CALL_PASSWORD', 'CONN_CLOSING_CALL_PFX', 'CONN_CLOSING_CALL_PFX_PASSPHRASE', 'CONN_GONE_CALL_PASSWORD', ...own('undone'), 'PARTNER_CA'].sort());

      await h.api.deleteFlow('closing');
    } finally {
      await h.close();
    }
    // Closed within the window: nothing is left behind for a flow that no longer exists.
    const onDisk = JSON.parse(fs.readFileSync(file, 'utf8'));
    expect(Object.keys(onDisk).sort()).toEqual(['CONN_GONE_CALL_PASSWORD', ...own('undone'), 'PARTNER_CA'].sort());
    expect(JSON.stringify(onDisk)).not.toContain('of CONN_GONE_CALL_PFX');
  });

  it('an Undo after switching an inline certificate PFX -> PEM finds the PFX again; deploying then drops the PEM pair', async () => {
    const dataDir = tempDir();
    const secrets = new FileSecretStore(path.join(dataDir, 'secrets.json'), { create: true });
    const h = await startHostedRuntime({ dataDir, secrets, port: 0 });
    const owner = 'CONN_UNDO_CALL';
    const flow = (clientCert: object) =>
      chainFlow({ methods: ['POST'], path: '/undo', responseMode: 'requestResponse' }, [{ id: 'call', type: 'http-request', settings: { method: 'GET', url: `${partner.url}/ping`, output: 'body', connection: { tls: { clientCert, caSecret: 'PARTNER_CA' } } } }, { type: 'respond' }], { id: 'undo' });
    const pfx = { kind: 'pfx', pfxSecret: `${owner}_PFX`, passphraseSecret: `${owner}_PFX_PASSPHRASE` };
    try {
      secrets.set('PARTNER_CA', pki.ca.certPem);
      secrets.set(`${owner}_PFX`, pki.client.pfxBase64);
      secrets.set(`${owner}_PFX_PASSPHRASE`, pki.passphrase);
      await h.api.saveFlow(flow(pfx));
      secrets.set(`${owner}_CERT`, pki.client.certPem);
      secrets.set(`${owner}_KEY`, pki.client.keyPem);
      await h.api.saveFlow(flow({ kind: 'pem', certSecret: `${owner}_CERT`, keySecret: `${owner}_KEY` }));
      await h.api.saveFlow(flow(pfx)); // Undo
      expect(secrets.list()).toEqual([`${owner}_CERT`, `${owner}_KEY`, `${owner}_PFX`, `${owner}_PFX_PASSPHRASE`, 'PARTNER_CA']);
      expect((await h.api.deploy('undo')).ok).toBe(true);
      expect(secrets.list()).toEqual([`${owner}_PFX`, `${owner}_PFX_PASSPHRASE`, 'PARTNER_CA']);
      expect((await send(`${h.runtime.baseUrl}/undo`, { body: '{}' })).json).toEqual({ ok: true });
    } finally {
      await h.close();
    }
  });
});
