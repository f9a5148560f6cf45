import { formatProblem } from '../../core/model/problems';
import { useApp, useFlow, useWorkspace } from '../app-context';
import { Icon } from '../icons';

/** Every validation problem of the open flow; clicking one selects its node and focuses the field. */
export function ProblemsPanel() {
  const { view } = useApp();
  const flow = useFlow();
  const problems = useWorkspace((s) => s.problems);
  const open = (nodeId: string | undefined, path: string) => {
    const m = /\.settings\.(.+)$/.exec(path);
    // Field keys are dotted (`auth.keys`); drop array indexes to find the field that owns the path.
    const key = m ? m[1].replace(/\[\d+\].*$/, '').replace(/\[.*$/, '') : '';
    view.getState().focusProblem(nodeId ?? '', key);
  };
  return (
    <div className="hl-problems" data-testid="problems-panel">
      <header>
        <span>Problems ({problems.length})</span>
        <button className="hl-icon-btn sm" title="Close" onClick={() => view.getState().toggle('problemsOpen', false)}><Icon name="x" size={13} /></button>
      </header>
      {problems.length === 0 && <div className="hl-muted pad">No problems. The flow is ready to deploy.</div>}
      <ul>
        {problems.map((p, i) => {
          const node = flow.nodes.find((n) => n.id === p.nodeId);
          return (
            <li key={i} className={p.severity ?? 'error'} data-testid={`problem-${i}`} onClick={() => open(p.nodeId, p.path)}>
              <Icon name="warn" size={13} />
              <div>
                <div>{formatProblem(p)}</div>
                {node && <div className="hl-help">{node.name ?? node.id}</div>}
              </div>
            </li>
          );
        })}
      </ul>
    </div>
  );
}
