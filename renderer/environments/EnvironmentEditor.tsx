import { useState } from 'react';
import type { EnvironmentChange, EnvironmentInfo } from '../../core/host/api';
import { useApp } from '../app-context';
import { errText } from '../connections/shared';
import { useFieldIds } from '../forms/FormField';
import { Icon } from '../icons';
import { useActivateEnvironment } from './EnvironmentSelect';
import { changeText, draftErrors, draftOf, emptyVar, hasErrors, isEdited, saveInput, toggleSecret, withoutError, type DraftErrors, type EnvDraft, type VarField, type VarRow } from './environment-rows';
import { VariablesTable } from './VariablesTable';

/**
 * One environment: its name and variables as a draft. Save sends it (a new name renames it) with the values typed
 * for secret variables; the host's field errors show under their fields, the rest above the form.
 */
export function EnvironmentEditor({ saved, copy, active, onSaved, onDeleted, onDuplicate }: { saved?: EnvironmentInfo; /** A new environment's draft to start from (Duplicate). */ copy?: EnvDraft; active: boolean; onSaved(name: string): void; onDeleted(): void; onDuplicate(env: EnvironmentInfo): void }) {
  const { host, workspace, view } = useApp();
  const { activate, busy: switching } = useActivateEnvironment();
  const [draft, setDraft] = useState(() => (saved ? draftOf(saved) : (copy ?? draftOf())));
  const [errors, setErrors] = useState<DraftErrors | null>(null);
  const [failed, setFailed] = useState<EnvironmentChange['failed']>([]);
  const [busy, setBusy] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const isNew = !saved;
  const nameId = useFieldIds()('name');
  const edited = isEdited(draft, saved);

  const edit = (i: number, patch: Partial<VarRow>, field?: VarField) => {
    setDraft((d) => ({ ...d, rows: d.rows.map((r, j) => (j === i ? { ...r, ...patch } : r)) }));
    setErrors((e) => withoutError(e, { row: i, field }));
  };
  const secret = (i: number, on: boolean) => {
    setDraft((d) => ({ ...d, rows: d.rows.map((r, j) => (j === i ? toggleSecret(r, on) : r)) }));
    setErrors((e) => withoutError(e, { row: i, field: 'value' }));
  };
  const remove = (i: number) => {
    setDraft((d) => ({ ...d, rows: d.rows.filter((_, j) => j !== i) }));
    setErrors((e) => withoutError(e, { row: i, removed: true }));
  };

  /** Takes a change into the workspace, toasts it and keeps the flows it could not redeploy on the page. */
  const took = (change: EnvironmentChange, what: string) => {
    const c = workspace.getState().environmentChanged(change);
    setFailed(c.failed);
    view.getState().showToast(changeText(what, c));
    return c;
  };

  const save = async () => {
    const { env, secretValues, index } = saveInput(draft);
    const typedSecrets = Object.keys(secretValues).length > 0;
    setBusy(true);
    setErrors(null);
    try {
      const opts = { ...(saved ? { previousName: saved.name } : {}), ...(typedSecrets ? { secretValues } : {}) };
      const c = took(await host.saveEnvironment(env, opts), `Environment "${env.name}" saved`);
      if (typedSecrets) void workspace.getState().refreshSecrets();
      // The saved state: secret values typed are gone from the page, their status says "set".
      setDraft(draftOf(c.state.environments.find((e) => e.name === env.name)));
      onSaved(env.name);
    } catch (e: any) {
      setErrors(draftErrors(e?.problems, errText(e), index));
    } finally {
      setBusy(false);
    }
  };

  const del = async () => {
    if (!saved) return;
    setConfirming(false);
    setBusy(true);
    try {
      took(await host.deleteEnvironment(saved.name), `Deleted environment "${saved.name}"`);
      onDeleted();
    } catch (e) {
      setErrors({ name: [], rows: [], other: [`Cannot delete: ${errText(e)}`] });
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="hl-form" data-testid="env-form">
      <header className="hl-form-head">
        <h2>{isNew ? (copy ? 'Copy of an environment' : 'New environment') : saved.name}</h2>
        {active && <span className="hl-pill ok" data-testid="env-is-active" title="Flows read this environment's variables as $env.NAME">Active</span>}
        <div className="hl-grow" />
        {!isNew && !confirming && (
          <button className="hl-btn ghost" disabled={busy} data-testid="env-duplicate" title="A new environment with these variables (secret values are typed for it)" onClick={() => onDuplicate(saved)}>
            <Icon name="copy" size={14} /> Duplicate
          </button>
        )}
        {!isNew && !confirming && (
          <button className="hl-btn ghost" disabled={busy} data-testid="env-delete" onClick={() => setConfirming(true)}>
            <Icon name="trash" size={14} /> Delete
          </button>
        )}
        {!isNew && confirming && (
          // Deleting cannot be undone: asked once more. Its own secret values go with it.
          <span className="hl-confirm" role="alertdialog" data-testid="env-delete-confirm-box">
            Delete {active ? 'the active environment ' : ''}“{saved.name}”?
            <button className="hl-btn danger sm" data-testid="env-delete-confirm" autoFocus onClick={() => void del()}>Delete</button>
            <button className="hl-btn ghost sm" data-testid="env-delete-cancel" onClick={() => setConfirming(false)}>Cancel</button>
          </span>
        )}
        {!isNew &&
          (active ? (
            <button className="hl-btn" disabled={switching} data-testid="env-deactivate" title="Flows read only the process environment" onClick={() => void activate(null)}>Stop using</button>
          ) : (
            <button className="hl-btn" disabled={switching} data-testid="env-activate" title={edited ? 'Flows read the saved values: save your changes to use them' : 'Flows read these variables as $env.NAME'} onClick={() => void activate(saved.name)}>
              <Icon name="check" size={14} /> Use this environment
            </button>
          ))}
        <button className="hl-btn primary" disabled={busy || !edited} data-testid="env-save" title={edited ? undefined : 'Nothing changed'} onClick={() => void save()}>
          <Icon name="check" size={14} /> Save
        </button>
      </header>
      <p className="hl-help" data-testid="env-intro">Flows read the active environment's variables as $env.NAME. Secret values are stored write-only, for each environment apart.</p>
      {errors && errors.other.length > 0 && (
        <ul className="hl-form-errors" data-testid="env-error">
          {errors.other.map((m) => <li key={m}>{m}</li>)}
        </ul>
      )}
      {hasErrors(errors) && errors!.other.length === 0 && <div className="hl-form-errors" data-testid="env-error">Not saved: fix the fields marked below.</div>}
      {failed.length > 0 && (
        <div className="hl-warning" data-testid="env-failed">
          These deployed flows could not take the new values and keep running with the old ones:
          <ul>{failed.map((f) => <li key={f.flowId}><b>{f.flowId}</b>: {f.message}</li>)}</ul>
        </div>
      )}
      {saved && saved.missing.length > 0 && (
        <div className="hl-warning" data-testid="env-missing">
          No value for <span className="mono">{saved.missing.join(', ')}</span>: flows reading them get nothing while this environment is active.
        </div>
      )}
      <section className="hl-group">
        <h4>General</h4>
        <div className={`hl-field${errors?.name.length ? ' has-error' : ''}`}>
          <label className="hl-label" htmlFor={nameId}>Name</label>
          <input id={nameId} className="hl-input" placeholder="dev" value={draft.name} data-testid="env-name" onChange={(e) => (setDraft((d) => ({ ...d, name: e.target.value })), setErrors((x) => withoutError(x, 'name')))} />
          {errors?.name.map((m) => <div className="hl-field-error" key={m} data-testid="env-name-error">{m}</div>)}
          {!isNew && draft.name.trim() !== saved.name && <div className="hl-help">Save renames “{saved.name}”.</div>}
        </div>
      </section>
      <section className="hl-group">
        <h4>Variables</h4>
        <VariablesTable rows={draft.rows} errors={errors} missing={saved?.missing ?? []} onEdit={edit} onSecret={secret} onRemove={remove} onAdd={() => setDraft((d) => ({ ...d, rows: [...d.rows, emptyVar()] }))} />
      </section>
    </div>
  );
}
