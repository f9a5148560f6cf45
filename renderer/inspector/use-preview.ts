import { useEffect, useMemo, useState } from 'react';
import type { FlowPreview, HostApi } from '../../core/host/api';
import type { Flow } from '../../core/model/flow';
import { useApp } from '../app-context';
import { nodeView } from '../canvas/node-view';
import { isTrigger } from '../state/graph-rules';
import { findSpec } from '../../core/nodes/catalogue';

/** How long the flow must stay unchanged before it is previewed again (typing in a field changes it per key). */
const SETTLE_MS = 250;

/**
 * The latest preview request per host, shared: the inspector, its test button and its previews all ask for the
 * same flow and sample, and one host call answers them all.
 */
const shared = new WeakMap<HostApi, { key: string; result: Promise<FlowPreview | null> }>();

/**
 * What each node of the open flow would receive from the sample (host.previewFlow), recomputed once edits
 * settle. `executionId`: a run of this flow whose Web Integration answers stand in for calling out. While a new
 * preview is computed the previous one of the same flow stays (a close guess beats none).
 */
export function useFlowPreview(flow: Flow, input: unknown, executionId?: string): FlowPreview | null {
  const { host } = useApp();
  // What the preview depends on: moving or renaming a node does not ask again.
  const key = useMemo(() => previewKey(flow, input, executionId), [flow.id, flow.nodes, flow.edges, flow.pinned, input, executionId]);
  const [state, setState] = useState<{ flowId: string; preview: FlowPreview | null }>({ flowId: '', preview: null });
  useEffect(() => {
    if (!key) return;
    let live = true;
    const ask = () => void previewNow(host, flow, input, executionId, key).then((preview) => live && setState({ flowId: flow.id, preview }));
    // Asked already (another component, or the same flow again): answered at once.
    const timer = setTimeout(ask, shared.get(host)?.key === key ? 0 : SETTLE_MS);
    return () => {
      live = false;
      clearTimeout(timer);
    };
    // `key` stands for flow, input and executionId.
  }, [host, key]);
  return key && state.flowId === flow.id ? state.preview : null;
}

function previewKey(flow: Flow, input: unknown, executionId?: string): string {
  if (input === undefined || !flow.id) return '';
  return JSON.stringify([flow.id, flow.nodes.map((n) => [n.id, n.type, n.version, n.settings, n.disabled, n.onError]), flow.edges, flow.pinned ?? null, input, executionId ?? null]);
}

/**
 * The preview of exactly this flow and sample, asked at once if nobody has yet (without waiting for edits to
 * settle): for a button that must act on what the node receives now, not on the preview of a moment ago.
 */
export function previewNow(host: HostApi, flow: Flow, input: unknown, executionId?: string, key = previewKey(flow, input, executionId)): Promise<FlowPreview | null> {
  if (!key) return Promise.resolve(null);
  let entry = shared.get(host);
  if (entry?.key !== key) {
    const result = host.previewFlow(flow, input, executionId ? { executionId } : undefined).catch(() => null);
    shared.set(host, (entry = { key, result }));
  }
  return entry.result;
}

/**
 * Why the preview does not reach a node: where it stopped upstream of it (a node that calls out and has not run,
 * a node that fails on the sample or has broken settings); that no trigger leads to it; else that the sample takes
 * another branch. Nothing for a trigger (the flow's other triggers take no input).
 */
export function whyNotReached(preview: FlowPreview, flow: Flow, nodeId: string): string | undefined {
  // A trigger receives nothing: a flow's other triggers start runs of their own, the sample enters at one of them.
  // Nor does a node without inputs (a sticky note).
  const node = flow.nodes.find((n) => n.id === nodeId);
  if (!node || isTrigger(node) || findSpec(node.type)?.inputs.length === 0) return undefined;
  const upstream = new Set<string>();
  const todo = [nodeId];
  while (todo.length) {
    const id = todo.pop()!;
    for (const e of flow.edges) {
      if (e.target !== id || upstream.has(e.source)) continue;
      upstream.add(e.source);
      todo.push(e.source);
    }
  }
  if (!flow.nodes.some((n) => upstream.has(n.id) && isTrigger(n))) return 'The sample does not reach this node: no trigger leads to it yet (connect it into the flow).';
  const stop = Object.entries(preview.nodes).find(([id, p]) => upstream.has(id) && (p.status === 'not-run' || (p.status === 'failed' && p.output === undefined)));
  if (!stop) return 'The sample does not reach this node (it takes another branch).';
  const [id, p] = stop;
  const stopNode = flow.nodes.find((n) => n.id === id);
  const name = stopNode ? nodeView(stopNode).title : id;
  const why = p.status === 'failed' ? `it fails on the sample (${p.error})` : p.note;
  return `The preview stops at “${name}”: ${why}.`;
}
