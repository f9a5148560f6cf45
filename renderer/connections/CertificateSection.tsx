import { useEffect, useRef, useState } from 'react';
import type { CertificateDetails } from '../../core/host/api';
import { useApp } from '../app-context';
import { Icon } from '../icons';
import { bytesToBase64, connectionSecretName } from './connection-form';
import { CertificateSummary, errText } from './shared';

type ClientCert = { kind: 'pfx'; pfxSecret: string; passphraseSecret?: string } | { kind: 'pem'; certSecret: string; keySecret: string; passphraseSecret?: string };

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
      .catch((e) => alive && setState({ info: null, error: errText(e) }));
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
  const { info, error } = useCertificateInfo(value, nonce);

  const upload = async (file: File) => {
    setUploadError(null);
    if (!connId) return setUploadError('Give the connection a name first: the certificate secret is named after it.');
    try {
      const pfxSecret = value?.kind === 'pfx' ? value.pfxSecret : connectionSecretName(connId, 'pfx');
      const passSecret = value?.kind === 'pfx' && value.passphraseSecret ? value.passphraseSecret : connectionSecretName(connId, 'pfx_passphrase');
      await host.setSecret(pfxSecret, bytesToBase64(new Uint8Array(await file.arrayBuffer())));
      if (passphrase) await host.setSecret(passSecret, passphrase);
      setPassphrase('');
      await workspace.getState().refreshSecrets();
      onChange({ kind: 'pfx', pfxSecret, ...(passphrase || value?.passphraseSecret ? { passphraseSecret: passSecret } : {}) });
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
        <input className="hl-input" type="password" autoComplete="new-password" placeholder="Passphrase (write-only)" value={passphrase} data-testid={`${testId}-passphrase`} onChange={(e) => setPassphrase(e.target.value)} />
        <button className="hl-btn" data-testid={`${testId}-upload`} onClick={() => fileRef.current?.click()}>
          <Icon name="upload" size={14} /> {value ? 'Replace PFX…' : 'Upload PFX…'}
        </button>
        {value && (
          <button className="hl-icon-btn" title="Remove the client certificate" data-testid={`${testId}-remove`} onClick={() => onChange(undefined)}>
            <Icon name="trash" size={14} />
          </button>
        )}
      </div>
      <input ref={fileRef} type="file" accept=".pfx,.p12,application/x-pkcs12" hidden data-testid={`${testId}-file`} onChange={(e) => e.target.files?.[0] && void upload(e.target.files[0]).finally(() => (e.target.value = ''))} />
      {uploadError && <div className="hl-field-error">{uploadError}</div>}
    </section>
  );
}
