import type { TokenRequestRecord } from '../host/api';
import type http from 'node:http';
import { createHash, randomBytes } from 'node:crypto';
import axios from 'axios';
import { USER_AGENT } from './header-set';
import { HttpError } from './errors';

/**
 * OAuth2 for outbound calls: client-credentials tokens cached per client (single flight, refreshed
 * 30 s before expiry or once after a 401) and the authorization-code flow with PKCE, whose loopback
 * redirect the runtime serves and hands to `handleAuthCallback`.
 */

export interface TokenSet {
  accessToken: string;
  tokenType: string;
  /** Epoch ms; undefined when the server gave no expires_in (then cached until a 401). */
  expiresAt?: number;
  refreshToken?: string;
  scope?: string;
}

/** One token request as sent and answered, for Test connection (masked there before it is shown). */
export type TokenExchangeRecord = TokenRequestRecord;

export interface TokenEndpoint {
  /** Called with each token request and its answer (or failure). */
  onExchange?(x: TokenExchangeRecord): void;
  tokenUrl: string;
  clientId: string;
  clientSecret?: string;
  /** `body`: client credentials in the form; `basic`: HTTP Basic header. */
  authStyle?: 'body' | 'basic';
  agent?: http.Agent;
  timeoutMs?: number;
  signal?: AbortSignal;
}

/**
 * POSTs a form to a token endpoint and reads the token response (RFC 6749 §5).
 *
 * @example
 * await requestToken({ tokenUrl, clientId: 'app', clientSecret }, { grant_type: 'client_credentials', scope: 'orders' });
 */
export async function requestToken(ep: TokenEndpoint, params: Record<string, string | undefined>, now = Date.now): Promise<TokenSet> {
  const form = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') form.set(k, v);
  const headers: Record<string, string> = { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json', 'User-Agent': USER_AGENT };
  if (ep.authStyle === 'basic') {
    // RFC 6749 §2.3.1: form-encode id and secret before Basic-encoding them.
    const enc = (s: string) => encodeURIComponent(s).replace(/%20/g, '+');
    headers.Authorization = `Basic ${Buffer.from(`${enc(ep.clientId)}:${enc(ep.clientSecret ?? '')}`).toString('base64')}`;
  } else {
    form.set('client_id', ep.clientId);
    if (ep.clientSecret) form.set('client_secret', ep.clientSecret);
  }
  let res;
  const t0 = Date.now();
  const record = (x: Partial<TokenExchangeRecord>) =>
    ep.onExchange?.({ url: ep.tokenUrl, method: 'POST', requestHeaders: { ...headers }, requestBody: form.toString(), durationMs: Date.now() - t0, ...x });
  try {
    const secure = ep.tokenUrl.startsWith('https:');
    res = await axios.post(ep.tokenUrl, form.toString(), {
      headers,
      timeout: ep.timeoutMs ?? 30_000,
      signal: ep.signal,
      proxy: false,
      maxRedirects: 0,
      validateStatus: () => true,
      responseType: 'text',
      transformResponse: [(d: unknown) => d],
      ...(ep.agent ? (secure ? { httpsAgent: ep.agent } : { httpAgent: ep.agent }) : {}),
    });
  } catch (e) {
    record({ error: (e as Error).message });
    throw new HttpError(`OAuth2 token request to ${ep.tokenUrl} failed: ${(e as Error).message}`, 'oauth2_token');
  }
  record({ status: res.status, responseHeaders: Object.fromEntries(Object.entries(res.headers ?? {}).map(([k, v]) => [k, String(v)])), responseBody: String(res.data) });
  let body: any;
  try {
    body = JSON.parse(String(res.data));
  } catch {
    body = Object.fromEntries(new URLSearchParams(String(res.data)));
  }
  if (res.status < 200 || res.status > 299 || !body?.access_token) {
    const why = body?.error ? `${body.error}${body.error_description ? `: ${body.error_description}` : ''}` : 'no access_token in the response';
    throw new HttpError(`OAuth2 token request to ${ep.tokenUrl} failed with status ${res.status} (${why})`, 'oauth2_token', undefined, res.status);
  }
  const expiresIn = Number(body.expires_in);
  return {
    accessToken: String(body.access_token),
    tokenType: String(body.token_type ?? 'Bearer'),
    expiresAt: Number.isFinite(expiresIn) && expiresIn > 0 ? now() + expiresIn * 1000 : undefined,
    refreshToken: body.refresh_token ? String(body.refresh_token) : undefined,
    scope: body.scope ? String(body.scope) : undefined,
  };
}

/**
 * Access tokens by key. Concurrent callers share one fetch; a token is reused until `skewMs` before
 * it expires; `force` after a 401 refetches only if nobody has replaced the rejected token already.
 *
 * @example
 * const token = await cache.get('partner-a', () => requestToken(ep, { grant_type: 'client_credentials' }));
 */
export class TokenCache {
  private readonly tokens = new Map<string, TokenSet>();
  private readonly inflight = new Map<string, Promise<TokenSet>>();
  /** Number of token fetches started (tests and diagnostics). */
  fetches = 0;

  constructor(private readonly opts: { skewMs?: number; now?: () => number } = {}) {}

  async get(key: string, fetcher: () => Promise<TokenSet>, o: { force?: boolean; rejectedToken?: string } = {}): Promise<TokenSet> {
    const cached = this.tokens.get(key);
    const now = (this.opts.now ?? Date.now)();
    const fresh = cached && (cached.expiresAt === undefined || cached.expiresAt - (this.opts.skewMs ?? 30_000) > now);
    if (cached && fresh && !(o.force && cached.accessToken === o.rejectedToken)) return cached;
    const running = this.inflight.get(key);
    if (running) return running;
    this.fetches++;
    const p = fetcher()
      .then((t) => {
        this.tokens.set(key, t);
        return t;
      })
      .finally(() => this.inflight.delete(key));
    this.inflight.set(key, p);
    return p;
  }

  /** Stores a token obtained elsewhere (the authorization-code sign-in), so the next call does not refetch. */
  put(key: string, token: TokenSet): void {
    this.tokens.set(key, token);
  }

  invalidate(key?: string): void {
    if (key === undefined) this.tokens.clear();
    else this.tokens.delete(key);
  }
}

/** Shared by every connection in the process, so many nodes using one connection fetch one token. */
export const defaultTokenCache = new TokenCache();

const b64url = (b: Buffer) => b.toString('base64url');

/**
 * PKCE verifier and S256 challenge (RFC 7636).
 *
 * @example
 * const { verifier, challenge } = createPkcePair();
 */
export function createPkcePair(): { verifier: string; challenge: string; method: 'S256' } {
  const verifier = b64url(randomBytes(32));
  return { verifier, challenge: b64url(createHash('sha256').update(verifier).digest()), method: 'S256' };
}

/** An unguessable `state` value binding the callback to this authorisation attempt. */
export function createState(): string {
  return b64url(randomBytes(16));
}

/**
 * The URL to open in the user's browser.
 *
 * @example
 * buildAuthorizeUrl({ authUrl, clientId: 'app', redirectUri: 'http://127.0.0.1:7800/oauth/callback', scope: 'read', state, codeChallenge: pkce.challenge })
 */
export function buildAuthorizeUrl(o: {
  authUrl: string;
  clientId: string;
  redirectUri: string;
  scope?: string;
  state: string;
  codeChallenge: string;
  extraParams?: Record<string, string>;
}): string {
  const u = new URL(o.authUrl);
  u.searchParams.set('response_type', 'code');
  u.searchParams.set('client_id', o.clientId);
  u.searchParams.set('redirect_uri', o.redirectUri);
  if (o.scope) u.searchParams.set('scope', o.scope);
  u.searchParams.set('state', o.state);
  u.searchParams.set('code_challenge', o.codeChallenge);
  u.searchParams.set('code_challenge_method', 'S256');
  for (const [k, v] of Object.entries(o.extraParams ?? {})) u.searchParams.set(k, v);
  return u.toString();
}

/**
 * Reads the loopback redirect's query: the code when `state` matches, else a clear error.
 *
 * @example
 * const { code } = handleAuthCallback(new URL(req.url!, 'http://127.0.0.1').searchParams, pending.state);
 */
export function handleAuthCallback(query: URLSearchParams | Record<string, string | undefined>, expectedState: string): { code: string } {
  const get = (k: string) => (query instanceof URLSearchParams ? (query.get(k) ?? undefined) : query[k]);
  const error = get('error');
  if (error) {
    const desc = get('error_description');
    throw new HttpError(`authorization was refused: ${error}${desc ? ` (${desc})` : ''}`, 'oauth2_callback');
  }
  if (get('state') !== expectedState) {
    throw new HttpError('authorization callback: state does not match this sign-in attempt (start again)', 'oauth2_callback');
  }
  const code = get('code');
  if (!code) throw new HttpError('authorization callback: no code in the redirect', 'oauth2_callback');
  return { code };
}

/** Exchanges the callback's code (with the PKCE verifier) for tokens. */
export function exchangeCode(ep: TokenEndpoint, o: { code: string; redirectUri: string; codeVerifier: string }): Promise<TokenSet> {
  return requestToken(ep, { grant_type: 'authorization_code', code: o.code, redirect_uri: o.redirectUri, code_verifier: o.codeVerifier });
}

/** A new access token from a stored refresh token (the server may rotate the refresh token too). */
export function refreshAccessToken(ep: TokenEndpoint, o: { refreshToken: string; scope?: string }): Promise<TokenSet> {
  return requestToken(ep, { grant_type: 'refresh_token', refresh_token: o.refreshToken, scope: o.scope });
}
