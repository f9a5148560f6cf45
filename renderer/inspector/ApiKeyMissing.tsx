import { useState } from 'react';
import { useApp } from '../app-context';
import { ownKeyError } from './api-keys';

/**
 * An API key row whose secret has no value here (a flow imported from a file or another machine, a secret
 * deleted): every call with that key would be refused with 401 while the row still looked fine. Says so at the
 * row and takes the value the consumer already sends.
 */
export function ApiKeyMissing({ secret, testId }: { secret: string; testId: string }) {
  const { host, workspace } = useApp();
  const [value, setValue] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const save = async () => {
    const err = ownKeyError(value);
    setError(err);
    if (err) return;
    setBusy(true);
    try {
      await host.setSecret(secret, value);
      setValue('');
      await workspace.getState().refreshSecrets();
    } catch (e: any) {
      setError(`API key value: ${e?.message ?? e}`);
    } finally {
      setBusy(false);
    }
  };
  return (
    <div style={{ gridColumn: 1, minWidth: 0 }} data-testid={`${testId}-missing`}>
      <div className="hl-field-error">
        not set: secret {secret} has no value here, so every call with this key is refused (401). Paste the key this consumer sends, or revoke the row.
      </div>
      <div className="hl-row">
        <input
          className={`hl-input${error ? ' invalid' : ''}`}
          type="password"
          autoComplete="new-password"
          aria-label={`API key value for secret ${secret}`}
          aria-invalid={error ? true : undefined}
          placeholder="Paste the key (at least 16 characters)"
          value={value}
          data-testid={`${testId}-missing-value`}
          onChange={(e) => (setValue(e.target.value), setError(null))}
          onKeyDown={(e) => e.key === 'Enter' && void save()}
        />
        <button className="hl-btn sm" disabled={busy} data-testid={`${testId}-missing-set`} onClick={() => void save()}>
          Set key
        </button>
      </div>
      {error && <div className="hl-field-error" data-testid={`${testId}-missing-error`}>{error}</div>}
    </div>
  );
}
