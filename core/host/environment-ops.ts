import { markSecretEnv, secretEnvNames } from '../model/secret-env';
import { isPlainCredential } from '../bundle/credentials';
import { environmentSchema, type Environment } from '../model/bundle';
import { ProblemsError, type Problem } from '../model/problems';
import { zodProblems } from '../model/zod-problems';
import type { Runtime } from '../runtime/runtime';
import type { SecretStore } from '../secrets/secret-store';
import type { HostApi } from './api';
import type { EnvironmentChange, EnvironmentsState, EnvironmentVariableInfo } from './environment-types';
import type { EnvironmentRepository } from './environment-repo';
import { EnvironmentSecrets, envSecretName, envSecretValue } from './environment-secrets';

type Env = Record<string, string | undefined>;

/**
 * What flows in the studio read as `$env`: the studio's process environment, with the active environment's
 * variables over it. Unlike `hookline serve` (where the server's environment overrides a bundle's values), what
 * the Environments page shows wins here: a designer who picks "staging" gets staging's URL, not a variable left in
 * the shell. A secret variable's value is the environment's own from the secret store (see environment-secrets.ts);
 * without one, the process environment's value (if any) stays. Empty values count as unset, as in serve.
 */
export function studioEnv(processEnv: Env, active: Environment | undefined, secrets: SecretStore): Record<string, string> {
  const env: Record<string, string> = {};
  for (const k in processEnv) {
    const v = processEnv[k];
    if (v) env[k] = v;
  }
  for (const v of active?.variables ?? []) {
    const value = v.secret ? envSecretValue(secrets, active!.name, v.name) : v.value;
    if (value) env[v.name] = value;
  }
  return markSecretEnv(env, (active?.variables ?? []).filter((v) => v.secret).map((v) => v.name));
}

type EnvironmentOps = Pick<HostApi, 'getEnvironments' | 'saveEnvironment' | 'deleteEnvironment' | 'setActiveEnvironment'> & {
  /** Applies the active environment again if what flows would read changed (a secret set, a bundle imported). */
  refresh(): Promise<EnvironmentChange>;
};

/**
 * The host's environment operations. Every change that alters `$env` hands the new values to the runtime, which
 * deploys the deployed flows again (their settings and connections are prepared with `$env`); a change that
 * alters nothing redeploys nothing.
 */
export function createEnvironmentOps(d: { runtime: Runtime; repo: EnvironmentRepository; secrets: SecretStore; processEnv: Env }): EnvironmentOps {
  const { runtime, repo } = d;
  // Every environment's values, read and written where they are stored: through the studio's view of the store
  // (EnvironmentSecrets) a plain name would read as the active environment's value.
  const secrets = d.secrets instanceof EnvironmentSecrets ? d.secrets.inner : d.secrets;

  /** What the page shows, from one read of the environments. */
  const state = ({ list, active }: ReturnType<EnvironmentRepository['read']>): EnvironmentsState => ({
    active: active?.name ?? null,
    environments: list.map((e) => {
      const variables = e.variables.map((v): EnvironmentVariableInfo => (v.secret ? secretInfo(e.name, v) : { name: v.name, value: v.value, secret: false, description: v.description }));
      return { name: e.name, variables, missing: variables.filter((v) => !(v.secret ? v.set : v.value) && !d.processEnv[v.name]).map((v) => v.name) };
    }),
  });

  /** A secret variable as the page shows it: set or not, and whether only by the shared secret of its name. */
  function secretInfo(environment: string, v: Environment['variables'][number]): EnvironmentVariableInfo {
    const own = secrets.has(envSecretName(environment, v.name));
    const shared = !own && secrets.has(v.name);
    return { name: v.name, secret: true, description: v.description, set: own || shared, ...(shared ? { shared: true } : {}) };
  }

  async function apply(): Promise<EnvironmentChange> {
    const read = repo.read();
    // Connections that name a secret variable read the active environment's value (before the redeploy below).
    if (d.secrets instanceof EnvironmentSecrets) d.secrets.use(read.active);
    const next = studioEnv(d.processEnv, read.active, secrets);
    const now = runtime.env;
    const sameSecrets = [...secretEnvNames(next)].sort().join('\0') === [...secretEnvNames(now)].sort().join('\0');
    const same = sameSecrets && Object.keys(next).length === Object.keys(now).length && Object.keys(next).every((k) => now[k] === next[k]);
    const done = same ? { redeployed: [], failed: [] } : await runtime.setEnv(next);
    return { state: state(read), ...done };
  }

  /**
   * An edit's secret values: a renamed environment takes its own along; a secret variable removed (or made plain)
   * loses its value, which nothing else reads.
   */
  function moveSecretValues(before: Environment, after: Environment) {
    const kept = new Set(after.variables.filter((v) => v.secret).map((v) => v.name));
    for (const v of before.variables) {
      if (!v.secret) continue;
      const from = envSecretName(before.name, v.name);
      const value = secrets.get(from);
      if (value === undefined) continue;
      const to = envSecretName(after.name, v.name);
      if (kept.has(v.name) && to !== from) secrets.set(to, value);
      if (!kept.has(v.name) || to !== from) secrets.delete(from);
    }
  }

  return {
    refresh: apply,
    async getEnvironments() {
      return state(repo.read());
    },
    async saveEnvironment(input, opts = {}) {
      const list = repo.list();
      const parsed = environmentSchema.safeParse(input);
      if (!parsed.success) throw new ProblemsError(zodProblems(parsed.error));
      const env = parsed.data;
      const problems: Problem[] = [];
      const previous = opts.previousName ?? env.name;
      const at = list.findIndex((e) => e.name === previous);
      if (opts.previousName !== undefined && at < 0) problems.push({ path: 'previousName', code: 'invalid_value', message: `there is no environment "${opts.previousName}" to rename` });
      // A new environment (no previousName) never replaces one of the same name: edits name the one they edit.
      if ((opts.previousName === undefined || env.name !== previous) && list.some((e) => e.name === env.name)) problems.push({ path: 'name', code: 'invalid_value', message: `an environment "${env.name}" exists already` });
      const firstAt = new Map<string, number>();
      env.variables.forEach((v, i) => {
        const first = firstAt.get(v.name);
        if (first === undefined) firstAt.set(v.name, i);
        else problems.push({ path: `variables[${i}].name`, code: 'invalid_value', message: `"${v.name}" is declared twice (also variables[${first}])` });
      });
      // The rule Export bundle applies, said for this page: a bundle would carry the plain value.
      env.variables.forEach((v, i) => {
        if (isPlainCredential(v)) problems.push({ path: `variables[${i}].value`, code: 'invalid_value', message: `${v.name} looks like a credential: make it a secret variable (a plain value would go into exported bundles)` });
      });
      // A value typed into a secret variable goes to the secret store like secretValues; the file never holds it.
      const values: Record<string, string> = { ...opts.secretValues };
      for (const v of env.variables) if (v.secret && v.value) values[v.name] ||= v.value;
      for (const name of Object.keys(opts.secretValues ?? {}))
        if (!env.variables.some((v) => v.secret && v.name === name)) problems.push({ path: `secretValues.${name}`, code: 'invalid_value', message: `${name} is not a secret variable of "${env.name}"` });
      if (problems.length) throw new ProblemsError(problems);

      const saved: Environment = { name: env.name, variables: env.variables.map((v) => (v.secret ? { ...v, value: undefined } : v)) };
      const before = opts.previousName !== undefined ? list[at] : undefined;
      if (before) list[at] = saved;
      else list.push(saved);
      repo.write(list);
      if (before) moveSecretValues(before, saved);
      for (const [name, value] of Object.entries(values)) if (value) secrets.set(envSecretName(env.name, name), value);
      if (previous !== env.name && repo.activeName() === previous) repo.setActive(env.name);
      return apply();
    },
    async deleteEnvironment(name) {
      const list = repo.list();
      const gone = list.find((e) => e.name === name);
      if (!gone) throw new ProblemsError([{ path: 'name', code: 'invalid_value', message: `there is no environment "${name}"` }]);
      // Its own secret values go with it; one stored under a plain name stays (other environments may use it).
      repo.write(list.filter((e) => e !== gone));
      for (const v of gone.variables) if (v.secret) secrets.delete(envSecretName(name, v.name));
      if (repo.activeName() === name) repo.setActive(null);
      return apply();
    },
    async setActiveEnvironment(name) {
      const list = repo.list();
      if (name !== null && !list.some((e) => e.name === name)) {
        const names = list.map((e) => `"${e.name}"`);
        throw new ProblemsError([{ path: 'name', code: 'invalid_value', message: `there is no environment "${name}" (there ${names.length === 1 ? 'is' : 'are'} ${names.length ? names.join(', ') : 'none'})` }]);
      }
      repo.setActive(name);
      return apply();
    },
  };
}
