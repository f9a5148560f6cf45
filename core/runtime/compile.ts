import type { Flow, FlowNode } from '../model/flow';
import { ProblemsError, type Problem } from '../model/problems';
import { validateFlow } from '../model/validate';
import { getNodeType, type NodeType } from '../nodes/registry';
import type { ConnectionLookup, Logger } from '../nodes/runner-types';
import type { SecretStore } from '../secrets/secret-store';
import type { SubscriptionLookup } from '../model/subscription';
import { compileExpression, ExpressionSyntaxError, type CompiledExpression } from '../template/expression';

export interface CompiledNode {
  node: FlowNode;
  type: NodeType;
  settings: unknown;
  prepared: unknown;
}

/** A flow checked and prepared once at deploy, ready to run many messages. */
export interface CompiledFlow {
  flow: Flow;
  nodes: Map<string, CompiledNode>;
  /** node id -> port -> target node ids, in edge order (nested, so a step looks its targets up without building a key). */
  next: Map<string, Map<string, string[]>>;
  businessKey?: CompiledExpression;
}

/** Validates and prepares a flow. Throws ProblemsError listing every problem; nothing is half-deployed. */
export async function compileFlow(raw: unknown, deps: { env: Record<string, string>; secrets: SecretStore; connections?: ConnectionLookup; subscriptions?: SubscriptionLookup; logger: Logger }): Promise<CompiledFlow> {
  const { flow, problems, settings } = validateFlow(raw);
  const errors = problems.filter((p) => p.severity !== 'warning');
  if (!flow || errors.length) throw new ProblemsError(errors.length ? errors : problems);
  const nodes = new Map<string, CompiledNode>();
  const prepProblems: Problem[] = [];
  for (const [i, node] of flow.nodes.entries()) {
    if (node.disabled) continue;
    const type = getNodeType(node.type);
    if (!type) {
      prepProblems.push({ path: `nodes[${i}].type`, code: 'unknown_node_type', message: `node type "${node.type}" cannot run in this runtime`, nodeId: node.id });
      continue;
    }
    const s = settings[node.id];
    try {
      const prepared = type.runner.prepare
        ? await type.runner.prepare(s, { flow, node, path: `nodes[${i}].settings`, env: deps.env, secrets: deps.secrets, connections: deps.connections ?? { get: () => undefined }, subscriptions: deps.subscriptions, logger: deps.logger })
        : undefined;
      nodes.set(node.id, { node, type, settings: s, prepared });
    } catch (err) {
      if (err instanceof ProblemsError) prepProblems.push(...err.problems.map((p) => ({ ...p, nodeId: p.nodeId ?? node.id })));
      else prepProblems.push({ path: `nodes[${i}].settings`, code: err instanceof ExpressionSyntaxError ? 'expression_syntax' : 'invalid_value', message: (err as Error).message, nodeId: node.id });
    }
  }
  let businessKey: CompiledExpression | undefined;
  if (flow.settings.businessKey) {
    try {
      businessKey = compileExpression(flow.settings.businessKey);
    } catch (err) {
      prepProblems.push({ path: 'settings.businessKey', code: 'expression_syntax', message: (err as Error).message });
    }
  }
  if (prepProblems.length) throw new ProblemsError(prepProblems);
  return { flow, nodes, next: wiring(flow, nodes, settings), businessKey };
}

/**
 * node id -> port -> targets. A disabled node passes messages through (as the inspector says, and as in n8n):
 * an edge into it leads on to whatever its first output port leads to, and it records no step.
 */
export function wiring(flow: Flow, nodes: { has(id: string): boolean }, settings: Record<string, unknown>): CompiledFlow['next'] {
  const disabledPort = new Map<string, string>();
  for (const n of flow.nodes) {
    if (!n.disabled) continue;
    const spec = getNodeType(n.type)?.spec;
    let port = 'out';
    try {
      port = spec?.outputs((settings[n.id] ?? {}) as never)[0]?.id ?? 'out';
    } catch {
      // Settings too broken to name the ports: its main output.
    }
    disabledPort.set(n.id, port);
  }
  const through = (target: string, seen: Set<string>): string[] => {
    if (nodes.has(target)) return [target];
    const port = disabledPort.get(target);
    if (port === undefined || seen.has(target)) return [];
    seen.add(target);
    return flow.edges.filter((e) => e.source === target && e.sourcePort === port).flatMap((e) => through(e.target, seen));
  };
  const next = new Map<string, Map<string, string[]>>();
  for (const e of flow.edges) {
    if (!nodes.has(e.source)) continue;
    const targets = through(e.target, new Set());
    if (!targets.length) continue;
    let ports = next.get(e.source);
    if (!ports) next.set(e.source, (ports = new Map()));
    const list = ports.get(e.sourcePort) ?? [];
    list.push(...targets);
    ports.set(e.sourcePort, list);
  }
  return next;
}

/** Compiles an optional expression setting, reporting syntax errors with the field's path. */
export function compileSetting(src: string | undefined, path: string, nodeId: string): CompiledExpression | undefined {
  if (!src) return undefined;
  try {
    return compileExpression(src);
  } catch (err) {
    throw new ProblemsError([{ path, code: 'expression_syntax', message: (err as Error).message, nodeId }]);
  }
}
