import { describe, expect, it } from 'vitest';
import { webhookAuthSchema } from '../../core/nodes/webhook/spec';
import { MemorySecretStore } from '../../core/secrets/secret-store';
import { createAuthVerifier, generateApiKey, generateWebhookSecret, GITHUB_SIGNATURE, signHmacHeader, signStandardWebhook, type AuthResult } from '../../core/webhook';

const body = Buffer.from('{"orderId":42}');
const basic = (user: string, pass: string) => `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}`;

/** Every failure reason (and the message the caller gets) must be free of every secret value in the store. */
function expectNoSecretIn(r: AuthResult, store: MemorySecretStore) {
  if (r.ok) return;
  for (const name of store.list()) {
    expect(r.reason).not.toContain(store.get(name)!);
    expect(r.message ?? '').not.toContain(store.get(name)!);
  }
}

describe('auth: none', () => {
  it('lets everything through', () => {
    const verify = createAuthVerifier(webhookAuthSchema.parse({ type: 'none' }), new MemorySecretStore());
    expect(verify({ headers: {}, rawBody: body })).toEqual({ ok: true });
  });
});

describe('auth: apiKey', () => {
  const k1 = generateApiKey();
  const k2 = generateApiKey();
  const apiKeyAuth = (extra: Record<string, unknown> = {}) =>
    webhookAuthSchema.parse({
      type: 'apiKey',
      keys: [
        { id: 'a', label: 'ITscope', secret: 'KEY_A' },
        { id: 'b', label: 'Shop', secret: 'KEY_B' },
        { id: 'c', label: 'Unset', secret: 'KEY_MISSING' },
      ],
      ...extra,
    });
  const auth = apiKeyAuth();
  const store = () => new MemorySecretStore({ KEY_A: k1, KEY_B: k2 });

  it('accepts any configured key from the default X-API-Key header and says which one matched', () => {
    const s = store();
    const verify = createAuthVerifier(auth, s);
    expect(verify({ headers: { 'x-api-key': k1 }, rawBody: body })).toEqual({ ok: true, keyId: 'a', label: 'ITscope' });
    expect(verify({ headers: { 'x-api-key': k2 }, rawBody: body })).toEqual({ ok: true, keyId: 'b', label: 'Shop' });
  });

  it('accepts Authorization: Bearer when allowed (the default), and not when turned off', () => {
    const s = store();
    expect(createAuthVerifier(auth, s)({ headers: { authorization: `bearer ${k2}` }, rawBody: body })).toMatchObject({ ok: true, keyId: 'b' });
    const strict = createAuthVerifier(apiKeyAuth({ allowBearer: false }), s);
    expect(strict({ headers: { authorization: `Bearer ${k2}` }, rawBody: body })).toMatchObject({ ok: false, reason: 'missing X-API-Key header' });
  });

  it('reads a configured header whatever its case', () => {
    const verify = createAuthVerifier(apiKeyAuth({ header: 'X-Hookline-Token' }), store());
    expect(verify({ headers: { 'x-hookline-token': k1 }, rawBody: body })).toMatchObject({ ok: true, keyId: 'a' });
    expect(verify({ headers: { 'x-api-key': k1 }, rawBody: body })).toMatchObject({ ok: false, reason: 'missing X-Hookline-Token header or Bearer token' });
  });

  it('rejects a wrong, truncated, extended or empty key without leaking secrets', () => {
    const s = store();
    const verify = createAuthVerifier(auth, s);
    for (const wrong of ['nope', k1.slice(0, -1), `${k1}x`, k1.toUpperCase() === k1 ? `${k1}A` : k1.toUpperCase()]) {
      const r = verify({ headers: { 'x-api-key': wrong }, rawBody: body });
      expect(r).toMatchObject({ ok: false, reason: 'no key matched' });
      expectNoSecretIn(r, s);
    }
    expect(verify({ headers: {}, rawBody: body })).toMatchObject({ ok: false, reason: 'missing X-API-Key header or Bearer token' });
    expect(verify({ headers: { 'x-api-key': '' }, rawBody: body }).ok).toBe(false);
  });

  it('resolves secrets on every request: rotation applies at once, a deleted or missing secret never matches', () => {
    const s = store();
    const verify = createAuthVerifier(auth, s);
    const rotated = generateApiKey();
    s.set('KEY_A', rotated);
    expect(verify({ headers: { 'x-api-key': k1 }, rawBody: body }).ok).toBe(false);
    expect(verify({ headers: { 'x-api-key': rotated }, rawBody: body })).toMatchObject({ ok: true, keyId: 'a' });
    s.delete('KEY_B');
    expect(verify({ headers: { 'x-api-key': k2 }, rawBody: body }).ok).toBe(false);
    s.set('KEY_MISSING', 'now-set');
    expect(verify({ headers: { 'x-api-key': 'now-set' }, rawBody: body })).toMatchObject({ ok: true, keyId: 'c', label: 'Unset' });
  });

  it('one key value may serve several keys: the first configured one is reported', () => {
    const shared = generateApiKey();
    const verify = createAuthVerifier(auth, new MemorySecretStore({ KEY_A: shared, KEY_B: shared }));
    expect(verify({ headers: { 'x-api-key': shared }, rawBody: body })).toMatchObject({ ok: true, keyId: 'a' });
  });
});

describe('auth: basic', () => {
  const auth = webhookAuthSchema.parse({ type: 'basic', username: 'shop', passwordSecret: 'SHOP_PASSWORD' });
  const store = () => new MemorySecretStore({ SHOP_PASSWORD: 'pa:ss wörd' });

  it('accepts the right username and password (a password may contain ":")', () => {
    const verify = createAuthVerifier(auth, store());
    expect(verify({ headers: { authorization: basic('shop', 'pa:ss wörd') }, rawBody: body })).toEqual({ ok: true });
    expect(verify({ headers: { authorization: basic('shop', 'pa:ss wörd').replace('Basic', 'basic') }, rawBody: body }).ok).toBe(true);
  });

  it('rejects wrong user, wrong password, other schemes and garbage, with a challenge and no secret in the reason', () => {
    const s = store();
    const verify = createAuthVerifier(auth, s);
    const cases: [Record<string, string>, string][] = [
      [{ authorization: basic('shop', 'wrong') }, 'wrong username or password'],
      [{ authorization: basic('Shop', 'pa:ss wörd') }, 'wrong username or password'],
      [{ authorization: basic('shop', 'pa:ss wörd ') }, 'wrong username or password'],
      [{}, 'missing Authorization header'],
      [{ authorization: 'Bearer abc' }, 'Authorization header is not Basic'],
      [{ authorization: 'Basic ' + Buffer.from('no-colon').toString('base64') }, 'malformed Basic credentials'],
    ];
    for (const [headers, reason] of cases) {
      const r = verify({ headers, rawBody: body });
      expect(r).toMatchObject({ ok: false, reason, wwwAuthenticate: expect.stringContaining('Basic realm=') });
      expectNoSecretIn(r, s);
    }
  });

  it('never accepts anything while the password secret is missing', () => {
    const verify = createAuthVerifier(auth, new MemorySecretStore());
    expect(verify({ headers: { authorization: basic('shop', '') }, rawBody: body })).toMatchObject({ ok: false, reason: 'basic auth password secret is not set' });
  });
});

describe('auth: hmac', () => {
  it('standardWebhooks (the default preset) uses nowMs and the configured tolerance', () => {
    const secret = generateWebhookSecret();
    const s = new MemorySecretStore({ WH_SECRET: secret });
    const auth = webhookAuthSchema.parse({ type: 'hmac', secrets: ['WH_SECRET'], toleranceSec: 60 });
    const verify = createAuthVerifier(auth, s);
    const headers = { 'webhook-id': 'msg_1', 'webhook-timestamp': '1700000000', 'webhook-signature': signStandardWebhook(secret, 'msg_1', 1700000000, body) };
    expect(verify({ headers, rawBody: body, nowMs: 1_700_000_030_000 })).toEqual({ ok: true });
    expect(verify({ headers, rawBody: body, nowMs: 1_700_000_061_000 })).toMatchObject({ ok: false, reason: 'signature timestamp outside tolerance' });
    expect(verify({ headers, rawBody: Buffer.from('{"orderId":43}'), nowMs: 1_700_000_000_000 })).toMatchObject({ ok: false, reason: 'no signature matched' });
    // Without nowMs the real clock applies, and 2023 is long outside the tolerance.
    expect(verify({ headers, rawBody: body }).ok).toBe(false);
  });

  it('standardWebhooks rotation: any configured secret, resolved per request; missing secrets are skipped', () => {
    const oldS = generateWebhookSecret();
    const newS = generateWebhookSecret();
    const s = new MemorySecretStore({ OLD: oldS });
    const verify = createAuthVerifier(webhookAuthSchema.parse({ type: 'hmac', secrets: ['NEW', 'OLD'] }), s);
    const now = 1_800_000_000;
    const h = (sec: string) => ({ 'webhook-id': 'm', 'webhook-timestamp': String(now), 'webhook-signature': signStandardWebhook(sec, 'm', now, body) });
    expect(verify({ headers: h(oldS), rawBody: body, nowMs: now * 1000 }).ok).toBe(true);
    expect(verify({ headers: h(newS), rawBody: body, nowMs: now * 1000 }).ok).toBe(false);
    s.set('NEW', newS);
    expect(verify({ headers: h(newS), rawBody: body, nowMs: now * 1000 }).ok).toBe(true);
    s.delete('NEW');
    s.delete('OLD');
    const r = verify({ headers: h(oldS), rawBody: body, nowMs: now * 1000 });
    expect(r).toEqual({ ok: false, reason: 'no signing secret is set' });
  });

  it('github preset reads X-Hub-Signature-256 whatever header/algorithm settings say', () => {
    const s = new MemorySecretStore({ GH: 'gh-secret' });
    const auth = webhookAuthSchema.parse({ type: 'hmac', preset: 'github', secrets: ['GH'], header: 'X-Other', algorithm: 'sha1' });
    const verify = createAuthVerifier(auth, s);
    const sig = signHmacHeader('gh-secret', body, GITHUB_SIGNATURE);
    expect(verify({ headers: { 'x-hub-signature-256': sig }, rawBody: body })).toEqual({ ok: true });
    const r = verify({ headers: { 'x-hub-signature-256': sig }, rawBody: Buffer.from('tampered') });
    expect(r).toMatchObject({ ok: false, reason: 'no signature matched' });
    expectNoSecretIn(r, s);
    expect(verify({ headers: {}, rawBody: body })).toMatchObject({ ok: false, reason: 'missing X-Hub-Signature-256 header' });
  });

  it('generic preset uses the configured header, algorithm, encoding and prefix', () => {
    const s = new MemorySecretStore({ SIGN: 'generic-secret' });
    const auth = webhookAuthSchema.parse({ type: 'hmac', preset: 'generic', secrets: ['SIGN'], header: 'X-Shop-Hmac', algorithm: 'sha512', encoding: 'base64', prefix: 'v0=' });
    const verify = createAuthVerifier(auth, s);
    const value = signHmacHeader('generic-secret', body, { header: 'X-Shop-Hmac', algorithm: 'sha512', encoding: 'base64', prefix: 'v0=' });
    expect(value.startsWith('v0=')).toBe(true);
    expect(verify({ headers: { 'x-shop-hmac': value }, rawBody: body })).toEqual({ ok: true });
    const sha256 = signHmacHeader('generic-secret', body, { header: 'X-Shop-Hmac', algorithm: 'sha256', encoding: 'base64', prefix: 'v0=' });
    expect(verify({ headers: { 'x-shop-hmac': sha256 }, rawBody: body }).ok).toBe(false);
    expect(verify({ headers: { 'x-shop-hmac': value.slice(3) }, rawBody: body })).toMatchObject({ ok: false, reason: 'X-Shop-Hmac header does not start with "v0="' });
    expect(verify({ headers: {}, rawBody: body })).toMatchObject({ ok: false, reason: 'missing X-Shop-Hmac header' });
  });
});

describe('auth: what the caller is told', () => {
  const s = new MemorySecretStore({ KEY_A: 'alpha-key-value-0123', PW: 'pw-9f3k', SIGN: 'sign-secret-77' });
  const message = (auth: Record<string, unknown>, headers: Record<string, string>, rawBody = body) => {
    const r = createAuthVerifier(webhookAuthSchema.parse(auth), s)({ headers, rawBody });
    expectNoSecretIn(r, s);
    return r.ok ? 'ok' : r.message;
  };
  const keys = { type: 'apiKey', keys: [{ id: 'a', label: 'ERP', secret: 'KEY_A' }] };

  it('names the header a missing credential belongs in, and says a wrong one is not valid, never which keys exist', () => {
    expect(message(keys, {})).toBe('send the API key in the X-API-Key header or as Authorization: Bearer <key>');
    expect(message({ ...keys, header: 'X-Partner-Key', allowBearer: false }, {})).toBe('send the API key in the X-Partner-Key header');
    expect(message(keys, { 'x-api-key': 'nope' })).toBe('the API key in the X-API-Key header is not valid');
    expect(message(keys, { authorization: 'Bearer nope' })).toBe('the API key in the Bearer token is not valid');
    expect(message(keys, { 'x-api-key': 'alpha-key-value-0123' })).toBe('ok');
    expect(message(keys, { 'x-api-key': 'alpha-key-value-012' })).not.toMatch(/ERP|KEY_A/);
  });

  it('basic auth and signatures say what is missing or wrong; a secret the server lacks stays in the log only', () => {
    const basicAuth = { type: 'basic', username: 'erp', passwordSecret: 'PW' };
    expect(message(basicAuth, {})).toBe('send a user name and password (Authorization: Basic)');
    expect(message(basicAuth, { authorization: 'Bearer x' })).toBe('the Authorization header must be Basic <base64 of user:password>');
    expect(message(basicAuth, { authorization: basic('erp', 'no') })).toBe('wrong user name or password');
    expect(message({ ...basicAuth, passwordSecret: 'UNSET' }, { authorization: basic('erp', 'pw-9f3k') })).toBeUndefined();
    expect(message({ type: 'hmac', preset: 'github', secrets: ['SIGN'] }, {})).toBe('missing X-Hub-Signature-256 header');
    expect(message({ type: 'hmac', preset: 'github', secrets: ['SIGN'] }, { 'x-hub-signature-256': 'sha256=' + '0'.repeat(64) })).toBe('the signature does not match the body');
    expect(message({ type: 'hmac', preset: 'github', secrets: ['UNSET'] }, { 'x-hub-signature-256': 'sha256=' + '0'.repeat(64) })).toBeUndefined();
  });
});
