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

  headers<H extends Record<string, unknown> | Array<[string, string]>>(headers: H): H {
    if (Array.isArray(headers)) {
      return headers.map(([n, v]) => [n, this.isSensitiveHeader(n) ? MASK : this.string(v)]) as H;
    }
    const out: Record<string, unknown> = {};
    for (const [n, v] of Object.entries(headers)) out[n] = this.isSensitiveHeader(n) ? MASK : this.value(v);
    return out as H;
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

  /** Deep copy with strings masked; any `headers` property is masked by header name as well. */
  value<T>(v: T): T {
    if (typeof v === 'string') return this.string(v) as T;
    if (Buffer.isBuffer(v)) return v;
    if (Array.isArray(v)) return v.map((x) => this.value(x)) as T;
    if (v instanceof Error) {
      const e = new Error(this.string(v.message));
      e.name = v.name;
      return e as T;
    }
    if (v && typeof v === 'object') {
      const out: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v)) {
        out[k] = k === 'headers' && x && typeof x === 'object' ? this.headers(x as Record<string, unknown>) : this.value(x);
      }
      return out as T;
    }
    return v;
  }
}

/**
 * Masks an exchange (or any record) for storage.
 *
 * @example
 * maskExchange(exchange, { secretValues: resolved.secretValues, headerNames: resolved.authHeaderNames })
 */
export function maskExchange<T>(exchange: T, o: MaskOptions): T {
  return new Masker(o).value(exchange);
}
