import { useMemo, useState, type KeyboardEvent as ReactKeyboardEvent, type ReactNode } from 'react';
import { nodeSpecs } from '../../core/nodes/catalogue';
import type { NodeCategory } from '../../core/nodes/spec-types';
import { useApp, useCurrentDoc, useView, useWorkspace } from '../app-context';
import { NODE_MIME } from '../canvas/Canvas';
import { CATEGORY_LABEL } from '../canvas/node-view';
import { clickAdd } from '../canvas/click-add';
import { Icon } from '../icons';
import { IconButton } from '../forms/IconButton';
import { flowNameError } from './flow-name';

export function Sidebar() {
  return (
    <aside className="hl-sidebar" data-testid="sidebar">
      <PageNav />
      <FlowList />
      <PaletteOnCanvas />
    </aside>
  );
}

/** Settings pages next to the flows: connections, environments and event subscriptions live outside any one flow. */
function PageNav() {
  const { view } = useApp();
  const page = useView((s) => s.page);
  const missing = useWorkspace((s) => s.connections.filter((c) => c.missingSecrets.length > 0).length);
  // The active environment's variables without a value: flows reading them get nothing.
  const envMissing = useWorkspace((s) => s.environments?.environments.find((e) => e.name === s.environments?.active)?.missing.length ?? 0);
  const item = (p: 'connections' | 'environments' | 'subscriptions', icon: string, label: string, extra?: ReactNode) => (
    <button className={`hl-nav-item${page === p ? ' active' : ''}`} data-testid={`nav-${p}`} onClick={() => view.getState().setPage(page === p ? 'canvas' : p)}>
      <Icon name={icon} size={14} />
      <span className="hl-grow">{label}</span>
      {extra}
    </button>
  );
  return (
    <nav className="hl-nav" data-testid="page-nav">
      {item('connections', 'key', 'Connections', missing > 0 ? <span className="hl-count warn" title="Connections with missing secrets">{missing}</span> : null)}
      {item('environments', 'layers', 'Environments', envMissing > 0 ? <span className="hl-count warn" title="Variables of the active environment without a value">{envMissing}</span> : null)}
      {item('subscriptions', 'broadcast', 'Event subscriptions')}
    </nav>
  );
}

/** The palette only makes sense next to a canvas; settings pages give the room to the flow list. */
function PaletteOnCanvas() {
  const page = useView((s) => s.page);
  return page === 'canvas' ? <Palette /> : null;
}

function FlowList() {
  const { workspace, view, live } = useApp();
  const flows = useWorkspace((s) => s.flows);
  const currentId = useWorkspace((s) => s.current?.id);
  const [q, setQ] = useState('');
  const [editing, setEditing] = useState<string | null>(null);
  const [renameError, setRenameError] = useState<string | null>(null);
  const shown = flows.filter((f) => f.name.toLowerCase().includes(q.toLowerCase()));
  const ws = workspace.getState;
  // A flow opened from here (new, duplicated, clicked) is shown on the canvas, also from a settings page.
  const onCanvas = () => view.getState().setPage('canvas');

  const remove = async (id: string, name: string) => {
    // A live flow's endpoints stop answering with it: the toast says which, and Undo deploys it again.
    const endpoints = live.getState().deployments[id]?.endpoints ?? [];
    const offline = endpoints.map((e) => `${e.methods.join('/')} ${e.path}`).join(', ');
    const restore = await ws().deleteFlow(id);
    view.getState().showToast(offline ? `Deleted "${name}": ${offline} no longer answers` : `Deleted "${name}"`, { label: 'Undo', run: () => void restore() });
  };

  return (
    <section className="hl-section flows">
      <header className="hl-section-head">
        <span>Flows</span>
        <IconButton label="New flow" testId="flow-new" onClick={() => (onCanvas(), void ws().createFlow())}>
          <Icon name="plus" />
        </IconButton>
      </header>
      <label className="hl-search">
        <Icon name="search" size={14} />
        <input placeholder="Search flows" value={q} onChange={(e) => setQ(e.target.value)} data-testid="flow-search" />
      </label>
      <ul className="hl-flow-list" data-testid="flow-list">
        {shown.map((f) => (
          <li key={f.id} className={f.id === currentId ? 'active' : ''} data-testid={`flow-item-${f.id}`} onClick={() => (onCanvas(), void ws().openFlow(f.id))} onDoubleClick={() => setEditing(f.id)}>
            {editing === f.id ? (
              <div className="hl-rename">
                <input
                  autoFocus
                  className="hl-inline-input"
                  defaultValue={f.name}
                  data-testid="flow-rename-input"
                  onClick={(e) => e.stopPropagation()}
                  aria-invalid={renameError ? true : undefined}
                  onChange={(e) => setRenameError(flowNameError(e.target.value))}
                  onBlur={(e) => {
                    setEditing(null);
                    setRenameError(null);
                    const err = flowNameError(e.target.value);
                    if (err) view.getState().showToast(`${err} – kept “${f.name}”`);
                    else if (e.target.value.trim() !== f.name) void ws().renameFlow(f.id, e.target.value.trim());
                  }}
                  onKeyDown={(e) => {
                    // Enter on an unusable name keeps the box open with the reason below it.
                    if (e.key === 'Enter' && !flowNameError((e.target as HTMLInputElement).value)) (e.target as HTMLInputElement).blur();
                    if (e.key === 'Escape') {
                      setEditing(null);
                      setRenameError(null);
                    }
                  }}
                />
                {renameError && <div className="hl-field-error" data-testid="flow-rename-error">{renameError}</div>}
              </div>
            ) : (
              <>
                <span className={`hl-dot ${f.deployed ? 'on' : ''}`} title={f.deployed ? 'Deployed' : 'Not deployed'} />
                <span className="hl-flow-name">{f.name}</span>
                {f.problems > 0 && <span className="hl-count warn">{f.problems}</span>}
                <span className="hl-row-actions">
                  <IconButton className="hl-icon-btn sm" label={`Rename ${f.name}`} onClick={(e) => (e.stopPropagation(), setEditing(f.id))}>✎</IconButton>
                  <IconButton className="hl-icon-btn sm" label={`Duplicate ${f.name}`} testId={`flow-duplicate-${f.id}`} onClick={(e) => (e.stopPropagation(), onCanvas(), void ws().duplicateFlow(f.id))}>
                    <Icon name="copy" size={13} />
                  </IconButton>
                  <IconButton className="hl-icon-btn sm" label={`Delete ${f.name}`} testId={`flow-delete-${f.id}`} onClick={(e) => (e.stopPropagation(), void remove(f.id, f.name))}>
                    <Icon name="trash" size={13} />
                  </IconButton>
                </span>
              </>
            )}
          </li>
        ))}
        {shown.length === 0 && <li className="hl-muted">No flows match.</li>}
      </ul>
    </section>
  );
}

const ORDER: NodeCategory[] = ['trigger', 'processing', 'outbound', 'utility'];

function Palette() {
  const { view } = useApp();
  const doc = useCurrentDoc();
  const [q, setQ] = useState('');
  const groups = useMemo(() => {
    const t = q.toLowerCase();
    return ORDER.map((cat) => ({
      cat,
      specs: nodeSpecs.filter((s) => s.category === cat && (s.title.toLowerCase().includes(t) || s.description.toLowerCase().includes(t) || s.type.includes(t))),
    })).filter((g) => g.specs.length);
  }, [q]);

  const add = (type: string) => {
    if (doc) clickAdd(doc, view, type);
  };
  // Keyboard (n8n's node panel): Enter adds the first match, Escape clears the search and goes back to the canvas.
  const onSearchKey = (e: ReactKeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'Enter' && groups[0]) {
      e.preventDefault();
      add(groups[0].specs[0].type);
      setQ('');
      e.currentTarget.blur();
    } else if (e.key === 'Escape') {
      setQ('');
      e.currentTarget.blur();
    }
  };

  return (
    <section className="hl-section palette" data-testid="palette">
      <header className="hl-section-head"><span>Nodes</span></header>
      <label className="hl-search">
        <Icon name="search" size={14} />
        <input placeholder="Search nodes (Tab)" value={q} onChange={(e) => setQ(e.target.value)} onKeyDown={onSearchKey} data-testid="palette-search" />
      </label>
      <div className="hl-palette-groups">
        {groups.map((g) => (
          <div key={g.cat} className="hl-palette-group">
            <div className="hl-group-title">{CATEGORY_LABEL[g.cat]}</div>
            {g.specs.map((s) => (
              <div
                key={s.type}
                className={`hl-palette-item cat-${s.category}`}
                role="button"
                tabIndex={0}
                draggable
                data-testid={`palette-${s.type}`}
                title={s.description}
                onDragStart={(e) => {
                  e.dataTransfer.setData(NODE_MIME, s.type);
                  e.dataTransfer.effectAllowed = 'copy';
                }}
                onClick={() => add(s.type)}
                onKeyDown={(e) => {
                  if (e.key !== 'Enter' && e.key !== ' ') return;
                  e.preventDefault();
                  add(s.type);
                }}
              >
                <span className="hl-node-icon sm"><Icon name={s.icon} size={14} /></span>
                <span className="hl-palette-title">{s.title}</span>
              </div>
            ))}
          </div>
        ))}
        {groups.length === 0 && <div className="hl-muted">No node matches "{q}".</div>}
      </div>
    </section>
  );
}
