import type { WebhookAuth } from '../nodes/webhook/spec';
import type { SecretStore } from '../secrets/secret-store';
import {
  DEFAULT_TOLERANCE_SEC,
  GITHUB_SIGNATURE,
  headerValue,
  safeEqual,
  verifyHmacHeader,
  verifyStandardWebhook,
  type HeaderMap,
  type HmacHeaderOptions,
} from './signatures';

export interface AuthRequest {
  /** Lower-case names, as Node gives them. */
  headers: HeaderMap;
  rawBody: Buffer;
  /** Clock for signature timestamps; defaults to Date.now(). */
  nowMs?: number;
}

export type AuthResult =
  | { ok: true; keyId?: string; label?: string }
  /**
   * `reason` is for the log (it may describe the server's own set-up, e.g. a secret that is not set); `message`,
   * when set, is safe to tell the caller: what is missing or wrong in the request (a header's name, "the API key
   * is not valid"), never a secret, a key's label or the server's set-up. `wwwAuthenticate` is set for basic auth
   * so the runtime can send the challenge header with its 401.
   */
  | { ok: false; reason: string; message?: string; wwwAuthenticate?: string };

export type AuthVerifier = (req: AuthRequest) => AuthResult;

const OK: AuthResult = { ok: true };
const fail = (reason: string, message?: string): AuthResult => ({ ok: false, reason, message });
/** Reasons that only describe the server's set-up: the caller gets the plain "authentication failed". */
const SERVER_SIDE = new Set(['no signing secret is set']);

/**
 * Builds the per-trigger request check once at deploy time; the returned function runs on every request.
 * Secret values are looked up on each call (never captured), so rotating a secret in the store applies
 * to the next request, and a key whose secret is missing simply never matches. Failure reasons are short,
 * name the header or scheme, and never contain secret values.
 *
 * @example
 * ```ts
 * const verify = createAuthVerifier(settings.auth, secrets);
 * const r = verify({ headers: req.headers, rawBody });
 * if (!r.ok) return reply(401, { error: 'unauthorized' }); // log r.reason
 * if (r.keyId) markKeyUsed(r.keyId);
 * ```
 */
export function createAuthVerifier(auth: WebhookAuth, secrets: SecretStore): AuthVerifier {
  switch (auth.type) {
    case 'none':
      return () => OK;
    case 'apiKey':
      return apiKeyVerifier(auth, secrets);
    case 'basic':
      return basicVerifier(auth, secrets);
    case 'hmac':
      return hmacVerifier(auth, secrets);
    default: {
      const type = (auth as { type?: unknown }).type;
      return () => fail(`unknown auth type ${JSON.stringify(type)}`);
    }
  }
}

type ApiKeyAuth = Extract<WebhookAuth, { type: 'apiKey' }>;
type BasicAuth = Extract<WebhookAuth, { type: 'basic' }>;
type HmacAuth = Extract<WebhookAuth, { type: 'hmac' }>;

function bearerToken(headers: HeaderMap): string | undefined {
  const v = headerValue(headers, 'authorization');
  if (!v || v.length < 7 || v.slice(0, 7).toLowerCase() !== 'bearer ') return undefined;
  return v.slice(7).trim() || undefined;
}

function apiKeyVerifier(auth: ApiKeyAuth, secrets: SecretStore): AuthVerifier {
  const headerName = auth.header || 'X-API-Key';
  const lower = headerName.toLowerCase();
  const allowBearer = auth.allowBearer !== false;
  const missing = allowBearer ? `missing ${headerName} header or Bearer token` : `missing ${headerName} header`;
  const keys = auth.keys;
  return (req) => {
    const supplied = headerValue(req.headers, lower) || (allowBearer ? bearerToken(req.headers) : undefined);
    if (!supplied) return fail(missing, `send the API key in the ${headerName} header${allowBearer ? ' or as Authorization: Bearer <key>' : ''}`);
    let matched = -1;
    // Compare against every key, not just until the first hit, so timing does not reveal the key's position.
    for (let k = 0; k < keys.length; k++) {
      const value = secrets.get(keys[k].secret);
      if (value && safeEqual(supplied, value) && matched < 0) matched = k;
    }
    if (matched < 0) return fail('no key matched', `the API key in ${supplied === headerValue(req.headers, lower) ? `the ${headerName} header` : 'the Bearer token'} is not valid`);
    return { ok: true, keyId: keys[matched].id, label: keys[matched].label };
  };
}

function basicVerifier(auth: BasicAuth, secrets: SecretStore): AuthVerifier {
  const challenge = 'Basic realm="hookline", charset="UTF-8"';
  const basicFail = (reason: string, message?: string): AuthResult => ({ ok: false, reason, message, wwwAuthenticate: challenge });
  return (req) => {
    const v = headerValue(req.headers, 'authorization');
    if (!v) return basicFail('missing Authorization header', 'send a user name and password (Authorization: Basic)');
    if (v.length < 6 || v.slice(0, 6).toLowerCase() !== 'basic ') return basicFail('Authorization header is not Basic', 'the Authorization header must be Basic <base64 of user:password>');
    const decoded = Buffer.from(v.slice(6).trim(), 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) return basicFail('malformed Basic credentials', 'the Basic credentials must be base64 of user:password');
    const password = secrets.get(auth.passwordSecret);
    if (!password) return basicFail('basic auth password secret is not set');
    // Both halves are always compared, so timing does not tell a wrong user from a wrong password.
    const userOk = safeEqual(decoded.slice(0, colon), auth.username);
    const passOk = safeEqual(decoded.slice(colon + 1), password);
    return userOk && passOk ? OK : basicFail('wrong username or password', 'wrong user name or password');
  };
}

function hmacVerifier(auth: HmacAuth, secrets: SecretStore): AuthVerifier {
  const names = auth.secrets;
  const resolve = (): string[] => {
    const out: string[] = [];
    for (const n of names) {
      const v = secrets.get(n);
      if (v) out.push(v);
    }
    return out;
  };
  if (auth.preset === 'github' || auth.preset === 'generic') {
    const opts: HmacHeaderOptions =
      auth.preset === 'github'
        ? GITHUB_SIGNATURE
        : { header: auth.header || 'X-Signature', algorithm: auth.algorithm ?? 'sha256', encoding: auth.encoding ?? 'hex', prefix: auth.prefix ?? '' };
    return (req) => strip(verifyHmacHeader(resolve(), req.headers, req.rawBody, opts));
  }
  const tolerance = auth.toleranceSec ?? DEFAULT_TOLERANCE_SEC;
  return (req) => {
    const nowSec = Math.floor((req.nowMs ?? Date.now()) / 1000);
    return strip(verifyStandardWebhook(resolve(), req.headers, req.rawBody, nowSec, tolerance));
  };
}

/** The secret's index is an implementation detail of rotation; the runtime only needs ok / reason. */
function strip(r: { ok: true; secretIndex: number } | { ok: false; reason: string }): AuthResult {
  if (r.ok) return OK;
  // The signature reasons name a header or say what does not match; only a missing secret is the server's own.
  return fail(r.reason, SERVER_SIDE.has(r.reason) ? undefined : r.reason === 'no signature matched' ? 'the signature does not match the body' : r.reason);
}
