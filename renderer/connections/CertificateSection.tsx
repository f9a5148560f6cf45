import { useEffect, useRef, useState } from 'react';
import type { CertificateDetails } from '../../core/host/api';
import { useApp } from '../app-context';
import { Icon } from '../icons';
import { uploadPfx, stripSecretName, type ClientCert } from './certificate-upload';
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

/**
 * Client certificate of a connection: upload a PFX/P12 (stored base64 in a secret) with its passphrase
 * (another secret), then show subject, issuer and expiry as the runtime parses them.
 */
export function CertificateSection({ connId, value, onChange, bare, testId = 'connection-cert' }: { connId: string; value: ClientCert | undefined; onChange(v: ClientCert | undefined): void; bare?: boolean; testId?: string }) {
  const { host, workspace } = useApp();
  const fileRef = useRef<HTMLInputElement>(null);
  const [passphrase, setPassphrase] = useState('');
  const [nonce, setNonce] = useState(0);
  const [uploadError, setUploadError] = useState<string | null>(null);
  const [passError, setPassError] = useState<string | null>(null);
  const { info, error } = useCertificateInfo(value, nonce);

  const upload = async (file: File) => {
    setUploadError(null);
    setPassError(null);
    if (!connId) return setUploadError('Give the connection a name first: the certificate secret is named after it.');
    try {
      const r = await uploadPfx(host, { connId, current: value, pfxBase64: bytesToBase64(new Uint8Array(await file.arrayBuffer())), passphrase });
      await workspace.getState().refreshSecrets();
      // A failed check keeps the working certificate and what the user typed, so a typo is fixed in place.
      if (!r.ok) return r.field === 'passphrase' ? setPassError(`Passphrase: ${r.message}`) : setUploadError(`Certificate file: ${r.message}`);
      setPassphrase('');
      onChange(r.cert);
      setNonce((n) => n + 1);
    } catch (e) {
      setUploadError(errText(e));
    }
  };

  return (
    <section className={bare ? 'hl-cert-field' : 'hl-group'} data-testid={`${testId}-section`}>
      {!bare && <h4>Client certificate</h4>}
      {info && <CertificateSummary cert={info} testId={`${testId}-info`} />}
      {error && <div className="hl-field-error" data-testid={`${testId}-error`}>{error}</div>}
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
          <button className="hl-icon-btn" title="Remove the client certificate" data-testid={`${testId}-remove`} onClick={() => onChange(undefined)}>
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
