import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ConnectionLookup } from '../nodes/runner-types';
import type { SecretStore } from '../secrets/secret-store';
import { agentFor, proxyForUrl } from './agents';
import { authCodeCacheKey, resolveConnection } from './auth';
import { HttpError } from './errors';
import { buildAuthorizeUrl, createPkcePair, createState, defaultTokenCache, exchangeCode, handleAuthCallback, type TokenCache } from './oauth2';

/**
 * OAuth2 authorization code + PKCE sign-in for a saved connection. `start` returns the URL to open in
 * the user's browser; the runtime's listener serves the loopback redirect (`handle`), which checks the
 * state, exchanges the code, keeps the refresh token in the connection's secret and shows a small page.
 */

export const OAUTH_CALLBACK_PATH = '/_hookline/oauth/callback';

interface Pending {
  connectionId: string;
  verifier: string;
  redirectUri: string;
  expiresAt: number;
}

export interface SignInStart {
  authorizeUrl: string;
  redirectUri: string;
  expiresAt: string;
}

export interface OAuthSignInOptions {
  connections: ConnectionLookup;
  secrets: SecretStore;
  /** Base URL of the runtime listener (`http://127.0.0.1:7800`), for the default redirect URL. */
  baseUrl: () => string;
  /** Lets a connection with its own Redirect URL path be served too. */
  registerPath?: (path: string) => void;
  tokenCache?: TokenCache;
  /** How long a started sign-in stays valid (default 10 minutes). */
  ttlMs?: number;
  onSignedIn?: (connectionId: string) => void;
}

/**
 * @example
 * const signIn = new OAuthSignIn({ connections, secrets, baseUrl: () => runtime.baseUrl, registerPath: (p) => runtime.setInternalRoute(p, signIn.handle) });
 * runtime.setInternalRoute(OAUTH_CALLBACK_PATH, signIn.handle);
 * const { authorizeUrl } = signIn.start('partner-b'); // open in the browser
 */
export class OAuthSignIn {
  private readonly pending = new Map<string, Pending>();
  private readonly registered = new Set<string>([OAUTH_CALLBACK_PATH]);

  constructor(private readonly o: OAuthSignInOptions) {}

  start(connectionId: string): SignInStart {
    const conn = this.o.connections.get(connectionId);
    if (!conn) throw new HttpError(`connection "${connectionId}" was not found`, 'invalid_request');
    if (conn.auth.type !== 'oauth2AuthCode') {
      throw new HttpError(`connection "${connectionId}" auth.type: must be oauth2AuthCode to sign in (it is ${conn.auth.type})`, 'invalid_request');
    }
    // The code exchange after the consent page needs the client secret: missing, the user would consent for nothing.
    const cs = conn.auth.clientSecretSecret;
    if (cs && !this.o.secrets.get(cs)) {
      throw new HttpError(`connection "${connectionId}" auth.clientSecretSecret: secret ${cs} is not set; enter the Client secret and save the connection before signing in`, 'missing_secret');
    }
    const redirectUri = conn.auth.redirectUrl ?? this.o.baseUrl() + OAUTH_CALLBACK_PATH;
    const path = new URL(redirectUri).pathname;
    if (!this.registered.has(path) && this.o.registerPath) {
      this.o.registerPath(path);
      this.registered.add(path);
    }
    const now = Date.now();
    for (const [k, p] of this.pending) if (p.expiresAt < now) this.pending.delete(k);
    const pkce = createPkcePair();
    const state = createState();
    const expiresAt = now + (this.o.ttlMs ?? 600_000);
    this.pending.set(state, { connectionId, verifier: pkce.verifier, redirectUri, expiresAt });
    const authorizeUrl = buildAuthorizeUrl({ authUrl: conn.auth.authUrl, clientId: conn.auth.clientId, redirectUri, scope: conn.auth.scope || undefined, state, codeChallenge: pkce.challenge });
    return { authorizeUrl, redirectUri, expiresAt: new Date(expiresAt).toISOString() };
  }

  /** The loopback redirect handler (an arrow so it can be passed to setInternalRoute as is). */
  handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const query = new URL(req.url ?? '/', 'http://127.0.0.1').searchParams;
    const state = query.get('state') ?? '';
    const pending = this.pending.get(state);
    // One use per state: a replayed callback must not exchange a second code.
    this.pending.delete(state);
    try {
      if (!pending || pending.expiresAt < Date.now()) {
        throw new HttpError('this sign-in link is unknown or has expired: start the sign-in again from the studio', 'oauth2_callback');
      }
      const { code } = handleAuthCallback(query, state);
      const name = await this.complete(pending, code);
      page(res, 200, 'Signed in', `Connection "${name}" is signed in. You can close this tab.`);
      this.o.onSignedIn?.(pending.connectionId);
    } catch (e) {
      page(res, 400, 'Sign-in failed', (e as Error).message);
    }
  };

  private async complete(p: Pending, code: string): Promise<string> {
    const conn = this.o.connections.get(p.connectionId);
    if (!conn || conn.auth.type !== 'oauth2AuthCode') throw new HttpError(`connection "${p.connectionId}" is no longer an OAuth2 authorization-code connection`, 'oauth2_callback');
    const a = conn.auth;
    // TLS (client certificate, CA bundle) and proxy of the connection apply to its token endpoint as well.
    const rc = resolveConnection(conn, this.o.secrets);
    const u = new URL(a.tokenUrl);
    const tokens = await exchangeCode(
      {
        tokenUrl: a.tokenUrl,
        clientId: a.clientId,
        clientSecret: a.clientSecretSecret ? this.o.secrets.get(a.clientSecretSecret) : undefined,
        authStyle: a.authStyle,
        timeoutMs: conn.timeoutMs,
        agent: agentFor({ url: u, poolId: conn.id, tls: rc.tls, proxyUrl: proxyForUrl(u, conn.proxy?.url) }),
      },
      { code, redirectUri: p.redirectUri, codeVerifier: p.verifier },
    );
    if (!tokens.refreshToken) {
      throw new HttpError('the authorization server returned no refresh token (does the scope need offline_access?)', 'oauth2_callback');
    }
    this.o.secrets.set(a.refreshTokenSecret, tokens.refreshToken);
    (this.o.tokenCache ?? defaultTokenCache).put(authCodeCacheKey(a), tokens);
    return conn.name;
  }
}

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function page(res: ServerResponse, status: number, title: string, text: string): void {
  const html = `<!doctype html><html><head><meta charset="utf-8"><title>${esc(title)} - Hookline</title></head><body style="font-family:system-ui,sans-serif;margin:3rem"><h1>${esc(title)}</h1><p>${esc(text)}</p></body></html>`;
  res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', 'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'" });
  res.end(html);
}
