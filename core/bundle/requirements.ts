import type { Flow } from '../model/flow';

/**
 * What a flow set needs from its environment: secret names (settings keys `secret`, `secrets`, `*Secret`, as the
 * node and connection schemas name them) and variables read through `$env.NAME` in expressions and templates.
 */
export interface Requirement {
  name: string;
  usedBy: string[];
}

const ENV_RE = /\$env\.(?:`([A-Za-z_][A-Za-z0-9_]*)`|([A-Za-z_][A-Za-z0-9_]*))/g;

export function findRequirements(flows: Flow[], connections: Array<Record<string, unknown>>, subscriptions: ReadonlyArray<{ id: string }> = []): { secrets: Requirement[]; variables: Requirement[] } {
  const secrets = new Map<string, Set<string>>();
  const variables = new Map<string, Set<string>>();
  const add = (m: Map<string, Set<string>>, n: string, where: string) => {
    if (!m.has(n)) m.set(n, new Set());
    m.get(n)!.add(where);
  };
  const walk = (v: unknown, where: string, key = '') => {
    if (typeof v === 'string') {
      if (key === 'secret' || /Secret$/.test(key)) add(secrets, v, where);
      for (const m of v.matchAll(ENV_RE)) add(variables, m[1] ?? m[2], where);
    } else if (Array.isArray(v)) {
      for (const x of v) {
        if (key === 'secrets' && typeof x === 'string') add(secrets, x, where);
        else walk(x, where, '');
      }
    } else if (v && typeof v === 'object') {
      for (const [k, x] of Object.entries(v)) walk(x, where, k);
    }
  };
  for (const f of flows) for (const n of f.nodes) walk(n.settings, `flow ${f.id}, node ${n.id}`);
  for (const c of connections) walk(c, `connection ${String(c.id)}`);
  for (const sub of subscriptions) walk(sub, `subscription ${sub.id}`);
  const list = (m: Map<string, Set<string>>) =>
    [...m.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([name, used]) => ({ name, usedBy: [...used].sort() }));
  return { secrets: list(secrets), variables: list(variables) };
}
