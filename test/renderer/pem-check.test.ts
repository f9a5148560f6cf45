import { createPrivateKey } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createTestPki } from '../../core/http/tls';
import { checkPfx, staleSecrets, storeChecked } from '../../renderer/connections/certificate-upload';
import { checkPemCertificate, checkPemClientCert } from '../../renderer/connections/pem-check';
import { hostedPerTest } from '../helpers/hosted';

/** The checks behind "Extra CA bundle (PEM)" and "Use PEM certificate + key", through the real HostApi. */
const pki = createTestPki();
const other = createTestPki();
const encryptedKey = createPrivateKey(pki.client.keyPem).export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'key-pass' }).toString();
const LABEL = 'Extra CA bundle (PEM)';
const host = hostedPerTest();

describe('checkPemCertificate', () => {
  it('accepts a multi-line PEM and a bundle of two, storing nothing', async () => {
    expect(await checkPemCertificate(host.h.api, LABEL, 'CONN_ERP_CA', pki.ca.certPem)).toBeNull();
    expect(await checkPemCertificate(host.h.api, LABEL, 'CONN_ERP_CA', `${pki.ca.certPem}\n${pki.client.certPem}`)).toBeNull();
    expect(host.secrets.list()).toEqual([]);
  });

  it('names the field when the line breaks were lost, the text is no PEM, or one block of a bundle is broken', async () => {
    const flattened = pki.ca.certPem.replace(/\r?\n/g, '');
    expect(await checkPemCertificate(host.h.api, LABEL, 'CONN_ERP_CA', flattened)).toMatch(/^Extra CA bundle \(PEM\): certificate is not a valid PEM certificate/);
    expect(await checkPemCertificate(host.h.api, LABEL, 'CONN_ERP_CA', 'hello')).toMatch(/^Extra CA bundle \(PEM\): not a PEM certificate/);
    const broken = `${pki.ca.certPem}\n-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n`;
    expect(await checkPemCertificate(host.h.api, LABEL, 'CONN_ERP_CA', broken)).toMatch(/certificate 2 of 2: /);
    expect(await checkPemCertificate(host.h.api, LABEL, 'CONN_ERP_CA', broken)).not.toContain('CONN_ERP_CA');
  });
});

const pem = (o: Partial<Parameters<typeof checkPemClientCert>[1]> = {}) =>
  checkPemClientCert(host.h.api, { connId: 'erp', current: undefined, certPem: `${pki.client.certPem}${pki.ca.certPem}`, keyPem: pki.client.keyPem, passphrase: '', ...o });

describe('checkPemClientCert', () => {
  it('opens a certificate chain + key through the host and returns what to write, writing nothing', async () => {
    const r = await pem();
    expect(r).toMatchObject({ ok: true, cert: { kind: 'pem', certSecret: 'CONN_ERP_CERT', keySecret: 'CONN_ERP_KEY' }, secrets: { CONN_ERP_KEY: pki.client.keyPem } });
    expect(r.ok && r.cert).not.toHaveProperty('passphraseSecret');
    expect(r.ok && r.info.subject).toContain('CN=hookline-client');
    expect(host.secrets.list()).toEqual([]);
  });

  it('a key of another certificate is reported on the private key', async () => {
    expect(await pem({ keyPem: other.client.keyPem })).toEqual({ ok: false, field: 'key', message: 'does not match the certificate' });
    expect(await pem({ keyPem: 'not a key' })).toMatchObject({ ok: false, field: 'key', message: expect.stringContaining('not a PEM private key') });
    expect(host.secrets.list()).toEqual([]);
  });

  it('an encrypted key: a wrong or missing passphrase is reported on the passphrase, the right one is kept as a secret', async () => {
    expect(await pem({ keyPem: encryptedKey, passphrase: 'typo' })).toEqual({ ok: false, field: 'passphrase', message: 'wrong passphrase for this private key' });
    expect(await pem({ keyPem: encryptedKey })).toMatchObject({ ok: false, field: 'passphrase', message: expect.stringContaining('encrypted: type its passphrase') });
    const r = await pem({ keyPem: encryptedKey, passphrase: 'key-pass' });
    expect(r).toMatchObject({ ok: true, cert: { passphraseSecret: 'CONN_ERP_KEY_PASSPHRASE' }, secrets: { CONN_ERP_KEY_PASSPHRASE: 'key-pass' } });
  });

  it('a certificate that is missing or broken is reported on the certificate, with no secret name', async () => {
    expect(await pem({ certPem: '' })).toMatchObject({ ok: false, field: 'certificate' });
    const broken = pki.client.certPem.replace(/(-----BEGIN CERTIFICATE-----\r?\n)..../, '$1AAAA');
    const r = await pem({ certPem: broken });
    expect(r).toMatchObject({ ok: false, field: 'certificate', message: expect.stringContaining('not a valid PEM certificate') });
    expect(!r.ok && r.message).not.toContain('CONN_');
  });

  it('stored (inspector): written only after the check, and a stored pair then opens with its key', async () => {
    const bad = await storeChecked(host.h.api, await pem({ keyPem: other.client.keyPem }));
    expect(bad.ok).toBe(false);
    expect(host.secrets.list()).toEqual([]);
    const r = await storeChecked(host.h.api, await pem({ keyPem: encryptedKey, passphrase: 'key-pass' }));
    expect(host.secrets.list().sort()).toEqual(['CONN_ERP_CERT', 'CONN_ERP_KEY', 'CONN_ERP_KEY_PASSPHRASE']);
    expect((await host.h.api.certificateInfo('CONN_ERP_CERT', 'CONN_ERP_KEY_PASSPHRASE', undefined, 'CONN_ERP_KEY')).fingerprintSha256).toBe(r.ok && r.info.fingerprintSha256);
    // Replacing only the certificate of a stored pair: the blank key and passphrase mean "the stored ones".
    if (!r.ok) throw new Error(r.message);
    expect(await pem({ current: r.cert, keyPem: '', certPem: pki.client.certPem })).toMatchObject({ ok: true, cert: r.cert, secrets: { CONN_ERP_CERT: pki.client.certPem } });
    expect(await pem({ current: r.cert, keyPem: '', certPem: other.client.certPem })).toMatchObject({ ok: false, field: 'key', message: 'does not match the certificate' });
  });

  it('switching PFX -> PEM (and back) names the secrets of the old kind as stale', async () => {
    const pfx = await checkPfx(host.h.api, { connId: 'erp', current: undefined, pfxBase64: pki.client.pfxBase64, passphrase: pki.passphrase });
    const p = await pem({ current: pfx.ok ? pfx.cert : undefined, keyPem: encryptedKey, passphrase: 'key-pass' });
    if (!pfx.ok || !p.ok) throw new Error('checks failed');
    expect(p.cert).toEqual({ kind: 'pem', certSecret: 'CONN_ERP_CERT', keySecret: 'CONN_ERP_KEY', passphraseSecret: 'CONN_ERP_KEY_PASSPHRASE' });
    expect(staleSecrets(pfx.cert, p.cert)).toEqual(['CONN_ERP_PFX', 'CONN_ERP_PFX_PASSPHRASE']);
    expect(staleSecrets(p.cert, pfx.cert)).toEqual(['CONN_ERP_CERT', 'CONN_ERP_KEY', 'CONN_ERP_KEY_PASSPHRASE']);
    expect(staleSecrets(pfx.cert, pfx.cert)).toEqual([]);
  });
});

describe('certificateInfo with a key secret', () => {
  it('checks a PEM pair given as overrides, and names the key secret when the key is wrong', async () => {
    const info = await host.h.api.certificateInfo('C', undefined, { C: pki.client.certPem, K: pki.client.keyPem }, 'K');
    expect(info.subject).toContain('CN=hookline-client');
    await expect(host.h.api.certificateInfo('C', undefined, { C: pki.client.certPem, K: other.client.keyPem }, 'K')).rejects.toThrow('K: client certificate and key do not belong together');
    await expect(host.h.api.certificateInfo('C', 'P', { C: pki.client.certPem, K: encryptedKey, P: 'nope' }, 'K')).rejects.toMatchObject({ code: 'certificate_passphrase' });
    await expect(host.h.api.certificateInfo('C', undefined, { C: pki.client.certPem }, 'K')).rejects.toThrow('secret K is not set');
    expect(host.secrets.list()).toEqual([]);
  });
});
