import type { CertificateDetails, HostApi } from '../../core/host/api';
import { stripSecretName, type CertCheckResult, type ClientCert } from './certificate-upload';
import { connectionSecretName } from './connection-form';

const PEM_CERTS = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;
const PEM_CERT = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/;

/**
 * Checks a PEM certificate (bundle) typed into a form field before it is used or stored: the text must
 * hold at least one complete `BEGIN/END CERTIFICATE` block and the host must parse it. The value goes to
 * the host as a one-call override, never stored. Returns null when it parses, else a message naming the field.
 *
 * @example
 * const err = await checkPemCertificate(host, 'Extra CA bundle (PEM)', 'CONN_ERP_CA', text);
 */
export async function checkPemCertificate(host: HostApi, label: string, secretName: string, pem: string): Promise<string | null> {
  const blocks = pem.match(PEM_CERTS) ?? [];
  if (!blocks.length) return `${label}: not a PEM certificate (expected -----BEGIN CERTIFICATE----- … -----END CERTIFICATE-----)`;
  // The host reads the first certificate of a text; a bundle is checked block by block.
  for (const [i, block] of blocks.entries()) {
    try {
      await host.certificateInfo(secretName, undefined, { [secretName]: block });
    } catch (e: any) {
      const which = blocks.length > 1 ? `certificate ${i + 1} of ${blocks.length}: ` : '';
      return `${label}: ${which}${stripSecretName(e?.message ?? String(e), secretName)}`;
    }
  }
  return null;
}

/** The inputs of "Use PEM certificate + key", as error messages name them. */
export const PEM_FIELD_LABELS = { certificate: 'Certificate (PEM)', key: 'Private key', passphrase: 'Key passphrase' } as const;
export type PemCheckResult = CertCheckResult<keyof typeof PEM_FIELD_LABELS>;

/**
 * Opens a candidate PEM certificate (chain) + private key (+ key passphrase) through the host WITHOUT storing
 * anything, as checkPfx does for a PFX: the values go to `certificateInfo` as one-call overrides, the key
 * checked against the certificate. A blank field keeps the stored value of a connection that already has a
 * PEM pair. Failures name the input (`field`) to show the message at.
 *
 * @example
 * const r = await checkPemClientCert(host, { connId: 'erp', current, certPem, keyPem, passphrase: '' });
 * if (!r.ok) show(`${PEM_FIELD_LABELS[r.field]}: ${r.message}`);
 */
export async function checkPemClientCert(host: HostApi, opts: { connId: string; current: ClientCert | undefined; certPem: string; keyPem: string; passphrase: string; pending?: Record<string, string> }): Promise<PemCheckResult> {
  const { connId, passphrase } = opts;
  const cur = opts.current?.kind === 'pem' ? opts.current : undefined;
  const certPem = opts.certPem.trim() ? opts.certPem : '';
  const keyPem = opts.keyPem.trim() ? opts.keyPem : '';
  if (!certPem && !cur) return { ok: false, field: 'certificate', message: 'paste the certificate (and its chain) or load its file' };
  if (!keyPem && !cur) return { ok: false, field: 'key', message: 'paste the private key or load its file' };
  if (certPem && !PEM_CERT.test(certPem)) return { ok: false, field: 'certificate', message: 'not a PEM certificate (expected -----BEGIN CERTIFICATE----- … -----END CERTIFICATE-----)' };
  if (keyPem && !/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(keyPem)) return { ok: false, field: 'key', message: 'not a PEM private key (expected -----BEGIN PRIVATE KEY----- … -----END PRIVATE KEY-----)' };
  const certSecret = cur?.certSecret ?? connectionSecretName(connId, 'cert');
  const keySecret = cur?.keySecret ?? connectionSecretName(connId, 'key');
  const passSecret = cur?.passphraseSecret ?? connectionSecretName(connId, 'key_passphrase');
  const keptPass = !passphrase ? cur?.passphraseSecret : undefined;
  const secrets: Record<string, string> = { ...(certPem ? { [certSecret]: certPem } : {}), ...(keyPem ? { [keySecret]: keyPem } : {}), ...(passphrase ? { [passSecret]: passphrase } : {}) };
  let info: CertificateDetails;
  try {
    info = await host.certificateInfo(certSecret, passphrase ? passSecret : keptPass, { ...opts.pending, ...secrets }, keySecret);
  } catch (e: any) {
    const msg: string = e?.message ?? String(e);
    if (msg.startsWith(`${certSecret}: `) || msg.includes(`secret ${certSecret} `)) return { ok: false, field: 'certificate', message: stripSecretName(msg, certSecret) };
    if (e?.code === 'certificate_passphrase' || /passphrase/i.test(msg)) {
      const message = passphrase ? 'wrong passphrase for this private key' : keptPass ? 'the stored passphrase does not open this key: type its passphrase' : 'the private key is encrypted: type its passphrase';
      return { ok: false, field: 'passphrase', message };
    }
    if (/do not belong together/.test(msg)) return { ok: false, field: 'key', message: 'does not match the certificate' };
    return { ok: false, field: 'key', message: stripSecretName(msg, keySecret) };
  }
  const withPass = passphrase ? passSecret : keptPass;
  return { ok: true, cert: { kind: 'pem', certSecret, keySecret, ...(withPass ? { passphraseSecret: withPass } : {}) }, info, secrets };
}
