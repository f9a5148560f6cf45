import { useEffect, useState } from 'react';
import { useApp, useView, useWorkspace } from '../app-context';
import { IconButton } from '../forms/IconButton';
import { Icon } from '../icons';
import { ConnectionForm } from './ConnectionForm';
import { AUTH_TYPE_OPTIONS } from './connection-form';

/** Connections ("authorisation config groups"): reusable auth + TLS + proxy, kept outside the flows. */
export function ConnectionsPage() {
  const { workspace, view } = useApp();
  const connections = useWorkspace((s) => s.connections);
  const wanted = useView((s) => s.editConnection);
  const [selected, setSelected] = useState<string | 'new' | null>(wanted);
  const [q, setQ] = useState('');

  useEffect(() => {
    void workspace.getState().refreshConnections();
    void workspace.getState().refreshSecrets();
  }, [workspace]);
  useEffect(() => {
    if (wanted) setSelected(wanted);
  }, [wanted]);

  const current = selected && selected !== 'new' ? connections.find((c) => c.id === selected) : undefined;
  const shown = connections.filter((c) => `${c.name} ${c.id}`.toLowerCase().includes(q.toLowerCase()));
  const label = (t: string) => AUTH_TYPE_OPTIONS.find((o) => o.value === t)?.label ?? t;

  const deleted = async (c: { name: string }) => {
    setSelected(null);
    await workspace.getState().refreshConnections();
    view.getState().showToast(`Deleted connection “${c.name}”`);
  };

  return (
    <div className="hl-page" data-testid="connections-page">
      <div className="hl-page-list">
        <header className="hl-section-head">
          <span>Connections</span>
          <IconButton label="New connection" testId="connection-new" onClick={() => setSelected('new')}>
            <Icon name="plus" />
          </IconButton>
        </header>
        <label className="hl-search">
          <Icon name="search" size={14} />
          <input placeholder="Search connections" value={q} onChange={(e) => setQ(e.target.value)} data-testid="connection-search" />
        </label>
        <ul className="hl-flow-list" data-testid="connection-list">
          {shown.map((c) => (
            <li key={c.id} className={c.id === selected ? 'active' : ''} data-testid={`connection-item-${c.id}`} onClick={() => setSelected(c.id)}>
              <Icon name="key" size={14} />
              <span className="hl-flow-name">
                {c.name}
                <span className="hl-help"> · {label(c.auth.type)}</span>
              </span>
              {c.missingSecrets.length > 0 && (
                <span className="hl-count warn" title={`Missing secrets: ${c.missingSecrets.join(', ')}`} data-testid={`connection-missing-${c.id}`}>
                  {c.missingSecrets.length} missing
                </span>
              )}
            </li>
          ))}
          {shown.length === 0 && <li className="hl-muted">{connections.length ? 'No connection matches.' : 'No connections yet. Create one to share auth, certificates and a base URL between nodes.'}</li>}
        </ul>
      </div>
      <div className="hl-page-body">
        {selected === 'new' ? (
          <ConnectionForm
            key="new"
            onSaved={(id) => {
              setSelected(id);
              view.getState().setPage('connections', id);
            }}
          />
        ) : current ? (
          <ConnectionForm key={current.id} initial={current} onSaved={() => {}} onDeleted={() => void deleted(current)} />
        ) : (
          <div className="hl-page-empty">
            <div className="hl-empty-title">Choose a connection or create one</div>
            <button className="hl-btn primary" data-testid="connection-new-empty" onClick={() => setSelected('new')}>
              <Icon name="plus" size={14} /> New connection
            </button>
          </div>
        )}
      </div>
    </div>
  );
}
