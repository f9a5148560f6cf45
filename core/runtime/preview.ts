import type { Flow } from '../model/flow';
import { isWholeMessage, type Message } from '../model/message';
import { validateFlow } from '../model/validate';
import { ProblemsError } from '../model/problems';
import { problemText } from '../model/field-labels';
import { findSpec } from '../nodes/catalogue';
import { getNodeType } from '../nodes/registry';
import type { NodeResult } from '../nodes/runner-types';
import { MemorySecretStore } from '../secrets/secret-store';
import type { FlowPreview, NodePreview } from '../host/preview-types';
import { wiring } from './compile';
import { errorInfo } from './executor';
import { silentLogger } from './logger';
import { startOf } from './start-message';

export type { FlowPreview, NodePreview };

/** Nodes that reach outside (Web Integration, Publish Event): a preview never makes their calls. */
const callsOut = (type: string) => getNodeType(type)?.spec.category === 'outbound';
/** Node runs a preview makes at most (this bounds loops and pathological graphs). */
const MAX_STEPS = 500;
/** How long a whole preview may take (a loop of slow expressions must not hold the studio's previews up). */
const TOTAL_MS = 5000;
/** How long one node may take in a preview (a JSONata expression that loops must not hang the studio). */
const NODE_MS = 2000;

export interface PreviewOptions {
  /** The trigger the input enters at (default, as for a manual run: the first Manual trigger, else the first trigger). */
  triggerNodeId?: string;
  env: Record<string, string>;
  /** Outputs of outbound nodes as an execution recorded them, by node id: used instead of calling out. */
  recorded?: Record<string, Message>;
}

/**
 * What each node would receive if the message entered the flow now, with the flow's current settings (a draft
 * included): the data nodes run on it (Set, Map, Template, Switch, Parse, ...), nothing leaves the process. A
 * node that calls out (Web Integration, Publish Event) hands on the answer pinned for it, else what it returned in
 * the latest execution, or the preview stops there; so does a node whose settings are broken or that fails on the message (its error
 * goes down the flow's error path, as in a run). Delays do not wait. Every message goes on (up to MAX_STEPS node runs);
 * each node shows the first message that reached it, and how many did; a node no message reached is absent.
 *
 * This is what lets a node after a data-changing node be edited against the data it will really get (n8n asks
 * to execute the previous nodes first).
 */
export async function previewFlow(raw: unknown, input: unknown, o: PreviewOptions): Promise<FlowPreview> {
  const { flow, settings } = validateFlow(raw);
  const nodes: Record<string, NodePreview> = {};
  const byId = new Map((flow?.nodes ?? []).filter((n) => !n.disabled && getNodeType(n.type)).map((n) => [n.id, n]));
  const start = flow && startOf(byId.values(), (id) => settings[id], input, o.triggerNodeId);
  if (!flow || !start) return { triggerNodeId: o.triggerNodeId, nodes };
  const { trigger, message } = start;
  const next = wiring(flow, byId, settings);
  const secrets = new MemorySecretStore();
  const signal = new AbortController().signal;
  const stack: Array<{ nodeId: string; message: Message }> = [{ nodeId: trigger.id, message }];
  const errorTriggers = [...byId.values()].filter((n) => n.type === 'error-trigger').reverse();
  let errorPathTaken = false;
  let steps = 0;
  const until = Date.now() + TOTAL_MS;
  while (stack.length && steps++ < MAX_STEPS && Date.now() < until) {
    const { nodeId, message } = stack.pop()!;
    const node = byId.get(nodeId);
    if (!node) continue;
    // A node reached again (branches that meet, a Switch sending to several outputs) runs again, as in a run, so the
    // branches after it see each message; it shows the first, and how many reached it.
    const first = nodes[nodeId];
    if (first) first.reached = (first.reached ?? 1) + 1;
    const p: NodePreview = first ? { input: message, status: 'ran' } : (nodes[nodeId] = { input: message, status: 'ran' });
    let result: NodeResult = null;
    if (callsOut(node.type)) {
      const rec = o.recorded?.[nodeId];
      const pin = flow.pinned?.[nodeId];
      if (pin !== undefined) {
        p.status = 'pinned';
        result = { message: { ...message, data: pin } };
      } else if (rec) {
        p.status = 'recorded';
        // Its answer as recorded; the request that started it is the sample's.
        result = { message: { ...rec, trigger: message.trigger } };
      } else {
        p.status = 'not-run';
        p.note = 'it calls out, which a preview never does; run the flow once (Run with sample) or pin a sample answer to use here';
      }
    } else if (node.type === 'delay') result = { message };
    else if (settings[nodeId] === undefined) {
      p.status = 'not-run';
      p.note = 'its settings have problems; fix them to preview what comes after';
    } else {
      try {
        result = await runNode(flow, node, settings[nodeId], message, o.env, secrets, signal);
      } catch (err) {
        const info = errorInfo(err instanceof Error ? err : new Error(String(err)));
        p.status = 'failed';
        // Settings a node cannot start with, named by their field ("Map › Expression: …"), not by their JSON path.
        p.error = err instanceof ProblemsError ? err.problems.map((x) => problemText(x, flow.nodes, findSpec)).join('; ') : info.message;
        const withError: Message = { ...message, error: { ...info, nodeId, nodeType: node.type } };
        if (node.onError === 'continue') result = { message };
        else if (node.onError === 'route') result = { port: 'error', message: withError };
        else if (!errorPathTaken) {
          // As a run does: the flow's error path goes on from its On error trigger(s) with the failing message.
          errorPathTaken = true;
          for (const t of errorTriggers) stack.push({ nodeId: t.id, message: withError });
        }
      }
    }
    const emits = !result ? [] : 'emits' in result ? result.emits : [{ port: result.port ?? 'out', message: result.message }];
    if (emits.length === 1) p.output = emits[0].message;
    else if (emits.length > 1) p.output = emits.map((e) => ({ port: e.port, message: e.message }));
    if (emits.length) p.port = emits.map((e) => e.port).join(',');
    for (let i = emits.length - 1; i >= 0; i--) {
      const targets = next.get(nodeId)?.get(emits[i].port) ?? [];
      for (let t = targets.length - 1; t >= 0; t--) stack.push({ nodeId: targets[t], message: emits[i].message });
    }
  }
  return { triggerNodeId: trigger.id, nodes };
}

async function runNode(flow: Flow, node: Flow['nodes'][number], s: unknown, message: Message, env: Record<string, string>, secrets: MemorySecretStore, signal: AbortSignal): Promise<NodeResult> {
  const runner = getNodeType(node.type)!.runner;
  const path = `nodes[${flow.nodes.indexOf(node)}].settings`;
  const common = { flow, node, env, secrets, connections: { get: () => undefined }, logger: silentLogger };
  const prepared = runner.prepare ? await runner.prepare(s, { ...common, path }) : undefined;
  let timer: NodeJS.Timeout | undefined;
  const slow = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`took longer than ${NODE_MS} ms on the sample`)), NODE_MS);
  });
  try {
    const ran = runner.run(message, { ...common, settings: s, prepared, executionId: 'preview', signal, respond: () => {}, emit: () => {} });
    return await Promise.race([ran, slow]);
  } finally {
    clearTimeout(timer);
  }
}

/** Outputs of the outbound nodes in an execution's steps (the first of each node that handed on one message). */
export function recordedOutputs(steps: ReadonlyArray<{ nodeId: string; nodeType: string; status: string; output?: unknown }>): Record<string, Message> {
  const out: Record<string, Message> = {};
  for (const s of steps) {
    if (!callsOut(s.nodeType) || s.status !== 'succeeded' || out[s.nodeId] || !isWholeMessage(s.output)) continue;
    out[s.nodeId] = s.output as Message;
  }
  return out;
}
