import type { SecretStore } from './secret-store';

/**
 * Wraps a store and remembers every secret it has resolved, whatever the source (a secrets file,
 * `HOOKLINE_SECRET_NAME` or plain `NAME` in the environment), so logs and outputs can hide exactly the values in
 * use. `list()` alone cannot say that: the environment cannot tell a plain `ERP_PASSWORD` from any other variable.
 *
 * @example
 * const secrets = new TrackingSecretStore(new EnvSecretStore({ ERP_PASSWORD: 'pw-1234' }));
 * secrets.declare(['ERP_PASSWORD']);
 * secrets.values(); // ['pw-1234']
 */
export class TrackingSecretStore implements SecretStore {
  private readonly resolved = new Set<string>();
  constructor(private readonly inner: SecretStore) {}
  get(name: string) {
    const v = this.inner.get(name);
    if (v !== undefined && v !== '') this.resolved.add(name);
    return v;
  }
  has(name: string) {
    return this.get(name) !== undefined && this.inner.has(name);
  }
  set(name: string, value: string) {
    this.inner.set(name, value);
    this.get(name);
  }
  delete(name: string) {
    this.inner.delete(name);
  }
  list() {
    return this.inner.list();
  }
  /** Secrets a flow or bundle refers to, hidden from the start even before anything reads them. */
  declare(names: Iterable<string>) {
    for (const n of names) this.get(n);
  }
  /** Names resolved or declared so far, plus those the store lists. */
  names(): string[] {
    return [...new Set([...this.resolved, ...this.inner.list()])].sort();
  }
  /** The values to hide: of every name above that is set. */
  values(): string[] {
    return this.names()
      .map((n) => this.inner.get(n))
      .filter((v): v is string => !!v);
  }
}
