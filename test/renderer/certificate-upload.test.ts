import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startHostedRuntime, type HostedRuntime } from '../../core/host/studio';
import { createTestPki } from '../../core/http/tls';
import { MemorySecretStore } from '../../core/secrets/secret-store';
import { checkPfx, stripSecretName, uploadPfx } from '../../renderer/connections/certificate-upload';
import { tempDir } from '../helpers/runtime';

/** The PFX upload of the certificate widgets, through the real HostApi (certificate parsing included). */
const pki = createTestPki();
let h: HostedRuntime;
let secrets: MemorySecretStore;

beforeEach(async () => {
  secrets = new MemorySecretStore({});
  h = await startHostedRuntime({ dataDir: tempDir(), secrets, port: 0 });
});
afterEach(() => h.close());

describe('uploadPfx', () => {
  it('stores a PFX and its passphrase only after the host could open them', async () => {
    const r = await uploadPfx(h.api, { connId: 'erp', current: undefined, pfxBase64: pki.client.pfxBase64, passphrase: pki.passphrase });
    expect(r).toMatchObject({ ok: true, cert: { kind: 'pfx', pfxSecret: 'CONN_ERP_PFX', passphraseSecret: 'CONN_ERP_PFX_PASSPHRASE' } });
    expect(r.ok && r.info.subject).toContain('CN=hookline-client');
    expect(secrets.get('CONN_ERP_PFX')).toBe(pki.client.pfxBase64);
    expect(secrets.get('CONN_ERP_PFX_PASSPHRASE')).toBe(pki.passphrase);
    expect((await h.api.listSecrets()).map((s) => s.name).filter((n) => n.endsWith('_PENDING'))).toEqual([]);
  });

  it('a mistyped passphrase on "Replace PFX" keeps the working certificate and names the passphrase field', async () => {
    const first = await uploadPfx(h.api, { connId: 'erp', current: undefined, pfxBase64: pki.client.pfxBase64, passphrase: pki.passphrase });
    if (!first.ok) throw new Error(first.message);
    const other = createTestPki();
    const r = await uploadPfx(h.api, { connId: 'erp', current: first.cert, pfxBase64: other.client.pfxBase64, passphrase: 'typo-passphrase' });
    expect(r).toEqual({ ok: false, field: 'passphrase', message: expect.stringContaining('wrong passphrase for this PFX') });
    expect(!r.ok && r.message).not.toContain('CONN_');
    // Nothing the connection uses was touched: the old pair still opens, no staging secret is left.
    expect(secrets.get('CONN_ERP_PFX')).toBe(pki.client.pfxBase64);
    expect(secrets.get('CONN_ERP_PFX_PASSPHRASE')).toBe(pki.passphrase);
    expect((await h.api.certificateInfo('CONN_ERP_PFX', 'CONN_ERP_PFX_PASSPHRASE')).fingerprintSha256).toBe(first.info.fingerprintSha256);
    expect((await h.api.listSecrets()).map((s) => s.name).sort()).toEqual(['CONN_ERP_PFX', 'CONN_ERP_PFX_PASSPHRASE']);
  });

  it('a file that is not a certificate is reported on the file, and a missing passphrase says so', async () => {
    const bad = await uploadPfx(h.api, { connId: 'erp', current: undefined, pfxBase64: Buffer.from('not a pfx at all').toString('base64'), passphrase: 'x' });
    expect(bad.ok).toBe(false);
    const none = await uploadPfx(h.api, { connId: 'erp', current: undefined, pfxBase64: pki.client.pfxBase64, passphrase: '' });
    expect(none).toMatchObject({ ok: false, field: 'passphrase', message: expect.stringContaining('needs its passphrase') });
    expect(secrets.get('CONN_ERP_PFX')).toBeUndefined();
  });

  it('replacing with the same passphrase left blank reuses the stored passphrase secret', async () => {
    const first = await uploadPfx(h.api, { connId: 'erp', current: undefined, pfxBase64: pki.client.pfxBase64, passphrase: pki.passphrase });
    if (!first.ok) throw new Error(first.message);
    const again = await uploadPfx(h.api, { connId: 'erp', current: first.cert, pfxBase64: pki.client.pfxBase64, passphrase: '' });
    expect(again).toMatchObject({ ok: true, cert: first.cert });
  });

  it('checkPfx (Connections page: stored on Save) opens the file but writes nothing, and returns what to write', async () => {
    const r = await checkPfx(h.api, { connId: 'erp', current: undefined, pfxBase64: pki.client.pfxBase64, passphrase: pki.passphrase });
    expect(r).toMatchObject({ ok: true, cert: { kind: 'pfx', pfxSecret: 'CONN_ERP_PFX' }, secrets: { CONN_ERP_PFX: pki.client.pfxBase64, CONN_ERP_PFX_PASSPHRASE: pki.passphrase } });
    expect(secrets.list()).toEqual([]);
    // A passphrase typed earlier and still pending in the form opens a file uploaded without one.
    const later = await checkPfx(h.api, { connId: 'erp', current: r.ok ? r.cert : undefined, pfxBase64: pki.client.pfxBase64, passphrase: '', pending: { CONN_ERP_PFX_PASSPHRASE: pki.passphrase } });
    expect(later.ok).toBe(true);
    expect(secrets.list()).toEqual([]);
  });

  it('strips the secret name the host puts in front of certificate errors', () => {
    expect(stripSecretName('CONN_X_PFX: certificate passphrase is wrong', 'CONN_X_PFX')).toBe('certificate passphrase is wrong');
    expect(stripSecretName('other: thing', 'CONN_X_PFX')).toBe('other: thing');
  });
});
