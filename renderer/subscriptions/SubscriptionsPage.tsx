import { useEffect, useMemo, useState } from 'react';
import type { EventDeliveryResult } from '../../core/host/api';
import type { Problem } from '../../core/model/problems';
import type { SubscriptionState } from '../../core/model/subscription';
import { eventTypeSchema } from '../../core/model/subscription';
import { useApp, useView } from '../app-context';
import { errText, ExchangeView, WriteOnlySecret } from '../connections/shared';
import { useFieldIds } from '../forms/FormField';
import { Icon } from '../icons';
import { emptyRow, newSigningSecret, rowProblems, rowsFromSet, sameRows, setFromRows, subSecretName, urlHint, type SubRow } from './subscription-rows';

/**
 * Event subscriptions (the app as a webhook sender, like ITscope's settings page): per event type an
 * enabled flag, an https URL and how deliveries authenticate. Edits are a draft; "Apply changes" makes
 * them live for Publish Event nodes.
 */
export function SubscriptionsPage() {
  const { host, view, workspace } = useApp();
  const fid = useFieldIds();
  const revealed = useView((s) => s.revealed);
  const [state, setState] = useState<SubscriptionState | null>(null);
  const [rows, setRows] = useState<SubRow[]>([]);
  const [pending, setPending] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [results, setResults] = useState<Record<string, EventDeliveryResult | { error: string }>>({});
  const [newType, setNewType] = useState('');
  const staged = (name: string) => !!state?.stagedSecrets?.includes(name);

  const load = (s: SubscriptionState) => {
    setState(s);
    setRows(rowsFromSet(s.draft));
  };
  useEffect(() => {
    host.getSubscriptions().then(load, (e) => setError(errText(e)));
    void workspace.getState().refreshSecrets();
  }, [host, workspace]);

  const problems = useMemo(() => rowProblems(rows), [rows]);
  const hasErrors = problems.some((p) => Object.values(p).some((list) => list.some((x) => x.severity !== 'warning')));
  const edited = !!state && (!sameRows(rows, rowsFromSet(state.draft)) || Object.values(pending).some(Boolean));
  const notApplied = edited || !!state?.pending;

  const set = (i: number, patch: Partial<SubRow>) => setRows((rs) => rs.map((r, j) => (j === i ? { ...r, ...patch } : r)));

  async function saveDraft(): Promise<SubscriptionState | null> {
    // New passwords / signing secrets go with the draft: deliveries keep the old ones until "Apply changes".
    const { set } = setFromRows(rows);
    const used = new Set(set.subscriptions!.map((x) => (x.auth?.type === 'basic' ? x.auth.passwordSecret : x.auth?.type === 'standardWebhooks' ? x.auth.secret : '')));
    const s = await host.saveSubscriptions(set, Object.fromEntries(Object.entries(pending).filter(([n, v]) => v && used.has(n))));
    setPending({});
    load(s);
    await workspace.getState().refreshSecrets();
    return s;
  }
  const run = async (what: () => Promise<unknown>) => {
    setBusy(true);
    setError(null);
    try {
      await what();
    } catch (e) {
      setError(errText(e));
    } finally {
      setBusy(false);
    }
  };
  const apply = () =>
    run(async () => {
      if (edited) await saveDraft();
      load(await host.applySubscriptions());
      // Staged passwords / signing secrets are stored under their own names only now.
      await workspace.getState().refreshSecrets();
      view.getState().showToast('Subscriptions applied: Publish Event nodes use them now');
    });
  const sendTest = (r: SubRow) =>
    run(async () => {
      if (edited) await saveDraft();
      try {
        const res = await host.sendTestEvent(r.id);
        setResults((x) => ({ ...x, [r.id]: res }));
      } catch (e) {
        setResults((x) => ({ ...x, [r.id]: { error: errText(e) } }));
      }
    });
  const addType = () => {
    const t = newType.trim().toUpperCase();
    if (!eventTypeSchema.safeParse(t).success) return setError(`event type "${t}": must be upper-case letters, digits and "_", starting with a letter`);
    setRows((rs) => [...rs, emptyRow(t, rs)]);
    setNewType('');
  };
  const generateSigning = (r: SubRow, i: number) => {
    const name = r.auth.type === 'standardWebhooks' ? r.auth.secret : subSecretName(r.id, 'signing');
    const value = newSigningSecret();
    setPending((p) => ({ ...p, [name]: value }));
    view.getState().reveal(name, value);
    set(i, { auth: { type: 'standardWebhooks', secret: name } });
  };

  return (
    <div className="hl-page" data-testid="subscriptions-page">
      <div className="hl-page-body">
        <div className="hl-form">
          <header className="hl-form-head">
            <h2>Event subscriptions</h2>
            {notApplied ? (
              <span className="hl-pill warn" data-testid="subscriptions-not-applied" title="Publish Event nodes still use the last applied set">Not applied</span>
            ) : (
              state?.appliedAt && <span className="hl-pill ok" data-testid="subscriptions-applied">Applied {new Date(state.appliedAt).toLocaleString()}</span>
            )}
            <div className="hl-grow" />
            <button className="hl-btn" disabled={busy || !edited || hasErrors} data-testid="subscriptions-save" onClick={() => void run(saveDraft)}>Save draft</button>
            <button className="hl-btn primary" disabled={busy || !notApplied || hasErrors} data-testid="subscriptions-apply" onClick={() => void apply()}>
              <Icon name="check" size={14} /> Apply changes
            </button>
          </header>
          <p className="hl-help">Events are sent only to enabled subscriptions with a URL. Changes take effect when you apply them.</p>
          {error && <div className="hl-form-errors" data-testid="subscriptions-error">{error}</div>}
          {!state && !error && <div className="hl-muted">Loading…</div>}
          <div className="hl-subs">
            {rows.map((r, i) => {
              const p = problems[i];
              const urlErrors = (p.url ?? []).filter((x) => x.severity !== 'warning');
              const hint = urlErrors.length ? undefined : urlHint(r.url);
              const res = results[r.id];
              const signing = r.auth.type === 'standardWebhooks' ? r.auth.secret : undefined;
              const id = (field: string) => fid(`${r.id}-${field}`);
              return (
                <section className="hl-group" key={r.id} data-testid={`sub-${r.eventType}`}>
                  <div className="hl-sub-head">
                    <label className="hl-check">
                      <input type="checkbox" checked={r.enabled} data-testid={`sub-${r.eventType}-enabled`} onChange={(e) => set(i, { enabled: e.target.checked })} />
                      <span className="hl-sub-type">{r.eventType}</span>
                    </label>
                    {r.id !== r.eventType.toLowerCase() && <span className="hl-help mono">{r.id}</span>}
                    <div className="hl-grow" />
                    <button className="hl-btn sm" disabled={busy || !r.url || hasErrors} data-testid={`sub-${r.eventType}-test`} title={hasErrors ? 'Fix the problems marked on this page first: a test saves the draft before it sends' : !r.url ? 'Enter a URL first' : 'Sends a dummy event of this type to the URL (saves the draft first)'} onClick={() => void sendTest(r)}>
                      <Icon name="play" size={13} /> Send test event
                    </button>
                  </div>
                  <div className={`hl-field${urlErrors.length ? ' has-error' : ''}`}>
                    <label className="hl-label" htmlFor={id('url')}>URL</label>
                    <input id={id('url')} className="hl-input mono" placeholder="https://erp.example/hooks/itscope" value={r.url} data-testid={`sub-${r.eventType}-url`} onChange={(e) => set(i, { url: e.target.value })} />
                    {urlErrors.map((x) => <div className="hl-field-error" key={x.message} data-testid={`sub-${r.eventType}-url-error`}>{x.message}</div>)}
                    {hint && <div className="hl-warning" data-testid={`sub-${r.eventType}-url-warning`}>{hint}</div>}
                  </div>
                  <div className="hl-sub-grid">
                    <div className="hl-field">
                      <label className="hl-label" htmlFor={id('auth')}>Authentication</label>
                      <select
                        id={id('auth')}
                        className="hl-input"
                        value={r.auth.type}
                        data-testid={`sub-${r.eventType}-auth`}
                        onChange={(e) => {
                          const t = e.target.value;
                          set(i, { auth: t === 'basic' ? { type: 'basic', username: '', passwordSecret: subSecretName(r.id, 'password') } : t === 'standardWebhooks' ? { type: 'standardWebhooks', secret: subSecretName(r.id, 'signing') } : { type: 'none' } });
                        }}
                      >
                        <option value="none">None</option>
                        <option value="basic">Basic authentication</option>
                        <option value="standardWebhooks">Standard Webhooks signature</option>
                      </select>
                    </div>
                    {r.auth.type === 'basic' && (
                      <div className={`hl-field${p['auth.username'] ? ' has-error' : ''}`}>
                        <label className="hl-label" htmlFor={id('username')}>Username</label>
                        <input id={id('username')} className="hl-input" value={r.auth.username} data-testid={`sub-${r.eventType}-username`} onChange={(e) => r.auth.type === 'basic' && set(i, { auth: { ...r.auth, username: e.target.value } })} />
                        {p['auth.username']?.map((x) => <div className="hl-field-error" key={x.message}>{x.message}</div>)}
                      </div>
                    )}
                  </div>
                  {r.auth.type === 'basic' && (
                    <div className="hl-field">
                      <label className="hl-label" htmlFor={id('password')}>Password</label>
                      <WriteOnlySecret id={id('password')} name={r.auth.passwordSecret} staged={staged(r.auth.passwordSecret)} testId={`sub-${r.eventType}-password`} value={pending[r.auth.passwordSecret] ?? ''} onChange={(v) => r.auth.type === 'basic' && setPending((x) => ({ ...x, [(r.auth as { passwordSecret: string }).passwordSecret]: v }))} />
                    </div>
                  )}
                  {signing && (
                    <div className="hl-field">
                      <label className="hl-label" htmlFor={id('signing')}>Signing secret</label>
                      <WriteOnlySecret id={id('signing')} name={signing} staged={staged(signing)} testId={`sub-${r.eventType}-signing`} value={pending[signing] ?? ''} onChange={(v) => setPending((x) => ({ ...x, [signing]: v }))} />
                      <div className="hl-btn-row">
                        <button className="hl-btn sm" data-testid={`sub-${r.eventType}-generate`} onClick={() => generateSigning(r, i)}>
                          <Icon name="key" size={13} /> Generate secret
                        </button>
                      </div>
                      {revealed[signing] && (
                        <div className="hl-key-value">
                          <code data-testid={`sub-${r.eventType}-signing-revealed`}>{revealed[signing]}</code>
                        </div>
                      )}
                      <div className="hl-help">Receivers verify webhook-id, webhook-timestamp and webhook-signature with this secret; copy it now: the studio shows it until the page is reloaded, then never again.</div>
                    </div>
                  )}
                  <SubscriptionHeaders testId={`sub-${r.eventType}-headers`} headers={r.headers ?? []} problems={p} onChange={(headers) => set(i, { headers })} />
                  {res && ('error' in res && !('subscriptionId' in res) ? (
                    <div className="hl-field-error" data-testid={`sub-${r.eventType}-test-error`}>{res.error as string}</div>
                  ) : (
                    <ExchangeView {...(res as EventDeliveryResult)} testId={`sub-${r.eventType}-result`} />
                  ))}
                </section>
              );
            })}
          </div>
          <div className="hl-row" style={{ marginTop: 12 }}>
            <input className="hl-input mono" aria-label="Another event type" placeholder="Another event type, e.g. RETURN" value={newType} data-testid="sub-new-type" onChange={(e) => setNewType(e.target.value)} onKeyDown={(e) => e.key === 'Enter' && addType()} />
            <button className="hl-btn" disabled={!newType.trim()} data-testid="sub-add-type" onClick={addType}>
              <Icon name="plus" size={14} /> Add event type
            </button>
          </div>
        </div>
      </div>
    </div>
  );
}

/** Custom headers of one subscription: name / value rows, errors under the field they are about. */
function SubscriptionHeaders(p: { headers: Array<{ name: string; value: string }>; problems: Record<string, Problem[]>; onChange(h: Array<{ name: string; value: string }>): void; testId: string }) {
  // Problems are indexed over the rows that are not blank (blank ones are left out of the set).
  let k = -1;
  const at = p.headers.map((h) => (h.name.trim() || h.value ? ++k : -1));
  const edit = (i: number, patch: Partial<{ name: string; value: string }>) => p.onChange(p.headers.map((h, j) => (j === i ? { ...h, ...patch } : h)));
  return (
    // Rows of inputs, no single control: the heading names the group (each input has its own aria-label).
    <div className="hl-field" role="group" aria-labelledby={`${p.testId}-label`} data-testid={p.testId}>
      <span className="hl-label" id={`${p.testId}-label`}>Custom headers</span>
      {p.headers.map((h, i) => {
        const errs = at[i] < 0 ? [] : [...(p.problems[`headers[${at[i]}].name`] ?? []), ...(p.problems[`headers[${at[i]}].value`] ?? [])];
        return (
          <div key={i} className={errs.length ? 'has-error' : undefined}>
            <div className="hl-row">
              <input className="hl-input mono" placeholder="X-Api-Version" aria-label="Header name" value={h.name} data-testid={`${p.testId}-${i}-name`} onChange={(e) => edit(i, { name: e.target.value })} />
              <input className="hl-input mono" placeholder="value" aria-label="Header value" value={h.value} data-testid={`${p.testId}-${i}-value`} onChange={(e) => edit(i, { value: e.target.value })} />
              <button className="hl-icon-btn sm" title="Remove header" data-testid={`${p.testId}-${i}-remove`} onClick={() => p.onChange(p.headers.filter((_, j) => j !== i))}>
                <Icon name="x" size={13} />
              </button>
            </div>
            {errs.map((x) => <div className="hl-field-error" key={x.message} data-testid={`${p.testId}-${i}-error`}>{x.message}</div>)}
          </div>
        );
      })}
      <div className="hl-btn-row">
        <button className="hl-btn sm" data-testid={`${p.testId}-add`} onClick={() => p.onChange([...p.headers, { name: '', value: '' }])}>
          <Icon name="plus" size={13} /> Add header
        </button>
      </div>
      <div className="hl-help">Sent with every event and test event. Passwords and keys belong in Authentication, where they stay secret.</div>
    </div>
  );
}
