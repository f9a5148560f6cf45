import type { CertificateDetails, HostApi } from '../../core/host/api';
import { connectionSecretName } from './connection-form';

export type ClientCert = { kind: 'pfx'; pfxSecret: string; passphraseSecret?: string } | { kind: 'pem'; certSecret: string; keySecret: string; passphraseSecret?: string };

export type PfxUploadResult =
  | { ok: true; cert: ClientCert; info: CertificateDetails }
  /** `field` says which input is wrong: the passphrase box or the file itself. */
  | { ok: false; field: 'passphrase' | 'file'; message: string };

const PENDING = '_PENDING';

/**
 * Replaces (or first sets) a connection's PFX client certificate, checking the new file and passphrase
 * BEFORE anything the connection uses is written. The host can only inspect certificates that are stored
 * secrets, so the candidate goes to `<name>_PENDING` secrets first; they are removed again either way.
 * A failed check leaves the working certificate and passphrase untouched.
 *
 * @example
 * const r = await uploadPfx(host, { connId: 'erp', current, pfxBase64, passphrase });
 * if (!r.ok && r.field === 'passphrase') showPassphraseError(r.message);
 */
export async function uploadPfx(host: HostApi, opts: { connId: string; current: ClientCert | undefined; pfxBase64: string; passphrase: string }): Promise<PfxUploadResult> {
  const { connId, current, pfxBase64, passphrase } = opts;
  const pfxSecret = current?.kind === 'pfx' ? current.pfxSecret : connectionSecretName(connId, 'pfx');
  const passSecret = current?.kind === 'pfx' && current.passphraseSecret ? current.passphraseSecret : connectionSecretName(connId, 'pfx_passphrase');
  const keptPass = !passphrase && current?.kind === 'pfx' ? current.passphraseSecret : undefined;
  const stagedPfx = pfxSecret + PENDING;
  const stagedPass = passSecret + PENDING;
  let info: CertificateDetails;
  try {
    await host.setSecret(stagedPfx, pfxBase64);
    if (passphrase) await host.setSecret(stagedPass, passphrase);
    try {
      info = await host.certificateInfo(stagedPfx, passphrase ? stagedPass : keptPass);
    } catch (e: any) {
      if (e?.code === 'certificate_passphrase' || /passphrase/i.test(e?.message ?? '')) {
        const message = passphrase
          ? 'wrong passphrase for this PFX (nothing was replaced)'
          : keptPass
            ? 'the stored passphrase does not open this PFX: type its passphrase (nothing was replaced)'
            : 'this PFX needs its passphrase: type it, then upload again';
        return { ok: false, field: 'passphrase', message };
      }
      return { ok: false, field: 'file', message: `${stripSecretName(e?.message ?? String(e), stagedPfx)} (nothing was replaced)` };
    }
  } finally {
    await host.deleteSecret(stagedPfx).catch(() => {});
    if (passphrase) await host.deleteSecret(stagedPass).catch(() => {});
  }
  await host.setSecret(pfxSecret, pfxBase64);
  if (passphrase) await host.setSecret(passSecret, passphrase);
  const withPass = passphrase ? passSecret : keptPass;
  return { ok: true, cert: { kind: 'pfx', pfxSecret, ...(withPass ? { passphraseSecret: withPass } : {}) }, info };
}

/** The host names the secret it read (`CONN_X_PFX: ...`); the user thinks of "the certificate". */
export function stripSecretName(message: string, secret: string): string {
  return message.startsWith(`${secret}: `) ? message.slice(secret.length + 2) : message;
}
