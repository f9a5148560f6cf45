import { z } from 'zod';
import { flowEdgeSchema, flowNodeSchema, type FlowEdge, type FlowNode } from '../../core/model/flow';
import { zodProblems } from '../../core/model/zod-problems';
import { findSpec } from '../../core/nodes/catalogue';

/** Nodes (and the edges between them) as copied: what Ctrl/⌘ C writes to the clipboard, or a whole flow document. */
export type Pasted = { ok: true; nodes: FlowNode[]; edges: FlowEdge[] } | { ok: false; reason: string };

/** More than this is not a paste someone meant (a flow is checked again when it is saved). */
const MAX_NODES = 1000;

const shape = z.object({ nodes: z.array(z.unknown()), edges: z.array(z.unknown()).optional() });

/**
 * Clipboard text as nodes to paste (n8n pastes workflow JSON copied elsewhere: another studio, a file, a chat).
 * `null` when the text is not meant as nodes (plain text, other JSON): nothing happens then. Nodes that are
 * meant but broken are refused with a reason that names the node and the field. Edges to nodes outside the
 * text are dropped; edge ids may be missing (they are made new when pasted anyway).
 *
 * @example
 * parseClipboardNodes('{"nodes":[{"id":"log-1","type":"log","position":{"x":0,"y":0}}]}') // { ok: true, nodes: [...], edges: [] }
 */
export function parseClipboardNodes(text: string): Pasted | null {
  const t = text.trim();
  if (!t.startsWith('{')) return null;
  let raw: unknown;
  try {
    raw = JSON.parse(t);
  } catch {
    return null;
  }
  const s = shape.safeParse(raw);
  if (!s.success || s.data.nodes.length === 0) return null;
  if (s.data.nodes.length > MAX_NODES) return { ok: false, reason: `${s.data.nodes.length} nodes: at most ${MAX_NODES} can be pasted at once` };
  const nodes: FlowNode[] = [];
  for (const [i, n] of s.data.nodes.entries()) {
    const r = flowNodeSchema.safeParse(n);
    if (!r.success) return refused(r.error, `nodes[${i}]`);
    if (!findSpec(r.data.type)) return { ok: false, reason: `nodes[${i}] (${r.data.id}): unknown node type "${r.data.type}"` };
    nodes.push(r.data);
  }
  const ids = new Set(nodes.map((n) => n.id));
  const edges: FlowEdge[] = [];
  for (const [i, e] of (s.data.edges ?? []).entries()) {
    const r = flowEdgeSchema.safeParse(e && typeof e === 'object' && !('id' in e) ? { ...e, id: `e${i}` } : e);
    if (!r.success) return refused(r.error, `edges[${i}]`);
    if (ids.has(r.data.source) && ids.has(r.data.target)) edges.push(r.data);
  }
  return { ok: true, nodes, edges };
}

/** The first problem of a node or edge, with its path: `nodes[0].id: must start with …`. */
function refused(error: z.ZodError, at: string): Pasted {
  const p = zodProblems(error, at)[0];
  return { ok: false, reason: `${p.path}: ${p.message}` };
}

/**
 * How far to move pasted nodes: next to where they were copied from (48 px down and right) while that spot is in
 * view, as a copy within the studio is; else to the view's top left, as nodes from elsewhere carry positions of a
 * canvas the user is not looking at.
 */
export function pasteOffset(nodes: ReadonlyArray<Pick<FlowNode, 'position'>>, view: { x: number; y: number; width: number; height: number }): { x: number; y: number } {
  const inView = nodes.some((n) => n.position.x >= view.x && n.position.x <= view.x + view.width && n.position.y >= view.y && n.position.y <= view.y + view.height);
  if (inView || !nodes.length) return { x: 48, y: 48 };
  const minX = Math.min(...nodes.map((n) => n.position.x));
  const minY = Math.min(...nodes.map((n) => n.position.y));
  return { x: Math.round(view.x + 96 - minX), y: Math.round(view.y + 96 - minY) };
}
