import { connectionSchema, type Connection } from '../model/connection';
import type { ConnectionLookup } from '../nodes/runner-types';
import { formatPath, joinPath, ProblemsError, type Problem } from '../model/problems';
import { zodProblems } from '../model/zod-problems';
import { unknownKeyMessage, unknownKeys } from '../model/unknown-keys';

/**
 * Checks a bundle's connections with the connection schema (every problem with its path, `connections[1].auth.tokenUrl`)
 * and serves the valid ones by id. Anything that is not an array of objects is left to the bundle schema.
 */
export function bundleConnectionLookup(raw: unknown): { lookup: ConnectionLookup; problems: Problem[] } {
  const problems: Problem[] = [];
  const byId = new Map<string, Connection>();
  const ids = new Set<string>();
  (Array.isArray(raw) ? raw : []).forEach((c: unknown, i) => {
    if (!c || typeof c !== 'object' || Array.isArray(c)) return;
    const id = (c as { id?: unknown }).id;
    if (typeof id === 'string') {
      if (ids.has(id)) problems.push({ path: `connections[${i}].id`, code: 'duplicate_id', message: `duplicate connection id "${id}"` });
      ids.add(id);
    }
    const checked = checkConnection(c, `connections[${i}]`);
    problems.push(...checked.problems);
    if (checked.connection && !checked.problems.some((p) => p.severity !== 'warning') && !byId.has(checked.connection.id)) byId.set(checked.connection.id, checked.connection);
  });
  return { lookup: { get: (id) => byId.get(id) }, problems };
}

/** Names of fields that hold a credential itself, where a connection may only name the secret that holds it. */
const CREDENTIAL_KEY = /pass(word|wd|phrase)?$|secret$|token$|api[-_]?key|credential|private[-_]?key|^key$|^pfx$|^cert(ificate)?$|^authorization$|^cookie$/i;
/** Header names whose literal value is a credential (use `valueSecret` for them). */
export const CREDENTIAL_HEADER = /^(authorization|proxy-authorization|cookie)$|api[-_]?key|token|secret|password/i;

/**
 * Checks one connection document by the connection schema, and for what the schema would silently drop: a field it
 * does not know is a warning (it is left out), one named like a credential (`password`, `token`, `apiKey`, ...) or a
 * literal credential header is an error, since its value would travel in the bundle. `connection` is the parsed
 * document (defaults filled in, unknown fields dropped) when the schema accepts it.
 *
 * @example
 * checkConnection({ id: 'erp', name: 'ERP', auth: { type: 'basic', username: 'u', passwordSecret: 'PW', password: 'x' } }, 'connections[0]').problems
 * // [{ path: 'connections[0].auth.password', message: 'holds a plaintext credential: ...' }]
 */
export function checkConnection(raw: unknown, prefix: string): { connection?: Connection; problems: Problem[] } {
  const parsed = connectionSchema.safeParse(raw);
  if (!parsed.success) return { problems: zodProblems(parsed.error, prefix) };
  const problems: Problem[] = [];
  const at = (path: PropertyKey[]) => joinPath(prefix, formatPath(path));
  // A typo (`baseURL`) is named with the key it was meant to be; a field of another auth type is just left out.
  const unknown = new Map(unknownKeys(connectionSchema, raw).map((u) => [at(u.path), u]));
  const walk = (r: unknown, p: unknown, path: PropertyKey[]) => {
    if (Array.isArray(r) && Array.isArray(p)) r.forEach((x, i) => walk(x, p[i], [...path, i]));
    else if (r && typeof r === 'object' && p && typeof p === 'object')
      for (const [k, v] of Object.entries(r)) {
        if (k in p) walk(v, (p as Record<string, unknown>)[k], [...path, k]);
        else if (CREDENTIAL_KEY.test(k) && v !== '' && v !== null && v !== undefined)
          problems.push({ path: at([...path, k]), code: 'invalid_value', message: `holds a plaintext credential: a connection names the secret that holds it (e.g. ${secretFieldHint(path, k)}), never the value` });
        else {
          const u = unknown.get(at([...path, k]));
          problems.push({ path: at([...path, k]), code: 'unknown_setting', message: u ? unknownKeyMessage(u, 'unknown setting, left out') : 'is not a connection field and is left out', severity: 'warning' });
        }
      }
  };
  walk(raw, parsed.data, []);
  problems.push(...urlPasswordProblems(raw, prefix));
  const auth = parsed.data.auth;
  if (auth.type === 'headers')
    auth.headers.forEach((h, i) => {
      if (h.value && CREDENTIAL_HEADER.test(h.name))
        problems.push({ path: at(['auth', 'headers', i, 'value']), code: 'invalid_value', message: `holds a plaintext credential for header "${h.name}": use valueSecret with the name of a secret` });
    });
  return { connection: parsed.data, problems };
}

/** `scheme://user:password@host…` with a literal password (a `{{ … }}` password is computed, not written down). */
const URL_PASSWORD = /^\s*[a-z][a-z0-9+.-]*:\/\/[^/\s@{}]*:[^/\s@{}]+@/i;

/**
 * Every string under `value` that is a URL with a password in it (`https://bob:pw@partner.example`), at its path
 * under `prefix`: the password would travel wherever the document goes.
 *
 * @example
 * urlPasswordProblems({ url: 'https://bob:pw@x.example/' }, 'flows[0].nodes[1].settings') // [{ path: 'flows[0].nodes[1].settings.url', … }]
 */
export function urlPasswordProblems(value: unknown, prefix: string, skip: (path: PropertyKey[]) => boolean = () => false): Problem[] {
  const out: Problem[] = [];
  const walk = (v: unknown, path: PropertyKey[]) => {
    if (skip(path)) return;
    if (typeof v === 'string') {
      if (URL_PASSWORD.test(v))
        out.push({ path: joinPath(prefix, formatPath(path)), code: 'invalid_value', message: 'holds a password in the URL (user:password@host): a bundle names secrets, never their values; use basic auth with the password in a secret (passwordSecret)' });
    } else if (Array.isArray(v)) v.forEach((x, i) => walk(x, [...path, i]));
    else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) walk(x, [...path, k]);
  };
  walk(value, []);
  return out;
}

function secretFieldHint(path: PropertyKey[], key: string): string {
  const known: Record<string, string> = { password: 'passwordSecret', token: 'tokenSecret', clientSecret: 'clientSecretSecret', apiKey: 'valueSecret', passphrase: 'passphraseSecret' };
  return `"${known[key] ?? `${key}Secret`}"${path.length ? ` in ${formatPath(path)}` : ''}`;
}

/** Validates a bundle's connections and serves them to nodes by id; throws ProblemsError listing every problem. */
export function connectionLookup(raw: Array<Record<string, unknown>>): ConnectionLookup {
  const { lookup, problems } = bundleConnectionLookup(raw);
  if (problems.some((p) => p.severity !== 'warning')) throw new ProblemsError(problems);
  return lookup;
}
