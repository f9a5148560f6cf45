import type { ConnectionLookup } from '../nodes/runner-types';
import { ProblemsError, joinPath, type Problem } from '../model/problems';
import { validateFlow } from '../model/validate';
import { compileFlow } from '../runtime/compile';
import { Router } from '../runtime/router';
import { webhookSettingsSchema } from '../nodes/webhook/spec';
import { silentLogger } from '../runtime/logger';
import { MemorySecretStore } from '../secrets/secret-store';
import { bundleProblems } from './bundle';
import { bundleConnectionLookup } from './connections';

const NO_CONNECTIONS: ConnectionLookup = { get: () => undefined };

/**
 * Every problem `run` / `serve` would refuse a flow for, found without starting anything: the schema checks,
 * then the deploy step itself (`compileFlow`: templates, expressions, connection references, cron patterns),
 * with no secrets and no environment, so the verdict does not depend on the machine it is made on.
 *
 * @example
 * const problems = await checkFlow(JSON.parse(text)); // [{ path: 'nodes[1].settings.url', message: '"{{" is not closed …' }]
 */
export async function checkFlow(raw: unknown, connections: ConnectionLookup = NO_CONNECTIONS): Promise<Problem[]> {
  const { problems } = validateFlow(raw);
  return [...problems, ...notYetNamed(problems, await compileProblems(raw, connections))];
}

/**
 * The error a refused flow is reported with: when deploy stopped at the schema checks, every problem `validate`
 * finds (the template and expression errors of the nodes with valid settings too), so `run`, `exec` and
 * `validate` name the same problems.
 */
export async function withEveryProblem(err: unknown, raw: unknown): Promise<unknown> {
  if (!(err instanceof ProblemsError)) return err;
  const all = await checkFlow(raw);
  const known = new Set(err.problems.map((p) => `${p.path}\u0000${p.message}`));
  const more = all.filter((p) => !known.has(`${p.path}\u0000${p.message}`) && !err.problems.some((q) => q.path === p.path));
  return more.length ? new ProblemsError([...err.problems, ...more]) : err;
}

/** A bundle's problems: format, checksum, connections, references, and each flow as deploy compiles it. */
export async function checkBundle(raw: unknown): Promise<Problem[]> {
  const { problems } = bundleProblems(raw);
  const doc = (raw ?? {}) as { flows?: unknown; connections?: unknown };
  const connections = bundleConnectionLookup(doc.connections).lookup;
  // A connection the bundle has but the schema refused is reported for that, not again as "not found" by each node.
  const refused = new Set(list(doc.connections).map((c) => c?.id).filter((id) => typeof id === 'string' && !connections.get(id)));
  const compiled: Problem[] = [];
  for (const [i, flow] of list(doc.flows).entries()) {
    const usesRefused = (nodeId?: string) => list(flow?.nodes).some((n) => n?.id === nodeId && refused.has(n?.settings?.connectionId));
    for (const p of await compileProblems(flow, connections))
      if (!(p.path.endsWith('.connectionId') && usesRefused(p.nodeId))) compiled.push({ ...p, path: joinPath(`flows[${i}]`, p.path) });
  }
  return [...problems, ...notYetNamed(problems, compiled), ...routeProblems(list(doc.flows))];
}

/** Paths `hookline serve` answers itself (health, readiness, metrics): a webhook there is refused at deploy. */
const SERVE_PATHS = new Set(['/healthz', '/readyz', '/metrics']);

/**
 * What serve's deploy refuses across the flows of a bundle, each flow being fine alone: two webhooks on the same
 * method and path shape (the runtime's route table rule), or a webhook on a path serve keeps for itself.
 */
function routeProblems(flows: any[]): Problem[] {
  const taken = new Router<{ flow: number; nodeId: string }>();
  const problems: Problem[] = [];
  flows.forEach((flow, i) =>
    list(flow?.nodes).forEach((n, j) => {
      if (n?.type !== 'webhook' || n.disabled) return;
      const s = webhookSettingsSchema.safeParse(n.settings ?? {});
      if (!s.success) return; // the flow's own checks name it
      const at = { path: `flows[${i}].nodes[${j}].settings.path`, code: 'route_conflict' as const, nodeId: String(n.id) };
      if (SERVE_PATHS.has(s.data.path)) problems.push({ ...at, message: `${s.data.path} is reserved by 'hookline serve' (health, readiness and metrics): choose another path` });
      for (const m of s.data.methods) {
        const clash = taken.add(m, s.data.path, { flow: i, nodeId: String(n.id) });
        const other = clash && flows[clash.flow];
        if (clash) problems.push({ ...at, message: `${m} ${s.data.path} is already served by flow "${other?.name ?? other?.id}" (${other?.id}, node "${clash.nodeId}") in this bundle: 'hookline serve' refuses two webhooks on one route` });
      }
    }),
  );
  return problems;
}

/** Raw JSON, read defensively. */
const list = (v: unknown): any[] => (Array.isArray(v) ? v : []);

/**
 * What the deploy step finds beyond the schema. A flow whose schema checks fail is compiled node by node
 * (each node with valid settings alone, then the flow settings), so a broken node does not hide the template
 * errors of the others.
 */
async function compileProblems(raw: unknown, connections: ConnectionLookup): Promise<Problem[]> {
  const { problems, settings } = validateFlow(raw);
  if (!problems.some(isError)) return compile(raw, connections);
  const doc = raw as { formatVersion?: unknown; nodes?: unknown; settings?: unknown };
  if (!doc || typeof doc !== 'object') return [];
  const shell = { formatVersion: doc.formatVersion ?? 1, id: 'validate', name: 'validate', edges: [] };
  const out: Problem[] = await compile({ ...shell, nodes: [], settings: doc.settings }, connections);
  const nodes = Array.isArray(doc.nodes) ? doc.nodes : [];
  for (const [i, node] of nodes.entries()) {
    const id = (node as { id?: unknown })?.id;
    if (typeof id !== 'string' || settings[id] === undefined) continue;
    for (const p of await compile({ ...shell, nodes: [node] }, connections))
      out.push({ ...p, path: p.path.replace(/^nodes\[0\]/, `nodes[${i}]`) });
  }
  return out;
}

/** Problems of the deploy step only: a document the schema refuses gives none here (they are reported already). */
async function compile(raw: unknown, connections: ConnectionLookup): Promise<Problem[]> {
  if (validateFlow(raw).problems.some(isError)) return [];
  try {
    await compileFlow(raw, { env: {}, secrets: new MemorySecretStore(), connections, logger: silentLogger });
    return [];
  } catch (err) {
    if (err instanceof ProblemsError) return err.problems;
    return [{ path: '', code: 'invalid_value', message: (err as Error).message }];
  }
}

const isError = (p: Problem) => p.severity !== 'warning';

/** Deploy-step problems at a path the checks before have not named (a missing connection is named once). */
function notYetNamed(before: Problem[], later: Problem[]): Problem[] {
  const seen = new Set(before.filter(isError).map((p) => p.path));
  const out: Problem[] = [];
  for (const p of later) {
    const key = `${p.path}\u0000${p.message}`;
    if (seen.has(p.path) || seen.has(key)) continue;
    seen.add(key);
    out.push(p);
  }
  return out;
}
