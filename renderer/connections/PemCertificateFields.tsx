import { useRef, useState } from 'react';
import { useFieldIds } from '../forms/FormField';
import { PEM_FIELD_LABELS, type PemCheckResult } from './pem-check';
import { PemSecret } from './shared';

type PemField = keyof typeof PEM_FIELD_LABELS;

/** A hidden file input behind a "Load file…" button that hands the file's text to `onText`. */
function LoadFile({ testId, accept, onText }: { testId: string; accept: string; onText(text: string): void }) {
  const ref = useRef<HTMLInputElement>(null);
  return (
    <>
      <button className="hl-btn sm" data-testid={`${testId}-load`} onClick={() => ref.current?.click()}>Load file…</button>
      <input ref={ref} type="file" accept={accept} hidden data-testid={`${testId}-file`} onChange={(e) => e.target.files?.[0] && void e.target.files[0].text().then(onText).finally(() => (e.target.value = ''))} />
    </>
  );
}

/**
 * "Use PEM certificate + key": the certificate chain and the private key pasted (multi-line, line breaks
 * kept) or loaded from files, and the key's passphrase. `onCheck` opens them through the host; a failure
 * is shown at the field it names, success clears the inputs (the values now live with the caller).
 */
export function PemCertificateFields({ testId, certSecret, keySecret, checkLabel, staged = [], onCheck }: { testId: string; certSecret: string; keySecret: string; checkLabel: string; /** Secrets with a checked value waiting for Save. */ staged?: string[]; onCheck(v: { certPem: string; keyPem: string; passphrase: string }): Promise<PemCheckResult | null> }) {
  const [certPem, setCertPem] = useState('');
  const [keyPem, setKeyPem] = useState('');
  const [passphrase, setPassphrase] = useState('');
  const [error, setError] = useState<{ field: PemField; message: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const fid = useFieldIds();
  const errorAt = (f: PemField) => error?.field === f && <div className="hl-field-error" data-testid={`${testId}-${f}-error`}>{`${PEM_FIELD_LABELS[f]}: ${error.message}`}</div>;
  const edit = (set: (v: string) => void) => (v: string) => (set(v), setError(null));

  const check = async () => {
    setBusy(true);
    try {
      const r = await onCheck({ certPem, keyPem, passphrase });
      if (!r) return;
      if (!r.ok) return setError({ field: r.field, message: r.message });
      setCertPem('');
      setKeyPem('');
      setPassphrase('');
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="hl-pem-cert" data-testid={`${testId}-pem`}>
      <label className="hl-label" htmlFor={fid('certificate')}>{PEM_FIELD_LABELS.certificate}: the certificate first, then its chain</label>
      <div className="hl-row">
        <PemSecret id={fid('certificate')} name={certSecret} label={PEM_FIELD_LABELS.certificate} placeholder="-----BEGIN CERTIFICATE----- …" staged={staged.includes(certSecret)} testId={`${testId}-pem-certificate`} value={certPem} onChange={edit(setCertPem)} />
        <LoadFile testId={`${testId}-pem-certificate`} accept=".pem,.crt,.cer,application/x-pem-file" onText={edit(setCertPem)} />
      </div>
      {errorAt('certificate')}
      <label className="hl-label" htmlFor={fid('key')}>{PEM_FIELD_LABELS.key}</label>
      <div className="hl-row">
        <PemSecret id={fid('key')} name={keySecret} label={PEM_FIELD_LABELS.key} placeholder="-----BEGIN PRIVATE KEY----- …" staged={staged.includes(keySecret)} testId={`${testId}-pem-key`} value={keyPem} onChange={edit(setKeyPem)} />
        <LoadFile testId={`${testId}-pem-key`} accept=".pem,.key,application/x-pem-file" onText={edit(setKeyPem)} />
      </div>
      {errorAt('key')}
      <div className="hl-row">
        <input
          className={`hl-input${error?.field === 'passphrase' ? ' invalid' : ''}`}
          type="password"
          autoComplete="new-password"
          aria-label={PEM_FIELD_LABELS.passphrase}
          placeholder="Key passphrase (optional, write-only)"
          value={passphrase}
          data-testid={`${testId}-pem-passphrase`}
          onChange={(e) => edit(setPassphrase)(e.target.value)}
        />
        <button className="hl-btn" disabled={busy} data-testid={`${testId}-pem-check`} onClick={() => void check()}>
          {busy ? 'Checking…' : checkLabel}
        </button>
      </div>
      {errorAt('passphrase')}
    </div>
  );
}
