/**
 * Masking for everything that leaves the HTTP layer for records, logs and the studio: credential
 * headers by name, and every known secret value wherever it appears (URL, headers, bodies, errors).
 */

export const MASK = '***';

/** Headers masked whatever their value: they carry credentials by definition. */
export const SENSITIVE_HEADERS: ReadonlySet<string> = new Set([
  'authorization',
  'proxy-authorization',
  'cookie',
  'set-cookie',
  'x-api-key',
  'api-key',
  'apikey',
  'x-auth-token',
  'x-access-token',
  'ocp-apim-subscription-key',
]);

/**
 * Whether a header set has a credential header by name (SENSITIVE_HEADERS or `extraNames`, any case): what decides
 * if a record holding it must be copied to be masked.
 */
export function anySensitiveHeader(headers: Record<string, unknown> | undefined, extraNames: ReadonlyArray<string> = []): boolean {
  if (!headers) return false;
  for (const k in headers) {
    const n = lowerName(k);
    if (SENSITIVE_HEADERS.has(n)) return true;
    for (let i = 0; i < extraNames.length; i++) if (lowerName(extraNames[i]) === n) return true;
  }
  return false;
}

/**
 * Header names in lower case, remembered: every outbound record is checked for credential headers, and lowering
 * the same few names ("Content-Type", "User-Agent") anew made a string each time. Bounded: names are few.
 */
const lowered = new Map<string, string>();
function lowerName(name: string): string {
  let n = lowered.get(name);
  if (n === undefined) {
    n = name.toLowerCase();
    if (lowered.size < 1024) lowered.set(name, n);
  }
  return n;
}

/**
 * Values shorter than this are not searched for: masking every "ab" in a body would destroy the
 * record while protecting nothing (such secrets are guessable anyway).
 */
export const MIN_MASKED_SECRET_LENGTH = 4;

export interface MaskOptions {
  secretValues?: ReadonlyArray<string>;
  /** Extra header names to mask (a connection's own API-key / custom auth headers). */
  headerNames?: ReadonlyArray<string>;
}

/** Prepared masker: sorts values once, so masking many strings stays cheap. */
export class Masker {
  private readonly values: string[];
  private readonly names: Set<string>;
  constructor(o: MaskOptions = {}) {
    const secrets = o.secretValues ?? [];
    this.values = secrets.length ? [...new Set(secrets.filter((v) => v && v.length >= MIN_MASKED_SECRET_LENGTH))].sort((a, b) => b.length - a.length) : [];
    this.names = o.headerNames?.length ? new Set([...SENSITIVE_HEADERS, ...o.headerNames.map((n) => n.toLowerCase())]) : (SENSITIVE_HEADERS as Set<string>);
  }

  isSensitiveHeader(name: string): boolean {
    return this.names.has(name.toLowerCase());
  }

  /**
   * @example
   * new Masker({ secretValues: ['s3cr3t'] }).string('https://x/?key=s3cr3t') // 'https://x/?key=***'
   */
  string(s: string): string {
    if (this.values.length === 0) return s;
    let out = s;
    for (const v of this.values) if (out.includes(v)) out = out.split(v).join(MASK);
    return out;
  }

  /** Headers with credential headers masked by name and secret values masked; the same object when nothing changed. */
  headers<H extends Record<string, unknown> | Array<[string, string]>>(headers: H): H {
    if (Array.isArray(headers)) {
      return headers.map(([n, v]) => [n, this.isSensitiveHeader(n) ? MASK : this.string(v)]) as H;
    }
    let out: Record<string, unknown> | undefined;
    for (const n of Object.keys(headers)) {
      const v = (headers as Record<string, unknown>)[n];
      const m = this.isSensitiveHeader(n) ? MASK : this.value(v);
      if (m !== v) (out ??= { ...headers })[n] = m;
    }
    return (out ?? headers) as H;
  }

  /** Deep copy with secret values masked in every string, header names left alone (flow data); the value itself when there is nothing to mask. */
  strings<T>(v: T): T {
    // Nothing to mask: the value as it is (flow data is never mutated, so sharing it is safe).
    if (this.values.length === 0) return v;
    if (typeof v === 'string') return this.string(v) as T;
    if (Array.isArray(v)) return v.map((x) => this.strings(x)) as T;
    if (v && typeof v === 'object' && !Buffer.isBuffer(v)) {
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, this.strings(x)])) as T;
    }
    return v;
  }

  /**
   * Strings masked, and any `headers` property masked by header name as well. Copies only what changes: with
   * nothing to mask (the usual case: no secrets, no credential headers) the value itself comes back, so a
   * record is not deep-copied on every request. Records are never changed once made, so sharing is safe.
   */
  value<T>(v: T): T {
    if (typeof v === 'string') return this.string(v) as T;
    if (Buffer.isBuffer(v)) return v;
    if (Array.isArray(v)) {
      let out: unknown[] | undefined;
      for (let i = 0; i < v.length; i++) {
        const m = this.value(v[i]);
        if (m !== v[i]) (out ??= v.slice())[i] = m;
      }
      return (out ?? v) as T;
    }
    if (v instanceof Error) {
      const e = new Error(this.string(v.message));
      e.name = v.name;
      return e as T;
    }
    if (v && typeof v === 'object') {
      let out: Record<string, unknown> | undefined;
      for (const k of Object.keys(v)) {
        const x = (v as Record<string, unknown>)[k];
        const m = k === 'headers' && x && typeof x === 'object' ? this.headers(x as Record<string, unknown>) : this.value(x);
        if (m !== x) (out ??= { ...(v as Record<string, unknown>) })[k] = m;
      }
      return (out ?? v) as T;
    }
    return v;
  }
}

/**
 * Masks an exchange (or any record) for storage.
 *
 * @example
 * maskExchange(exchange, { secretValues: resolved.secretValues, headerNames: resolved.maskedHeaderNames })
 */
export function maskExchange<T>(exchange: T, o: MaskOptions): T {
  return new Masker(o).value(exchange);
}
