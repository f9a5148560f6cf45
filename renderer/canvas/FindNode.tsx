import { useMemo, useState, type KeyboardEvent } from 'react';
import { useApp, useFlow } from '../app-context';
import { findNodes } from './find-nodes';

/**
 * Find a node (Ctrl/⌘ F, as in Node-RED): a box over the canvas listing the nodes whose name, type, notes or
 * settings match; Enter or a click selects one and brings it into view, Escape closes.
 */
export function FindNode() {
  const { view } = useApp();
  const flow = useFlow();
  const [q, setQ] = useState('');
  const [active, setActive] = useState(0);
  const found = useMemo(() => findNodes(flow.nodes, q), [flow.nodes, q]);
  const close = () => view.getState().toggle('findOpen', false);
  const pick = (id: string) => {
    view.getState().select({ nodes: [id], edges: [] });
    close();
  };
  const onKey = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'Escape') {
      e.preventDefault();
      close();
    } else if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      if (found.length) setActive((a) => (a + (e.key === 'ArrowDown' ? 1 : found.length - 1)) % found.length);
    } else if (e.key === 'Enter' && found[active]) {
      e.preventDefault();
      pick(found[active].id);
    }
  };
  return (
    <div className="hl-find" data-testid="find-node" role="dialog" aria-label="Find a node">
      <input
        autoFocus
        className="hl-input"
        placeholder="Find a node by name, type, URL, notes…"
        value={q}
        data-testid="find-node-input"
        onChange={(e) => {
          setQ(e.target.value);
          setActive(0);
        }}
        onKeyDown={onKey}
        onBlur={(e) => {
          // A click on a result blurs the input first; let the click land.
          if (!e.relatedTarget?.closest('.hl-find')) setTimeout(close, 150);
        }}
      />
      {q.trim() && (
        <ul role="listbox" data-testid="find-node-results">
          {found.map((f, i) => (
            <li key={f.id} role="option" aria-selected={i === active} tabIndex={-1} className={i === active ? 'active' : ''} data-testid={`find-result-${f.id}`} onMouseDown={(e) => e.preventDefault()} onClick={() => pick(f.id)}>
              <b>{f.title}</b>
              <span className="hl-muted">{f.detail}</span>
            </li>
          ))}
          {found.length === 0 && <li className="hl-muted">No node matches.</li>}
        </ul>
      )}
    </div>
  );
}
