import { useRef, useState, type ReactNode } from 'react';
// What importIntoDataDir returns (the host API's BundleImportResult plus `kept` connections).
import type { ImportResult } from '../../core/bundle/transfer';
import type { Problem } from '../../core/model/problems';
import { useApp, useWorkspace } from '../app-context';
import { errText } from '../connections/shared';
import { FormField, useFieldIds } from '../forms/FormField';
import { Icon } from '../icons';
import { plural } from '../plural';

export function downloadText(name: string, text: string, type = 'application/json') {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

function Dialog({ title, testId, onClose, children }: { title: string; testId: string; onClose(): void; children: ReactNode }) {
  return (
    <div className="hl-modal-backdrop" onClick={onClose}>
      <div className="hl-modal wide" role="dialog" aria-label={title} data-testid={testId} onClick={(e) => e.stopPropagation()} onKeyDown={(e) => e.key === 'Escape' && onClose()}>
        <h3>{title}</h3>
        {children}
      </div>
    </div>
  );
}

/** `Imported 2 flows and 1 connection; kept 1 existing connection.` */
function importSummary(r: ImportResult): string {
  const n = (k: number, what: string) => `${k} ${what}${k === 1 ? '' : 's'}`;
  const kept = r.connections.filter((c) => c.kept).length;
  const written = r.connections.length - kept;
  return `Imported ${n(r.flows.length, 'flow')}${written ? ` and ${n(written, 'connection')}` : ''}${kept ? `; kept ${n(kept, 'existing connection')}` : ''}.`;
}

/** The flow id of an export problem's path (`flows.orders.nodes[1]…`, `flows["my-flow"].nodes[1]…`). */
export function flowOfPath(path: string): string | undefined {
  const m = /^flows(?:\.([A-Za-z_$][\w$]*)|\["((?:[^"\\]|\\.)*)"\])\.nodes\[/.exec(path);
  if (!m) return undefined;
  return m[1] ?? (JSON.parse(`"${m[2]}"`) as string);
}

/** The inspector field a settings path belongs to (`…settings.connection.auth.headers[0].value` -> `connection.auth.headers`). */
function fieldKey(path: string): string {
  const m = /\.settings\.(.+)$/.exec(path);
  return m ? m[1].replace(/\[.*$/, '') : '';
}

/** Choose flows, then download one bundle file with them, their connections and environments. */
export function ExportBundleDialog({ onClose }: { onClose(): void }) {
  const { host, view, workspace } = useApp();
  const flows = useWorkspace((s) => s.flows);
  const currentId = useWorkspace((s) => s.current?.id);
  const [chosen, setChosen] = useState<Set<string>>(() => new Set(currentId ? [currentId] : []));
  const [name, setName] = useState('');
  const [version, setVersion] = useState('1.0.0');
  const [error, setError] = useState<string | null>(null);
  const [problems, setProblems] = useState<Problem[] | null>(null);
  const [busy, setBusy] = useState(false);
  const toggle = (id: string) => setChosen((s) => (s.has(id) ? new Set([...s].filter((x) => x !== id)) : new Set(s).add(id)));
  const show = (flowId: string, p: Problem) => {
    view.getState().setPage('canvas');
    void workspace
      .getState()
      .openFlow(flowId)
      .then(() => view.getState().focusProblem(p.nodeId ?? '', fieldKey(p.path)));
    onClose();
  };
  const doExport = async () => {
    setBusy(true);
    setError(null);
    setProblems(null);
    try {
      await workspace.getState().saveNow();
      const r = await host.exportBundle({ flowIds: [...chosen], ...(name.trim() ? { name: name.trim() } : {}), ...(version.trim() ? { version: version.trim() } : {}) });
      downloadText(r.fileName, r.text);
      const broken = flows.filter((f) => chosen.has(f.id) && f.problems > 0).length;
      view.getState().showToast(`Exported ${plural(chosen.size, 'flow')} to ${r.fileName}${broken ? `; ${broken} with problems, which 'hookline serve' refuses until they are fixed` : ''}`);
      onClose();
    } catch (e: any) {
      if (e?.problems?.length) setProblems(e.problems);
      else setError(errText(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Dialog title="Export bundle" testId="bundle-export-dialog" onClose={onClose}>
      <p className="hl-help">One file with the chosen flows, the connections they use and the environments. Secrets are included by name only.</p>
      <ul className="hl-check-list">
        {flows.map((f) => (
          <li key={f.id}>
            <label className="hl-check">
              <input type="checkbox" checked={chosen.has(f.id)} data-testid={`bundle-flow-${f.id}`} onChange={() => toggle(f.id)} /> {f.name} <span className="hl-help mono">{f.id}</span>
              {f.problems > 0 && (
                <span className="hl-help" data-testid={`bundle-flow-problems-${f.id}`} style={{ color: 'var(--warn)' }}>
                  {' '}
                  <Icon name="warn" size={12} /> {f.problems} problem{f.problems === 1 ? '' : 's'}: exported as is, but 'hookline serve' refuses it until fixed
                </span>
              )}
            </label>
          </li>
        ))}
      </ul>
      <div className="hl-row">
        <input className="hl-input" placeholder="Bundle name (default: first flow)" value={name} data-testid="bundle-name" onChange={(e) => setName(e.target.value)} />
        <input className="hl-input" placeholder="Version" style={{ maxWidth: 120 }} value={version} data-testid="bundle-version" onChange={(e) => setVersion(e.target.value)} />
      </div>
      {error && <div className="hl-field-error" data-testid="bundle-export-error">{error}</div>}
      {problems && (
        <div data-testid="bundle-export-problems">
          <div className="hl-field-error">Not exported ({problems.length} problem{problems.length === 1 ? '' : 's'}):</div>
          <ul className="hl-form-errors">
            {problems.map((p, i) => {
              const flowId = flowOfPath(p.path);
              return (
                <li key={i} data-testid={`bundle-export-problem-${i}`}>
                  {p.path && <span className="mono">{p.path}: </span>}
                  {p.message}
                  {flowId && p.nodeId && (
                    <>
                      {' '}
                      <button className="hl-link-btn" data-testid={`bundle-export-problem-show-${i}`} onClick={() => show(flowId, p)}>Show node</button>
                    </>
                  )}
                </li>
              );
            })}
          </ul>
        </div>
      )}
      <div className="hl-modal-actions">
        <button className="hl-btn ghost" onClick={onClose}>Cancel</button>
        <button className="hl-btn primary" disabled={busy || chosen.size === 0} data-testid="bundle-export" onClick={() => void doExport()}>
          <Icon name="download" size={14} /> Export {chosen.size} flow{chosen.size === 1 ? '' : 's'}
        </button>
      </div>
    </Dialog>
  );
}

/** Upload a bundle; flows whose id exists are renamed or replaced; shows what came in and which secrets are missing. */
export function ImportBundleDialog({ onClose }: { onClose(): void }) {
  const { host, workspace, view } = useApp();
  const fileRef = useRef<HTMLInputElement>(null);
  const [file, setFile] = useState<{ name: string; text: string } | null>(null);
  const [onConflict, setOnConflict] = useState<'rename' | 'replace'>('rename');
  const conflictId = useFieldIds()('conflict');
  const [result, setResult] = useState<ImportResult | null>(null);
  const [problems, setProblems] = useState<Problem[] | null>(null);
  const [busy, setBusy] = useState(false);

  const doImport = async () => {
    if (!file) return;
    setBusy(true);
    setProblems(null);
    try {
      const r: ImportResult = await host.importBundle(file.text, { onConflict });
      setResult(r);
      await Promise.all([workspace.getState().refreshFlows(), workspace.getState().refreshConnections(), workspace.getState().refreshSecrets(), workspace.getState().refreshEnvironments()]);
    } catch (e: any) {
      setProblems(e?.problems?.length ? e.problems : [{ path: '', code: 'invalid_value', message: errText(e) }]);
    } finally {
      setBusy(false);
    }
  };
  const open = (id: string) => {
    view.getState().setPage('canvas');
    void workspace.getState().openFlow(id);
    onClose();
  };

  return (
    <Dialog title="Import bundle" testId="bundle-import-dialog" onClose={onClose}>
      {!result && (
        <>
          <div className="hl-row">
            <button className="hl-btn" data-testid="bundle-choose" onClick={() => fileRef.current?.click()}>
              <Icon name="upload" size={14} /> Choose file…
            </button>
            <span className="hl-help mono" data-testid="bundle-file-name">{file?.name ?? 'No file chosen'}</span>
          </div>
          <input ref={fileRef} type="file" accept=".json,application/json" hidden data-testid="bundle-file" onChange={(e) => { const f = e.target.files?.[0]; if (f) void f.text().then((text) => (setFile({ name: f.name, text }), setProblems(null))); e.target.value = ''; }} />
          <FormField id={conflictId} label="When a flow id already exists" group="radiogroup" style={{ marginTop: 10 }}>
            <label className="hl-check">
              <input type="radio" name="conflict" checked={onConflict === 'rename'} data-testid="bundle-conflict-rename" onChange={() => setOnConflict('rename')} /> Import as a new flow (rename the id)
            </label>
            <label className="hl-check">
              <input type="radio" name="conflict" checked={onConflict === 'replace'} data-testid="bundle-conflict-replace" onChange={() => setOnConflict('replace')} /> Replace the existing flow
            </label>
          </FormField>
        </>
      )}
      {problems && (
        <div data-testid="bundle-problems">
          <div className="hl-field-error">The bundle was not imported ({problems.length} problem{problems.length === 1 ? '' : 's'}):</div>
          <ul className="hl-form-errors">
            {problems.map((p, i) => (
              <li key={i}>
                {p.path && <span className="mono">{p.path}: </span>}
                {p.message}
              </li>
            ))}
          </ul>
        </div>
      )}
      {result && (
        <div data-testid="bundle-result">
          <div className="hl-info">{importSummary(result)}</div>
          <ul className="hl-check-list">
            {result.flows.map((f) => (
              <li key={f.id} data-testid={`bundle-imported-${f.id}`}>
                <button className="hl-link-btn" onClick={() => open(f.id)}>{f.id}</button>
                {f.renamedFrom && <span className="hl-help" data-testid="bundle-renamed"> renamed from {f.renamedFrom}</span>}
                {f.replaced && <span className="hl-help"> replaced the existing flow</span>}
              </li>
            ))}
            {result.connections.map((c) => (
              <li key={`c-${c.id}`}>
                <Icon name="key" size={12} /> connection {c.id}
                {c.replaced ? ' (replaced)' : ''}
                {c.kept && <span className="hl-help" data-testid={`bundle-kept-${c.id}`}> exists here and was kept: the imported flows use this studio's connection, not the bundle's (choose Replace to take the bundle's)</span>}
              </li>
            ))}
          </ul>
          {result.missingSecrets.length > 0 && (
            <div className="hl-warning" data-testid="bundle-missing-secrets">
              Missing secrets (set them in Connections or the node before running): <span className="mono">{result.missingSecrets.join(', ')}</span>
            </div>
          )}
          {result.environments.length > 0 && <div className="hl-help">Environments: {result.environments.join(', ')}</div>}
          {result.subscriptions.length > 0 && (
            <div className="hl-help" data-testid="bundle-subscriptions">
              Event subscriptions, in the Subscriptions page's draft (apply them there to deliver to them):{' '}
              {result.subscriptions.map((s) => `${s.id}${s.kept ? ' (exists here and was kept)' : s.replaced ? ' (replaced)' : ''}`).join(', ')}
            </div>
          )}
        </div>
      )}
      <div className="hl-modal-actions">
        <button className="hl-btn ghost" data-testid="bundle-close" onClick={onClose}>{result ? 'Close' : 'Cancel'}</button>
        {!result && (
          <button className="hl-btn primary" disabled={busy || !file} data-testid="bundle-import" onClick={() => void doImport()}>
            <Icon name="upload" size={14} /> Import
          </button>
        )}
      </div>
    </Dialog>
  );
}
