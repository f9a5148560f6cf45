import { markSecretEnv } from '../model/secret-env';
import type { Bundle, Environment } from '../model/bundle';
import type { SecretStore } from '../secrets/secret-store';
import { missingRequirements } from './bundle';

/**
 * The `$env` a bundle runs with: the chosen environment's plain values, overridden by the process
 * environment; secret variables come from the secret store by name. Lists everything missing at once.
 */
export function resolveEnvironment(b: Bundle, envName: string | undefined, processEnv: Record<string, string | undefined>, secrets: SecretStore): { env: Record<string, string>; environment?: Environment; missing: string[]; unused: string[] } {
  let environment: Environment | undefined;
  if (envName) {
    environment = b.environments.find((e) => e.name === envName);
    if (!environment) {
      const names = b.environments.map((e) => e.name);
      return { env: {}, unused: [], missing: [`environment "${envName}" is not in the bundle (it has ${names.length ? names.map((n) => `"${n}"`).join(', ') : 'none'})`] };
    }
  } else if (b.environments.length === 1) environment = b.environments[0];
  else environment = b.environments.find((e) => e.name === 'default');

  // An empty variable counts as unset: an empty URL or user name is never what was meant.
  const fromEnv = (n: string) => (processEnv[n] === '' ? undefined : processEnv[n]);
  const env: Record<string, string> = {};
  const missing: string[] = [];
  const unused: string[] = [];
  // A variable of the environment that no flow or connection reads is not a reason to refuse to start: a warning.
  const used = new Set(b.variables.map((v) => v.name));
  const lacking = (what: string, name: string) => (used.has(name) ? missing : unused).push(`${what} ${name} (environment "${environment!.name}")`);
  for (const v of environment?.variables ?? []) {
    const fromProcess = fromEnv(v.name);
    if (v.secret) {
      const s = secrets.get(v.name);
      if (s !== undefined) env[v.name] = s;
      else lacking('secret variable', v.name);
    } else if (fromProcess !== undefined) env[v.name] = fromProcess;
    else if (v.value !== undefined) env[v.name] = v.value;
    else lacking('variable', v.name);
  }
  for (const v of b.variables) if (env[v.name] === undefined && fromEnv(v.name) !== undefined) env[v.name] = fromEnv(v.name)!;
  const seen = new Set(missing.map((m) => m.split(' ')[m.startsWith('secret variable') ? 2 : 1]));
  for (const m of missingRequirements(b, { secret: (n) => secrets.has(n), variable: (n) => env[n] !== undefined }))
    if (!seen.has(m.split(' ')[1])) missing.push(m + elsewhere(b, m, environment));
  return { env: markSecretEnv(env, (environment?.variables ?? []).filter((v) => v.secret).map((v) => v.name)), environment, missing, unused };
}

/** For a missing variable another environment of the bundle sets: `; environment "prod" sets it (--env prod)`. */
function elsewhere(b: Bundle, missing: string, chosen: Environment | undefined): string {
  const name = /^variable (\S+)/.exec(missing)?.[1];
  if (!name) return '';
  const with_ = b.environments.filter((e) => e !== chosen && e.variables.some((v) => v.name === name && !v.secret && v.value !== undefined)).map((e) => e.name);
  if (!with_.length) return '';
  return `; the bundle's environment${with_.length > 1 ? 's' : ''} ${with_.map((n) => `"${n}"`).join(', ')} set${with_.length > 1 ? '' : 's'} it: choose one with --env ${with_[0]}`;
}
