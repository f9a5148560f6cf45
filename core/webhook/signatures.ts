import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** Request headers as Node gives them: lower-case names, repeated headers possibly as arrays. */
export type HeaderMap = Record<string, string | string[] | undefined>;
export type HmacAlgorithm = 'sha1' | 'sha256' | 'sha512';
export type SignatureEncoding = 'hex' | 'base64';
export type VerifyResult = { ok: true; secretIndex: number } | { ok: false; reason: string };

/** Standard Webhooks' default: five minutes either way. */
export const DEFAULT_TOLERANCE_SEC = 300;

/**
 * Compares a caller-supplied string with an expected one in time that depends only on the expected
 * length: the supplied bytes are copied into a buffer of the expected size (truncated or zero-padded)
 * and `timingSafeEqual` always runs; the length check is folded in afterwards without an early exit.
 *
 * @example
 * ```ts
 * safeEqual(req.headers['x-api-key'] ?? '', storedKey);
 * ```
 */
export function safeEqual(supplied: string, expected: string): boolean {
  const want = Buffer.from(expected, 'utf8');
  const got = Buffer.alloc(want.length);
  const written = got.write(supplied, 'utf8');
  const same = timingSafeEqual(got, want);
  return same && written === want.length && Buffer.byteLength(supplied, 'utf8') === want.length;
}

/** First value of a header (Node joins most repeats with ", " but `set-cookie`-like ones come as arrays). */
export function headerValue(headers: HeaderMap, lowerName: string): string | undefined {
  const v = headers[lowerName];
  return Array.isArray(v) ? v.join(', ') : v;
}

/** Key bytes of a Standard Webhooks secret: base64 after an optional `whsec_` prefix. */
function standardKey(secret: string): Buffer {
  return Buffer.from(secret.startsWith('whsec_') ? secret.slice(6) : secret, 'base64');
}

function standardDigest(key: Buffer, id: string, timestampSec: number | string, body: Buffer | string): string {
  return createHmac('sha256', key).update(`${id}.${timestampSec}.`).update(body).digest('base64');
}

/**
 * Signs a message the Standard Webhooks way and returns the `webhook-signature` header value (`v1,<base64>`).
 * Signed content is `${id}.${timestamp}.${body}`, HMAC-SHA256 keyed with the base64-decoded secret.
 *
 * @example
 * ```ts
 * const sig = signStandardWebhook('whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', 'msg_1', 1700000000, '{"a":1}');
 * // headers: { 'webhook-id': 'msg_1', 'webhook-timestamp': '1700000000', 'webhook-signature': sig }
 * ```
 */
export function signStandardWebhook(secret: string, id: string, timestampSec: number, body: Buffer | string): string {
  return `v1,${standardDigest(standardKey(secret), id, timestampSec, body)}`;
}

/**
 * Verifies a Standard Webhooks request. Any `v1` signature in the space-separated header may match any of
 * the secrets (rotation on both sides); the timestamp must lie within `toleranceSec` of `nowSec` in either
 * direction. Reasons are safe to log: they never contain secrets or signatures.
 *
 * @example
 * ```ts
 * const r = verifyStandardWebhook([current, previous], req.headers, rawBody, Math.floor(Date.now() / 1000));
 * if (!r.ok) reply(401, r.reason);
 * ```
 */
export function verifyStandardWebhook(
  secrets: string[],
  headers: HeaderMap,
  rawBody: Buffer | string,
  nowSec: number,
  toleranceSec = DEFAULT_TOLERANCE_SEC,
): VerifyResult {
  const id = headerValue(headers, 'webhook-id');
  if (!id) return { ok: false, reason: 'missing webhook-id header' };
  const ts = headerValue(headers, 'webhook-timestamp');
  if (!ts) return { ok: false, reason: 'missing webhook-timestamp header' };
  if (!/^[0-9]{1,15}$/.test(ts)) return { ok: false, reason: 'invalid webhook-timestamp header' };
  if (Math.abs(nowSec - Number(ts)) > toleranceSec) return { ok: false, reason: 'signature timestamp outside tolerance' };
  const header = headerValue(headers, 'webhook-signature');
  if (!header) return { ok: false, reason: 'missing webhook-signature header' };
  const candidates: string[] = [];
  for (const token of header.split(/\s+/)) {
    // Trailing commas appear when Node joins a repeated header with ", "; base64 never ends in one.
    const t = token.replace(/,+$/, '');
    if (t.startsWith('v1,')) candidates.push(t.slice(3));
  }
  if (candidates.length === 0) return { ok: false, reason: 'no v1 signature in webhook-signature header' };
  if (secrets.length === 0) return { ok: false, reason: 'no signing secret is set' };
  for (let s = 0; s < secrets.length; s++) {
    const expected = standardDigest(standardKey(secrets[s]), id, ts, rawBody);
    let hit = false;
    // Every candidate is compared (no early exit inside one secret), so timing shows nothing about which matched.
    for (const c of candidates) hit = safeEqual(c, expected) || hit;
    if (hit) return { ok: true, secretIndex: s };
  }
  return { ok: false, reason: 'no signature matched' };
}

export interface HmacHeaderOptions {
  /** Header name (any case). */
  header: string;
  algorithm: HmacAlgorithm;
  encoding: SignatureEncoding;
  /** Text before the signature, e.g. `sha256=`; matched case-insensitively. */
  prefix: string;
}

/** GitHub's scheme: `X-Hub-Signature-256: sha256=<hex>` over the raw body, keyed with the secret's UTF-8 bytes. */
export const GITHUB_SIGNATURE: HmacHeaderOptions = { header: 'X-Hub-Signature-256', algorithm: 'sha256', encoding: 'hex', prefix: 'sha256=' };

function hmacDigest(secret: string, body: Buffer | string, algorithm: HmacAlgorithm, encoding: SignatureEncoding): string {
  return createHmac(algorithm, secret).update(body).digest(encoding);
}

/**
 * Signs a body for a single-header HMAC scheme and returns the header value (prefix + digest).
 *
 * @example
 * ```ts
 * signHmacHeader('s3cret', body, GITHUB_SIGNATURE); // 'sha256=3f1c…'
 * ```
 */
export function signHmacHeader(secret: string, body: Buffer | string, opts: HmacHeaderOptions): string {
  return opts.prefix + hmacDigest(secret, body, opts.algorithm, opts.encoding);
}

/**
 * Verifies a single-header HMAC signature (GitHub preset or generic header / algorithm / encoding / prefix)
 * against any of the secrets. Hex is compared case-insensitively; base64 with or without `=` padding.
 *
 * @example
 * ```ts
 * verifyHmacHeader([secret], req.headers, rawBody, GITHUB_SIGNATURE); // { ok: true, secretIndex: 0 }
 * ```
 */
export function verifyHmacHeader(secrets: string[], headers: HeaderMap, rawBody: Buffer | string, opts: HmacHeaderOptions): VerifyResult {
  const value = headerValue(headers, opts.header.toLowerCase());
  if (!value) return { ok: false, reason: `missing ${opts.header} header` };
  const trimmed = value.trim();
  if (opts.prefix && trimmed.slice(0, opts.prefix.length).toLowerCase() !== opts.prefix.toLowerCase())
    return { ok: false, reason: `${opts.header} header does not start with "${opts.prefix}"` };
  let supplied = trimmed.slice(opts.prefix.length);
  supplied = opts.encoding === 'hex' ? supplied.toLowerCase() : supplied.replace(/=+$/, '');
  if (secrets.length === 0) return { ok: false, reason: 'no signing secret is set' };
  for (let s = 0; s < secrets.length; s++) {
    let expected = hmacDigest(secrets[s], rawBody, opts.algorithm, opts.encoding);
    if (opts.encoding === 'base64') expected = expected.replace(/=+$/, '');
    if (safeEqual(supplied, expected)) return { ok: true, secretIndex: s };
  }
  return { ok: false, reason: 'no signature matched' };
}

/**
 * A new API key: 32 random bytes, base64url (43 characters, safe in headers and URLs).
 *
 * @example
 * ```ts
 * secrets.set('ITSCOPE_API_KEY', generateApiKey());
 * ```
 */
export function generateApiKey(): string {
  return randomBytes(32).toString('base64url');
}

/**
 * What is wrong with a Standard Webhooks signing secret typed in, or undefined: `whsec_` and base64 of at least
 * 16 bytes (24 by default; the spec allows 24 to 64). A garbled one would sign with a key the partner does not have.
 */
export function signingSecretProblem(secret: string): string | undefined {
  if (!secret.startsWith('whsec_')) return 'must be a Standard Webhooks signing secret: "whsec_" followed by base64 (use Generate)';
  const b64 = secret.slice(6);
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(b64) || b64.length % 4 !== 0) return 'the part after "whsec_" must be base64 (A-Z, a-z, 0-9, "+", "/", "=" padding)';
  const bytes = Buffer.from(b64, 'base64').length;
  if (bytes < 16 || bytes > 64) return `the key must be 16 to 64 bytes (it is ${bytes}): use Generate for a new one`;
  return undefined;
}

/**
 * A new Standard Webhooks signing secret: `whsec_` + base64 of 24 random bytes.
 *
 * @example
 * ```ts
 * secrets.set('ORDERS_WEBHOOK_SECRET', generateWebhookSecret()); // 'whsec_…'
 * ```
 */
export function generateWebhookSecret(): string {
  return `whsec_${randomBytes(24).toString('base64')}`;
}
