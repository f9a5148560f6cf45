import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { chainFlow, send, startRuntime, type TestRuntime } from '../helpers/runtime';
import { ProblemsError } from '../../core/model/problems';

/** Webhooks called from a browser page: allowed origins (CORS), the preflight, and the header on every answer. */
let t: TestRuntime;
beforeEach(async () => {
  t = await startRuntime();
});
afterEach(() => t.stop());

const preflight = (path: string, origin: string, method = 'POST') =>
  fetch(t.url(path), { method: 'OPTIONS', headers: { origin, 'access-control-request-method': method, 'access-control-request-headers': 'content-type, x-api-key' } });

describe('webhook CORS (allowed origins)', () => {
  it('answers the preflight for an allowed origin and lets it read every answer, errors included; others get 403', async () => {
    await t.rt.deploy(chainFlow({ path: '/checkout', methods: ['POST', 'PUT'], allowedOrigins: 'https://shop.example, https://admin.shop.example', auth: { type: 'basic', username: 'u', passwordSecret: 'NOPE' } }, []));
    const ok = await preflight('/checkout', 'https://shop.example');
    expect(ok.status).toBe(204);
    expect(ok.headers.get('access-control-allow-origin')).toBe('https://shop.example');
    expect(ok.headers.get('access-control-allow-methods')).toBe('POST, PUT');
    expect(ok.headers.get('access-control-allow-headers')).toBe('content-type, x-api-key');
    expect(ok.headers.get('vary')).toBe('Origin');
    const other = await preflight('/checkout', 'https://evil.example');
    expect(other.status).toBe(403);
    expect(((await other.json()) as { message: string }).message).toContain('origin https://evil.example may not call this webhook from a browser');
    // The real request: refused (no credentials), but the page may read why.
    const refused = await send(t.url('/checkout'), { body: '{}', headers: { origin: 'https://admin.shop.example', 'content-type': 'application/json' } });
    expect(refused.status).toBe(401);
    expect(refused.headers.get('access-control-allow-origin')).toBe('https://admin.shop.example');
    expect((await send(t.url('/checkout'), { body: '{}', headers: { origin: 'https://evil.example' } })).headers.get('access-control-allow-origin')).toBeNull();
  });

  it('* allows any origin; without allowed origins nothing changes (OPTIONS is 405, no CORS header)', async () => {
    await t.rt.deploy(chainFlow({ path: '/any', allowedOrigins: '*' }, [], { id: 'any' }));
    const pre = await preflight('/any', 'https://anyone.example');
    expect(pre.status).toBe(204);
    expect(pre.headers.get('access-control-allow-origin')).toBe('*');
    const r = await send(t.url('/any'), { body: '{}', headers: { origin: 'https://anyone.example' } });
    expect(r.status).toBe(202);
    expect(r.headers.get('access-control-allow-origin')).toBe('*');
    await t.rt.deploy(chainFlow({ path: '/plain' }, [], { id: 'plain' }));
    expect((await preflight('/plain', 'https://anyone.example')).status).toBe(405);
    expect((await send(t.url('/plain'), { body: '{}', headers: { origin: 'https://anyone.example' } })).headers.get('access-control-allow-origin')).toBeNull();
  });

  it('an entry that is not an origin is a deploy problem naming the field', async () => {
    const err = await t.rt.deploy(chainFlow({ path: '/bad', allowedOrigins: 'https://shop.example/checkout' }, [])).catch((e) => e);
    expect(err).toBeInstanceOf(ProblemsError);
    const p = (err as ProblemsError).problems.find((x) => x.path.endsWith('allowedOrigins'))!;
    expect(p.path).toBe('nodes[0].settings.allowedOrigins');
    expect(p.message).toContain('"https://shop.example/checkout" is not an origin: write scheme and host only');
  });
});
