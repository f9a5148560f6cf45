import { describe, expect, it } from 'vitest';
import { createTestPki } from '../../core/http/tls';
import { checkPfx, stripSecretName, uploadPfx } from '../../renderer/connections/certificate-upload';
import { hostedPerTest } from '../helpers/hosted';

/** The PFX upload of the certificate widgets, through the real HostApi (certificate parsing included). */
const pki = createTestPki();
const host = hostedPerTest();

describe('uploadPfx', () => {
  it('stores a PFX and its passphrase only after the host could open them', async () => {
    const r = await uploadPfx(host.h.api, { connId: 'erp', current: undefined, pfxBase64: pki.client.pfxBase64, passphrase: pki.passphrase });
    expect(r).toMatchObject({ ok: true, cert: { kind: 'pfx', pfxSecret: 'CONN_ERP_PFX', passphraseSecret: 'CONN_ERP_PFX_PASSPHRASE' } });
    expect(r.ok && r.info.subject).toContain('CN=hookline-client');
    expect(host.secrets.get('CONN_ERP_PFX')).toBe(pki.client.pfxBase64);
    expect(host.secrets.get('CONN_ERP_PFX_PASSPHRASE')).toBe(pki.passphrase);
    expect((await host.h.api.listSecrets()).map((s) => s.name).filter((n) => n.endsWith('_PENDING'))).toEqual([]);
  });

  it('a mistyped passphrase on "Replace PFX" keeps the working certificate and names the passphrase field', async () => {
    const first = await uploadPfx(host.h.api, { connId: 'erp', current: undefined, pfxBase64: pki.client.pfxBase64, passphrase: pki.passphrase });
    if (!first.ok) throw new Error(first.message);
    const other = createTestPki();
    const r = await uploadPfx(host.h.api, { connId: 'erp', current: first.cert, pfxBase64: other.client.pfxBase64, passphrase: 'typo-passphrase' });
    expect(r).toEqual({ ok: false, field: 'passphrase', message: expect.stringContaining('wrong passphrase for this PFX') });
    expect(!r.ok && r.message).not.toContain('CONN_');
    // Nothing the connection uses was touched: the old pair still opens, no staging secret is left.
    expect(host.secrets.get('CONN_ERP_PFX')).toBe(pki.client.pfxBase64);
    expect(host.secrets.get('CONN_ERP_PFX_PASSPHRASE')).toBe(pki.passphrase);
    expect((await host.h.api.certificateInfo('CONN_ERP_PFX', 'CONN_ERP_PFX_PASSPHRASE')).fingerprintSha256).toBe(first.info.fingerprintSha256);
    expect((await host.h.api.listSecrets()).map((s) => s.name).sort()).toEqual(['CONN_ERP_PFX', 'CONN_ERP_PFX_PASSPHRASE']);
  });

  it('a file that is not a certificate is reported on the file, and a missing passphrase says so', async () => {
    const bad = await uploadPfx(host.h.api, { connId: 'erp', current: undefined, pfxBase64: Buffer.from('not a pfx at all').toString('base64'), passphrase: 'x' });
    expect(bad.ok).toBe(false);
    const none = await uploadPfx(host.h.api, { connId: 'erp', current: undefined, pfxBase64: pki.client.pfxBase64, passphrase: '' });
    expect(none).toMatchObject({ ok: false, field: 'passphrase', message: expect.stringContaining('needs its passphrase') });
    expect(host.secrets.get('CONN_ERP_PFX')).toBeUndefined();
  });

  it('replacing with the same passphrase left blank reuses the stored passphrase secret', async () => {
    const first = await uploadPfx(host.h.api, { connId: 'erp', current: undefined, pfxBase64: pki.client.pfxBase64, passphrase: pki.passphrase });
    if (!first.ok) throw new Error(first.message);
    const again = await uploadPfx(host.h.api, { connId: 'erp', current: first.cert, pfxBase64: pki.client.pfxBase64, passphrase: '' });
    expect(again).toMatchObject({ ok: true, cert: first.cert });
  });

  it('checkPfx (Connections page: stored on Save) opens the file but writes nothing, and returns what to write', async () => {
    const r = await checkPfx(host.h.api, { connId: 'erp', current: undefined, pfxBase64: pki.client.pfxBase64, passphrase: pki.passphrase });
    expect(r).toMatchObject({ ok: true, cert: { kind: 'pfx', pfxSecret: 'CONN_ERP_PFX' }, secrets: { CONN_ERP_PFX: pki.client.pfxBase64, CONN_ERP_PFX_PASSPHRASE: pki.passphrase } });
    expect(host.secrets.list()).toEqual([]);
    // A passphrase typed earlier and still pending in the form opens a file uploaded without one.
    const later = await checkPfx(host.h.api, { connId: 'erp', current: r.ok ? r.cert : undefined, pfxBase64: pki.client.pfxBase64, passphrase: '', pending: { CONN_ERP_PFX_PASSPHRASE: pki.passphrase } });
    expect(later.ok).toBe(true);
    expect(host.secrets.list()).toEqual([]);
  });

  it('strips the secret name the host puts in front of certificate errors', () => {
    expect(stripSecretName('CONN_X_PFX: certificate passphrase is wrong', 'CONN_X_PFX')).toBe('certificate passphrase is wrong');
    expect(stripSecretName('other: thing', 'CONN_X_PFX')).toBe('other: thing');
  });
});
