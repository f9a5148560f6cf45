import type { CertificateDetails, HostApi } from '../../core/host/api';
import { clientCertSecretNames } from '../../core/model/secret-names';
import { connectionSecretName } from './connection-form';

export type ClientCert = { kind: 'pfx'; pfxSecret: string; passphraseSecret?: string } | { kind: 'pem'; certSecret: string; keySecret: string; passphraseSecret?: string };

/** A candidate certificate opened by the host; `F` names the inputs a failure can point at. */
export type CertCheckResult<F extends string> =
  /** `secrets`: the values to write (secret name -> value) once the caller decides to store them. */
  | { ok: true; cert: ClientCert; info: CertificateDetails; secrets: Record<string, string> }
  /** `field` says which input is wrong, so the message is shown there. */
  | { ok: false; field: F; message: string };

export type PfxCheckResult = CertCheckResult<'passphrase' | 'file'>;

/** Kept for callers that only store: the result after the write. */
export type PfxUploadResult = PfxCheckResult;

/**
 * Opens a candidate PFX (and passphrase) through the host WITHOUT storing anything: the values go to
 * `certificateInfo` as one-call overrides. `pending` are other unsaved values of the same form (a
 * passphrase typed earlier), layered under the candidate. Returns the secret names the connection should
 * refer to and the values to write when the caller stores them (Connections page: on Save).
 *
 * @example
 * const r = await checkPfx(host, { connId: 'erp', current, pfxBase64, passphrase });
 * if (r.ok) stage(r.secrets); else if (r.field === 'passphrase') showPassphraseError(r.message);
 */
export async function checkPfx(host: HostApi, opts: { connId: string; current: ClientCert | undefined; pfxBase64: string; passphrase: string; pending?: Record<string, string> }): Promise<PfxCheckResult> {
  const { connId, current, pfxBase64, passphrase } = opts;
  const pfxSecret = current?.kind === 'pfx' ? current.pfxSecret : connectionSecretName(connId, 'pfx');
  const passSecret = current?.kind === 'pfx' && current.passphraseSecret ? current.passphraseSecret : connectionSecretName(connId, 'pfx_passphrase');
  const keptPass = !passphrase && current?.kind === 'pfx' ? current.passphraseSecret : undefined;
  const secrets: Record<string, string> = { [pfxSecret]: pfxBase64, ...(passphrase ? { [passSecret]: passphrase } : {}) };
  let info: CertificateDetails;
  try {
    info = await host.certificateInfo(pfxSecret, passphrase ? passSecret : keptPass, { ...opts.pending, ...secrets });
  } catch (e: any) {
    if (e?.code === 'certificate_passphrase' || /passphrase/i.test(e?.message ?? '')) {
      const message = passphrase
        ? 'wrong passphrase for this PFX (nothing was replaced)'
        : keptPass
          ? 'the stored passphrase does not open this PFX: type its passphrase (nothing was replaced)'
          : 'this PFX needs its passphrase';
      return { ok: false, field: 'passphrase', message };
    }
    return { ok: false, field: 'file', message: `${stripSecretName(e?.message ?? String(e), pfxSecret)} (nothing was replaced)` };
  }
  const withPass = passphrase ? passSecret : keptPass;
  return { ok: true, cert: { kind: 'pfx', pfxSecret, ...(withPass ? { passphraseSecret: withPass } : {}) }, info, secrets };
}

/**
 * Replaces (or first sets) a connection's PFX client certificate at once (the inspector, which has no
 * Save button): checks the new file and passphrase BEFORE anything the connection uses is written, so a
 * failed check leaves the working certificate and passphrase untouched.
 *
 * @example
 * const r = await uploadPfx(host, { connId: 'erp', current, pfxBase64, passphrase });
 * if (!r.ok && r.field === 'passphrase') showPassphraseError(r.message);
 */
export async function uploadPfx(host: HostApi, opts: { connId: string; current: ClientCert | undefined; pfxBase64: string; passphrase: string }): Promise<PfxUploadResult> {
  return storeChecked(host, await checkPfx(host, opts));
}

/** Writes the secrets of a successful check (the inspector: no Save button); a failed check writes nothing. */
export async function storeChecked<R extends CertCheckResult<string>>(host: HostApi, r: R): Promise<R> {
  if (r.ok) for (const [name, value] of Object.entries(r.secrets)) await host.setSecret(name, value);
  return r;
}

/** Every secret a client certificate config refers to. */
export const certSecrets = (c: ClientCert | undefined): string[] => clientCertSecretNames(c);

/** Secrets of `before` the new certificate config no longer refers to (PFX -> PEM drops the PFX ones). */
export const staleSecrets = (before: ClientCert | undefined, after: ClientCert | undefined): string[] => {
  const keep = certSecrets(after);
  return certSecrets(before).filter((n) => !keep.includes(n));
};

/** The host names the secret it read (`CONN_X_PFX: ...`); the user thinks of "the certificate". */
export function stripSecretName(message: string, secret: string): string {
  return message.startsWith(`${secret}: `) ? message.slice(secret.length + 2) : message;
}
