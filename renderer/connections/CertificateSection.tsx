import { useEffect, useRef, useState } from 'react';
import type { CertificateDetails } from '../../core/host/api';
import { useApp } from '../app-context';
import { Icon } from '../icons';
import { certSecrets, checkPfx, staleSecrets, storeChecked, stripSecretName, type CertCheckResult, type ClientCert } from './certificate-upload';
import { bytesToBase64, connectionSecretName } from './connection-form';
import { checkPemClientCert } from './pem-check';
import { PemCertificateFields } from './PemCertificateFields';
import { CertificateSummary, errText } from './shared';

/** Loads "Current client certificate: ..." for a certificate config (null while none / loading). */
export function useCertificateInfo(cert: ClientCert | undefined, nonce = 0): { info: CertificateDetails | null; error: string | null } {
  const { host } = useApp();
  const [state, setState] = useState<{ info: CertificateDetails | null; error: string | null }>({ info: null, error: null });
  const secret = cert ? (cert.kind === 'pfx' ? cert.pfxSecret : cert.certSecret) : undefined;
  const pass = cert?.passphraseSecret;
  // A PEM pair is read with its key, so a stored key that no longer fits shows up here.
  const key = cert?.kind === 'pem' ? cert.keySecret : undefined;
  useEffect(() => {
    if (!secret) return setState({ info: null, error: null });
    let alive = true;
    host
      .certificateInfo(secret, pass, undefined, key)
      .then((info) => alive && setState({ info, error: null }))
      .catch((e) => alive && setState({ info: null, error: `Stored certificate: ${stripSecretName(errText(e), secret)}` }));
    return () => {
      alive = false;
    };
  }, [host, secret, pass, key, nonce]);
  return state;
}

/** Unsaved secret values of the form the section sits in; with it, a checked PFX is only staged (written on Save). */
export interface StagedSecrets {
  pending: Record<string, string>;
  /** Adds values to the form's pending secrets and drops the names in `drop`. */
  stage(values: Record<string, string>, drop?: string[]): void;
}

/**
 * Client certificate of a connection: upload a PFX/P12 (stored base64 in a secret) with its passphrase
 * (another secret), or paste a PEM certificate + private key (+ key passphrase), then show subject, issuer
 * and expiry as the runtime parses them. With `staged` (the Connections page) the checked values wait in
 * the form's pending secrets until Save; without it (the inspector, no Save button) they are stored as soon
 * as they have been checked. Either way the connection then refers to that one kind only.
 */
export function CertificateSection({ connId, value, onChange, bare, testId = 'connection-cert', staged }: { connId: string; value: ClientCert | undefined; onChange(v: ClientCert | undefined): void; bare?: boolean; testId?: string; staged?: StagedSecrets }) {
  const { host, workspace } = useApp();
  const fileRef = useRef<HTMLInputElement>(null);
  const [passphrase, setPassphrase] = useState('');
  const [nonce, setNonce] = useState(0);
  const [uploadError, setUploadError] = useState<string | null>(null);
  const [passError, setPassError] = useState<string | null>(null);
  const [stagedInfo, setStagedInfo] = useState<CertificateDetails | null>(null);
  // A PFX whose passphrase was wrong or missing is held, so correcting the passphrase opens it without choosing the file again.
  const [held, setHeld] = useState<{ name: string; base64: string } | null>(null);
  const [mode, setMode] = useState<'pfx' | 'pem'>(value?.kind ?? 'pfx');
  // A certificate waiting for Save is described from the check, not from the (older or missing) stored secret.
  const isStaged = !!staged && !!stagedInfo && certSecrets(value).some((n) => staged.pending[n] !== undefined);
  const { info, error } = useCertificateInfo(isStaged ? undefined : value, nonce);
  const pemCert = value?.kind === 'pem' ? value : undefined;

  /** Checks a candidate (writing nothing), then stages it (Connections page) or stores it (inspector). */
  const apply = async <R extends CertCheckResult<string>>(check: (pending?: Record<string, string>) => Promise<R>): Promise<R> => {
    const r = staged ? await check(staged.pending) : await storeChecked(host, await check());
    if (!staged) await workspace.getState().refreshSecrets();
    if (!r.ok) return r;
    if (staged) {
      // Switching PFX <-> PEM leaves no unsaved value of the other kind behind.
      staged.stage(r.secrets, staleSecrets(value, r.cert));
      setStagedInfo(r.info);
    }
    onChange(r.cert);
    setNonce((n) => n + 1);
    return r;
  };
  const checkPem = async (v: { certPem: string; keyPem: string; passphrase: string }) => {
    if (!connId) return setUploadError('Give the connection a name first: the certificate secrets are named after it.'), null;
    setUploadError(null);
    try {
      return await apply((pending) => checkPemClientCert(host, { connId, current: value, ...v, pending }));
    } catch (e) {
      return setUploadError(errText(e)), null;
    }
  };

  const upload = async (file: File) => openPfx({ name: file.name, base64: bytesToBase64(new Uint8Array(await file.arrayBuffer())) });
  const openPfx = async (pfx: { name: string; base64: string }) => {
    setUploadError(null);
    setPassError(null);
    if (!connId) return setUploadError('Give the connection a name first: the certificate secret is named after it.');
    try {
      const opts = { connId, current: value, pfxBase64: pfx.base64, passphrase };
      const r = await apply((pending) => checkPfx(host, { ...opts, pending }));
      // A failed check keeps the working certificate and what the user typed, so a typo is fixed in place.
      setHeld(!r.ok && r.field === 'passphrase' ? pfx : null);
      if (!r.ok) return r.field === 'passphrase' ? setPassError(`Passphrase: ${r.message}`) : setUploadError(`Certificate file: ${r.message}`);
      setPassphrase('');
    } catch (e) {
      setHeld(null);
      setUploadError(errText(e));
    }
  };
  const retryHeld = () => void (held && openPfx(held));

  return (
    <section className={bare ? 'hl-cert-field' : 'hl-group'} data-testid={`${testId}-section`}>
      {!bare && <h4>Client certificate</h4>}
      {isStaged && stagedInfo && <CertificateSummary cert={stagedInfo} label="New client certificate (stored on Save)" testId={`${testId}-info`} />}
      {isStaged && stagedInfo && stagedInfo.daysLeft < 0 && <div className="hl-warning" data-testid={`${testId}-expired`}>This certificate has expired: partners will refuse it.</div>}
      {!isStaged && info && <CertificateSummary cert={info} testId={`${testId}-info`} />}
      {!isStaged && error && <div className="hl-field-error" data-testid={`${testId}-error`}>{error}</div>}
      {!value && <div className="hl-help">None. Upload a PFX / P12 file or use a PEM certificate + key if the partner requires a client certificate.</div>}
      {pemCert && mode !== 'pem' && <div className="hl-help mono">PEM: {pemCert.certSecret} + {pemCert.keySecret}</div>}
      {mode === 'pem' && (
        <PemCertificateFields
          testId={testId}
          certSecret={pemCert?.certSecret ?? connectionSecretName(connId, 'cert')}
          keySecret={pemCert?.keySecret ?? connectionSecretName(connId, 'key')}
          checkLabel={staged ? 'Check certificate + key' : 'Check and store'}
          staged={isStaged ? Object.keys(staged.pending) : []}
          onCheck={checkPem}
        />
      )}
      <div className="hl-row">
        {mode === 'pfx' && (
          <>
            <input
              className={`hl-input${passError ? ' invalid' : ''}`}
              type="password"
              autoComplete="new-password"
              aria-label="Passphrase"
              aria-invalid={passError ? true : undefined}
              placeholder="Passphrase (write-only)"
              value={passphrase}
              data-testid={`${testId}-passphrase`}
              onChange={(e) => (setPassphrase(e.target.value), setPassError(null))}
              onKeyDown={(e) => e.key === 'Enter' && held && (e.preventDefault(), retryHeld())}
            />
            {held && (
              <button className="hl-btn primary" disabled={!passphrase} data-testid={`${testId}-retry`} title={`Opens ${held.name} again with the passphrase typed`} onClick={retryHeld}>
                Open {held.name}
              </button>
            )}
            <button className="hl-btn" data-testid={`${testId}-upload`} onClick={() => fileRef.current?.click()}>
              <Icon name="upload" size={14} /> {value?.kind === 'pfx' ? 'Replace PFX…' : 'Upload PFX…'}
            </button>
          </>
        )}
        <button className="hl-btn" data-testid={`${testId}-use-${mode === 'pfx' ? 'pem' : 'pfx'}`} onClick={() => (setMode(mode === 'pfx' ? 'pem' : 'pfx'), setUploadError(null), setPassError(null), setHeld(null))}>
          {mode === 'pfx' ? 'Use PEM certificate + key' : 'Use a PFX file instead'}
        </button>
        {value && (
          <button className="hl-icon-btn" title="Remove the client certificate" data-testid={`${testId}-remove`} onClick={() => (staged?.stage({}, certSecrets(value)), setStagedInfo(null), onChange(undefined))}>
            <Icon name="trash" size={14} />
          </button>
        )}
      </div>
      {passError && <div className="hl-field-error" data-testid={`${testId}-passphrase-error`}>{passError}</div>}
      {held && <div className="hl-help" data-testid={`${testId}-held`}>{held.name} is kept: type its passphrase and press “Open {held.name}” (or Enter); nothing is stored until it opens.</div>}
      <input ref={fileRef} type="file" accept=".pfx,.p12,application/x-pkcs12" hidden data-testid={`${testId}-file`} onChange={(e) => e.target.files?.[0] && void upload(e.target.files[0]).finally(() => (e.target.value = ''))} />
      {uploadError && <div className="hl-field-error" data-testid={`${testId}-upload-error`}>{uploadError}</div>}
    </section>
  );
}
