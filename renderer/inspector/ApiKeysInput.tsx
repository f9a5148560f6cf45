import { useEffect, useState } from 'react';
import { useApp, useLive, useView, useWorkspace } from '../app-context';
import { runTime } from '../panels/step-view';
import { Icon } from '../icons';
import { ApiKeyMissing } from './ApiKeyMissing';
import { cellClass, newKeyEntry, otherTriggerKeys, ownKeyError, sharedKeyEntry, type KeyEntry, type OtherKey } from './api-keys';
import type { FieldProps } from './fields';
import { shortId } from './secrets';

/**
 * API keys of a webhook: generate one (shown once in this session) or paste a key of your own (a partner
 * dictates it). Either way the value goes to a secret; the flow keeps only its name.
 */
export function ApiKeysInput({ value, onChange, testId, owner, invalid }: FieldProps) {
  const { host, view, workspace } = useApp();
  const revealed = useView((s) => s.revealed);
  const secrets = useWorkspace((s) => s.secrets);
  const isSet = (name: string) => secrets.some((x) => x.name === name && x.set);
  // When each key was last accepted: tells which consumer still calls before a key is revoked.
  const tick = useLive((x) => x.tick);
  const [lastUsed, setLastUsed] = useState<Record<string, string> | null>(null);
  useEffect(() => {
    let alive = true;
    host.getTriggerStats(owner.flowId, owner.nodeId).then((st) => alive && setLastUsed(st.apiKeysLastUsed)).catch(() => {});
    return () => {
      alive = false;
    };
  }, [host, owner.flowId, owner.nodeId, tick]);
  const keys = Array.isArray(value) ? (value as KeyEntry[]) : [];
  const [busy, setBusy] = useState(false);
  const [own, setOwn] = useState<string | null>(null);
  const [ownError, setOwnError] = useState<string | null>(null);
  /** Keys of other triggers, loaded when "Reuse a key" is opened (null: closed). */
  const [others, setOthers] = useState<OtherKey[] | null>(null);

  const add = async (keyValue: string, reveal: boolean) => {
    const entry = newKeyEntry(keys, owner, shortId());
    await host.setSecret(entry.secret, keyValue);
    if (reveal) view.getState().reveal(entry.secret, keyValue);
    // Known as set before the row appears, so it never flashes "not set".
    await workspace.getState().refreshSecrets();
    onChange([...keys, entry]);
  };
  const generate = async () => {
    setBusy(true);
    try {
      await add(await host.generateApiKey(), true);
    } finally {
      setBusy(false);
    }
  };
  const addOwn = async () => {
    const err = ownKeyError(own ?? '');
    setOwnError(err);
    if (err) return;
    setBusy(true);
    try {
      // Write-only afterwards: the user has the value already, so it is not revealed either.
      await add(own!, false);
      setOwn(null);
    } catch (e: any) {
      setOwnError(`API key value: ${e?.message ?? e}`);
    } finally {
      setBusy(false);
    }
  };

  const openReuse = async () => {
    setBusy(true);
    try {
      const flows = await Promise.all((await host.listFlows()).map((f) => host.getFlow(f.id)));
      setOthers(otherTriggerKeys(flows, owner, keys));
    } finally {
      setBusy(false);
    }
  };
  const reuse = (secret: string) => {
    const other = others?.find((o) => o.secret === secret);
    if (!other) return;
    // The other trigger's secret itself: one value, accepted by both; revoking it here leaves the other trigger alone.
    onChange([...keys, sharedKeyEntry(keys, other, shortId())]);
    setOthers(null);
  };

  return (
    <div className="hl-keys" data-testid={testId}>
      {keys.map((k, i) => (
        <div className="hl-key" key={k.id} data-testid={`${testId}-${i}`}>
          <input className={cellClass(invalid, `[${i}].label`)} value={k.label} placeholder="Label (who uses this key)" aria-label={`Label, key ${i + 1}`} data-testid={`${testId}-${i}-label`} onChange={(e) => onChange(keys.map((x, j) => (j === i ? { ...x, label: e.target.value } : x)))} />
          {revealed[k.secret] ? (
            <div className="hl-key-value">
              <code data-testid={`${testId}-${i}-value`}>{revealed[k.secret]}</code>
              <button className="hl-icon-btn sm" title="Copy key" data-testid={`${testId}-${i}-copy`} onClick={() => void navigator.clipboard?.writeText(revealed[k.secret]).catch(() => {})}>
                <Icon name="copy" size={13} />
              </button>
            </div>
          ) : isSet(k.secret) ? (
            <div className="hl-help mono" data-testid={`${testId}-${i}-stored`}>stored as secret {k.secret}</div>
          ) : (
            <ApiKeyMissing secret={k.secret} testId={`${testId}-${i}`} />
          )}
          {lastUsed && (
            <div className="hl-help" data-testid={`${testId}-${i}-used`}>
              {lastUsed[k.id] ? `last used ${runTime(lastUsed[k.id])}` : 'no accepted call yet'}
            </div>
          )}
          <button className="hl-icon-btn sm" title="Revoke (remove from this trigger)" onClick={() => onChange(keys.filter((_, j) => j !== i))}><Icon name="trash" size={13} /></button>
        </div>
      ))}
      {own !== null && (
        <div className="hl-own-key">
          <div className="hl-row">
            <input
              className={`hl-input${ownError ? ' invalid' : ''}`}
              type="password"
              autoComplete="new-password"
              autoFocus
              aria-label="API key value"
              aria-invalid={ownError ? true : undefined}
              placeholder={`Paste the key (at least 16 characters)`}
              value={own}
              data-testid={`${testId}-own-value`}
              onChange={(e) => (setOwn(e.target.value), setOwnError(null))}
              onKeyDown={(e) => e.key === 'Enter' && void addOwn()}
            />
            <button className="hl-btn sm" disabled={busy} data-testid={`${testId}-own-add`} onClick={() => void addOwn()}>Add key</button>
            <button className="hl-btn ghost sm" onClick={() => (setOwn(null), setOwnError(null))}>Cancel</button>
          </div>
          {ownError && <div className="hl-field-error" data-testid={`${testId}-own-error`}>{ownError}</div>}
        </div>
      )}
      {others !== null && (
        <div className="hl-row" data-testid={`${testId}-reuse-box`}>
          {others.length ? (
            <select className="hl-input" aria-label="Key of another trigger" data-testid={`${testId}-reuse-pick`} defaultValue="" onChange={(e) => reuse(e.target.value)}>
              <option value="" disabled>
                Pick a key of another trigger…
              </option>
              {others.map((o) => (
                <option key={o.secret} value={o.secret}>
                  {o.label || o.secret} · {o.flowName} › {o.nodeId}
                </option>
              ))}
            </select>
          ) : (
            <span className="hl-help" data-testid={`${testId}-reuse-none`}>No other trigger has an API key yet.</span>
          )}
          <button className="hl-btn ghost sm" onClick={() => setOthers(null)}>Cancel</button>
        </div>
      )}
      <div className="hl-btn-row">
        <button className="hl-btn sm" disabled={busy} data-testid={`${testId}-generate`} onClick={() => void generate()}>
          <Icon name="key" size={13} /> Generate key
        </button>
        {own === null && (
          <button className="hl-btn ghost sm" disabled={busy} data-testid={`${testId}-own`} onClick={() => setOwn('')}>
            Use my own key…
          </button>
        )}
        {others === null && (
          <button className="hl-btn ghost sm" disabled={busy} data-testid={`${testId}-reuse`} title="Accept a key another trigger already has: its consumers need no new key" onClick={() => void openReuse()}>
            Reuse a key…
          </button>
        )}
      </div>
      {keys.some((k) => revealed[k.secret]) && <div className="hl-help">Copy a new key now: it is shown only in this session.</div>}
    </div>
  );
}
