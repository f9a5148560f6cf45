import dagre from '@dagrejs/dagre';
import type { Flow } from '../../core/model/flow';
import { LAYOUT_COLUMN_GAP } from './edge-label';

/**
 * Left-to-right layered layout (dagre); returns top-left positions per node id, snapped to the grid. The columns
 * are far enough apart for an edge's item count to sit between two cards in full (edge-label.ts), also after
 * snapping moved each card by up to half a grid step.
 */
export function autoLayout(flow: Pick<Flow, 'nodes' | 'edges'>, size: (id: string) => { width: number; height: number }, grid = 16): Record<string, { x: number; y: number }> {
  const g = new dagre.graphlib.Graph();
  g.setGraph({ rankdir: 'LR', nodesep: 40, ranksep: LAYOUT_COLUMN_GAP + grid, marginx: 20, marginy: 20 });
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
