import { X509Certificate, createPrivateKey } from 'node:crypto';
import forge from 'node-forge';
import type { CertificateDetails } from '../host/api';

/**
 * The one node-forge wrapper (PFX/P12 parsing) plus certificate inspection. Certificate details come
 * from Node's X509Certificate so RSA and EC certificates both work; forge is needed only because
 * OpenSSL 3 refuses many real-world PFX files (RC2/3DES) that partners still hand out.
 */

/** Certificate details; the type lives with the host API so the studio (browser) shares it. */
export type CertificateInfo = CertificateDetails;

export interface ParsedClientCert {
  certPem: string;
  keyPem: string;
  /** Intermediate / CA certificates that came with the leaf. */
  chainPem: string[];
  /** Passphrase still needed to use keyPem (PEM keys are kept encrypted). */
  passphrase?: string;
  info: CertificateInfo;
}

export class CertificateError extends Error {
  constructor(message: string, public readonly code: 'certificate_passphrase' | 'certificate_invalid' | 'certificate_expired' | 'certificate_not_yet_valid') {
    super(message);
    this.name = 'CertificateError';
  }
}

const DAY_MS = 86_400_000;

/**
 * Details of a PEM certificate (the first one in the text).
 *
 * @example
 * const info = certificateInfo(pem);
 * if (info.daysLeft < 30) warn(`client certificate expires on ${info.validTo}`);
 */
export function certificateInfo(pem: string, now: Date = new Date()): CertificateInfo {
  let x: X509Certificate;
  try {
    x = new X509Certificate(pem);
  } catch (e) {
    throw new CertificateError(`certificate is not a valid PEM certificate (${(e as Error).message})`, 'certificate_invalid');
  }
  const validTo = new Date(x.validTo);
  const sans = (x.subjectAltName ?? '')
    .split(/,\s*/)
    .filter(Boolean)
    .map((s) => s.replace(/^(DNS|IP Address):/, ''));
  return {
    subject: x.subject.split('\n').join(', '),
    issuer: x.issuer.split('\n').join(', '),
    sans,
    serialNumber: x.serialNumber,
    validFrom: new Date(x.validFrom).toISOString(),
    validTo: validTo.toISOString(),
    fingerprintSha256: x.fingerprint256,
    daysLeft: daysUntil(validTo.getTime(), now.getTime()),
    selfSigned: x.subject === x.issuer,
  };
}

/** Splits a PEM bundle into its certificates. */
export function splitPemBundle(text: string): string[] {
  return text.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g)?.map((p) => `${p}\n`) ?? [];
}

/**
 * Parses a PFX/P12 (base64 text or bytes) into PEM certificate, key and chain.
 *
 * @example
 * const parsed = parsePfx(secrets.get('PARTNER_PFX')!, secrets.get('PARTNER_PFX_PASS'));
 * parsed.info.validTo; // '2027-03-01T00:00:00.000Z'
 */
export function parsePfx(pfx: string | Buffer, passphrase?: string, now?: Date): ParsedClientCert {
  const der = typeof pfx === 'string' ? Buffer.from(pfx.replace(/\s+/g, ''), 'base64') : pfx;
  let p12: forge.pkcs12.Pkcs12Pfx;
  try {
    const asn1 = forge.asn1.fromDer(forge.util.createBuffer(der.toString('binary')));
    p12 = tryPasswords(asn1, passphrase);
  } catch {
    throw new CertificateError('certificate passphrase is wrong or the file is not a PFX', 'certificate_passphrase');
  }
  const certBags = p12.getBags({ bagType: forge.pki.oids.certBag })[forge.pki.oids.certBag] ?? [];
  const keyBags = [
    ...(p12.getBags({ bagType: forge.pki.oids.pkcs8ShroudedKeyBag })[forge.pki.oids.pkcs8ShroudedKeyBag] ?? []),
    ...(p12.getBags({ bagType: forge.pki.oids.keyBag })[forge.pki.oids.keyBag] ?? []),
  ];
  const keyBag = keyBags[0];
  if (!keyBag) throw new CertificateError('the PFX contains no private key', 'certificate_invalid');
  const keyPem = bagKeyPem(keyBag);
  const certs = certBags.filter((b) => b.cert).map((b) => ({ pem: forge.pki.certificateToPem(b.cert!), keyId: localKeyId(b) }));
  if (!certs.length) throw new CertificateError('the PFX contains no certificate', 'certificate_invalid');
  // The leaf is the certificate whose public key matches the private key; the rest is chain.
  const keyObject = createPrivateKey(keyPem);
  const leaf = certs.find((c) => new X509Certificate(c.pem).checkPrivateKey(keyObject)) ?? certs[0];
  return {
    certPem: leaf.pem,
    keyPem,
    chainPem: certs.filter((c) => c !== leaf).map((c) => c.pem),
    info: certificateInfo(leaf.pem, now),
  };
}

function tryPasswords(asn1: forge.asn1.Asn1, passphrase?: string): forge.pkcs12.Pkcs12Pfx {
  if (passphrase !== undefined) return forge.pkcs12.pkcs12FromAsn1(asn1, false, passphrase);
  // Files "without" a passphrase are written with either an empty or an absent password.
  try {
    return forge.pkcs12.pkcs12FromAsn1(asn1, false, '');
  } catch {
    return forge.pkcs12.pkcs12FromAsn1(asn1, false);
  }
}

function localKeyId(bag: forge.pkcs12.Bag): string | undefined {
  return (bag.attributes?.localKeyId as string[] | undefined)?.[0];
}

function bagKeyPem(bag: forge.pkcs12.Bag): string {
  if (bag.key) return forge.pki.privateKeyToPem(bag.key);
  // forge only models RSA keys; others (EC) arrive as PKCS#8 ASN.1, which Node can read.
  if (bag.asn1) {
    const der = Buffer.from(forge.asn1.toDer(bag.asn1).getBytes(), 'binary');
    return createPrivateKey({ key: der, format: 'der', type: 'pkcs8' }).export({ type: 'pkcs8', format: 'pem' }).toString();
  }
  throw new CertificateError('the PFX private key could not be read', 'certificate_invalid');
}

/**
 * Checks a PEM certificate + key pair (key optionally encrypted with the passphrase).
 *
 * @example
 * const parsed = parsePemClientCert(certPem, keyPem, passphrase);
 */
export function parsePemClientCert(certPem: string, keyPem: string, passphrase?: string, now?: Date): ParsedClientCert {
  const certs = splitPemBundle(certPem);
  if (!certs.length) throw new CertificateError('client certificate: no PEM certificate found', 'certificate_invalid');
  let key;
  try {
    key = createPrivateKey({ key: keyPem, passphrase: passphrase ?? '' });
  } catch (e) {
    const msg = (e as Error).message;
    // An encrypted key opened with a wrong passphrase decrypts to bytes OpenSSL may report as "unsupported" instead.
    if (/bad decrypt|passphrase|interrupted or cancelled/i.test(msg) || /ENCRYPTED/.test(keyPem)) {
      throw new CertificateError('certificate passphrase is wrong or the key is not a PEM private key', 'certificate_passphrase');
    }
    throw new CertificateError(`client certificate key is not a valid PEM private key (${msg})`, 'certificate_invalid');
  }
  const leafX = new X509Certificate(certs[0]);
  if (!leafX.checkPrivateKey(key)) throw new CertificateError('client certificate and key do not belong together', 'certificate_invalid');
  return { certPem: certs[0], keyPem, chainPem: certs.slice(1), passphrase, info: certificateInfo(certs[0], now) };
}

export interface ValidityCheck {
  ok: boolean;
  /** Present when the certificate expires within `warnDays`. */
  warning?: string;
}

/**
 * Fails (throws) for an expired or not-yet-valid certificate; returns a warning when it expires
 * within `warnDays` (30 by default), so the runtime can raise a warning event before partners break.
 */
export function checkValidity(info: CertificateInfo, now: Date = new Date(), warnDays = 30): ValidityCheck {
  if (now.getTime() > Date.parse(info.validTo)) {
    throw new CertificateError(`client certificate "${info.subject}" expired on ${info.validTo}`, 'certificate_expired');
  }
  if (now.getTime() < Date.parse(info.validFrom)) {
    throw new CertificateError(`client certificate "${info.subject}" is not valid before ${info.validFrom}`, 'certificate_not_yet_valid');
  }
  // Recomputed here: `info` may come from a cache filled days ago.
  const daysLeft = daysUntil(Date.parse(info.validTo), now.getTime());
  if (daysLeft < warnDays) {
    return { ok: true, warning: `client certificate "${info.subject}" expires in ${daysLeft} day(s), on ${info.validTo}` };
  }
  return { ok: true };
}

/**
 * Whole days until `at`: 29.9 days ahead is 29; past it, the whole days since, and at least 1 (so negative always
 * means expired): expired an hour ago is -1, 25 hours ago -1, 49 hours ago -2 (flooring made that last one -3).
 */
export function daysUntil(at: number, now: number): number {
  const d = (at - now) / DAY_MS;
  return d >= 0 ? Math.floor(d) : -Math.max(1, Math.floor(-d));
}

export { createTestPki, type TestPki, type TestCert } from './tls-test-pki';
