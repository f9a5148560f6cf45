import type { DocumentStore } from '../state/document-store';
import type { ViewStore } from '../state/view-store';
import { clickAddPosition } from '../state/placement';
import { nodeView } from './node-view';

/**
 * Adds a node as a palette click (or its keyboard twins: Enter in the node search, Shift+S) does, and selects it.
 * With one node selected it goes after that node, linked from its first output (n8n); else right of the right-most
 * node, or at the view's top left on an empty canvas. Nothing lands on top of another node.
 */
export function clickAdd(doc: DocumentStore, view: ViewStore, type: string): string {
  const { viewport: vp, selection } = view.getState();
  const f = doc.get();
  const after = selection.nodes.length === 1 ? f.nodes.find((n) => n.id === selection.nodes[0]) : undefined;
  const port = after && nodeView(after).outputs[0];
  const pos = clickAddPosition(f.nodes, port ? after : undefined, { x: (-vp.x + 120) / vp.zoom, y: (-vp.y + 160) / vp.zoom });
  const id = doc.addNode(type, pos, port ? { after: { source: after!.id, sourcePort: port.id } } : undefined);
  view.getState().select({ nodes: [id], edges: [] });
  return id;
}
