import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectionSchema, type ConnectionInput } from '../../core/model/connection';
import { MemorySecretStore } from '../../core/secrets/secret-store';
import { sendRequest } from '../../core/http/client';
import { destroyAgents } from '../../core/http/agents';
import { certificateInfo, checkValidity, createTestPki, daysUntil, parsePemClientCert, parsePfx, type TestPki } from '../../core/http/tls';
import { testConnection } from '../../core/http/test-connection';
import type { HttpError } from '../../core/http/errors';
import { json, startHttps, type TestServer } from './servers';

const DAY = 86_400_000;
let pki: TestPki;
let mtls: TestServer;
let plain: TestServer;
let secrets: MemorySecretStore;

beforeAll(async () => {
  pki = createTestPki();
  const expired = pki.issueClient({ commonName: 'expired', notBefore: new Date(Date.now() - 400 * DAY), notAfter: new Date(Date.now() - DAY) });
  const expiring = pki.issueClient({ commonName: 'expiring', notAfter: new Date(Date.now() + 10 * DAY) });
  secrets = new MemorySecretStore({
    CA: pki.ca.certPem,
    PFX: pki.client.pfxBase64,
    PFX_PASS: pki.passphrase,
    WRONG_PASS: 'not-it',
    CERT: pki.client.certPem,
    KEY: pki.client.keyPem,
    EXPIRED_PFX: expired.pfxBase64,
    EXPIRING_PFX: expiring.pfxBase64,
  });
  const handler = (_q: unknown, res: import('node:http').ServerResponse) => json(res, 200, { hello: 'tls' });
  mtls = await startHttps({ key: pki.server.keyPem, cert: pki.server.certPem, ca: pki.ca.certPem, requestCert: true, rejectUnauthorized: true }, handler);
  plain = await startHttps({ key: pki.server.keyPem, cert: pki.server.certPem }, handler);
});
afterAll(async () => {
  await Promise.all([mtls.close(), plain.close()]);
  destroyAgents();
});

let n = 0;
// A fresh connection id per test, so no keep-alive socket from another test hides a handshake.
const conn = (tls: ConnectionInput['tls']) => connectionSchema.parse({ id: `tls${++n}`, name: 'partner', tls });
const fail = async (p: Promise<unknown>) => {
  try {
    await p;
  } catch (e) {
    return e as HttpError;
  }
  throw new Error('expected failure');
};

describe('certificate parsing (node-forge wrapper)', () => {
  it('parses a PFX into PEM cert, key and chain, with subject, issuer, SANs and validity', () => {
    const p = parsePfx(pki.client.pfxBase64, pki.passphrase);
    expect(p.certPem).toContain('BEGIN CERTIFICATE');
    expect(p.keyPem).toContain('PRIVATE KEY');
    expect(p.chainPem).toHaveLength(1);
    expect(p.info.subject).toBe('CN=hookline-client, O=Hookline Tests');
    expect(p.info.issuer).toBe('CN=Hookline Test CA, O=Hookline Tests');
    expect(p.info.sans).toEqual(['hookline-client.test']);
    expect(p.info.fingerprintSha256).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
    expect(p.info.daysLeft).toBeGreaterThan(360);
    expect(certificateInfo(pki.server.certPem).sans).toEqual(['localhost', '127.0.0.1']);
  });

  it('a wrong passphrase or a non-PFX file is a clear error', () => {
    expect(() => parsePfx(pki.client.pfxBase64, 'wrong')).toThrow('certificate passphrase is wrong or the file is not a PFX');
    expect(() => parsePfx(Buffer.from('not a pfx'), 'x')).toThrow('certificate passphrase is wrong or the file is not a PFX');
  });

  it('PEM cert + key are checked to belong together', () => {
    expect(parsePemClientCert(pki.client.certPem, pki.client.keyPem).info.subject).toContain('hookline-client');
    expect(() => parsePemClientCert(pki.client.certPem, pki.server.keyPem)).toThrow('client certificate and key do not belong together');
  });

  it('expired fails, expiring within 30 days warns', () => {
    const info = certificateInfo(pki.client.certPem);
    expect(checkValidity(info).warning).toBeUndefined();
    expect(checkValidity(info, new Date(Date.parse(info.validTo) - 5 * DAY)).warning).toMatch(/expires in [45] day\(s\)/);
    expect(() => checkValidity(info, new Date(Date.parse(info.validTo) + DAY))).toThrow(/expired on/);
  });
});

describe('HTTPS with a test CA and client certificates', () => {
  it('trusts the server through the connection CA bundle; without it the certificate is not trusted', async () => {
    const ok = await sendRequest({ method: 'GET', url: plain.url }, { env: {}, secrets, connection: conn({ caSecret: 'CA' }) });
    expect(ok.response?.body).toEqual({ hello: 'tls' });
    const err = await fail(sendRequest({ method: 'GET', url: plain.url }, { env: {}, secrets, connection: conn({}) }));
    expect(err.code).toBe('certificate_invalid');
    expect(err.message).toContain('not trusted');
    expect(err.message).toContain("add it to the connection's Extra CA bundle (tls.caSecret)");
  });

  it('verification off works but warns', async () => {
    const warnings: string[] = [];
    const ex = await sendRequest({ method: 'GET', url: plain.url }, { env: {}, secrets, connection: conn({ rejectUnauthorized: false }), onWarning: (w) => warnings.push(w.code) });
    expect(ex.ok).toBe(true);
    expect(warnings).toContain('tls_verification_off');
  });

  it('a server that requires a client certificate accepts the PFX and the PEM pair, and refuses none', async () => {
    const pfx = await sendRequest({ method: 'GET', url: mtls.url }, { env: {}, secrets, connection: conn({ caSecret: 'CA', clientCert: { kind: 'pfx', pfxSecret: 'PFX', passphraseSecret: 'PFX_PASS' } }) });
    expect(pfx.ok).toBe(true);
    expect(pfx.clientCertificate?.subject).toContain('hookline-client');
    const pem = await sendRequest({ method: 'GET', url: mtls.url }, { env: {}, secrets, connection: conn({ caSecret: 'CA', clientCert: { kind: 'pem', certSecret: 'CERT', keySecret: 'KEY' } }) });
    expect(pem.ok).toBe(true);
    expect(mtls.requests.map((r) => r.clientCertCN)).toEqual(['hookline-client', 'hookline-client']);
    const none = await fail(sendRequest({ method: 'GET', url: mtls.url }, { env: {}, secrets, connection: conn({ caSecret: 'CA' }) }));
    expect(none.code).toBe('tls_rejected');
    expect(none.message).toContain('CERTIFICATE_REQUIRED');
    expect(mtls.requests).toHaveLength(2);
  });

  it('wrong passphrase and expired certificate fail before sending; expiring certificate warns', async () => {
    const before = mtls.requests.length;
    const wrong = await fail(sendRequest({ method: 'GET', url: mtls.url }, { env: {}, secrets, connection: conn({ caSecret: 'CA', clientCert: { kind: 'pfx', pfxSecret: 'PFX', passphraseSecret: 'WRONG_PASS' } }) }));
    expect(wrong.code).toBe('certificate_passphrase');
    expect(wrong.message).toBe('connection "partner": certificate passphrase is wrong or the file is not a PFX');
    const expired = await fail(sendRequest({ method: 'GET', url: mtls.url }, { env: {}, secrets, connection: conn({ caSecret: 'CA', clientCert: { kind: 'pfx', pfxSecret: 'EXPIRED_PFX', passphraseSecret: 'PFX_PASS' } }) }));
    expect(expired.code).toBe('certificate_expired');
    expect(expired.message).toMatch(/client certificate "CN=expired, O=Hookline Tests" expired on/);
    expect(mtls.requests.length).toBe(before);
    const warnings: Array<{ code: string; message: string }> = [];
    const ok = await sendRequest(
      { method: 'GET', url: mtls.url },
      { env: {}, secrets, connection: conn({ caSecret: 'CA', clientCert: { kind: 'pfx', pfxSecret: 'EXPIRING_PFX', passphraseSecret: 'PFX_PASS' } }), onWarning: (w) => warnings.push(w) },
    );
    expect(ok.ok).toBe(true);
    expect(warnings.map((w) => w.code)).toEqual(['certificate_expiring']);
    expect(warnings[0].message).toMatch(/expires in (9|10) day\(s\)/);
  });

  it('testConnection returns the exchange with timings and the peer certificate', async () => {
    const r = await testConnection({ method: 'GET', url: mtls.url }, { env: {}, secrets, connection: conn({ caSecret: 'CA', clientCert: { kind: 'pfx', pfxSecret: 'PFX', passphraseSecret: 'PFX_PASS' } }) });
    expect(r.ok).toBe(true);
    expect(r.exchange?.peerCertificate?.subject).toContain('CN=localhost');
    expect(r.exchange?.peerCertificate?.sans).toContain('127.0.0.1');
    expect(r.exchange?.clientCertificate?.subject).toContain('hookline-client');
    expect(r.timings?.reusedSocket).toBe(false);
    expect(r.timings?.connectMs).toBeGreaterThanOrEqual(0);
    expect(r.timings?.tlsMs).toBeGreaterThanOrEqual(r.timings!.connectMs!);
    expect(r.timings?.firstByteMs).toBeGreaterThanOrEqual(r.timings!.tlsMs!);
  });
});

describe('days left on a certificate', () => {
  it('whole days ahead; past expiry the whole days since and at least 1, so negative always means expired', () => {
    const now = Date.parse('2026-12-02T12:00:00Z');
    const h = 3_600_000;
    expect(daysUntil(now + 29.9 * 24 * h, now)).toBe(29);
    expect(daysUntil(now + h, now)).toBe(0);
    expect(daysUntil(now - h, now)).toBe(-1);
    expect(daysUntil(now - 25 * h, now)).toBe(-1); // floor gave -2 here
    expect(daysUntil(now - 49 * h, now)).toBe(-2);
  });
});

