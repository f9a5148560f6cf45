import { findSpec } from './catalogue';
import { scheduleTick } from './schedule/tick';

interface NodeLike {
  id: string;
  type: string;
  settings?: unknown;
}

/**
 * The trigger a manual run or a preview starts at: the one named, else the first Manual trigger, else the first
 * Webhook (a pinned sample is a request body), else the first trigger. The error path (On error) never is a start.
 */
export function startTrigger<N extends NodeLike>(nodes: Iterable<N>, triggerNodeId?: string): N | undefined {
  const all = [...nodes];
  if (triggerNodeId) return all.find((n) => n.id === triggerNodeId);
  const triggers = all.filter((n) => findSpec(n.type)?.category === 'trigger' && n.type !== 'error-trigger');
  return triggers.find((n) => n.type === 'manual') ?? triggers.find((n) => n.type === 'webhook') ?? triggers[0];
}

/**
 * What a run started without an input begins with, at the trigger it starts at (see startTrigger): for a Schedule,
 * a tick made `now` (`{ scheduledAt, firedAt }`, as a real tick brings); else the trigger's own `sample` setting
 * (a Manual trigger's), else the flow's pinned sample; undefined when nothing is pinned.
 */
export function pinnedRunInput(flow: unknown, triggerNodeId?: string, now = Date.now()): unknown {
  const node = runStart(flow, triggerNodeId);
  if (node?.type === 'schedule') return scheduleTick(node.id, now);
  return (node?.settings as { sample?: unknown } | undefined)?.sample ?? (flow as { sample?: unknown } | null)?.sample;
}

/** The trigger a run of `flow` (a document, possibly malformed) starts at: startTrigger among its enabled nodes. */
export function runStart(flow: unknown, triggerNodeId?: string): NodeLike | undefined {
  const f = flow as { nodes?: unknown } | null;
  const nodes = (Array.isArray(f?.nodes) ? f.nodes : []).filter((n): n is NodeLike & { disabled?: boolean } => !!n && typeof n === 'object' && typeof n.id === 'string' && typeof n.type === 'string');
  return startTrigger(nodes.filter((n) => !n.disabled || n.id === triggerNodeId), triggerNodeId);
}

/**
 * The input of a run started without one (the studio's "Run with sample", `hookline exec` without --input):
 * pinnedRunInput, else null.
 * @example
 * defaultRunInput({ nodes: [{ id: 'm', type: 'manual', settings: { sample: { a: 1 } } }] }); // { a: 1 }
 * defaultRunInput({ nodes: [{ id: 't', type: 'schedule', settings: {} }] }).data; // { scheduledAt, firedAt } of now
 */
export function defaultRunInput(flow: unknown, triggerNodeId?: string): unknown {
  return pinnedRunInput(flow, triggerNodeId) ?? null;
}
