import { createHash } from 'node:crypto';
import { bundleSchema, BUNDLE_FORMAT_VERSION, type Bundle, type Environment } from '../model/bundle';
import type { Flow } from '../model/flow';
import type { Subscription } from '../model/subscription';
import { ProblemsError, type Problem } from '../model/problems';
import { validateFlow } from '../model/validate';
import { zodProblems } from '../model/zod-problems';
import { findSpec } from '../nodes/catalogue';
import { VERSION } from '../version';
import { canonicalJson } from './canonical';
import { bundleConnectionLookup } from './connections';
import { environmentCredentialProblems, flowCredentialProblems } from './credentials';
import { findRequirements } from './requirements';

export interface BuildBundleInput {
  name: string;
  version?: string;
  flows: Flow[];
  connections?: Array<Record<string, unknown>>;
  environments?: Environment[];
  /** Event subscriptions the flows' Publish Event nodes deliver to (secret names only). */
  subscriptions?: Subscription[];
  /** Fixed creation time (tests, reproducible builds); default now. */
  createdAt?: string;
}

/**
 * Builds a bundle: flows (revision and edit times dropped: they are the studio's, not the bundle's),
 * connections, environments, and the secrets and variables they need; checksummed.
 *
 * @example
 * const text = serializeBundle(buildBundle({ name: 'itscope', flows: [flow] }));
 */
export function buildBundle(input: BuildBundleInput): Bundle {
  const flows = input.flows.map(({ updatedAt: _u, ...f }) => ({ ...f }) as Flow).sort((a, b) => a.id.localeCompare(b.id));
  const connections = [...(input.connections ?? [])].sort((a, b) => String(a.id).localeCompare(String(b.id)));
  const nodeTypes: Record<string, number> = {};
  for (const f of flows) for (const n of f.nodes) nodeTypes[n.type] = n.version;
  const subscriptions = [...(input.subscriptions ?? [])].sort((a, b) => a.id.localeCompare(b.id));
  const { secrets, variables } = findRequirements(flows, connections, subscriptions);
  const body = {
    formatVersion: BUNDLE_FORMAT_VERSION,
    kind: 'hookline.bundle' as const,
    manifest: { name: input.name, version: input.version ?? '1.0.0', createdAt: input.createdAt ?? new Date().toISOString(), appVersion: VERSION, nodeTypes, checksum: '' },
    flows,
    connections,
    environments: (input.environments ?? []).map((e) => ({ ...e, variables: e.variables.map((v) => (v.secret ? { ...v, value: undefined } : v)) })),
    secrets,
    variables,
    ...(subscriptions.length ? { subscriptions } : {}),
  };
  body.manifest.checksum = checksumOf(body);
  return bundleSchema.parse(body);
}

export { isBundle } from '../model/bundle';

export function checksumOf(bundle: { manifest: { checksum: string } }): string {
  const copy = { ...bundle, manifest: { ...bundle.manifest, checksum: '' } };
  return 'sha256:' + createHash('sha256').update(canonicalJson(copy, 0)).digest('hex');
}

export function serializeBundle(b: Bundle): string {
  return canonicalJson(b);
}

/**
 * Parses and checks a bundle: format, checksum, each flow (every problem with its path, prefixed
 * `flows[i].`), its connections (by the connection schema) and the ones its nodes refer to, node types this
 * build knows. Throws ProblemsError listing everything at once.
 */
export function parseBundle(raw: unknown): Bundle {
  const { bundle, problems } = bundleProblems(raw);
  const errors = problems.filter((p) => p.severity !== 'warning');
  if (!bundle || errors.length) throw new ProblemsError(errors);
  return bundle;
}

/** What `parseBundle` checks, as a list (warnings included) and the bundle when its format is right. */
export function bundleProblems(raw: unknown): { bundle?: Bundle; problems: Problem[] } {
  const notThisFormat = formatProblems(raw);
  if (notThisFormat.length) return { problems: notThisFormat };
  const connections = bundleConnectionLookup((raw as { connections?: unknown } | null)?.connections);
  const parsed = bundleSchema.safeParse(raw, { reportInput: true });
  if (!parsed.success) return { problems: [...zodProblems(parsed.error), ...connections.problems] };
  const b = parsed.data;
  const problems: Problem[] = [];
  const sum = checksumOf(b);
  if (sum !== b.manifest.checksum)
    problems.push({ path: 'manifest.checksum', code: 'invalid_value', message: 'does not match the content: the bundle was changed after export (export it again)' });
  const ids = new Set<string>();
  const rawFlows = (raw as { flows: unknown[] }).flows;
  b.flows.forEach((f, i) => {
    if (ids.has(f.id)) problems.push({ path: `flows[${i}].id`, code: 'duplicate_id', message: `duplicate flow id "${f.id}"` });
    ids.add(f.id);
    const at = (p: Problem) => ({ ...p, path: p.path ? `flows[${i}].${p.path}` : `flows[${i}]` });
    for (const p of validateFlow(f).problems) if (p.severity !== 'warning') problems.push(at(p));
    // Unknown keys are warned about as in a flow file; read from the document as written (the schema drops some).
    for (const p of validateFlow(rawFlows[i]).problems) if (p.code === 'unknown_setting') problems.push(at(p));
  });
  problems.push(...connections.problems);
  // Export refuses these; a bundle made another way still runs, but is told where its credential lies in plain text.
  problems.push(...[...flowCredentialProblems(b.flows), ...environmentCredentialProblems(b.environments)].map((p) => ({ ...p, severity: 'warning' as const })));
  const known = new Set(b.connections.map((c) => c.id));
  b.flows.forEach((f, i) =>
    f.nodes.forEach((n, j) => {
      const ref = (n.settings as { connectionId?: unknown }).connectionId;
      if (typeof ref === 'string' && !n.disabled && !known.has(ref))
        problems.push({ path: `flows[${i}].nodes[${j}].settings.connectionId`, code: 'invalid_value', message: `connection "${ref}" is not in the bundle (it has ${known.size ? [...known].map((k) => `"${String(k)}"`).join(', ') : 'none'})`, nodeId: n.id });
    }),
  );
  for (const [type, version] of Object.entries(b.manifest.nodeTypes)) {
    const spec = findSpec(type);
    if (!spec) problems.push({ path: `manifest.nodeTypes.${type}`, code: 'unknown_node_type', message: `node type "${type}" is not known to this version (${VERSION})${madeBy(b.manifest.appVersion)}` });
    else if (spec.version !== version) problems.push({ path: `manifest.nodeTypes.${type}`, code: 'unknown_node_version', message: `needs version ${version} of "${type}", this build has ${spec.version}${madeBy(b.manifest.appVersion)}` });
  }
  return { bundle: b, problems };
}

/** `; the bundle was exported by Hookline 2.0.0: update …` when the bundle comes from another version. */
const madeBy = (appVersion: string) => (appVersion && appVersion !== VERSION ? `; the bundle was exported by Hookline ${appVersion}: run it with that version or a newer one` : '');

/**
 * The one problem to report when the document is not a bundle this version reads (every schema problem would be
 * noise): no JSON object, a flow file, a bundle of a newer format. Empty when the schema should have its say.
 */
function formatProblems(raw: unknown): Problem[] {
  const one = (path: string, message: string): Problem[] => [{ path, code: 'format_version', message }];
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return one('', `is not a bundle: a bundle is a JSON object with "kind": "hookline.bundle" (got ${Array.isArray(raw) ? 'an array' : raw === null ? 'null' : typeof raw})`);
  const doc = raw as { kind?: unknown; formatVersion?: unknown; nodes?: unknown; manifest?: { appVersion?: unknown } };
  if (doc.kind === undefined && Array.isArray(doc.nodes))
    return one('', 'is a flow file, not a bundle: import it with Import flow (studio) or run it with `hookline run <file>`; to serve it, export a bundle of it (studio: Export bundle, or `hookline export`)');
  if (doc.kind === 'hookline.bundle' && typeof doc.formatVersion === 'number' && doc.formatVersion > BUNDLE_FORMAT_VERSION) {
    const by = typeof doc.manifest?.appVersion === 'string' ? `Hookline ${doc.manifest.appVersion}` : 'a newer Hookline';
    return one('formatVersion', `is ${doc.formatVersion}: the bundle was exported by ${by}, and this version (${VERSION}) reads bundle format ${BUNDLE_FORMAT_VERSION} only: update Hookline to run or import it`);
  }
  return [];
}

/** Secrets and variables the bundle needs that the given environment cannot provide, all at once. */
export function missingRequirements(b: Bundle, has: { secret(name: string): boolean; variable(name: string): boolean }): string[] {
  const out: string[] = [];
  for (const s of b.secrets) if (!has.secret(s.name)) out.push(`secret ${s.name} (used by ${s.usedBy.join('; ')})`);
  for (const v of b.variables) if (!has.variable(v.name)) out.push(`variable ${v.name} (used by ${v.usedBy.join('; ')})`);
  return out;
}
