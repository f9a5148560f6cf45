import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { LookupFunction } from 'node:net';
import { connectionSchema } from '../../core/model/connection';
import { MemorySecretStore } from '../../core/secrets/secret-store';
import { sendRequest, type AttemptRecord, type SendOptions } from '../../core/http/client';
import { destroyAgents } from '../../core/http/agents';
import { parseRetryAfter, resolveRetryPolicy, retryDelay, DEFAULT_RETRY } from '../../core/http/retry';
import type { HttpError } from '../../core/http/errors';
import { json, startHttp, type TestServer } from './servers';

const servers: TestServer[] = [];
const start = async (...a: Parameters<typeof startHttp>) => {
  const s = await startHttp(...a);
  servers.push(s);
  return s;
};
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});
afterAll(() => destroyAgents());

/** Records the delays the client asked for instead of waiting them out. */
function recorder() {
  const delays: number[] = [];
  const opts: SendOptions = { env: {}, sleep: async (ms) => void delays.push(ms), random: () => 0.5 };
  return { delays, opts };
}

async function rejection(p: Promise<unknown>): Promise<HttpError> {
  try {
    await p;
  } catch (e) {
    return e as HttpError;
  }
  throw new Error('expected the request to fail');
}

describe('retry policy', () => {
  it('fills in defaults and checks once: a resolved policy passes through as it is, frozen', () => {
    const p = resolveRetryPolicy({ retryCount: 3 });
    expect(p).toEqual({ ...DEFAULT_RETRY, retryCount: 3 });
    expect(resolveRetryPolicy(p)).toBe(p);
    expect(Object.isFrozen(p)).toBe(true);
    // No settings at all: the defaults, one frozen policy for everyone.
    expect(resolveRetryPolicy()).toEqual(DEFAULT_RETRY);
    expect(resolveRetryPolicy()).toBe(resolveRetryPolicy());
    // A plain object is checked every time, also after it changed.
    const raw = { retryCount: 2 };
    expect(resolveRetryPolicy(raw).retryCount).toBe(2);
    raw.retryCount = 9;
    expect(() => resolveRetryPolicy(raw)).toThrow('retry.retryCount: must be between 0 and 5');
  });
});

describe('retries', () => {
  it('retries 5xx up to retryCount with fixed intervals and records every attempt with its reason', async () => {
    const s = await start((_q, res) => json(res, 503, { down: true }));
    const { delays, opts } = recorder();
    const seen: AttemptRecord[] = [];
    const err = await rejection(
      sendRequest({ method: 'POST', url: `${s.url}/x`, body: 'a' }, { ...opts, retry: { retryCount: 3, retryIntervalMs: 250 }, onAttempt: (a) => seen.push(a) }),
    );
    expect(err.code).toBe('http_status');
    expect(s.requests).toHaveLength(4);
    expect(delays).toEqual([250, 250, 250]);
    const attempts = (err.exchange as { attempts: AttemptRecord[] }).attempts;
    expect(attempts.map((a) => a.status)).toEqual([503, 503, 503, 503]);
    expect(attempts.map((a) => a.retryReason)).toEqual(['status 503', 'status 503', 'status 503', undefined]);
    expect(attempts.map((a) => a.attempt)).toEqual([1, 2, 3, 4]);
    expect(seen).toHaveLength(4);
  });

  it('succeeds on a later attempt; exponential backoff doubles up to the cap', async () => {
    const s = await start((_q, res, _b, n) => (n < 4 ? json(res, n === 1 ? 429 : n === 2 ? 408 : 502, {}) : json(res, 200, { n })));
    const { delays, opts } = recorder();
    const ex = await sendRequest({ method: 'GET', url: s.url }, { ...opts, retry: { retryCount: 5, retryIntervalMs: 100, backoff: 'exponential', maxDelayMs: 300 } });
    expect(ex.response?.body).toEqual({ n: 4 });
    expect(ex.attempts.map((a) => a.status)).toEqual([429, 408, 502, 200]);
    expect(delays).toEqual([100, 200, 300]);
  });

  it('425 is retried; other 4xx are never retried', async () => {
    for (const [status, expected] of [[425, 3], [400, 1], [401, 1], [404, 1], [422, 1]] as const) {
      const s = await start((_q, res) => json(res, status, {}));
      const { opts } = recorder();
      await rejection(sendRequest({ method: 'GET', url: s.url }, { ...opts, retry: { retryCount: 2, retryIntervalMs: 1 } }));
      expect([status, s.requests.length]).toEqual([status, expected]);
    }
  });

  it('honours Retry-After in seconds and as an HTTP date, capped', async () => {
    const now = new Date('2030-01-01T00:00:00Z');
    const s = await start((_q, res, _b, n) => {
      if (n === 1) return json(res, 429, {}, { 'retry-after': '3' });
      if (n === 2) return json(res, 503, {}, { 'retry-after': new Date(now.getTime() + 7000).toUTCString() });
      if (n === 3) return json(res, 503, {}, { 'retry-after': '3600' });
      return json(res, 200, {});
    });
    const { delays, opts } = recorder();
    const ex = await sendRequest({ method: 'GET', url: s.url }, { ...opts, now: () => now, retry: { retryCount: 3, retryIntervalMs: 10, retryAfterCapMs: 60_000 } });
    expect(ex.ok).toBe(true);
    expect(delays).toEqual([3000, 7000, 60_000]);
    expect(ex.attempts[0].retryReason).toBe('status 429 (Retry-After 3)');
  });

  it('retries network errors (connection refused) and reports the last one', async () => {
    const s = await start((_q, res) => json(res, 200, {}));
    const url = s.url;
    await s.close();
    servers.length = 0;
    const { delays, opts } = recorder();
    const err = await rejection(sendRequest({ method: 'GET', url }, { ...opts, retry: { retryCount: 2, retryIntervalMs: 5 } }));
    expect(err.code).toBe('network');
    expect(err.message).toContain('ECONNREFUSED');
    // The code is said once (Node's text already names it), not 'ECONNREFUSED: connect ECONNREFUSED ...'.
    expect(err.message.match(/ECONNREFUSED/g)).toHaveLength(1);
    expect(delays).toEqual([5, 5]);
    expect((err.exchange as { attempts: AttemptRecord[] }).attempts.map((a) => a.errorCode)).toEqual(['network', 'network', 'network']);
  });

  it('pure helpers: Retry-After parsing and jittered delays stay within bounds', () => {
    expect(parseRetryAfter('12')).toBe(12_000);
    expect(parseRetryAfter('garbage')).toBeUndefined();
    // Malformed values fall back to the configured interval instead of retrying at once (Date.parse takes these).
    for (const bad of ['-5', '1.5', '', '+3', '2015-10-21']) expect([bad, parseRetryAfter(bad)]).toEqual([bad, undefined]);
    const now = new Date('2015-10-21T07:27:58Z');
    expect(parseRetryAfter('Wed, 21 Oct 2015 07:28:00 GMT', now)).toBe(2000); // IMF-fixdate
    expect(parseRetryAfter('Wednesday, 21-Oct-15 07:28:00 GMT', now)).toBe(2000); // RFC 850
    expect(parseRetryAfter('Wed Oct 21 07:28:00 2015', now)).toBeGreaterThanOrEqual(0); // asctime (local time by Date.parse)
    const p = { ...DEFAULT_RETRY, retryIntervalMs: 1000, jitter: true };
    expect(retryDelay(p, 1, undefined, () => 0)).toBe(500);
    expect(retryDelay(p, 1, undefined, () => 0.999)).toBe(1499);
  });
});

describe('timeouts', () => {
  it('total timeout: a server that accepts but never answers fails with the configured message, and is retried', async () => {
    const s = await start(() => undefined);
    const { opts } = recorder();
    const err = await rejection(
      sendRequest({ method: 'GET', url: s.url }, { ...opts, timeouts: { totalMs: 150, message: 'Partner did not answer in time' }, retry: { retryCount: 1, retryIntervalMs: 1 } }),
    );
    expect(err.code).toBe('timeout');
    expect(err.message).toBe('Partner did not answer in time');
    expect(s.requests).toHaveLength(2);
    expect((err.exchange as { attempts: AttemptRecord[] }).attempts.map((a) => a.errorCode)).toEqual(['timeout', 'timeout']);
  });

  it('connect timeout is separate from the total timeout (DNS that never answers stands in for an unreachable host)', async () => {
    const hang: LookupFunction = () => undefined;
    const { opts } = recorder();
    const err = await rejection(
      sendRequest({ method: 'GET', url: 'http://partner.invalid:9/' }, { ...opts, lookup: hang, timeouts: { totalMs: 5000, connectMs: 100 } }),
    );
    expect(err.code).toBe('connect_timeout');
    expect(err.message).toBe('GET http://partner.invalid:9/: could not connect within 100 ms');
    const err2 = await rejection(
      sendRequest({ method: 'GET', url: 'http://partner.invalid:9/' }, { ...opts, lookup: hang, timeouts: { totalMs: 5000, connectMs: 100, message: 'Service unavailable' } }),
    );
    expect(err2.message).toBe('Service unavailable');
  });

  it('the caller signal cancels a request and is not retried', async () => {
    const ctrl = new AbortController();
    // Cancelled once the request has arrived (a fixed delay raced the request on a busy machine).
    const s = await start(() => void ctrl.abort());
    const err = await rejection(sendRequest({ method: 'GET', url: s.url }, { env: {}, signal: ctrl.signal, retry: { retryCount: 3, retryIntervalMs: 1 } }));
    expect(err.code).toBe('aborted');
    expect(s.requests).toHaveLength(1);
  });
});

describe('redirects', () => {
  const secrets = new MemorySecretStore({ TOKEN: 'tok-redirect-1', KEY: 'k-redirect-1' });

  it('same-origin redirects keep the auth headers; cross-origin redirects drop them and the connection headers', async () => {
    const other = await start((_q, res) => json(res, 200, { where: 'other' }));
    const s = await start((req, res) => {
      if (req.url === '/start') return void res.writeHead(302, { location: '/same' }).end();
      if (req.url === '/same') return void res.writeHead(307, { location: `${other.url}/landing` }).end();
      json(res, 404, {});
    });
    const connection = connectionSchema.parse({
      id: 'c',
      name: 'c',
      auth: { type: 'headers', headers: [{ name: 'X-Partner-Key', valueSecret: 'KEY' }] },
    });
    const ex = await sendRequest(
      { method: 'GET', url: `${s.url}/start`, headers: [['Authorization', 'Bearer tok-redirect-1'], ['Cookie', 'sid=1'], ['X-Keep', 'yes']] },
      { env: {}, secrets, connection },
    );
    expect(ex.response?.body).toEqual({ where: 'other' });
    const same = s.requests.find((r) => r.url === '/same')!;
    expect(same.headers.authorization).toBe('Bearer tok-redirect-1');
    expect(same.headers['x-partner-key']).toBe('k-redirect-1');
    const landed = other.requests[0];
    expect(landed.headers.authorization).toBeUndefined();
    expect(landed.headers.cookie).toBeUndefined();
    expect(landed.headers['x-partner-key']).toBeUndefined();
    expect(landed.headers['x-keep']).toBe('yes');
    expect(ex.attempts[0].redirects.map((r) => [r.status, r.crossOrigin, r.droppedHeaders])).toEqual([
      [302, false, []],
      [307, true, ['authorization', 'cookie', 'x-partner-key']],
    ]);
  });

  it('a connection header typed in plain text is shown as sent (a secret-valued one masked) and still dropped across origins', async () => {
    const other = await start((_q, res) => json(res, 200, { where: 'other' }));
    const s = await start((req, res) => (req.url === '/start' ? void res.writeHead(307, { location: `${other.url}/landing` }).end() : json(res, 404, {})));
    const connection = connectionSchema.parse({
      id: 'c',
      name: 'c',
      auth: { type: 'headers', headers: [{ name: 'X-Client', value: 'acme-eu' }, { name: 'X-Partner-Key', valueSecret: 'KEY' }] },
    });
    const ex = await sendRequest({ method: 'GET', url: `${s.url}/start` }, { env: {}, secrets, connection, traffic: { inputData: undefined } });
    expect(ex.request.headers['X-Client']).toBe('acme-eu');
    expect(ex.request.headers['X-Partner-Key']).toBe('***');
    expect(ex.attempts[0].request?.headers?.['X-Client']).toBe('acme-eu');
    expect(JSON.stringify(ex)).not.toContain('k-redirect-1');
    expect(other.requests[0].headers['x-client']).toBeUndefined();
    expect(ex.attempts[0].redirects[0].droppedHeaders).toEqual(['x-client', 'x-partner-key']);
  });

  it('303 turns POST into GET without body; 307 keeps method and body', async () => {
    const s = await start((req, res, body) => {
      if (req.url === '/a') return void res.writeHead(303, { location: '/b' }).end();
      if (req.url === '/c') return void res.writeHead(307, { location: '/b' }).end();
      json(res, 200, { method: req.method, body });
    });
    expect((await sendRequest({ method: 'POST', url: `${s.url}/a`, body: 'x=1' }, { env: {} })).response?.body).toEqual({ method: 'GET', body: '' });
    expect((await sendRequest({ method: 'POST', url: `${s.url}/c`, body: 'x=1' }, { env: {} })).response?.body).toEqual({ method: 'POST', body: 'x=1' });
  });

  it('stops after the maximum number of redirects, and returns the 3xx when following is off', async () => {
    const s = await start((req, res) => void res.writeHead(302, { location: `/r${Number(req.url!.slice(2) || 0) + 1}` }).end());
    const err = await rejection(sendRequest({ method: 'GET', url: `${s.url}/r0` }, { env: {}, followRedirects: 2 }));
    expect(err.code).toBe('too_many_redirects');
    expect(s.requests).toHaveLength(3);
    const ex = await sendRequest({ method: 'GET', url: `${s.url}/r0` }, { env: {}, followRedirects: 0, failOnNon2xx: false });
    expect(ex.response?.status).toBe(302);
    expect(ex.response?.headers.location).toBe('/r1');
  });
});
