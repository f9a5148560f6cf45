import type { Flow, FlowNode } from '../../core/model/flow';
import { findSpec } from '../../core/nodes/catalogue';

export interface Connection {
  source: string;
  sourcePort: string;
  target: string;
  targetPort: string;
}

export type ConnectCheck = { ok: true } | { ok: false; reason: string };

export function isTrigger(node: FlowNode | undefined): boolean {
  return !!node && findSpec(node.type)?.category === 'trigger';
}

/** Whether `to` can already reach `from` following edges (so from -> to would close a cycle). */
export function reaches(flow: Pick<Flow, 'edges'>, from: string, to: string): boolean {
  const out = new Map<string, string[]>();
  for (const e of flow.edges) out.set(e.source, [...(out.get(e.source) ?? []), e.target]);
  const seen = new Set<string>();
  const stack = [from];
  while (stack.length) {
    const cur = stack.pop()!;
    if (cur === to) return true;
    if (seen.has(cur)) continue;
    seen.add(cur);
    stack.push(...(out.get(cur) ?? []));
  }
  return false;
}

/**
 * Connection rules shared by the canvas (while dragging a wire) and the document store (which refuses
 * a bad edge from any caller): nothing flows into a trigger, no self loops, no duplicates, and no cycles
 * unless the flow opts in with `settings.allowCycles`.
 */
export function checkConnection(flow: Flow, c: Connection, ignoreEdgeId?: string): ConnectCheck {
  const source = flow.nodes.find((n) => n.id === c.source);
  const target = flow.nodes.find((n) => n.id === c.target);
  if (!source || !target) return { ok: false, reason: 'both ends must be nodes of this flow' };
  if (c.source === c.target) return { ok: false, reason: 'a node cannot connect to itself' };
  if (isTrigger(target)) return { ok: false, reason: `${target.name ?? target.id} is a trigger: nothing can flow into it` };
  const inputs = findSpec(target.type)?.inputs;
  if (inputs && !inputs.some((p) => p.id === c.targetPort)) return { ok: false, reason: `${target.name ?? target.id} takes no input${inputs.length ? ` "${c.targetPort}"` : ''}` };
  const edges = flow.edges.filter((e) => e.id !== ignoreEdgeId);
  if (edges.some((e) => e.source === c.source && e.sourcePort === c.sourcePort && e.target === c.target && e.targetPort === c.targetPort))
    return { ok: false, reason: 'these ports are already connected' };
  if (!flow.settings.allowCycles && reaches({ edges }, c.target, c.source))
    return { ok: false, reason: 'this connection would create a cycle (allow cycles in the flow settings to permit loops)' };
  return { ok: true };
}
