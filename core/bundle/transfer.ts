import fs from 'node:fs';
import path from 'node:path';
import type { Bundle, Environment } from '../model/bundle';
import { environmentSchema } from '../model/bundle';
import { idSchema } from '../model/flow';
import { formatPath, ProblemsError, type Problem } from '../model/problems';
import { connectionSchema } from '../model/connection';
import type { FlowRepository } from '../host/flow-repo';
import { writeAtomic } from '../host/flow-repo';
import type { SecretStore } from '../secrets/secret-store';
import { buildBundle, parseBundle } from './bundle';
import { checkConnection } from './connections';
import { environmentCredentialProblems, flowCredentialProblems } from './credentials';
import { z } from 'zod';
import { SubscriptionRepository } from '../host/subscription-repo';
import { deliversTo, type Subscription } from '../model/subscription';

/** Connection ids the flows reference (`connectionId` settings). */
function referencedConnections(b: { flows: Array<{ nodes: Array<{ settings: Record<string, unknown> }> }> }): string[] {
  const ids = new Set<string>();
  for (const f of b.flows) for (const n of f.nodes) if (typeof n.settings.connectionId === 'string') ids.add(n.settings.connectionId);
  return [...ids].sort();
}

/**
 * Studio data layout: `flows/`, `connections/<id>.json`, `environments.json`. Each connection a flow uses is read
 * through the connection schema: the bundle gets the parsed document (a field the schema does not know is left
 * out), and a connection that holds a credential itself (`"password": "..."`) is refused, naming it and the field,
 * so a bundle carries secret names only.
 */
export function exportFromDataDir(dataDir: string, flows: FlowRepository, opts: ExportOptions): Bundle {
  return exportWithWarnings(dataDir, flows, opts).bundle;
}

export interface ExportOptions {
  flowIds: string[];
  name?: string;
  version?: string;
  createdAt?: string;
}

/**
 * `exportFromDataDir`, also returning what the export left out without refusing it: a connection's field the
 * schema does not know (`baseURL` for `baseUrl`) is dropped from the bundle, and the designer should hear so.
 *
 * @example
 * const { bundle, warnings } = exportWithWarnings(dataDir, repo, { flowIds: ['orders'] });
 * warnings.map(formatProblem); // ['connections.erp.baseURL: connection "erp" (…/erp.json): unknown setting, left out; did you mean "baseUrl"?']
 */
export function exportWithWarnings(dataDir: string, flows: FlowRepository, opts: ExportOptions): { bundle: Bundle; warnings: Problem[] } {
  const warnings: Problem[] = [];
  if (!opts.flowIds.length) throw new ProblemsError([{ path: 'flows', code: 'required', message: 'choose at least one flow to export' }]);
  const picked = opts.flowIds.map((id) => flows.get(id));
  const problems: Problem[] = [];
  const connections = referencedConnections({ flows: picked }).flatMap((id) => {
    const where = formatPath(['connections', id]);
    const file = path.join(dataDir, 'connections', `${idSchema.parse(id)}.json`);
    const users = picked.filter((f) => f.nodes.some((n) => n.settings.connectionId === id)).map((f) => `"${f.id}"`).join(', ');
    if (!fs.existsSync(file)) {
      problems.push({ path: where, code: 'invalid_value', message: `flow ${users} uses connection "${id}", which does not exist` });
      return [];
    }
    let raw: unknown;
    try {
      raw = JSON.parse(fs.readFileSync(file, 'utf8'));
    } catch {
      problems.push({ path: where, code: 'invalid_value', message: `${file} is not valid JSON` });
      return [];
    }
    const { connection, problems: found } = checkConnection(raw, where);
    const errors = found.filter((p) => p.severity !== 'warning');
    const named = (p: Problem) => ({ ...p, message: `connection "${id}" (${file}): ${p.message}` });
    problems.push(...errors.map(named));
    warnings.push(...found.filter((p) => p.severity === 'warning').map(named));
    return connection && !errors.length ? [connection as unknown as Record<string, unknown>] : [];
  });
  // A credential typed into a node would travel in the file just as one in a saved connection would.
  problems.push(...flowCredentialProblems(picked).map((p) => ({ ...p, path: p.path.replace(/^flows\[(\d+)\]/, (_, i: string) => formatPath(['flows', picked[Number(i)].id])) })));
  const environments = readEnvironments(dataDir);
  const envFile = path.join(dataDir, 'environments.json');
  problems.push(...environmentCredentialProblems(environments, (_, name) => formatPath(['environments', name])).map((p) => ({ ...p, message: `${p.message} (${envFile})` })));
  if (problems.length) throw new ProblemsError(problems);
  const subscriptions = publishedTo(picked, new SubscriptionRepository(dataDir), warnings);
  const bundle = buildBundle({ name: opts.name ?? picked.map((f) => f.id).join('+'), version: opts.version, flows: picked, connections, environments, subscriptions, createdAt: opts.createdAt });
  return { bundle, warnings };
}

/**
 * The applied subscriptions of the event types the flows' Publish Event nodes publish: a server running the bundle
 * delivers to them. Warns about a published type no applied subscription has, and about changes not applied yet
 * (the bundle carries what is live in the studio, as its deliveries do).
 */
function publishedTo(flows: Array<{ id: string; nodes: Array<{ id: string; type: string; disabled?: boolean; settings: Record<string, unknown> }> }>, repo: SubscriptionRepository, warnings: Problem[]): Subscription[] {
  const types = new Map<string, string>();
  for (const f of flows) for (const n of f.nodes) if (n.type === 'publish-event' && !n.disabled) types.set(String(n.settings.eventType ?? 'ORDER'), `flow "${f.id}", node "${n.id}"`);
  if (!types.size) return [];
  const state = repo.getState();
  const applied = state.applied.subscriptions.filter((s) => types.has(s.eventType));
  for (const [type, where] of types)
    if (!applied.some((s) => deliversTo(s, type)))
      warnings.push({ path: 'subscriptions', code: 'invalid_value', severity: 'warning', message: `${where} publishes ${type} events, and no enabled applied subscription has that type: a server running the bundle delivers them to nobody` });
  if (state.pending) warnings.push({ path: 'subscriptions', code: 'invalid_value', severity: 'warning', message: 'the subscriptions have changes that are not applied: the bundle carries the applied ones (apply them first to ship the changes)' });
  return applied;
}

export function readEnvironments(dataDir: string): Environment[] {
  const file = path.join(dataDir, 'environments.json');
  if (!fs.existsSync(file)) return [];
  return z.array(environmentSchema).parse(JSON.parse(fs.readFileSync(file, 'utf8')));
}

export interface ImportResult {
  flows: Array<{ id: string; renamedFrom?: string; replaced?: boolean }>;
  /** `kept`: a connection of that id exists here and stays (rename mode); the bundle's copy was not written. */
  connections: Array<{ id: string; replaced?: boolean; kept?: boolean }>;
  /** Secret names the bundle needs that are not set here. */
  missingSecrets: string[];
  environments: string[];
  /** Event subscriptions added to (or, `kept`, already in) the draft: they take effect once applied. */
  subscriptions: Array<{ id: string; replaced?: boolean; kept?: boolean }>;
}

/**
 * Imports a bundle into a studio data directory. Validates everything first (every problem with its path);
 * a flow id that exists is renamed (`id-2`, ...) or replaced, by choice. Ids are checked by the schema, so
 * nothing in a bundle can name a file outside the data directory.
 */
export function importIntoDataDir(raw: unknown, dataDir: string, flows: FlowRepository, secrets: SecretStore, opts: { onConflict: 'rename' | 'replace'; subscriptions?: SubscriptionRepository }): ImportResult {
  const b = parseBundle(raw);
  const result: ImportResult = { flows: [], connections: [], missingSecrets: b.secrets.filter((s) => !secrets.has(s.name)).map((s) => s.name), environments: b.environments.map((e) => e.name), subscriptions: [] };
  const existing = new Set(flows.ids());
  for (const f of b.flows) {
    if (!existing.has(f.id) || opts.onConflict === 'replace') {
      flows.save({ ...f, revision: 1 });
      result.flows.push({ id: f.id, ...(existing.has(f.id) ? { replaced: true } : {}) });
      continue;
    }
    let n = 2;
    while (existing.has(`${f.id}-${n}`)) n++;
    const id = `${f.id}-${n}`;
    flows.save({ ...f, id, name: `${f.name} (${n})`, revision: 1 });
    existing.add(id);
    result.flows.push({ id, renamedFrom: f.id });
  }
  const dir = path.join(dataDir, 'connections');
  fs.mkdirSync(dir, { recursive: true });
  for (const c of b.connections) {
    const id = idSchema.parse(c.id);
    const file = path.join(dir, `${id}.json`);
    const had = fs.existsSync(file);
    if (had && opts.onConflict === 'rename') {
      result.connections.push({ id, kept: true });
      continue; // an existing connection of the same id is kept: it may hold local settings
    }
    // parseBundle has checked it: write what the schema reads, never a field it does not know.
    writeAtomic(file, JSON.stringify(connectionSchema.parse(c), null, 2));
    result.connections.push({ id, ...(had ? { replaced: true } : {}) });
  }
  if (b.environments.length) writeAtomic(path.join(dataDir, 'environments.json'), JSON.stringify(mergeEnvironments(readEnvironments(dataDir), b.environments, opts.onConflict), null, 2));
  // Into the draft, as any subscription change: deliveries use them once applied (the Subscriptions page).
  if (b.subscriptions?.length) result.subscriptions = (opts.subscriptions ?? new SubscriptionRepository(dataDir, secrets)).mergeIntoDraft(b.subscriptions, opts.onConflict);
  return result;
}

/**
 * Environments after an import. `replace`: the bundle's environment of a name replaces the local one. `rename` (keep
 * what is here, as with connections): a local environment keeps its variables and values and gains the ones only
 * the bundle has, so importing a colleague's bundle never overwrites the URLs this studio exports with.
 */
export function mergeEnvironments(mine: Environment[], theirs: Environment[], onConflict: 'rename' | 'replace'): Environment[] {
  const out = mine.map((e) => ({ ...e, variables: [...e.variables] }));
  for (const env of theirs) {
    const here = out.find((e) => e.name === env.name);
    if (!here) out.push(env);
    else if (onConflict === 'replace') out.splice(out.indexOf(here), 1, env);
    else for (const v of env.variables) if (!here.variables.some((x) => x.name === v.name)) here.variables.push(v);
  }
  return out;
}
