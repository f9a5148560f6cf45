import { useEffect, useRef, useState } from 'react';
import type { CertificateDetails } from '../../core/host/api';
import { useApp } from '../app-context';
import { Icon } from '../icons';
import { checkPfx, uploadPfx, stripSecretName, type ClientCert } from './certificate-upload';
import { bytesToBase64 } from './connection-form';
import { CertificateSummary, errText } from './shared';

/** Loads "Current client certificate: ..." for a certificate config (null while none / loading). */
export function useCertificateInfo(cert: ClientCert | undefined, nonce = 0): { info: CertificateDetails | null; error: string | null } {
  const { host } = useApp();
  const [state, setState] = useState<{ info: CertificateDetails | null; error: string | null }>({ info: null, error: null });
  const secret = cert ? (cert.kind === 'pfx' ? cert.pfxSecret : cert.certSecret) : undefined;
  const pass = cert?.kind === 'pfx' ? cert.passphraseSecret : undefined;
  useEffect(() => {
    if (!secret) return setState({ info: null, error: null });
    let alive = true;
    host
      .certificateInfo(secret, pass)
      .then((info) => alive && setState({ info, error: null }))
      .catch((e) => alive && setState({ info: null, error: `Stored certificate: ${stripSecretName(errText(e), secret)}` }));
    return () => {
      alive = false;
    };
  }, [host, secret, pass, nonce]);
  return state;
}

/** Unsaved secret values of the form the section sits in; with it, a checked PFX is only staged (written on Save). */
export interface StagedSecrets {
  pending: Record<string, string>;
  /** Adds values to the form's pending secrets and drops the names in `drop`. */
  stage(values: Record<string, string>, drop?: string[]): void;
}

const certSecrets = (c: ClientCert | undefined): string[] => (!c ? [] : c.kind === 'pfx' ? [c.pfxSecret, c.passphraseSecret ?? ''] : [c.certSecret, c.keySecret, c.passphraseSecret ?? '']).filter(Boolean);

/**
 * Client certificate of a connection: upload a PFX/P12 (stored base64 in a secret) with its passphrase
 * (another secret), then show subject, issuer and expiry as the runtime parses them. With `staged` (the
 * Connections page) the checked file waits in the form's pending secrets until Save; without it (the
 * inspector, no Save button) it is stored as soon as it has been checked.
 */
export function CertificateSection({ connId, value, onChange, bare, testId = 'connection-cert', staged }: { connId: string; value: ClientCert | undefined; onChange(v: ClientCert | undefined): void; bare?: boolean; testId?: string; staged?: StagedSecrets }) {
  const { host, workspace } = useApp();
  const fileRef = useRef<HTMLInputElement>(null);
  const [passphrase, setPassphrase] = useState('');
  const [nonce, setNonce] = useState(0);
  const [uploadError, setUploadError] = useState<string | null>(null);
  const [passError, setPassError] = useState<string | null>(null);
  const [stagedInfo, setStagedInfo] = useState<CertificateDetails | null>(null);
  // A certificate waiting for Save is described from the check, not from the (older or missing) stored secret.
  const isStaged = !!staged && !!stagedInfo && !!value && value.kind === 'pfx' && staged.pending[value.pfxSecret] !== undefined;
  const { info, error } = useCertificateInfo(isStaged ? undefined : value, nonce);

  const upload = async (file: File) => {
    setUploadError(null);
    setPassError(null);
    if (!connId) return setUploadError('Give the connection a name first: the certificate secret is named after it.');
    try {
      const opts = { connId, current: value, pfxBase64: bytesToBase64(new Uint8Array(await file.arrayBuffer())), passphrase };
      const r = staged ? await checkPfx(host, { ...opts, pending: staged.pending }) : await uploadPfx(host, opts);
      if (!staged) await workspace.getState().refreshSecrets();
      // A failed check keeps the working certificate and what the user typed, so a typo is fixed in place.
      if (!r.ok) return r.field === 'passphrase' ? setPassError(`Passphrase: ${r.message}`) : setUploadError(`Certificate file: ${r.message}`);
      setPassphrase('');
      if (staged) {
        staged.stage(r.secrets);
        setStagedInfo(r.info);
      }
      onChange(r.cert);
      setNonce((n) => n + 1);
    } catch (e) {
      setUploadError(errText(e));
    }
  };

  return (
    <section className={bare ? 'hl-cert-field' : 'hl-group'} data-testid={`${testId}-section`}>
      {!bare && <h4>Client certificate</h4>}
      {isStaged && stagedInfo && <CertificateSummary cert={stagedInfo} label="New client certificate (stored on Save)" testId={`${testId}-info`} />}
      {isStaged && stagedInfo && stagedInfo.daysLeft < 0 && <div className="hl-warning" data-testid={`${testId}-expired`}>This certificate has expired: partners will refuse it.</div>}
      {!isStaged && info && <CertificateSummary cert={info} testId={`${testId}-info`} />}
      {!isStaged && error && <div className="hl-field-error" data-testid={`${testId}-error`}>{error}</div>}
      {!value && <div className="hl-help">None. Upload a PFX / P12 file if the partner requires a client certificate.</div>}
      {value?.kind === 'pem' && <div className="hl-help mono">PEM: {value.certSecret} + {value.keySecret}</div>}
      <div className="hl-row">
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
        />
        <button className="hl-btn" data-testid={`${testId}-upload`} onClick={() => fileRef.current?.click()}>
          <Icon name="upload" size={14} /> {value ? 'Replace PFX…' : 'Upload PFX…'}
        </button>
        {value && (
          <button className="hl-icon-btn" title="Remove the client certificate" data-testid={`${testId}-remove`} onClick={() => (staged?.stage({}, certSecrets(value)), setStagedInfo(null), onChange(undefined))}>
            <Icon name="trash" size={14} />
          </button>
        )}
      </div>
      {passError && <div className="hl-field-error" data-testid={`${testId}-passphrase-error`}>{passError}</div>}
      <input ref={fileRef} type="file" accept=".pfx,.p12,application/x-pkcs12" hidden data-testid={`${testId}-file`} onChange={(e) => e.target.files?.[0] && void upload(e.target.files[0]).finally(() => (e.target.value = ''))} />
      {uploadError && <div className="hl-field-error" data-testid={`${testId}-upload-error`}>{uploadError}</div>}
    </section>
  );
}
