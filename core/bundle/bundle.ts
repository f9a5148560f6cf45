import { createHash } from 'node:crypto';
import { bundleSchema, BUNDLE_FORMAT_VERSION, type Bundle, type Environment } from '../model/bundle';
import type { Flow } from '../model/flow';
import { ProblemsError, type Problem } from '../model/problems';
import { validateFlow } from '../model/validate';
import { zodProblems } from '../model/zod-problems';
import { findSpec } from '../nodes/catalogue';
import { VERSION } from '../version';
import { canonicalJson } from './canonical';
import { bundleConnectionLookup } from './connections';
import { findRequirements } from './requirements';

export interface BuildBundleInput {
  name: string;
  version?: string;
  flows: Flow[];
  connections?: Array<Record<string, unknown>>;
  environments?: Environment[];
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
  const { secrets, variables } = findRequirements(flows, connections);
  const body = {
    formatVersion: BUNDLE_FORMAT_VERSION,
    kind: 'hookline.bundle' as const,
    manifest: { name: input.name, version: input.version ?? '1.0.0', createdAt: input.createdAt ?? new Date().toISOString(), appVersion: VERSION, nodeTypes, checksum: '' },
    flows,
    connections,
    environments: (input.environments ?? []).map((e) => ({ ...e, variables: e.variables.map((v) => (v.secret ? { ...v, value: undefined } : v)) })),
    secrets,
    variables,
  };
  body.manifest.checksum = checksumOf(body);
  return bundleSchema.parse(body);
}

export function isBundle(raw: unknown): boolean {
  return !!raw && typeof raw === 'object' && (raw as { kind?: unknown }).kind === 'hookline.bundle';
}

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
  const connections = bundleConnectionLookup((raw as { connections?: unknown } | null)?.connections);
  const parsed = bundleSchema.safeParse(raw);
  if (!parsed.success) return { problems: [...zodProblems(parsed.error), ...connections.problems] };
  const b = parsed.data;
  const problems: Problem[] = [];
  const sum = checksumOf(b);
  if (sum !== b.manifest.checksum)
    problems.push({ path: 'manifest.checksum', code: 'invalid_value', message: 'does not match the content: the bundle was changed after export (export it again)' });
  const ids = new Set<string>();
  b.flows.forEach((f, i) => {
    if (ids.has(f.id)) problems.push({ path: `flows[${i}].id`, code: 'duplicate_id', message: `duplicate flow id "${f.id}"` });
    ids.add(f.id);
    for (const p of validateFlow(f).problems) if (p.severity !== 'warning') problems.push({ ...p, path: p.path ? `flows[${i}].${p.path}` : `flows[${i}]` });
  });
  problems.push(...connections.problems);
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
    if (!spec) problems.push({ path: `manifest.nodeTypes.${type}`, code: 'unknown_node_type', message: `node type "${type}" is not known to this version (${VERSION})` });
    else if (spec.version !== version) problems.push({ path: `manifest.nodeTypes.${type}`, code: 'unknown_node_version', message: `needs version ${version} of "${type}", this build has ${spec.version}` });
  }
  return { bundle: b, problems };
}

/** Secrets and variables the bundle needs that the given environment cannot provide, all at once. */
export function missingRequirements(b: Bundle, has: { secret(name: string): boolean; variable(name: string): boolean }): string[] {
  const out: string[] = [];
  for (const s of b.secrets) if (!has.secret(s.name)) out.push(`secret ${s.name} (used by ${s.usedBy.join('; ')})`);
  for (const v of b.variables) if (!has.variable(v.name)) out.push(`variable ${v.name} (used by ${v.usedBy.join('; ')})`);
  return out;
}
