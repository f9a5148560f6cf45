/**
 * Secrets are referenced by name from flows and bundles and resolved here; their values never enter
 * flow JSON, bundles, logs or execution records. Synchronous on purpose: API-key checks sit on the
 * request hot path and every backend (memory, env, file, Electron safeStorage) can answer at once.
 */
export interface SecretStore {
  get(name: string): string | undefined;
  has(name: string): boolean;
  /** Write-only: saving a blank value keeps the stored one (as the ITscope settings page does). */
  set(name: string, value: string): void;
  delete(name: string): void;
  /** Names only, never values. */
  list(): string[];
}

/** Secret names: letters, digits and underscores, so they map 1:1 to environment variables. */
export const SECRET_NAME_RE = /^[A-Za-z_][A-Za-z0-9_]*$/;

export class MemorySecretStore implements SecretStore {
  private readonly values = new Map<string, string>();
  constructor(initial: Record<string, string> = {}) {
    for (const [k, v] of Object.entries(initial)) this.values.set(k, v);
  }
  get(name: string) {
    return this.values.get(name);
  }
  has(name: string) {
    return this.values.has(name);
  }
  set(name: string, value: string) {
    if (!SECRET_NAME_RE.test(name)) throw new Error(`secret name ${JSON.stringify(name)}: use letters, digits and "_"`);
    if (value === '') return;
    this.values.set(name, value);
  }
  delete(name: string) {
    this.values.delete(name);
  }
  list() {
    return [...this.values.keys()].sort();
  }
}
