import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { startHostedRuntime, type HostedRuntime } from '../../core/host/studio';
import { MemorySecretStore } from '../../core/secrets/secret-store';
import { OAUTH_CALLBACK_PATH } from '../../core/http/oauth-signin';
import { defaultTokenCache } from '../../core/http/oauth2';
import { destroyAgents } from '../../core/http/agents';
import { chainFlow, send, tempDir } from '../helpers/runtime';
import { json, startHttp, type TestServer } from './servers';

/**
 * OAuth2 authorization code + PKCE end to end: a fake authorization server on 127.0.0.1, the runtime's
 * loopback callback, the refresh token stored as a secret, and a flow calling a partner with the token.
 */
let auth: TestServer;
let sink: TestServer;
let h: HostedRuntime;
let secrets: MemorySecretStore;
const issued = new Map<string, { challenge: string; redirectUri: string; clientId: string }>();
let codeN = 0;

beforeAll(async () => {
  sink = await startHttp((req, res) => json(res, 200, { ok: true }));
  auth = await startHttp((req, res, body) => {
    const u = new URL(req.url!, auth.url);
    if (u.pathname === '/authorize') {
      // The "browser" part: the user consents and the server redirects back with a code.
      const q = u.searchParams;
      if (q.get('code_challenge_method') !== 'S256' || !q.get('code_challenge')) return json(res, 400, { error: 'invalid_request' });
      const code = `code-${++codeN}`;
      issued.set(code, { challenge: q.get('code_challenge')!, redirectUri: q.get('redirect_uri')!, clientId: q.get('client_id')! });
      const back = new URL(q.get('redirect_uri')!);
      back.searchParams.set('code', code);
      back.searchParams.set('state', q.get('state')!);
      res.writeHead(302, { location: back.toString() }).end();
      return;
    }
    const form = new URLSearchParams(body);
    if (form.get('grant_type') === 'authorization_code') {
      const c = issued.get(form.get('code') ?? '');
      issued.delete(form.get('code') ?? '');
      const verifier = form.get('code_verifier') ?? '';
      const ok = c && c.redirectUri === form.get('redirect_uri') && c.clientId === form.get('client_id') && createHash('sha256').update(verifier).digest('base64url') === c.challenge;
      if (!ok) return json(res, 400, { error: 'invalid_grant' });
      return json(res, 200, { access_token: 'access-one', token_type: 'Bearer', expires_in: 3600, refresh_token: 'refresh-one-abcdef' });
    }
    if (form.get('grant_type') === 'refresh_token' && form.get('refresh_token') === 'refresh-one-abcdef') {
      return json(res, 200, { access_token: 'access-two', token_type: 'Bearer', expires_in: 3600, refresh_token: 'refresh-two-abcdef' });
    }
    json(res, 400, { error: 'invalid_grant' });
  });
});
afterAll(async () => {
  await auth.close();
  await sink.close();
  destroyAgents();
});
beforeEach(async () => {
  secrets = new MemorySecretStore();
  h = await startHostedRuntime({ dataDir: tempDir(), secrets, port: 0 });
  await h.api.saveConnection({
    id: 'partner-b',
    name: 'Partner B',
    auth: { type: 'oauth2AuthCode', authUrl: `${auth.url}/authorize`, tokenUrl: `${auth.url}/token`, clientId: 'studio-app', scope: 'orders offline_access', refreshTokenSecret: 'PARTNER_B_REFRESH' },
  });
});
afterEach(() => h.close());

describe('OAuth2 authorization code with PKCE', () => {
  it('signs in through the loopback callback, keeps the refresh token as a secret, and flows use the token', async () => {
    const start = await h.api.startOAuthSignIn('partner-b');
    expect(start.redirectUri).toBe(h.runtime.baseUrl + OAUTH_CALLBACK_PATH);
    const au = new URL(start.authorizeUrl);
    expect(Object.fromEntries(au.searchParams)).toMatchObject({ response_type: 'code', client_id: 'studio-app', scope: 'orders offline_access', code_challenge_method: 'S256', redirect_uri: start.redirectUri });

    const page = await fetch(start.authorizeUrl); // follows the 302 to the runtime's callback, as a browser would
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('Connection &#34;Partner B&#34; is signed in. You can close this tab.');
    expect(secrets.get('PARTNER_B_REFRESH')).toBe('refresh-one-abcdef');

    const tokenCalls = auth.requests.filter((r) => r.url === '/token').length;
    const f = chainFlow({ methods: ['POST'], path: '/b', responseMode: 'requestResponse' }, [{ type: 'http-request', settings: { url: `${sink.url}/orders`, connectionId: 'partner-b', body: '{}' } }, { type: 'respond' }], { id: 'to-b' });
    await h.api.saveFlow(f);
    expect((await h.api.deploy('to-b')).ok).toBe(true);
    expect((await send(h.runtime.baseUrl + '/b', { body: '{}' })).status).toBe(200);
    expect(sink.requests.at(-1)!.headers.authorization).toBe('Bearer access-one');
    // The token from the sign-in was cached: no extra token request for the first call.
    expect(auth.requests.filter((r) => r.url === '/token').length).toBe(tokenCalls);

    // Once the access token is gone, the stored refresh token gets a new one, and the rotated refresh token is kept.
    defaultTokenCache.invalidate();
    expect((await send(h.runtime.baseUrl + '/b', { body: '{}' })).status).toBe(200);
    expect(sink.requests.at(-1)!.headers.authorization).toBe('Bearer access-two');
    expect(secrets.get('PARTNER_B_REFRESH')).toBe('refresh-two-abcdef');
  });

  it('refuses a replayed callback, a wrong state and an authorization error, without touching the secret', async () => {
    const start = await h.api.startOAuthSignIn('partner-b');
    const redirect = await fetch(start.authorizeUrl, { redirect: 'manual' });
    const callback = redirect.headers.get('location')!;
    const forged = new URL(callback);
    forged.searchParams.set('state', 'guessed-state');
    const wrong = await fetch(forged);
    expect(wrong.status).toBe(400);
    expect(await wrong.text()).toContain('unknown or has expired');
    expect(secrets.has('PARTNER_B_REFRESH')).toBe(false);

    expect((await fetch(callback)).status).toBe(200);
    const replay = await fetch(callback);
    expect(replay.status).toBe(400);

    const again = await h.api.startOAuthSignIn('partner-b');
    const state = new URL(again.authorizeUrl).searchParams.get('state')!;
    const denied = await fetch(`${h.runtime.baseUrl}${OAUTH_CALLBACK_PATH}?error=access_denied&error_description=user+said+no&state=${state}`);
    expect(denied.status).toBe(400);
    expect(await denied.text()).toContain('authorization was refused: access_denied (user said no)');
  });

  it('startOAuthSignIn names the problem for a connection of another type', async () => {
    await h.api.saveConnection({ id: 'plain', name: 'Plain', auth: { type: 'none' } });
    await expect(h.api.startOAuthSignIn('plain')).rejects.toThrow('auth.type: must be oauth2AuthCode');
    await expect(h.api.startOAuthSignIn('ghost')).rejects.toThrow('connection "ghost" was not found');
  });
});
