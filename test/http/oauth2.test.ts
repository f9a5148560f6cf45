import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { connectionSchema, type ConnectionInput } from '../../core/model/connection';
import { MemorySecretStore } from '../../core/secrets/secret-store';
import { sendRequest, type Exchange } from '../../core/http/client';
import { destroyAgents } from '../../core/http/agents';
import { buildAuthorizeUrl, createPkcePair, createState, exchangeCode, handleAuthCallback, TokenCache } from '../../core/http/oauth2';
import type { HttpError } from '../../core/http/errors';
import { testConnection } from '../../core/http/test-connection';
import { json, startHttp, type TestServer } from './servers';

/** Fake authorization server: token endpoint (3 grants), authorize endpoint with PKCE, and an API. */
let auth: TestServer;
let api: TestServer;
const valid = new Set<string>();
const grants: string[] = [];
let issued = 0;
/** User-Agent of each token request. */
const tokenAgents: string[] = [];
let expiresIn = 3600;
const codes = new Map<string, { challenge: string; redirectUri: string }>();
const refreshTokens = new Set<string>(['rt-initial']);

beforeAll(async () => {
  auth = await startHttp((req, res, body) => {
    const u = new URL(req.url!, 'http://x');
    if (u.pathname === '/authorize') {
      const code = `code-${codes.size + 1}`;
      codes.set(code, { challenge: u.searchParams.get('code_challenge')!, redirectUri: u.searchParams.get('redirect_uri')! });
      const back = new URL(u.searchParams.get('redirect_uri')!);
      back.searchParams.set('code', code);
      back.searchParams.set('state', u.searchParams.get('state')!);
      return void res.writeHead(302, { location: back.toString() }).end();
    }
    const f = new URLSearchParams(body);
    tokenAgents.push(String(req.headers['user-agent']));
    let clientId = f.get('client_id');
    let secret = f.get('client_secret');
    const basic = req.headers.authorization?.match(/^Basic (.+)$/);
    if (basic) [clientId, secret] = Buffer.from(basic[1], 'base64').toString().split(':');
    if (clientId !== 'app' || (secret !== 's3cret-client' && f.get('grant_type') !== 'authorization_code')) return json(res, 401, { error: 'invalid_client' });
    grants.push(f.get('grant_type')!);
    const issue = (extra: object = {}) => {
      const t = `at-${++issued}`;
      valid.add(t);
      json(res, 200, { access_token: t, token_type: 'bearer', expires_in: expiresIn, ...extra });
    };
    if (f.get('grant_type') === 'client_credentials') return issue();
    if (f.get('grant_type') === 'authorization_code') {
      const c = codes.get(f.get('code')!);
      const expect = c && createHash('sha256').update(f.get('code_verifier') ?? '').digest('base64url');
      if (!c || expect !== c.challenge || c.redirectUri !== f.get('redirect_uri')) return json(res, 400, { error: 'invalid_grant' });
      codes.delete(f.get('code')!);
      refreshTokens.add('rt-from-code');
      return issue({ refresh_token: 'rt-from-code' });
    }
    if (f.get('grant_type') === 'refresh_token') {
      const rt = f.get('refresh_token')!;
      if (!refreshTokens.delete(rt)) return json(res, 400, { error: 'invalid_grant' });
      const next = `${rt}-rotated`;
      refreshTokens.add(next);
      return issue({ refresh_token: next });
    }
    json(res, 400, { error: 'unsupported_grant_type' });
  });
  api = await startHttp((req, res) => {
    const t = req.headers.authorization?.replace(/^Bearer /, '') ?? '';
    if (!valid.has(t)) return json(res, 401, { error: 'bad token' });
    json(res, 200, { token: t });
  });
});
afterAll(async () => {
  await Promise.all([auth.close(), api.close()]);
  destroyAgents();
});

const secrets = new MemorySecretStore({ CLIENT_SECRET: 's3cret-client', RT: 'rt-initial' });
const cc = (extra: Partial<ConnectionInput['auth'] & object> = {}) =>
  connectionSchema.parse({ id: 'oauth', name: 'oauth partner', auth: { type: 'oauth2ClientCredentials', tokenUrl: `${auth.url}/token`, clientId: 'app', clientSecretSecret: 'CLIENT_SECRET', scope: 'orders', ...extra } });
const get = (cache: TokenCache, connection = cc()) => sendRequest({ method: 'GET', url: `${api.url}/orders` }, { env: {}, secrets, connection, tokenCache: cache });

describe('OAuth2 client credentials', () => {
  it('fetches one token for many calls, concurrent ones included (single flight)', async () => {
    const cache = new TokenCache();
    const before = grants.length;
    const results = await Promise.all(Array.from({ length: 10 }, () => get(cache)));
    for (let i = 0; i < 5; i++) results.push(await get(cache));
    expect(grants.length - before).toBe(1);
    expect(cache.fetches).toBe(1);
    expect(new Set(results.map((r) => (r.response!.body as { token: string }).token)).size).toBe(1);
  });

  it('a changed client authentication style fetches its own token; Test connection always fetches a fresh one', async () => {
    const cache = new TokenCache();
    await get(cache);
    await get(cache, cc({ authStyle: 'basic' }));
    expect(cache.fetches).toBe(2); // the form-body token is not reused for HTTP Basic client authentication
    const before = grants.length;
    for (let i = 0; i < 2; i++) {
      const r = await testConnection({ method: 'GET', url: `${api.url}/orders` }, { env: {}, secrets, connection: cc() });
      expect(r.ok).toBe(true);
    }
    expect(grants.length - before).toBe(2);
    expect(tokenAgents.at(-1)).toBe('Hookline/0.1');
  });

  it('Test connection shows the token request and its answer (as the console of Postman does), client secret and token masked', async () => {
    const ok = await testConnection({ method: 'GET', url: `${api.url}/orders` }, { env: {}, secrets, connection: cc() });
    expect(ok.tokenRequests).toHaveLength(1);
    const t = ok.tokenRequests![0];
    expect(t).toMatchObject({ method: 'POST', url: `${auth.url}/token`, status: 200 });
    expect(t.requestBody).toContain('grant_type=client_credentials');
    expect(t.requestBody).toContain('client_id=app');
    expect(t.requestBody).toContain('client_secret=***');
    expect(t.responseBody).toMatch(/"access_token":"\*\*\*"/);
    expect(t.responseBody).toContain('"expires_in":3600');
    const token = (ok.exchange!.response!.body as { token: string }).token;
    expect(token).toBe('***');
    expect(JSON.stringify(ok)).not.toContain('s3cret-client');
    expect(JSON.stringify(ok)).not.toMatch(/at-\d+/);
    // HTTP Basic client authentication: the Authorization header of the token request is masked.
    const basic = await testConnection({ method: 'GET', url: `${api.url}/orders` }, { env: {}, secrets, connection: cc({ authStyle: 'basic' }) });
    expect(basic.tokenRequests![0].requestHeaders.Authorization).toBe('***');
    // A refused client: the token server's own answer is there to read, not only the summary.
    const refused = await testConnection({ method: 'GET', url: `${api.url}/orders` }, { env: {}, secrets, connection: cc({ clientId: 'other' }) });
    expect(refused.ok).toBe(false);
    expect(refused.tokenRequests![0]).toMatchObject({ status: 401, responseBody: '{"error":"invalid_client"}' });
  });

  it('refreshes 30 s before expiry', async () => {
    let clock = Date.parse('2030-01-01T00:00:00Z');
    const cache = new TokenCache({ now: () => clock });
    expiresIn = 60;
    try {
      // The token's expiresAt comes from the real clock; keep the fake clock in step with it.
      clock = Date.now();
      const a = await get(cache);
      clock += 20_000;
      const b = await get(cache);
      clock += 15_000;
      const c = await get(cache);
      const tok = (e: Exchange) => (e.response!.body as { token: string }).token;
      expect(tok(a)).toBe(tok(b));
      expect(tok(c)).not.toBe(tok(b));
      expect(cache.fetches).toBe(2);
    } finally {
      expiresIn = 3600;
    }
  });

  it('a 401 forces exactly one refresh and the call succeeds; concurrent 401s share that refresh', async () => {
    const cache = new TokenCache();
    const first = await get(cache);
    const old = (first.response!.body as { token: string }).token;
    valid.delete(old); // revoked early by the partner
    const results = await Promise.all([get(cache), get(cache), get(cache)]);
    expect(results.every((r) => r.ok)).toBe(true);
    expect(cache.fetches).toBe(2);
    expect(results[0].attempts.map((a) => [a.status, a.retryReason])).toEqual([
      [401, '401 Unauthorized: OAuth2 token refreshed'],
      [200, undefined],
    ]);
  });

  it('a 401 that persists after the refresh fails (no loop)', async () => {
    const cache = new TokenCache();
    const before = grants.length;
    const apiAlways401 = await startHttp((_q, res) => json(res, 401, {}));
    try {
      const err = (await sendRequest({ method: 'GET', url: apiAlways401.url }, { env: {}, secrets, connection: cc(), tokenCache: cache }).catch((e) => e)) as HttpError;
      expect(err.status).toBe(401);
      expect(apiAlways401.requests).toHaveLength(2);
      expect(grants.length - before).toBe(2);
    } finally {
      await apiAlways401.close();
    }
  });

  it('basic auth style on the token request; token errors are clear and leak no secret', async () => {
    expect((await get(new TokenCache(), cc({ authStyle: 'basic' } as never))).ok).toBe(true);
    const bad = new MemorySecretStore({ CLIENT_SECRET: 'wrong-secret-value' });
    const err = (await sendRequest({ method: 'GET', url: api.url }, { env: {}, secrets: bad, connection: cc(), tokenCache: new TokenCache() }).catch((e) => e)) as HttpError;
    expect(err.code).toBe('oauth2_token');
    expect(err.message).toBe(`OAuth2 token request to ${auth.url}/token failed with status 401 (invalid_client)`);
    expect(JSON.stringify(err.exchange)).not.toContain('wrong-secret-value');
  });
});

describe('OAuth2 authorization code with PKCE', () => {
  it('runs the whole flow against a fake authorization server', async () => {
    const pkce = createPkcePair();
    expect(pkce.challenge).toBe(createHash('sha256').update(pkce.verifier).digest('base64url'));
    const state = createState();
    const redirectUri = 'http://127.0.0.1:7800/oauth/callback';
    const url = buildAuthorizeUrl({ authUrl: `${auth.url}/authorize`, clientId: 'app', redirectUri, scope: 'orders', state, codeChallenge: pkce.challenge });
    expect(new URL(url).searchParams.get('code_challenge_method')).toBe('S256');
    // The "browser": follow the authorize URL until the redirect to the loopback callback.
    const redirect = await sendRequest({ method: 'GET', url }, { env: {}, followRedirects: 0, failOnNon2xx: false });
    const callback = new URL(redirect.response!.headers.location);
    expect(() => handleAuthCallback(callback.searchParams, 'other-state')).toThrow('state does not match');
    expect(() => handleAuthCallback({ error: 'access_denied', error_description: 'user said no' }, state)).toThrow('authorization was refused: access_denied (user said no)');
    const { code } = handleAuthCallback(callback.searchParams, state);
    const ep = { tokenUrl: `${auth.url}/token`, clientId: 'app' };
    await expect(exchangeCode(ep, { code, redirectUri, codeVerifier: 'not-the-verifier-at-all-xxxxxxxxxxxxxxxxxx' })).rejects.toThrow('invalid_grant');
    const url2 = buildAuthorizeUrl({ authUrl: `${auth.url}/authorize`, clientId: 'app', redirectUri, state, codeChallenge: pkce.challenge });
    const cb2 = new URL((await sendRequest({ method: 'GET', url: url2 }, { env: {}, followRedirects: 0, failOnNon2xx: false })).response!.headers.location);
    const tokens = await exchangeCode(ep, { code: handleAuthCallback(cb2.searchParams, state).code, redirectUri, codeVerifier: pkce.verifier });
    expect(tokens.refreshToken).toBe('rt-from-code');
    expect(valid.has(tokens.accessToken)).toBe(true);
  });

  it('a connection uses the stored refresh token and keeps the rotated one as the secret', async () => {
    const store = new MemorySecretStore({ CLIENT_SECRET: 's3cret-client', RT: 'rt-initial' });
    const connection = connectionSchema.parse({
      id: 'ac',
      name: 'auth code partner',
      auth: { type: 'oauth2AuthCode', authUrl: `${auth.url}/authorize`, tokenUrl: `${auth.url}/token`, clientId: 'app', clientSecretSecret: 'CLIENT_SECRET', scope: 'orders', refreshTokenSecret: 'RT' },
    });
    const cache = new TokenCache();
    const ex = await sendRequest({ method: 'GET', url: api.url }, { env: {}, secrets: store, connection, tokenCache: cache });
    expect(ex.ok).toBe(true);
    expect(store.get('RT')).toBe('rt-initial-rotated');
    const notYet = new MemorySecretStore({ CLIENT_SECRET: 's3cret-client' });
    const err = (await sendRequest({ method: 'GET', url: api.url }, { env: {}, secrets: notYet, connection, tokenCache: new TokenCache() }).catch((e) => e)) as HttpError;
    expect(err.message).toBe('connection "auth code partner" is not authorised yet: sign in to obtain a refresh token (auth.refreshTokenSecret)');
  });
});
