import { useMemo, useState, type ReactNode } from 'react';
import type { ConnectionInfo, ConnectionTestResult } from '../../core/host/api';
import type { ConnectionAuthType, ConnectionInput } from '../../core/model/connection';
import { useApp, useWorkspace } from '../app-context';
import { FormField, useFieldIds } from '../forms/FormField';
import { Icon } from '../icons';
import { CertificateSection } from './CertificateSection';
import { AUTH_FIELDS, AUTH_TYPE_OPTIONS, cleanConnection, connectionErrors, connectionIdFromName, connectionSecretName, defaultAuth, problemText, type AuthField } from './connection-form';
import { checkPemCertificate } from './pem-check';
import { errText, ExchangeView, PemSecret, WriteOnlySecret } from './shared';
import { CancelTestButton, useCancellableTest } from './cancellable-test';
import { ConnectionInUse, DeleteConnectionButton, useConnectionDelete } from './DeleteConnection';

const CA_LABEL = 'Extra CA bundle (PEM)';
/** `scheme://user:password@host`: a password written into the proxy URL itself. */
const PROXY_PASSWORD_IN_URL = /^[a-z]+:\/\/[^/@:]*:[^/@]+@/i;

type Obj = Record<string, any>;

function setIn(obj: Obj, path: Array<string | number>, value: unknown): Obj {
  const [k, ...rest] = path;
  const copy: Obj = Array.isArray(obj) ? [...obj] : { ...obj };
  if (rest.length === 0) {
    if (value === undefined) delete copy[k];
    else copy[k] = value;
  } else copy[k] = setIn(copy[k] ?? (typeof rest[0] === 'number' ? [] : {}), rest, value);
  return copy;
}

/** Create / edit one connection: generated from the auth type descriptions, validated by the core schema as you type. */
export function ConnectionForm({ initial, onSaved, onDeleted }: { initial?: ConnectionInfo; onSaved(id: string): void; /** Given for a saved connection: called once it is deleted. */ onDeleted?(): void }) {
  const { host, workspace, view } = useApp();
  const fid = useFieldIds();
  const connections = useWorkspace((s) => s.connections);
  const isNew = !initial;
  const [draft, setDraft] = useState<ConnectionInput>(() => (initial ? stripInfo(initial) : { id: '', name: '', auth: { type: 'none' } }));
  // Typed secret values by secret name: sent along with a test for that request only, written with setSecret on Save, never read back.
  const [pending, setPending] = useState<Record<string, string>>({});
  const [touched, setTouched] = useState<Set<string>>(new Set());
  const [submitted, setSubmitted] = useState(false);
  const [idEdited, setIdEdited] = useState(false);
  const [serverErrors, setServerErrors] = useState<string[]>([]);
  const [saving, setSaving] = useState(false);
  const del = useConnectionDelete({ id: initial?.id ?? '', name: initial?.name ?? '' }, () => onDeleted?.());
  const [test, setTest] = useState({ method: 'GET', url: '' });
  const [testResult, setTestResult] = useState<ConnectionTestResult | null>(null);
  const [testing, setTesting] = useState(false);
  const cancellable = useCancellableTest();
  const [caError, setCaError] = useState<string | null>(null);
  // Secrets whose reference "Remove" dropped: deleted from the store on Save, not before.
  const [removeOnSave, setRemoveOnSave] = useState<string[]>([]);
  const [advanced, setAdvanced] = useState(!!(initial?.proxy || initial?.timeoutMessage || initial?.tls?.rejectUnauthorized === false));

  const errors = useMemo(() => connectionErrors(draft), [draft]);
  // A test needs no name or id (as in Postman, try the partner first, name it later): only the other fields block it.
  const testBlockers = [...errors.keys()].filter((p) => p !== 'name' && p !== 'id').map((p) => problemText({ path: p, message: '' }, (draft.auth as Obj)?.type).replace(/: $/, ''));
  const missing = initial?.missingSecrets ?? [];
  const auth = draft.auth as Obj;
  const type = (auth?.type ?? 'none') as ConnectionAuthType;
  const errorsAt = (path: string) => (submitted || touched.has(path) ? errors.get(path) ?? [] : []);

  const update = (path: string, value: unknown) => {
    setTouched((t) => new Set(t).add(path));
    setDraft((d) => setIn(d, path.split('.').map((p) => (/^\d+$/.test(p) ? Number(p) : p)), value === '' && path !== 'name' && path !== 'id' ? undefined : value) as ConnectionInput);
  };

  /** A new id renames the default secret names: values typed under the old names move along (a password typed before the name). */
  const changeId = (base: Obj, newId: string): Obj => {
    const next = renameSecrets(base, draft.id, newId);
    const moves = secretNameFields(draft).map((k): [string, string] => [getIn(draft, k), getIn(next, k)]).filter(([a, b]) => a && b && a !== b && pending[a] !== undefined);
    if (moves.length) setPending((p) => Object.fromEntries(Object.entries(p).map(([k, v]) => [moves.find(([a]) => a === k)?.[1] ?? k, v])));
    return next;
  };
  const setName = (name: string) => {
    setTouched((t) => new Set(t).add('name'));
    setDraft((isNew && !idEdited ? changeId({ ...draft, name }, connectionIdFromName(name)) : { ...draft, name }) as ConnectionInput);
  };

  const setType = (t: ConnectionAuthType) => setDraft((d) => ({ ...d, auth: defaultAuth(t, d.id, d.auth as Obj) }) as ConnectionInput);

  const overrides = () => Object.fromEntries(Object.entries(pending).filter(([, v]) => v !== ''));
  const stage = (values: Record<string, string>, drop: string[] = []) =>
    setPending((p) => ({ ...Object.fromEntries(Object.entries(p).filter(([k]) => !drop.includes(k))), ...values }));

  const tlsDraft = draft.tls as Obj | undefined;
  const caName: string = tlsDraft?.caSecret ?? connectionSecretName(draft.id, 'ca');
  /** A typed CA bundle must parse before it is used by a test or stored; the message names the field. */
  const checkCa = async () => {
    const err = pending[caName] ? await checkPemCertificate(host, CA_LABEL, caName, pending[caName]) : null;
    setCaError(err);
    return err;
  };
  const setCa = (v: string) => {
    if (!tlsDraft?.caSecret) update('tls.caSecret', caName);
    setRemoveOnSave((r) => r.filter((n) => n !== caName));
    setCaError(null);
    stage({ [caName]: v });
  };
  const removeCa = () => {
    stage({}, [caName]);
    setCaError(null);
    update('tls.caSecret', undefined);
    setRemoveOnSave((r) => (r.includes(caName) ? r : [...r, caName]));
  };

  async function writePending() {
    for (const [name, value] of Object.entries(pending)) if (value) await host.setSecret(name, value);
    setPending({});
    await workspace.getState().refreshSecrets();
  }

  /** Saves the form; false when a problem kept it from being saved (shown on the form). */
  const save = async (): Promise<boolean> => {
    setSubmitted(true);
    setServerErrors([]);
    if (errors.size) return false;
    if (isNew && connections.some((c) => c.id === draft.id)) return setServerErrors([`id: "${draft.id}" is already used by another connection`]), false;
    if (await checkCa()) return false;
    setSaving(true);
    try {
      await writePending();
      const saved = await host.saveConnection(cleanConnection(draft));
      // Only secrets this connection named after itself are deleted: another connection may share a named one.
      const drop = removeOnSave.filter((n) => n !== (draft.tls as Obj | undefined)?.caSecret && n === connectionSecretName(saved.id, 'ca'));
      for (const n of drop) await host.deleteSecret(n).catch(() => {});
      setRemoveOnSave([]);
      // The host deletes certificate secrets the saved connection no longer refers to (PFX <-> PEM, removed).
      await workspace.getState().refreshSecrets();
      await workspace.getState().refreshConnections();
      view.getState().showToast(`Connection "${saved.name}" saved`);
      onSaved(saved.id);
      return true;
    } catch (e: any) {
      setServerErrors(e?.problems?.length ? e.problems.map((p: any) => problemText(p, type)) : [errText(e)]);
      return false;
    } finally {
      setSaving(false);
    }
  };

  const runTest = async () => {
    setTesting(true);
    setTestResult(null);
    try {
      const caErr = await checkCa();
      if (caErr) return setTestResult({ ok: false, error: { code: 'certificate_invalid', message: caErr }, warnings: [] });
      // Typed values are used for this one request and stored only on Save (as Postman does).
      const { id, name, ...rest } = cleanConnection(draft);
      const target = { connection: { ...rest, id: id || 'inline', name: name || 'inline connection' } };
      setTestResult(await cancellable.run((testId) => host.testConnection(target, { method: test.method, url: test.url || draft.baseUrl || '/' }, overrides(), testId)));
    } catch (e) {
      setTestResult({ ok: false, error: { code: 'error', message: errText(e) }, warnings: [] });
    } finally {
      setTesting(false);
    }
  };

  const signIn = async () => {
    // The sign-in (and the runtime's code exchange after it) reads the saved connection and its stored client
    // secret: unsaved edits are saved first, as n8n does on "Connect my account".
    const dirty = Object.values(pending).some((v) => v !== '') || JSON.stringify(cleanConnection(draft)) !== JSON.stringify(initial && cleanConnection(stripInfo(initial)));
    if (dirty && !(await save())) return;
    try {
      const s = await host.startOAuthSignIn(draft.id);
      window.open(s.authorizeUrl, '_blank', 'noopener');
      view.getState().showToast('Finish signing in in the new tab; the refresh token is stored when you return.');
    } catch (e) {
      view.getState().showToast(`Sign in failed: ${errText(e)}`);
    }
  };

  /** One labelled field: `input` gets the id its label points at (a `group` of rows is named by the label instead). */
  const field = (path: string, label: string, input: (id: string) => ReactNode, help?: string, group?: boolean) => (
    <FormField key={path} id={fid(path)} label={label} help={help} group={group} className={errorsAt(path).length ? 'has-error' : undefined} testId={`conn-field-${path}`}
      errors={errorsAt(path).map((e, i) => <div className="hl-field-error" key={i} data-testid={`conn-error-${path}`}>{e}</div>)}>
      {input(fid(path))}
    </FormField>
  );
  const text = (path: string, value: unknown, placeholder?: string) => (id: string) => (
    <input id={id} className="hl-input" data-testid={`conn-${path}`} value={value == null ? '' : String(value)} placeholder={placeholder} onChange={(e) => update(path, e.target.value)} />
  );
  const secret = (path: string, name: string | undefined, fallback: string) => (id: string) => {
    const n = name ?? fallback;
    return <WriteOnlySecret id={id} name={n} testId={`conn-${path}`} value={pending[n] ?? ''} onChange={(v) => (name === undefined && update(path, n), setPending((p) => ({ ...p, [n]: v })))} />;
  };

  const authField = (f: AuthField) => {
    const path = `auth.${f.key}`;
    const v = auth?.[f.key];
    if (f.kind === 'select')
      return field(path, f.label, (id) => (
        <select id={id} className="hl-input" data-testid={`conn-${path}`} value={v ?? f.options![0].value} onChange={(e) => update(path, e.target.value)}>
          {f.options!.map((o) => <option key={o.value} value={o.value}>{o.label}</option>)}
        </select>
      ), f.help);
    if (f.kind === 'secret') return field(path, f.label, secret(path, v, connectionSecretName(draft.id, f.key)), f.help);
    if (f.kind === 'headers') return field(path, f.label, () => <HeaderRows rows={(v as Obj[]) ?? []} connId={draft.id} pending={pending} setPending={setPending} onChange={(rows) => update(path, rows)} />, f.help, true);
    return field(path, f.label, text(path, v, f.placeholder), f.help);
  };

  return (
    <div className="hl-form" data-testid="connection-form">
      <header className="hl-form-head">
        <h2>{isNew ? 'New connection' : draft.name || draft.id}</h2>
        <div className="hl-grow" />
        {!isNew && onDeleted && <DeleteConnectionButton del={del} />}
        <button className="hl-btn primary" disabled={saving} data-testid="connection-save" onClick={() => void save()}>
          <Icon name="check" size={14} /> Save
        </button>
      </header>
      <ConnectionInUse del={del} />
      {missing.length > 0 && (
        <div className="hl-warning" data-testid="connection-missing">
          Missing secrets: <span className="mono">{missing.join(', ')}</span>. Requests through this connection fail until they are set.
        </div>
      )}
      {serverErrors.length > 0 && (
        <ul className="hl-form-errors" data-testid="connection-server-errors">
          {serverErrors.map((e) => <li key={e}>{e}</li>)}
        </ul>
      )}
      <section className="hl-group">
        <h4>General</h4>
        {field('name', 'Name', (id) => <input id={id} className="hl-input" data-testid="conn-name" value={draft.name} placeholder="Partner ERP" onChange={(e) => setName(e.target.value)} />)}
        {field('id', 'Id', (id) => <input id={id} className="hl-input mono" data-testid="conn-id" value={draft.id} disabled={!isNew} onChange={(e) => (setIdEdited(true), setDraft(changeId({ ...draft }, e.target.value) as ConnectionInput), setTouched((t) => new Set(t).add('id')))} />, isNew ? 'Nodes refer to the connection by this id.' : undefined)}
        {field('baseUrl', 'Server URL', text('baseUrl', draft.baseUrl, 'https://partner.example/api'), 'Relative node URLs resolve against it. {{ $env.NAME }} is filled in per environment.')}
        {field('description', 'Description', text('description', draft.description))}
      </section>
      <section className="hl-group">
        <h4>Authorisation</h4>
        {field('auth.type', 'Type', (id) => (
          <select id={id} className="hl-input" data-testid="conn-auth.type" value={type} onChange={(e) => setType(e.target.value as ConnectionAuthType)}>
            {AUTH_TYPE_OPTIONS.map((o) => <option key={o.value} value={o.value}>{o.label}</option>)}
          </select>
        ))}
        {AUTH_FIELDS[type].map(authField)}
        {type === 'oauth2AuthCode' && (
          <div className="hl-btn-row">
            <button className="hl-btn" disabled={isNew} data-testid="connection-signin" title={isNew ? 'Save the connection first' : 'Opens the authorization page in a new tab'} onClick={() => void signIn()}>
              <Icon name="key" size={14} /> Sign in
            </button>
          </div>
        )}
      </section>
      <CertificateSection connId={draft.id} value={(draft.tls as Obj | undefined)?.clientCert} onChange={(v) => update('tls.clientCert', v)} staged={{ pending, stage }} />
      <section className="hl-group">
        <h4>
          <button className="hl-link-btn" data-testid="connection-advanced" onClick={() => setAdvanced(!advanced)}>{advanced ? '▾' : '▸'} Timeouts, proxy and TLS</button>
        </h4>
        {advanced && (
          <>
            {field('timeoutMs', 'Timeout (ms)', (id) => <input id={id} className="hl-input" type="number" data-testid="conn-timeoutMs" value={draft.timeoutMs ?? ''} placeholder="30000" onChange={(e) => update('timeoutMs', e.target.value === '' ? undefined : Number(e.target.value))} />)}
            {field('connectTimeoutMs', 'Connect timeout (ms)', (id) => <input id={id} className="hl-input" type="number" value={draft.connectTimeoutMs ?? ''} placeholder="10000" onChange={(e) => update('connectTimeoutMs', e.target.value === '' ? undefined : Number(e.target.value))} />)}
            {field('timeoutMessage', 'Timeout message', text('timeoutMessage', draft.timeoutMessage))}
            {field('proxy.url', 'Proxy URL', text('proxy.url', draft.proxy?.url, 'http://user@proxy:3128 (default: HTTPS_PROXY)'), PROXY_PASSWORD_IN_URL.test(draft.proxy?.url ?? '') ? 'The password in this URL is saved in the connection file and its exports: put it in Proxy password instead.' : undefined)}
            {draft.proxy?.url && field('proxy.passwordSecret', 'Proxy password', secret('proxy.passwordSecret', draft.proxy?.passwordSecret, connectionSecretName(draft.id, 'proxy_password')), 'Write-only; sent with the user name of the proxy URL.')}
            {field(
              'tls.caSecret',
              CA_LABEL,
              (id) => <PemSecret id={id} name={caName} label={CA_LABEL} testId="conn-tls.caSecret" value={pending[caName] ?? ''} removed={!tlsDraft?.caSecret && removeOnSave.includes(caName)} onChange={setCa} onBlur={() => void checkCa()} onRemove={tlsDraft?.caSecret || pending[caName] ? removeCa : undefined} />,
              'CA certificates (PEM, one or more) trusted in addition to the system ones, e.g. a partner\'s private CA.',
            )}
            {caError && <div className="hl-field-error" data-testid="conn-error-tls.caSecret-pem">{caError}</div>}
            <label className="hl-check">
              <input type="checkbox" checked={(draft.tls as Obj | undefined)?.rejectUnauthorized !== false} onChange={(e) => update('tls.rejectUnauthorized', e.target.checked ? undefined : false)} /> Verify the server certificate
            </label>
            {(draft.tls as Obj | undefined)?.rejectUnauthorized === false && <div className="hl-warning">Verification is off: anyone on the network path can read and change these requests.</div>}
          </>
        )}
      </section>
      <section className="hl-group" data-testid="connection-test">
        <h4>Test connection</h4>
        <div className="hl-row">
          <select className="hl-input method" aria-label="Test request method" value={test.method} data-testid="connection-test-method" onChange={(e) => setTest({ ...test, method: e.target.value })}>
            {['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'].map((m) => <option key={m}>{m}</option>)}
          </select>
          <input className="hl-input mono" aria-label="Test request URL" value={test.url} placeholder={draft.baseUrl ? `${draft.baseUrl} (or a path)` : 'https://partner.example/ping'} data-testid="connection-test-url" onChange={(e) => setTest({ ...test, url: e.target.value })} />
          <button className="hl-btn" disabled={testing || testBlockers.length > 0} title={testBlockers.length ? `Fix ${testBlockers.join(', ')} first` : undefined} data-testid="connection-test-send" onClick={() => void runTest()}>
            <Icon name="play" size={13} /> {testing ? 'Testing…' : 'Test connection'}
          </button>
          <CancelTestButton test={cancellable} testId="connection-test-cancel" />
        </div>
        {testResult && <ExchangeView ok={testResult.ok} exchange={testResult.exchange} error={testResult.error} timings={testResult.timings} warnings={testResult.warnings} tokenRequests={testResult.tokenRequests} testId="connection-test-result" />}
      </section>
    </div>
  );
}

function HeaderRows({ rows, connId, pending, setPending, onChange }: { rows: Obj[]; connId: string; pending: Record<string, string>; setPending(f: (p: Record<string, string>) => Record<string, string>): void; onChange(rows: Obj[]): void }) {
  const set = (i: number, patch: Obj) => onChange(rows.map((r, j) => (j === i ? { ...r, ...patch } : r)));
  return (
    <div className="hl-rows">
      {rows.map((r, i) => {
        const bySecret = r.valueSecret !== undefined;
        return (
          <div className="hl-row" key={i}>
            <input className="hl-input" placeholder="Header" aria-label={`Header ${i + 1} name`} value={r.name ?? ''} data-testid={`conn-header-${i}-name`} onChange={(e) => set(i, { name: e.target.value })} />
            <select className="hl-input" aria-label={`Header ${i + 1} value kind`} style={{ maxWidth: 96 }} value={bySecret ? 'secret' : 'value'} onChange={(e) => set(i, e.target.value === 'secret' ? { value: undefined, valueSecret: connectionSecretName(connId, `header_${i}`) } : { valueSecret: undefined, value: '' })}>
              <option value="value">value</option>
              <option value="secret">secret</option>
            </select>
            {bySecret ? (
              <WriteOnlySecret name={r.valueSecret} label={`Header ${i + 1} secret value`} testId={`conn-header-${i}-secret`} value={pending[r.valueSecret] ?? ''} onChange={(v) => setPending((p) => ({ ...p, [r.valueSecret]: v }))} />
            ) : (
              <input className="hl-input" placeholder="Value" aria-label={`Header ${i + 1} value`} value={r.value ?? ''} data-testid={`conn-header-${i}-value`} onChange={(e) => set(i, { value: e.target.value })} />
            )}
            <button className="hl-icon-btn sm" title="Remove header" aria-label={`Remove header ${i + 1}`} onClick={() => onChange(rows.filter((_, j) => j !== i))}><Icon name="x" size={12} /></button>
          </div>
        );
      })}
      <button className="hl-link-btn" onClick={() => onChange([...rows, { name: '', value: '' }])}>+ Add header</button>
    </div>
  );
}

function stripInfo(c: ConnectionInfo): ConnectionInput {
  const { missingSecrets: _m, ...rest } = c;
  return rest;
}

/** Paths of the secret-name fields renameSecrets may rename. */
function secretNameFields(d: Obj): string[] {
  const auth = (AUTH_FIELDS[d.auth?.type as ConnectionAuthType] ?? []).filter((f) => f.kind === 'secret').map((f) => `auth.${f.key}`);
  return [...auth, 'proxy.passwordSecret'];
}

const getIn = (o: Obj, path: string): string => path.split('.').reduce<any>((v, k) => v?.[k], o) ?? '';

/** While a new connection's id follows its name, default secret names (`CONN_<ID>_...`) follow too. */
function renameSecrets(d: Obj, oldId: string, newId: string): Obj {
  const next: Obj = { ...d, id: newId };
  if (oldId === newId) return next;
  const rename = (v: unknown, key: string) => (v === connectionSecretName(oldId, key) ? connectionSecretName(newId, key) : v);
  if (next.auth) {
    const a = { ...next.auth };
    for (const f of AUTH_FIELDS[a.type as ConnectionAuthType] ?? []) if (f.kind === 'secret' && a[f.key]) a[f.key] = rename(a[f.key], f.key);
    next.auth = a;
  }
  if (next.proxy?.passwordSecret) next.proxy = { ...next.proxy, passwordSecret: rename(next.proxy.passwordSecret, 'proxy_password') };
  return next;
}
