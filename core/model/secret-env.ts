/**
 * Which `$env` variables hold secrets (an environment's secret variables, whose values come from the secret
 * store): their values are masked in execution records and HTTP traffic as a connection's secrets are. The names
 * travel with the env object itself (the runtime hands the same object to every flow, node and preview), so no
 * context that passes `$env` along can drop them. Browser-safe.
 */
const marked = new WeakMap<object, ReadonlySet<string>>();
const NONE: ReadonlySet<string> = new Set();
const NO_VALUES: readonly string[] = [];

/** Records that `names` of `env` are secret; returns `env`. Marking again replaces the names. */
export function markSecretEnv<T extends Record<string, string | undefined>>(env: T, names: Iterable<string>): T {
  const set = new Set(names);
  if (set.size) marked.set(env, set);
  else marked.delete(env);
  return env;
}

/** The secret variable names of an env object (empty when none was marked). */
export function secretEnvNames(env: object): ReadonlySet<string> {
  return marked.get(env) ?? NONE;
}

/** The values of an env object's secret variables that are set: what records must not show. */
export function secretEnvValues(env: Readonly<Record<string, string | undefined>>): readonly string[] {
  const names = marked.get(env);
  if (!names) return NO_VALUES;
  const out: string[] = [];
  for (const n of names) {
    const v = env[n];
    if (v) out.push(v);
  }
  return out;
}
