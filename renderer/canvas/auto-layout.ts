import dagre from '@dagrejs/dagre';
import type { Flow } from '../../core/model/flow';

/** Left-to-right layered layout (dagre); returns top-left positions per node id, snapped to the grid. */
export function autoLayout(flow: Pick<Flow, 'nodes' | 'edges'>, size: (id: string) => { width: number; height: number }, grid = 16): Record<string, { x: number; y: number }> {
  const g = new dagre.graphlib.Graph();
  g.setGraph({ rankdir: 'LR', nodesep: 40, ranksep: 90, marginx: 20, marginy: 20 });
  g.setDefaultEdgeLabel(() => ({}));
  for (const n of flow.nodes) g.setNode(n.id, size(n.id));
  for (const e of flow.edges) g.setEdge(e.source, e.target);
  dagre.layout(g);
  const snap = (v: number) => Math.round(v / grid) * grid;
  const out: Record<string, { x: number; y: number }> = {};
  for (const n of flow.nodes) {
    const p = g.node(n.id);
    const { width, height } = size(n.id);
    out[n.id] = { x: snap(p.x - width / 2), y: snap(p.y - height / 2) };
  }
  return out;
}
