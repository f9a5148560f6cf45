import type { SecretStore } from '../secrets/secret-store';

/**
 * Where the studio keeps a secret variable's value: one per environment (dev and prod hold different passwords,
 * as in Postman), under a secret name made from both names. The environment's name is spelled with letters and
 * digits only (every other byte as `_xx`), so no two environments share a prefix and the name is a valid secret
 * name. A value stored under the plain variable name (on the Secrets page, or by studios before this scheme)
 * still counts for every environment without its own; `hookline serve` reads secret variables by plain name,
 * since a server runs one environment.
 */
export const ENV_SECRET_PREFIX = 'HLENV_';

export function envSecretName(environment: string, variable: string): string {
  let spelled = '';
  for (const byte of Buffer.from(environment, 'utf8')) {
    const c = String.fromCharCode(byte);
    spelled += /[A-Za-z0-9]/.test(c) ? c : `_${byte.toString(16).padStart(2, '0')}`;
  }
  return `${ENV_SECRET_PREFIX}${spelled}__${variable}`;
}

/** Secret names the Environments page manages (left out of the Secrets list). */
export const isEnvSecretName = (name: string) => name.startsWith(ENV_SECRET_PREFIX);

/** A secret variable's value in an environment: its own, else the one stored under the plain name. */
export function envSecretValue(secrets: SecretStore, environment: string, variable: string): string | undefined {
  return secrets.get(envSecretName(environment, variable)) ?? secrets.get(variable);
}

/**
 * The studio's secret store as flows and connections read it: a secret variable of the active environment reads
 * as that environment's own value, so a connection whose token is the secret `PARTNER_TOKEN` sends dev's token
 * with "dev" active and prod's with "prod" (Postman's environment values over its globals). Other names, and
 * every write, go to the store underneath.
 */
export class EnvironmentSecrets implements SecretStore {
  private active = new Map<string, string>();
  constructor(readonly inner: SecretStore) {}
  /** Takes the environment that is active now (the host calls this before handing the runtime the new `$env`). */
  use(environment: { name: string; variables: Array<{ name: string; secret?: boolean }> } | undefined) {
    this.active = new Map((environment?.variables ?? []).filter((v) => v.secret).map((v) => [v.name, envSecretName(environment!.name, v.name)]));
  }
  get(name: string) {
    const own = this.active.get(name);
    return (own === undefined ? undefined : this.inner.get(own)) ?? this.inner.get(name);
  }
  has(name: string) {
    const own = this.active.get(name);
    return (own !== undefined && this.inner.has(own)) || this.inner.has(name);
  }
  set(name: string, value: string) {
    this.inner.set(name, value);
  }
  delete(name: string) {
    this.inner.delete(name);
  }
  list() {
    return this.inner.list();
  }
}
