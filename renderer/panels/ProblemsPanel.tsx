import { problemText } from '../../core/model/field-labels';
import { findSpec } from '../../core/nodes/catalogue';
import { useApp, useFlow, useWorkspace } from '../app-context';
import { Icon } from '../icons';
import { usePendingDrafts } from '../inspector/field-drafts';

/** Every validation problem of the open flow; clicking one selects its node and focuses the field. */
export function ProblemsPanel() {
  const { view } = useApp();
  const flow = useFlow();
  const problems = useWorkspace((s) => s.problems);
  const drafts = usePendingDrafts(flow);
  const open = (nodeId: string | undefined, path: string) => {
    const m = /\.settings\.(.+)$/.exec(path);
    // Field keys are dotted (`auth.keys`); drop array indexes to find the field that owns the path.
    const key = m ? m[1].replace(/\[\d+\].*$/, '').replace(/\[.*$/, '') : '';
    view.getState().focusProblem(nodeId ?? '', key);
  };
  return (
    <div className="hl-problems" data-testid="problems-panel">
      <header>
        <span>Problems ({problems.length + drafts.length})</span>
        <button className="hl-icon-btn sm" title="Close" onClick={() => view.getState().toggle('problemsOpen', false)}><Icon name="x" size={13} /></button>
      </header>
      {problems.length + drafts.length === 0 && <div className="hl-muted pad">No problems. The flow is ready to deploy.</div>}
      <ul>
        {drafts.map((d) => {
          const node = flow.nodes.find((n) => n.id === d.nodeId);
          const nodeName = node?.name || (node && findSpec(node.type)?.title) || d.nodeId;
          return (
            <li key={`draft-${d.nodeId}-${d.key}`} className="error" data-testid={`draft-problem-${d.nodeId}-${d.key}`} title={`${d.nodeId} · settings.${d.key}`} onClick={() => view.getState().focusProblem(d.nodeId, d.key)}>
              <Icon name="warn" size={13} />
              <div>
                <div>{nodeName} › {d.label}: {d.error}</div>
                <div className="hl-help">Not saved: the flow keeps the previous value until the text is valid.</div>
              </div>
            </li>
          );
        })}
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
