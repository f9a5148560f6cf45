import { useMemo, useState } from 'react';
import { allPaths } from './context-paths';

/** The sample / last input as a tree of fields; clicking one inserts its path at the editor's cursor. */
export function DataTree({ context, onPick, testId }: { context: unknown; onPick(path: string): void; testId?: string }) {
  const [q, setQ] = useState('');
  const entries = useMemo(() => allPaths(context), [context]);
  const shown = q ? entries.filter((e) => e.path.toLowerCase().includes(q.toLowerCase())) : entries;
  return (
    <div className="hl-tree" data-testid={testId}>
      <input className="hl-input" placeholder="Search fields" value={q} onChange={(e) => setQ(e.target.value)} />
      {context === undefined && <div className="hl-hint">No sample yet: pin one on the trigger or run the flow once.</div>}
      <ul>
        {shown.map((e) => (
          <li key={e.path} style={{ paddingLeft: q ? 4 : e.depth * 12 + 4 }} title={`Insert ${e.path}`} onClick={() => onPick(e.path)}>
            <span className="hl-tree-key">{e.key}</span>
            {e.type === 'object' || e.type.startsWith('array') ? <span className="hl-muted"> {e.type}</span> : <span className="hl-tree-val">{e.preview}</span>}
          </li>
        ))}
      </ul>
    </div>
  );
}
