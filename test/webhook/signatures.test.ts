import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  generateApiKey,
  generateWebhookSecret,
  GITHUB_SIGNATURE,
  safeEqual,
  signHmacHeader,
  signStandardWebhook,
  verifyHmacHeader,
  verifyStandardWebhook,
  type HmacHeaderOptions,
} from '../../core/webhook';

const RUNS = 2000;
const TOL = 300;

const secretArb = fc.uint8Array({ minLength: 1, maxLength: 64 }).map((b) => `whsec_${Buffer.from(b).toString('base64')}`);
const idArb = fc.string({ minLength: 1, maxLength: 40 }).filter((s) => s.trim() === s && s.length > 0);
const bodyArb = fc.uint8Array({ maxLength: 512 }).map((b) => Buffer.from(b));
const tsArb = fc.integer({ min: 1_000_000_000, max: 4_000_000_000 });

function headersFor(id: string, ts: number | string, sig: string) {
  return { 'webhook-id': id, 'webhook-timestamp': String(ts), 'webhook-signature': sig };
}

describe('Standard Webhooks', () => {
  it('matches the reference example from the specification', () => {
    // Test vector published with the Standard Webhooks reference libraries.
    const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
    const body = '{"test": 2432232314}';
    const sig = signStandardWebhook(secret, 'msg_p5jXN8AQM9LWM0D4loKWxJek', 1614265330, body);
    expect(sig).toBe('v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=');
    const r = verifyStandardWebhook([secret], headersFor('msg_p5jXN8AQM9LWM0D4loKWxJek', 1614265330, sig), Buffer.from(body), 1614265330);
    expect(r).toEqual({ ok: true, secretIndex: 0 });
  });

  it('round trip: sign then verify holds for random secrets, ids, bodies and times (property)', () => {
    fc.assert(
      fc.property(secretArb, idArb, bodyArb, tsArb, fc.integer({ min: -TOL, max: TOL }), (secret, id, body, ts, skew) => {
        const sig = signStandardWebhook(secret, id, ts, body);
        expect(verifyStandardWebhook([secret], headersFor(id, ts, sig), body, ts + skew, TOL).ok).toBe(true);
      }),
      { numRuns: RUNS },
    );
  });

  it('any change to body, id, timestamp or signature fails (property)', () => {
    const mutation = fc.oneof(
      fc.record({ kind: fc.constant('body' as const), at: fc.nat(), bit: fc.integer({ min: 0, max: 7 }) }),
      fc.record({ kind: fc.constant('id' as const), suffix: fc.string({ minLength: 1, maxLength: 3 }).filter((s) => s.trim() === s && s !== '') }),
      fc.record({ kind: fc.constant('timestamp' as const), delta: fc.integer({ min: -TOL, max: TOL }).filter((d) => d !== 0) }),
      fc.record({ kind: fc.constant('sigBit' as const), at: fc.nat(), bit: fc.integer({ min: 0, max: 7 }) }),
      fc.record({ kind: fc.constant('sigChar' as const), at: fc.nat(), ch: fc.constantFrom(...'ABCabc019+/=-_ ,.'.split('')) }),
    );
    fc.assert(
      fc.property(secretArb, idArb, bodyArb, tsArb, mutation, (secret, id, body, ts, m) => {
        const sig = signStandardWebhook(secret, id, ts, body);
        let [b, i, t, s] = [body, id, ts, sig];
        if (m.kind === 'body') {
          if (body.length === 0) b = Buffer.from([m.bit]);
          else {
            b = Buffer.from(body);
            b[m.at % b.length] ^= 1 << m.bit;
          }
        } else if (m.kind === 'id') i = id + m.suffix;
        else if (m.kind === 'timestamp') t = ts + m.delta;
        else if (m.kind === 'sigBit') {
          const raw = Buffer.from(sig.slice(3), 'base64');
          raw[m.at % raw.length] ^= 1 << m.bit;
          s = `v1,${raw.toString('base64')}`;
        } else {
          const body64 = sig.slice(3);
          const at = m.at % body64.length;
          fc.pre(body64[at] !== m.ch);
          s = `v1,${body64.slice(0, at)}${m.ch}${body64.slice(at + 1)}`;
        }
        // The clock sits on the original timestamp, so a changed timestamp still lies within tolerance:
        // the failure must come from the signature, not the clock.
        const r = verifyStandardWebhook([secret], headersFor(i, t, s), b, ts, TOL);
        expect(r.ok).toBe(false);
      }),
      { numRuns: RUNS },
    );
  });

  it('rotation: a signature by any of several secrets verifies, and several signatures in the header work (property)', () => {
    fc.assert(
      fc.property(fc.uniqueArray(secretArb, { minLength: 2, maxLength: 5 }), fc.nat(), idArb, bodyArb, tsArb, (secrets, pick, id, body, ts) => {
        const k = pick % secrets.length;
        const sig = signStandardWebhook(secrets[k], id, ts, body);
        const r = verifyStandardWebhook(secrets, headersFor(id, ts, sig), body, ts, TOL);
        expect(r).toEqual({ ok: true, secretIndex: k });
        // Sender signs with old and new secret; a receiver that only knows one of them still accepts.
        const both = `${signStandardWebhook(secrets[0], id, ts, body)} ${signStandardWebhook(secrets[1], id, ts, body)}`;
        expect(verifyStandardWebhook([secrets[1]], headersFor(id, ts, both), body, ts, TOL).ok).toBe(true);
        expect(verifyStandardWebhook([secrets[0]], headersFor(id, ts, both), body, ts, TOL).ok).toBe(true);
        // A receiver knowing none of the signing secrets rejects.
        const others = secrets.filter((_, j) => j !== k);
        expect(verifyStandardWebhook(others, headersFor(id, ts, sig), body, ts, TOL).ok).toBe(false);
      }),
      { numRuns: RUNS },
    );
  });

  it('timestamps outside the tolerance fail in both directions (property)', () => {
    fc.assert(
      fc.property(secretArb, idArb, bodyArb, tsArb, fc.integer({ min: 1, max: 10 }), fc.integer({ min: 1, max: 1_000_000 }), fc.boolean(), (secret, id, body, ts, tol, beyond, future) => {
        const sig = signStandardWebhook(secret, id, ts, body);
        const now = future ? ts - tol - beyond : ts + tol + beyond;
        expect(verifyStandardWebhook([secret], headersFor(id, ts, sig), body, now, tol)).toEqual({ ok: false, reason: 'signature timestamp outside tolerance' });
        expect(verifyStandardWebhook([secret], headersFor(id, ts, sig), body, future ? ts - tol : ts + tol, tol).ok).toBe(true);
      }),
      { numRuns: RUNS },
    );
  });

  it('uses a 5-minute tolerance by default', () => {
    const s = generateWebhookSecret();
    const sig = signStandardWebhook(s, 'm', 1000, 'x');
    expect(verifyStandardWebhook([s], headersFor('m', 1000, sig), 'x', 1300).ok).toBe(true);
    expect(verifyStandardWebhook([s], headersFor('m', 1000, sig), 'x', 1301).ok).toBe(false);
    expect(verifyStandardWebhook([s], headersFor('m', 1000, sig), 'x', 699).ok).toBe(false);
  });

  it('gives short, specific reasons for missing or malformed headers', () => {
    const s = generateWebhookSecret();
    const sig = signStandardWebhook(s, 'm', 1000, 'x');
    const v = (h: Record<string, string | string[] | undefined>) => verifyStandardWebhook([s], h, 'x', 1000);
    expect(v({ 'webhook-timestamp': '1000', 'webhook-signature': sig })).toEqual({ ok: false, reason: 'missing webhook-id header' });
    expect(v({ 'webhook-id': 'm', 'webhook-signature': sig })).toEqual({ ok: false, reason: 'missing webhook-timestamp header' });
    expect(v({ 'webhook-id': 'm', 'webhook-timestamp': '1e3', 'webhook-signature': sig })).toEqual({ ok: false, reason: 'invalid webhook-timestamp header' });
    expect(v({ 'webhook-id': 'm', 'webhook-timestamp': '1000' })).toEqual({ ok: false, reason: 'missing webhook-signature header' });
    expect(v(headersFor('m', 1000, sig.replace('v1,', 'v1a,')))).toEqual({ ok: false, reason: 'no v1 signature in webhook-signature header' });
    expect(verifyStandardWebhook([], headersFor('m', 1000, sig), 'x', 1000)).toEqual({ ok: false, reason: 'no signing secret is set' });
    // Node joins a repeated header with ", "; both signatures must still be read.
    expect(v({ ...headersFor('m', 1000, ''), 'webhook-signature': ['v1,AAAA', sig] }).ok).toBe(true);
    expect(v(headersFor('m', 1000, `v1,AAAA, ${sig}`)).ok).toBe(true);
  });
});

describe('single-header HMAC (GitHub and generic)', () => {
  it('GitHub preset matches an independently computed X-Hub-Signature-256', () => {
    const body = Buffer.from('{"zen":"Keep it logically awesome."}');
    const expected = `sha256=${createHmac('sha256', 'It\'s a Secret to Everybody').update(body).digest('hex')}`;
    expect(signHmacHeader("It's a Secret to Everybody", body, GITHUB_SIGNATURE)).toBe(expected);
    expect(verifyHmacHeader(["It's a Secret to Everybody"], { 'x-hub-signature-256': expected }, body, GITHUB_SIGNATURE).ok).toBe(true);
    expect(verifyHmacHeader(["It's a Secret to Everybody"], { 'x-hub-signature-256': expected.toUpperCase().replace('SHA256=', 'sha256=') }, body, GITHUB_SIGNATURE).ok).toBe(true);
    expect(verifyHmacHeader(['other'], { 'x-hub-signature-256': expected }, body, GITHUB_SIGNATURE)).toEqual({ ok: false, reason: 'no signature matched' });
    expect(verifyHmacHeader(['x'], {}, body, GITHUB_SIGNATURE)).toEqual({ ok: false, reason: 'missing X-Hub-Signature-256 header' });
    expect(verifyHmacHeader(['x'], { 'x-hub-signature-256': 'sha1=abc' }, body, GITHUB_SIGNATURE).ok).toBe(false);
  });

  const optsArb = fc.record({
    header: fc.constantFrom('X-Signature', 'X-Shopify-Hmac-Sha256', 'x-sig'),
    algorithm: fc.constantFrom('sha1' as const, 'sha256' as const, 'sha512' as const),
    encoding: fc.constantFrom('hex' as const, 'base64' as const),
    prefix: fc.constantFrom('', 'sha256=', 'v0='),
  });
  const plainSecret = fc.string({ minLength: 1, maxLength: 40 });

  it('generic round trip holds and any body or signature change fails, for every algorithm and encoding (property)', () => {
    fc.assert(
      fc.property(optsArb, fc.uniqueArray(plainSecret, { minLength: 1, maxLength: 3 }), bodyArb, fc.nat(), fc.nat(), fc.integer({ min: 0, max: 7 }), (opts: HmacHeaderOptions, secrets, body, pick, at, bit) => {
        const k = pick % secrets.length;
        const value = signHmacHeader(secrets[k], body, opts);
        const headers = { [opts.header.toLowerCase()]: value };
        expect(verifyHmacHeader(secrets, headers, body, opts)).toEqual({ ok: true, secretIndex: k });
        const changed = body.length ? Buffer.from(body) : Buffer.from([1]);
        if (body.length) changed[at % changed.length] ^= 1 << bit;
        expect(verifyHmacHeader(secrets, headers, changed, opts).ok).toBe(false);
        const raw = Buffer.from(value.slice(opts.prefix.length), opts.encoding);
        raw[at % raw.length] ^= 1 << bit;
        const forged = { [opts.header.toLowerCase()]: opts.prefix + raw.toString(opts.encoding) };
        expect(verifyHmacHeader(secrets, forged, body, opts).ok).toBe(false);
      }),
      { numRuns: RUNS },
    );
  });

  it('rejects a missing prefix and truncated or extended signatures', () => {
    const opts: HmacHeaderOptions = { header: 'X-Signature', algorithm: 'sha256', encoding: 'hex', prefix: 'sha256=' };
    const v = signHmacHeader('k', 'body', opts);
    expect(verifyHmacHeader(['k'], { 'x-signature': v.slice(7) }, 'body', opts)).toEqual({ ok: false, reason: 'X-Signature header does not start with "sha256="' });
    expect(verifyHmacHeader(['k'], { 'x-signature': v.slice(0, -2) }, 'body', opts).ok).toBe(false);
    expect(verifyHmacHeader(['k'], { 'x-signature': v + '00' }, 'body', opts).ok).toBe(false);
    expect(verifyHmacHeader(['k'], { 'x-signature': v }, 'body', opts).ok).toBe(true);
    const b64: HmacHeaderOptions = { ...opts, encoding: 'base64', prefix: '' };
    const s = signHmacHeader('k', 'body', b64);
    expect(verifyHmacHeader(['k'], { 'x-signature': s.replace(/=+$/, '') }, 'body', b64).ok).toBe(true);
  });
});

describe('safeEqual and generators', () => {
  it('is exact: equal strings only, whatever the lengths', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 20 }), fc.string({ unit: 'grapheme', maxLength: 20 }), (a, b) => {
        expect(safeEqual(a, b)).toBe(a === b);
        expect(safeEqual(a, a)).toBe(true);
      }),
      { numRuns: RUNS },
    );
    expect(safeEqual('abc', 'abcd')).toBe(false);
    expect(safeEqual('abcd', 'abc')).toBe(false);
    expect(safeEqual('', '')).toBe(true);
    expect(safeEqual('Ł', 'A')).toBe(false);
  });

  it('generates API keys of 32 random bytes in base64url and whsec_ secrets of 24 bytes', () => {
    const a = generateApiKey();
    expect(a).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(a, 'base64url')).toHaveLength(32);
    expect(generateApiKey()).not.toBe(a);
    const s = generateWebhookSecret();
    expect(s).toMatch(/^whsec_[A-Za-z0-9+/]{32}$/);
    expect(Buffer.from(s.slice(6), 'base64')).toHaveLength(24);
    expect(generateWebhookSecret()).not.toBe(s);
  });
});
