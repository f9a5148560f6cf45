import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { SECRET_NAME_RE, type SecretStore } from '../core/secrets/secret-store';

/** The slice of Electron's `safeStorage` this store uses. */
export interface SafeStorageLike {
  isEncryptionAvailable(): boolean;
  encryptString(plain: string): Buffer;
  decryptString(encrypted: Buffer): string;
  getSelectedStorageBackend?(): string;
}

interface SecretsFile {
  version: 1;
  /** name -> base64 of the safeStorage ciphertext. */
  secrets: Record<string, string>;
}

/**
 * Secrets encrypted with the OS keychain (Electron safeStorage) in a JSON file in userData. On Linux
 * without a keyring Electron falls back to the `basic_text` backend, which "encrypts" with a hard-coded
 * key; storing secrets that way would only look safe, so the store refuses writes and warns instead.
 */
export class SafeStorageSecretStore implements SecretStore {
  private readonly encrypted: Record<string, string>;
  private readonly plain = new Map<string, string>();
  /** Why writes are refused, or undefined when encryption is real. */
  readonly unavailableReason: string | undefined;

  constructor(
    private readonly file: string,
    private readonly safeStorage: SafeStorageLike,
    opts: { platform?: NodeJS.Platform; warn?: (message: string) => void } = {},
  ) {
    const warn = opts.warn ?? ((m: string) => console.warn(`\n*** hookline: ${m} ***\n`));
    this.encrypted = readSecretsFile(file, warn);
    const platform = opts.platform ?? process.platform;
    if (!safeStorage.isEncryptionAvailable()) {
      this.unavailableReason = 'OS encryption (safeStorage) is not available';
    } else if (platform === 'linux' && safeStorage.getSelectedStorageBackend?.() === 'basic_text') {
      this.unavailableReason = 'no system keyring found (safeStorage backend is basic_text, i.e. plain text)';
    }
    if (this.unavailableReason) {
      warn(`${this.unavailableReason}: secrets cannot be stored. Install and unlock a keyring (GNOME Keyring / KWallet), or run \`hookline serve\` with secrets from environment variables.`);
    }
  }

  get(name: string): string | undefined {
    const cached = this.plain.get(name);
    if (cached !== undefined) return cached;
    const enc = this.encrypted[name];
    if (enc === undefined || this.unavailableReason) return undefined;
    try {
      const value = this.safeStorage.decryptString(Buffer.from(enc, 'base64'));
      this.plain.set(name, value);
      return value;
    } catch {
      return undefined;
    }
  }

  has(name: string): boolean {
    return Object.prototype.hasOwnProperty.call(this.encrypted, name);
  }

  set(name: string, value: string): void {
    if (!SECRET_NAME_RE.test(name)) throw new Error(`secret name ${JSON.stringify(name)}: use letters, digits and "_"`);
    if (value === '') return;
    if (this.unavailableReason) throw Object.assign(new Error(`secret ${name}: not stored, ${this.unavailableReason}`), { code: 'secrets_unavailable' });
    this.encrypted[name] = this.safeStorage.encryptString(value).toString('base64');
    this.plain.set(name, value);
    this.save();
  }

  delete(name: string): void {
    if (!this.has(name)) return;
    delete this.encrypted[name];
    this.plain.delete(name);
    this.save();
  }

  list(): string[] {
    return Object.keys(this.encrypted).sort();
  }

  private save() {
    mkdirSync(path.dirname(this.file), { recursive: true });
    const body: SecretsFile = { version: 1, secrets: this.encrypted };
    // Write then rename, so a crash mid-write never leaves a truncated file.
    const tmp = `${this.file}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(body, null, 2), { mode: 0o600 });
    renameSync(tmp, this.file);
  }
}

function readSecretsFile(file: string, warn: (m: string) => void): Record<string, string> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return {};
  }
  try {
    const parsed = JSON.parse(text) as SecretsFile;
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries(parsed.secrets ?? {})) if (SECRET_NAME_RE.test(k) && typeof v === 'string') out[k] = v;
    return out;
  } catch {
    // Keep the unreadable file for recovery instead of overwriting it with the next save.
    const aside = `${file}.corrupt-${Date.now()}`;
    try {
      renameSync(file, aside);
    } catch {}
    warn(`${file} is not valid JSON; moved it to ${aside} and started with no secrets`);
    return {};
  }
}
