import fs from 'node:fs';
import { jsonErrorLocation } from './json-error';
import { MemorySecretStore, SECRET_NAME_RE, type SecretStore } from './secret-store';

const PREFIX = 'HOOKLINE_SECRET_';
const FILE_SUFFIX = '_FILE';

/**
 * Headless secrets. A secret named `ERP_PASSWORD` is read from the environment variable
 * `HOOKLINE_SECRET_ERP_PASSWORD`, else from the file `HOOKLINE_SECRET_ERP_PASSWORD_FILE` names (Docker and Kubernetes
 * mount secrets as files; one trailing line break is dropped), else `ERP_PASSWORD`. Files are read once, at start.
 * Values set at run time (the studio) live in memory.
 */
export class EnvSecretStore implements SecretStore {
  private readonly overlay = new MemorySecretStore();
  private readonly fromFiles = new Map<string, string>();
  constructor(private readonly env: NodeJS.ProcessEnv = process.env) {
    for (const [k, file] of Object.entries(env)) {
      if (!k.startsWith(PREFIX) || !k.endsWith(FILE_SUFFIX) || file === undefined) continue;
      const name = k.slice(PREFIX.length, -FILE_SUFFIX.length);
      // As the official database images do: one source per secret, never a silent choice between two.
      if (env[`${PREFIX}${name}`] !== undefined) throw new Error(`${PREFIX}${name} and ${k} are both set: set only one (${k} names a file holding the value)`);
      let text: string;
      try {
        text = fs.readFileSync(file, 'utf8');
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        throw new Error(`${k}=${file}: ${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a folder, not a file' : code === 'EACCES' ? 'not readable by this user' : (e as Error).message}`);
      }
      this.fromFiles.set(name, text.replace(/\r?\n$/, ''));
    }
  }
  get(name: string) {
    return this.overlay.get(name) ?? this.env[`${PREFIX}${name}`] ?? this.fromFiles.get(name) ?? this.env[name];
  }
  has(name: string) {
    return this.get(name) !== undefined && this.get(name) !== '';
  }
  set(name: string, value: string) {
    this.overlay.set(name, value);
  }
  delete(name: string) {
    this.overlay.delete(name);
  }
  list() {
    const fromEnv = Object.keys(this.env)
      .filter((k) => k.startsWith(PREFIX) && !(k.endsWith(FILE_SUFFIX) && this.fromFiles.has(k.slice(PREFIX.length, -FILE_SUFFIX.length))))
      .map((k) => k.slice(PREFIX.length));
    return [...new Set([...fromEnv, ...this.fromFiles.keys(), ...this.overlay.list()])].sort();
  }
}

/**
 * Secrets in a JSON file (`{ "NAME": "value" }`) that only its owner may read (mode 0600): the store
 * refuses a file that group or others can read, and writes with 0600.
 */
export class FileSecretStore implements SecretStore {
  private values: Record<string, string>;
  constructor(private readonly file: string, opts: { create?: boolean } = {}) {
    if (!fs.existsSync(file)) {
      if (!opts.create) throw new Error(`secrets file ${file} does not exist`);
      this.values = {};
      this.save();
      return;
    }
    const mode = fs.statSync(file).mode & 0o777;
    if (process.platform !== 'win32' && (mode & 0o077) !== 0)
      throw new Error(`secrets file ${file} is readable or writable by its group or others (mode ${mode.toString(8)}; 0600 or stricter is needed); run: chmod 600 ${file} (a Kubernetes secret mounted as a file: defaultMode 0400; or give each secret as HOOKLINE_SECRET_<NAME>_FILE)`);
    const text = fs.readFileSync(file, 'utf8');
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      // Only where: the parser's own message quotes the text around the error, i.e. secret values.
      const at = jsonErrorLocation(text);
      throw new Error(`secrets file ${file} is not valid JSON${at ? ` (line ${at.line}, column ${at.column})` : ''}; its content is not shown because it holds secrets`);
    }
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error(`secrets file ${file} must hold a JSON object of name -> value`);
    for (const [k, v] of Object.entries(parsed)) {
      if (!SECRET_NAME_RE.test(k)) throw new Error(`secrets file ${file}: "${k}" is not a valid secret name (letters, digits, "_")`);
      if (typeof v !== 'string') throw new Error(`secrets file ${file}: "${k}" must be a string`);
    }
    this.values = parsed as Record<string, string>;
  }
  get(name: string) {
    return Object.prototype.hasOwnProperty.call(this.values, name) ? this.values[name] : undefined;
  }
  has(name: string) {
    return this.get(name) !== undefined;
  }
  set(name: string, value: string) {
    if (!SECRET_NAME_RE.test(name)) throw new Error(`secret name ${JSON.stringify(name)}: use letters, digits and "_"`);
    if (value === '') return;
    this.values[name] = value;
    this.save();
  }
  delete(name: string) {
    delete this.values[name];
    this.save();
  }
  list() {
    return Object.keys(this.values).sort();
  }
  private save() {
    fs.writeFileSync(this.file, JSON.stringify(this.values, null, 2), { mode: 0o600 });
    fs.chmodSync(this.file, 0o600);
  }
}

/** Looks secrets up in each store in turn (e.g. a secrets file first, then the environment). */
export class ChainSecretStore implements SecretStore {
  constructor(private readonly stores: SecretStore[]) {}
  get(name: string) {
    for (const s of this.stores) {
      const v = s.get(name);
      if (v !== undefined) return v;
    }
    return undefined;
  }
  has(name: string) {
    return this.get(name) !== undefined;
  }
  set(name: string, value: string) {
    this.stores[0].set(name, value);
  }
  delete(name: string) {
    this.stores[0].delete(name);
  }
  list() {
    return [...new Set(this.stores.flatMap((s) => s.list()))].sort();
  }
}
