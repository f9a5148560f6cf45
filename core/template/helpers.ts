import { DEFAULT_DATE_PATTERN, formatDate } from './date-format';
import { DIGEST_ALGORITHMS, digest, hmac, isDigestAlgorithm, type DigestAlgorithm } from './digest';
import { fromBase64, fromUtf8, toBase64, toBase64Url, toHex, utf8 } from './encoding';

/**
 * Functions integrations need and JSONata lacks. Registered on every compiled expression; each takes and
 * returns plain values synchronously and returns `undefined` for an `undefined` first argument (the
 * JSONata convention, so a missing field propagates instead of failing).
 */
export type HelperFunction = (...args: any[]) => unknown;

type Encoding = 'hex' | 'base64' | 'base64url';

function text(fn: string, v: unknown): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (v === null || typeof v === 'object') return JSON.stringify(v);
  throw new Error(`${fn}: expected text, got ${typeof v}`);
}

function algorithm(fn: string, v: unknown): DigestAlgorithm {
  const a = v === undefined ? 'sha256' : String(v).toLowerCase().replace('-', '');
  if (!isDigestAlgorithm(a)) throw new Error(`${fn}: unknown algorithm '${String(v)}' (use ${DIGEST_ALGORITHMS.join(', ')})`);
  return a;
}

function encodeBytes(fn: string, bytes: Uint8Array, enc: unknown): string {
  const e = (enc === undefined ? 'hex' : enc) as Encoding;
  if (e === 'hex') return toHex(bytes);
  if (e === 'base64') return toBase64(bytes);
  if (e === 'base64url') return toBase64Url(bytes);
  throw new Error(`${fn}: unknown encoding '${String(enc)}' (use hex, base64, base64url)`);
}

/** Webhook secrets are often given as hex or base64 (e.g. `whsec_…` keys); the key encoding says how to read them. */
function keyBytes(key: string, keyEncoding: unknown): Uint8Array {
  if (keyEncoding === undefined || keyEncoding === null || keyEncoding === 'utf8') return utf8(key);
  if (keyEncoding === 'hex') {
    if (!/^(?:[0-9a-fA-F]{2})*$/.test(key)) throw new Error('$hmac: key is not valid hex');
    return new Uint8Array((key.match(/../g) ?? []).map((h) => parseInt(h, 16)));
  }
  if (keyEncoding === 'base64' || keyEncoding === 'base64url') {
    try {
      return fromBase64(key);
    } catch (e: any) {
      throw new Error(`$hmac: key is not valid base64: ${e?.message ?? e}`);
    }
  }
  throw new Error(`$hmac: unknown key encoding '${String(keyEncoding)}' (use utf8, hex, base64, base64url)`);
}

function randomBytes(n: number): Uint8Array {
  const out = new Uint8Array(n);
  const c = (globalThis as any).crypto;
  if (c?.getRandomValues) c.getRandomValues(out);
  else for (let i = 0; i < n; i++) out[i] = Math.floor(Math.random() * 256); // no Web Crypto (old runtimes only)
  return out;
}

/** RFC 4122 version 4 UUID. */
export function uuid(): string {
  const c = (globalThis as any).crypto;
  if (typeof c?.randomUUID === 'function') return c.randomUUID();
  const b = randomBytes(16);
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = toHex(b);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

function decodeBase64(fn: string, v: unknown): string | undefined {
  if (v === undefined) return undefined;
  try {
    return fromUtf8(fromBase64(text(fn, v)));
  } catch (e: any) {
    throw new Error(`${fn}: ${e?.message ?? e}`);
  }
}

/**
 * Name (without `$`) -> implementation.
 * @example
 * HELPERS.base64url('hi?'); // 'aGk_'
 */
export const HELPERS: Readonly<Record<string, HelperFunction>> = {
  uuid,
  formatDate(value: unknown, pattern?: unknown, timeZone?: unknown) {
    if (value === undefined) return undefined;
    try {
      return formatDate(value, pattern == null ? DEFAULT_DATE_PATTERN : String(pattern), timeZone == null ? 'UTC' : String(timeZone));
    } catch (e: any) {
      throw new Error(String(e?.message ?? e).startsWith('$formatDate') ? e.message : `$formatDate: ${e?.message ?? e}`);
    }
  },
  nowIn(timeZone?: unknown, pattern?: unknown) {
    try {
      return formatDate(Date.now(), pattern == null ? DEFAULT_DATE_PATTERN : String(pattern), timeZone == null ? 'UTC' : String(timeZone));
    } catch (e: any) {
      throw new Error(`$nowIn: ${e?.message ?? e}`);
    }
  },
  hash(value: unknown, algo?: unknown, enc?: unknown) {
    if (value === undefined) return undefined;
    return encodeBytes('$hash', digest(algorithm('$hash', algo), utf8(text('$hash', value))), enc);
  },
  hmac(value: unknown, key: unknown, algo?: unknown, enc?: unknown, keyEncoding?: unknown) {
    if (value === undefined) return undefined;
    if (key === undefined || key === null) throw new Error('$hmac: key is required');
    return encodeBytes('$hmac', hmac(algorithm('$hmac', algo), keyBytes(text('$hmac', key), keyEncoding), utf8(text('$hmac', value))), enc);
  },
  base64(value: unknown) {
    return value === undefined ? undefined : toBase64(utf8(text('$base64', value)));
  },
  base64Decode(value: unknown) {
    return decodeBase64('$base64Decode', value);
  },
  base64url(value: unknown) {
    return value === undefined ? undefined : toBase64Url(utf8(text('$base64url', value)));
  },
  base64urlDecode(value: unknown) {
    return decodeBase64('$base64urlDecode', value);
  },
  eval() {
    throw new Error('$eval is disabled: data is never evaluated as an expression');
  },
};

/** Helper names as written in expressions, for editor completion. */
export const HELPER_NAMES: readonly string[] = Object.keys(HELPERS)
  .filter((n) => n !== 'eval')
  .map((n) => `$${n}`);
