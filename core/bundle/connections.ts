import { connectionSchema, type Connection } from '../model/connection';
import type { ConnectionLookup } from '../nodes/runner-types';
import { ProblemsError, type Problem } from '../model/problems';
import { zodProblems } from '../model/zod-problems';

/**
 * Checks a bundle's connections with the connection schema (every problem with its path, `connections[1].auth.tokenUrl`)
 * and serves the valid ones by id. Anything that is not an array of objects is left to the bundle schema.
 */
export function bundleConnectionLookup(raw: unknown): { lookup: ConnectionLookup; problems: Problem[] } {
  const problems: Problem[] = [];
  const byId = new Map<string, Connection>();
  const ids = new Set<string>();
  (Array.isArray(raw) ? raw : []).forEach((c: unknown, i) => {
    if (!c || typeof c !== 'object' || Array.isArray(c)) return;
    const id = (c as { id?: unknown }).id;
    if (typeof id === 'string') {
      if (ids.has(id)) problems.push({ path: `connections[${i}].id`, code: 'duplicate_id', message: `duplicate connection id "${id}"` });
      ids.add(id);
    }
    const parsed = connectionSchema.safeParse(c);
    if (!parsed.success) problems.push(...zodProblems(parsed.error, `connections[${i}]`));
    else if (!byId.has(parsed.data.id)) byId.set(parsed.data.id, parsed.data);
  });
  return { lookup: { get: (id) => byId.get(id) }, problems };
}

/** Validates a bundle's connections and serves them to nodes by id; throws ProblemsError listing every problem. */
export function connectionLookup(raw: Array<Record<string, unknown>>): ConnectionLookup {
  const { lookup, problems } = bundleConnectionLookup(raw);
  if (problems.some((p) => p.severity !== 'warning')) throw new ProblemsError(problems);
  return lookup;
}
