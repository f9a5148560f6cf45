import { connectionSchema, type Connection } from '../model/connection';
import type { ConnectionLookup } from '../nodes/runner-types';
import { ProblemsError, type Problem } from '../model/problems';
import { zodProblems } from '../model/zod-problems';

/** Validates a bundle's connections and serves them to nodes by id. */
export function connectionLookup(raw: Array<Record<string, unknown>>): ConnectionLookup {
  const problems: Problem[] = [];
  const byId = new Map<string, Connection>();
  raw.forEach((c, i) => {
    const parsed = connectionSchema.safeParse(c);
    if (!parsed.success) problems.push(...zodProblems(parsed.error, `connections[${i}]`));
    else byId.set(parsed.data.id, parsed.data);
  });
  if (problems.length) throw new ProblemsError(problems);
  return { get: (id) => byId.get(id) };
}
