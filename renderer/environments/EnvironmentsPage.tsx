import { useEffect, useState } from 'react';
import { useApp, useWorkspace } from '../app-context';
import { IconButton } from '../forms/IconButton';
import { Icon } from '../icons';
import { EnvironmentEditor } from './EnvironmentEditor';
import { copyDraftOf, type EnvDraft } from './environment-rows';

/** Environments (Postman's): named sets of variables; flows read the active one's as `$env.NAME`. */
export function EnvironmentsPage() {
  const { workspace } = useApp();
  const state = useWorkspace((s) => s.environments);
  const environments = state?.environments ?? [];
  // `creating`: the editor shows a new environment; otherwise the one named `selected`.
  const [selected, setSelected] = useState<string | null>(() => state?.active ?? null);
  const [creating, setCreating] = useState(false);
  // A duplicate being created: the new environment's starting draft.
  const [copy, setCopy] = useState<EnvDraft | undefined>(undefined);
  const [q, setQ] = useState('');

  useEffect(() => {
    void workspace.getState().refreshEnvironments();
  }, [workspace]);

  const current = creating ? undefined : environments.find((e) => e.name === selected);
  const shown = environments.filter((e) => e.name.toLowerCase().includes(q.toLowerCase()));
  const open = (name: string | null) => {
    setCreating(false);
    setCopy(undefined);
    setSelected(name);
  };
  const create = (from?: EnvDraft) => {
    setCreating(true);
    setSelected(null);
    setCopy(from);
  };

  return (
    <div className="hl-page" data-testid="environments-page">
      <div className="hl-page-list">
        <header className="hl-section-head">
          <span>Environments</span>
          <IconButton label="New environment" testId="env-new" onClick={() => create()}>
            <Icon name="plus" />
          </IconButton>
        </header>
        <label className="hl-search">
          <Icon name="search" size={14} />
          <input placeholder="Search environments" value={q} onChange={(e) => setQ(e.target.value)} data-testid="env-search" />
        </label>
        <ul className="hl-flow-list" data-testid="env-list">
          {shown.map((e) => (
            <li key={e.name} className={!creating && e.name === selected ? 'active' : ''} data-testid={`env-item-${e.name}`} onClick={() => open(e.name)}>
              <Icon name="layers" size={14} />
              <span className="hl-flow-name">
                {e.name}
                <span className="hl-help"> · {e.variables.length} variable{e.variables.length === 1 ? '' : 's'}</span>
              </span>
              {state?.active === e.name && <span className="hl-pill ok" data-testid={`env-active-${e.name}`} title="Flows read this environment as $env">active</span>}
              {e.missing.length > 0 && (
                <span className="hl-count warn" title={`No value for: ${e.missing.join(', ')}`} data-testid={`env-missing-${e.name}`}>
                  {e.missing.length} missing
                </span>
              )}
            </li>
          ))}
          {shown.length === 0 && <li className="hl-muted">{!state ? 'Loading…' : environments.length ? 'No environment matches.' : 'No environments yet. Create one per target system (dev, test, prod).'}</li>}
        </ul>
      </div>
      <div className="hl-page-body">
        {creating || current ? (
          <EnvironmentEditor
            key={current?.name ?? `\0new${copy?.name ?? ''}`}
            saved={current}
            copy={copy}
            active={!!current && state?.active === current.name}
            onSaved={open}
            onDeleted={() => open(null)}
            onDuplicate={(e) => create(copyDraftOf(e, environments.map((x) => x.name)))}
          />
        ) : (
          <div className="hl-page-empty">
            <div className="hl-empty-title">Choose an environment or create one</div>
            <p className="hl-help">Flows read the active environment's variables as $env.NAME. Secret values are stored write-only, for each environment apart.</p>
            <button className="hl-btn primary" data-testid="env-new-empty" onClick={() => create()}>
              <Icon name="plus" size={14} /> New environment
            </button>
          </div>
        )}
      </div>
    </div>
  );
}
