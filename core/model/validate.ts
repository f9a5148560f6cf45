import { flowSchema, FORMAT_VERSION, type Flow } from './flow';
import { DISABLED_NOTE, formatPath, type Problem } from './problems';
import { unansweredRespondProblems } from './reply-check';
import { unknownKeyProblems } from './unknown-keys';
import { zodProblems } from './zod-problems';
import { findSpec } from '../nodes/catalogue';
import { isFieldVisible, portsOf, type AnyNodeSpec } from '../nodes/spec-types';

export interface ValidationResult {
  /** The structurally valid flow with defaults filled in; absent when the document is not a flow at all. */
  flow?: Flow;
  problems: Problem[];
  /** Each node's settings parsed by its spec (defaults filled), for nodes whose settings are valid. */
  settings: Record<string, unknown>;
}

/**
 * Validates a flow document and returns every problem at once, each with its JSON path and a plain message.
 * Unknown node types are problems that name the type, never a crash. Browser-safe: the studio runs the
 * same checks as deploy.
 *
 * @example
 * const { problems } = validateFlow(JSON.parse(text));
 * problems.map(formatProblem); // ['nodes[2].settings.timeoutMs: must be a positive integer']
 */
export function validateFlow(raw: unknown): ValidationResult {
  const problems: Problem[] = [];
  const settings: Record<string, unknown> = {};
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    return { problems: [{ path: '', code: 'invalid_value', message: 'a flow must be a JSON object' }], settings };
  }
  const doc = raw as Record<string, unknown>;
  if (doc.formatVersion !== undefined && doc.formatVersion !== FORMAT_VERSION) {
    problems.push({
      path: 'formatVersion',
      code: 'format_version',
      message: `format version ${JSON.stringify(doc.formatVersion)} is not supported (this version reads ${FORMAT_VERSION})`,
    });
    return { problems, settings };
  }
  const parsed = flowSchema.safeParse(doc);
  if (!parsed.success) problems.push(...zodProblems(parsed.error));
  problems.push(...documentUnknownKeys(doc));

  // Settings are checked per node even when another part of the document is broken, so the user sees all at once.
  const rawNodes = Array.isArray(doc.nodes) ? doc.nodes : [];
  rawNodes.forEach((n: any, i) => {
    if (!n || typeof n !== 'object' || typeof n.type !== 'string') return;
    const spec = findSpec(n.type);
    const nodeId = typeof n.id === 'string' ? n.id : undefined;
    if (!spec) {
      problems.push({ path: `nodes[${i}].type`, code: 'unknown_node_type', message: `unknown node type "${n.type}"`, nodeId });
      return;
    }
    if (n.version !== undefined && n.version !== spec.version) {
      problems.push({
        path: `nodes[${i}].version`,
        code: 'unknown_node_version',
        message: `node type "${n.type}" has no version ${JSON.stringify(n.version)} (this build has version ${spec.version})`,
        nodeId,
      });
    }
    // A disabled node's broken settings do not stop a deploy (it passes messages through); they stay in view.
    const report = (list: Problem[]) => problems.push(...(n.disabled ? list.map((p) => ({ ...p, severity: 'warning' as const, message: `${p.message}${DISABLED_NOTE}` })) : list));
    problems.push(...unknownKeyProblems(spec.settings, n.settings, `nodes[${i}].settings`, nodeId));
    const s = spec.settings.safeParse(n.settings ?? {});
    if (s.success) {
      if (nodeId) settings[nodeId] = s.data;
    } else {
      // Visibility is judged on the values the node will really have: defaults filled in under what was given.
      const defaults = spec.settings.safeParse({});
      const values = { ...(defaults.success ? (defaults.data as object) : {}), ...(n.settings ?? {}) };
      const all = zodProblems(s.error, `nodes[${i}].settings`, nodeId);
      const shown = all.filter((p) => fieldShown(spec, values, p.path, i));
      if (shown.length) report(shown);
      else {
        // Only hidden fields are wrong: they do not apply, so the node runs as if they were not set (as the
        // inspector shows it). If that still does not parse, every problem is reported: a node never deploys
        // without settings.
        const hiddenKeys = all.map((p) => fieldKeyOf(spec, p.path, i)).filter((k): k is string => !!k);
        const retry = spec.settings.safeParse(withoutKeys(n.settings ?? {}, hiddenKeys));
        if (retry.success && nodeId) settings[nodeId] = retry.data;
        else report(all);
      }
    }
  });

  if (!parsed.success) return { problems, settings };
  const flow = parsed.data;
  problems.push(...graphProblems(flow, settings));
  return { flow, problems, settings };
}

/**
 * Keys of the flow document, its nodes, edges and flow settings that the schema does not know (node settings are
 * walked per node type above): warnings, since a newer file must still load.
 */
function documentUnknownKeys(doc: Record<string, unknown>): Problem[] {
  return unknownKeyProblems(flowSchema, doc, '').map((p) => {
    const node = /^nodes\[(\d+)\]/.exec(p.path);
    const id = node ? (doc.nodes as Array<{ id?: unknown }>)[Number(node[1])]?.id : undefined;
    const field = p.path.startsWith('settings.') ? p : { ...p, message: p.message.replace(/^unknown setting/, 'unknown field') };
    return typeof id === 'string' ? { ...field, nodeId: id } : field;
  });
}

function fieldOf(spec: AnyNodeSpec, path: string, index: number) {
  const prefix = `nodes[${index}].settings.`;
  if (!path.startsWith(prefix)) return undefined;
  const rel = path.slice(prefix.length);
  return spec.fields.find((f) => rel === f.key || rel.startsWith(f.key + '.') || rel.startsWith(f.key + '['));
}

/** Drops problems of fields the inspector hides for these values (one visibility rule for UI and runtime). */
function fieldShown(spec: AnyNodeSpec, values: unknown, path: string, index: number): boolean {
  const field = fieldOf(spec, path, index);
  return field ? isFieldVisible(field, values) : true;
}

function fieldKeyOf(spec: AnyNodeSpec, path: string, index: number): string | undefined {
  return fieldOf(spec, path, index)?.key;
}

/** A copy of the settings without these dotted keys. */
function withoutKeys(settings: Record<string, unknown>, keys: string[]): Record<string, unknown> {
  const copy: Record<string, unknown> = structuredClone(settings);
  for (const key of keys) {
    const parts = key.split('.');
    let cur: any = copy;
    for (const p of parts.slice(0, -1)) cur = cur && typeof cur === 'object' ? cur[p] : undefined;
    if (cur && typeof cur === 'object') delete cur[parts[parts.length - 1]];
  }
  return copy;
}

function graphProblems(flow: Flow, settings: Record<string, unknown>): Problem[] {
  const problems: Problem[] = [];
  const index = new Map<string, number>();
  flow.nodes.forEach((n, i) => {
    if (index.has(n.id)) problems.push({ path: `nodes[${i}].id`, code: 'duplicate_id', message: `duplicate node id "${n.id}"`, nodeId: n.id });
    else index.set(n.id, i);
  });
  const edgeIds = new Set<string>();
  const adjacency = new Map<string, string[]>();
  flow.edges.forEach((e, i) => {
    const at = `edges[${i}]`;
    if (edgeIds.has(e.id)) problems.push({ path: `${at}.id`, code: 'duplicate_id', message: `duplicate edge id "${e.id}"` });
    edgeIds.add(e.id);
    const si = index.get(e.source);
    const ti = index.get(e.target);
    if (si === undefined) problems.push({ path: `${at}.source`, code: 'dangling_edge', message: `no node with id "${e.source}"` });
    if (ti === undefined) problems.push({ path: `${at}.target`, code: 'dangling_edge', message: `no node with id "${e.target}"` });
    if (si === undefined || ti === undefined) return;
    const source = flow.nodes[si];
    const target = flow.nodes[ti];
    const sSpec = findSpec(source.type);
    const tSpec = findSpec(target.type);
    if (sSpec && settings[source.id] !== undefined) {
      const ports = portsOf(sSpec, settings[source.id], source.onError);
      if (!ports.some((p) => p.id === e.sourcePort))
        problems.push({ path: `${at}.sourcePort`, code: 'unknown_port', message: `node "${source.id}" has no output "${e.sourcePort}" (it has ${ports.map((p) => `"${p.id}"`).join(', ') || 'none'})`, nodeId: source.id });
    }
    if (tSpec) {
      if (tSpec.inputs.length === 0)
        problems.push({
          path: `${at}.target`,
          code: 'edge_into_trigger',
          message: tSpec.category === 'trigger' ? `"${target.id}" is a trigger: nothing can connect into it` : `"${target.id}" (${tSpec.title}) takes no input: nothing can connect into it`,
          nodeId: target.id,
        });
      else if (!tSpec.inputs.some((p) => p.id === e.targetPort))
        problems.push({ path: `${at}.targetPort`, code: 'unknown_port', message: `node "${target.id}" has no input "${e.targetPort}"`, nodeId: target.id });
    }
    const list = adjacency.get(e.source) ?? [];
    list.push(e.target);
    adjacency.set(e.source, list);
  });
  if (!flow.settings.allowCycles) {
    const cycle = findCycle(flow.nodes.map((n) => n.id), adjacency);
    if (cycle) problems.push({ path: 'edges', code: 'cycle', message: `the flow has a cycle (${cycle.join(' -> ')}); allow cycles in the flow settings if it is meant`, nodeId: cycle[0] });
  }
  const triggers = flow.nodes.filter((n) => findSpec(n.type)?.category === 'trigger');
  if (!triggers.length) problems.push({ path: 'nodes', code: 'no_trigger', message: 'the flow has no trigger node, so nothing can start it', severity: 'warning' });
  else {
    // A disabled webhook serves no endpoint: deployed, the flow would look live and answer nothing (404).
    if (triggers.every((n) => n.disabled)) problems.push({ path: 'nodes', code: 'no_trigger', message: 'every trigger of the flow is disabled, so nothing can start it (enable one)', severity: 'warning' });
    problems.push(...unreachableProblems(flow, adjacency));
  }
  problems.push(...routeProblems(flow, settings), ...unansweredRespondProblems(flow, settings));
  return problems;
}

/**
 * Nodes no trigger leads to (an edge deleted by mistake): they never run, and the caller of a request-response
 * flow gets the last reachable node's output instead. A warning, as n8n greys such nodes out; nodes without
 * inputs (triggers, notes) are left alone.
 */
function unreachableProblems(flow: Flow, adjacency: Map<string, string[]>): Problem[] {
  const seen = new Set<string>();
  const stack = flow.nodes.filter((n) => findSpec(n.type)?.category === 'trigger').map((n) => n.id);
  while (stack.length) {
    const id = stack.pop()!;
    if (seen.has(id)) continue;
    seen.add(id);
    for (const next of adjacency.get(id) ?? []) if (!seen.has(next)) stack.push(next);
  }
  const out: Problem[] = [];
  flow.nodes.forEach((n, i) => {
    const spec = findSpec(n.type);
    if (!spec || spec.inputs.length === 0 || seen.has(n.id)) return;
    out.push({ path: `nodes[${i}]`, code: 'unreachable', severity: 'warning', nodeId: n.id, message: `no trigger leads to "${n.name ?? n.id}": it never runs (connect it, or delete it)` });
  });
  return out;
}

function routeProblems(flow: Flow, settings: Record<string, unknown>): Problem[] {
  const seen = new Map<string, string>();
  const out: Problem[] = [];
  flow.nodes.forEach((n, i) => {
    if (n.type !== 'webhook' || n.disabled) return;
    // Settings with other problems are still checked for clashes, from their raw values.
    const raw = n.settings as { methods?: unknown; path?: unknown };
    const s = (settings[n.id] as { methods: string[]; path: string } | undefined) ?? {
      methods: Array.isArray(raw.methods) ? raw.methods.filter((m): m is string => typeof m === 'string') : ['POST'],
      path: typeof raw.path === 'string' ? raw.path : '/webhook',
    };
    const shape = routeShape(s.path);
    for (const m of s.methods) {
      const key = `${m} ${shape}`;
      const other = seen.get(key);
      if (other) out.push({ path: `nodes[${i}].settings.path`, code: 'route_conflict', message: `${m} ${s.path} is already served by node "${other}"`, nodeId: n.id });
      else seen.set(key, n.id);
    }
  });
  return out;
}

/** `/orders/:id` and `/orders/:orderId` are the same route. */
export function routeShape(path: string): string {
  const trimmed = path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path;
  return trimmed
    .split('/')
    .map((seg) => (seg.startsWith(':') ? ':' : seg))
    .join('/');
}

function findCycle(ids: string[], adjacency: Map<string, string[]>): string[] | undefined {
  const state = new Map<string, 1 | 2>();
  const stack: string[] = [];
  const visit = (id: string): string[] | undefined => {
    state.set(id, 1);
    stack.push(id);
    for (const next of adjacency.get(id) ?? []) {
      const st = state.get(next);
      if (st === 1) return [...stack.slice(stack.indexOf(next)), next];
      if (st === undefined) {
        const c = visit(next);
        if (c) return c;
      }
    }
    stack.pop();
    state.set(id, 2);
    return undefined;
  };
  for (const id of ids) {
    if (!state.has(id)) {
      const c = visit(id);
      if (c) return c;
    }
  }
  return undefined;
}

export { formatPath };
