import type { Flow } from '../../core/model/flow';
import type { ViewStore } from './view-store';
import type { Workspace } from './workspace';

/**
 * Keeps the view's selection about the open flow: cleared when another flow opens (with the execution the panel
 * was told to open and a pending field focus), and pruned of nodes and edges the document no longer has (an
 * undone add, a delete, a reload). Without this the inspector kept counting a node of the previous flow and
 * showed "2 nodes selected" for every click. Returns the unsubscribe function.
 */
export function keepSelectionInSync(workspace: Workspace, view: ViewStore): () => void {
  let openId: string | undefined;
  let unsubDoc: (() => void) | undefined;
  const prune = (flow: Flow) => {
    const { selection, focusField } = view.getState();
    const nodes = selection.nodes.filter((id) => flow.nodes.some((n) => n.id === id));
    const edges = selection.edges.filter((id) => flow.edges.some((e) => e.id === id));
    if (nodes.length !== selection.nodes.length || edges.length !== selection.edges.length) view.getState().select({ nodes, edges });
    if (focusField && focusField.nodeId && !flow.nodes.some((n) => n.id === focusField.nodeId)) view.getState().clearFocus();
  };
  const follow = () => {
    const current = workspace.getState().current;
    if (current?.id === openId) return;
    openId = current?.id;
    unsubDoc?.();
    unsubDoc = undefined;
    view.getState().select({ nodes: [], edges: [] });
    view.getState().clearFocus();
    view.getState().showExecution(null);
    if (!current) return;
    let last = current.doc.store.getState().flow;
    unsubDoc = current.doc.store.subscribe((s) => {
      if (s.flow === last) return;
      last = s.flow;
      prune(s.flow);
    });
  };
  follow();
  const unsub = workspace.subscribe(follow);
  return () => {
    unsub();
    unsubDoc?.();
  };
}
