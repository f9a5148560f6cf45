import { problemText } from '../../core/model/field-labels';
import { findSpec } from '../../core/nodes/catalogue';
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
          return (
            <li key={i} className={p.severity ?? 'error'} data-testid={`problem-${i}`} title={p.path || undefined} onClick={() => open(p.nodeId, p.path)}>
              <Icon name="warn" size={13} />
              <div>
                <div>{problemText(p, flow.nodes, findSpec)}</div>
              </div>
            </li>
          );
        })}
      </ul>
    </div>
  );
}
