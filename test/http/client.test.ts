import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import { connectionSchema, type ConnectionInput } from '../../core/model/connection';
import { MemorySecretStore } from '../../core/secrets/secret-store';
import { sendRequest, type Exchange, type SendOptions } from '../../core/http/client';
import { destroyAgents } from '../../core/http/agents';
import { HttpError } from '../../core/http/errors';
import { json, startHttp, type TestServer } from './servers';

const conn = (c: Omit<ConnectionInput, 'id' | 'name'>) => connectionSchema.parse({ id: 'c1', name: 'partner', ...c });
const noEnv = { env: {} } satisfies SendOptions;

async function rejection(p: Promise<unknown>): Promise<HttpError> {
  try {
    await p;
  } catch (e) {
    return e as HttpError;
  }
  throw new Error('expected the request to fail');
}

let srv: TestServer;
beforeAll(async () => {
  srv = await startHttp((req, res, body) => {
    const u = new URL(req.url!, 'http://x');
    switch (u.pathname) {
      case '/json':
        return json(res, 200, { ok: true, echo: body, method: req.method });
      case '/xml':
        res.writeHead(200, { 'content-type': 'application/xml' });
        return res.end('<order id="7"><item>pen</item></order>');
      case '/text':
        res.writeHead(200, { 'content-type': 'text/plain' });
        return res.end('hello');
      case '/bin':
        res.writeHead(200, { 'content-type': 'application/octet-stream' });
        return res.end(Buffer.from([0, 1, 2, 255]));
      case '/gzip':
        res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' });
        return res.end(gzipSync(JSON.stringify({ zipped: true })));
      case '/deflate':
        res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'deflate' });
        return res.end(deflateSync(JSON.stringify({ deflated: true })));
      case '/br':
        res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'br' });
        return res.end(brotliCompressSync(JSON.stringify({ brotli: true })));
      case '/gzip-bomb':
        // 20 KB on the wire, 20 MB once inflated.
        res.writeHead(200, { 'content-type': 'text/plain', 'content-encoding': 'gzip' });
        return res.end(gzipSync(Buffer.alloc(20 * 1024 * 1024, 0x61)));
      case '/stall-body':
        // Headers and part of the body, then nothing: only the total timeout can end this.
        res.writeHead(200, { 'content-type': 'text/plain' });
        res.write('partial');
        return;
      case '/status':
        return json(res, Number(u.searchParams.get('s')), { s: u.searchParams.get('s') });
      case '/cookies':
        res.setHeader('Set-Cookie', ['a=1; Path=/', 'b=2; Path=/']);
        res.setHeader('X-Partner-Trace', 'p1');
        return json(res, 200, { ok: true });
      case '/big':
        res.writeHead(200, { 'content-type': 'text/plain', 'content-length': '2000' });
        return res.end('x'.repeat(2000));
      case '/big-chunked':
        res.writeHead(200, { 'content-type': 'text/plain' });
        res.write('x'.repeat(1500));
        return res.end('y'.repeat(1500));
      default:
        return json(res, 404, { error: 'not found' });
    }
  });
});
afterAll(async () => {
  await srv.close();
  destroyAgents();
});

describe('sendRequest basics', () => {
  it('sends a JSON body and parses a JSON response with status, headers and timings', async () => {
    const ex = await sendRequest({ method: 'POST', url: `${srv.url}/json`, body: '{"a":1}', contentType: 'application/json', headers: [['X-Trace', 't1']] }, noEnv);
    expect(ex.ok).toBe(true);
    expect(ex.response?.status).toBe(200);
    expect(ex.response?.body).toEqual({ ok: true, echo: '{"a":1}', method: 'POST' });
    expect(ex.response?.headers['content-type']).toBe('application/json');
    const seen = srv.requests.at(-1)!;
    expect(seen.headers['content-type']).toBe('application/json');
    expect(seen.headers['x-trace']).toBe('t1');
    expect(ex.attempts).toHaveLength(1);
    expect(ex.attempts[0].timings?.firstByteMs).toBeGreaterThanOrEqual(0);
    expect(ex.attempts[0].timings?.totalMs).toBeGreaterThanOrEqual(ex.attempts[0].timings!.firstByteMs!);
  });

  it('gives every response header as one string (repeated Set-Cookie joined) and sends the default headers', async () => {
    const ex = await sendRequest({ method: 'GET', url: `${srv.url}/cookies` }, noEnv);
    expect(ex.response?.headers['set-cookie']).toBe('a=1; Path=/, b=2; Path=/');
    expect(ex.response?.headers['x-partner-trace']).toBe('p1');
    expect(Object.values(ex.response!.headers).every((v) => typeof v === 'string')).toBe(true);
    const seen = srv.requests.at(-1)!;
    expect(seen.headers['accept']).toBe('*/*');
    expect(seen.headers['user-agent']).toBe('Hookline/0.1');
    expect(seen.headers['accept-encoding']).toBe('gzip, deflate, br');
  });

  it('sends exactly the headers it built: no content type is guessed for a body without one', async () => {
    await sendRequest({ method: 'POST', url: `${srv.url}/json`, body: 'raw', headers: [['X-One', '1']] }, noEnv);
    const seen = srv.requests.at(-1)!;
    expect(seen.headers['content-type']).toBeUndefined();
    expect(seen.headers['content-length']).toBe('3');
    expect(seen.headers['x-one']).toBe('1');
    expect(seen.body).toBe('raw');
  });

  it('a flow header replaces a default one whatever its case, and any valid header name is sent as given', async () => {
    const ex = await sendRequest({ method: 'GET', url: `${srv.url}/json`, headers: [['accept', 'application/json'], ['__proto__', 'p'], ['X-Dup', 'a'], ['x-dup', 'b']] }, noEnv);
    const seen = srv.requests.at(-1)!;
    expect(seen.headers['accept']).toBe('application/json');
    // (node:http on the receiving side cannot show a header named __proto__; the record keeps it)
    expect(Object.getOwnPropertyDescriptor(ex.request.headers, '__proto__')?.value).toBe('p');
    expect(seen.headers['x-dup']).toBe('b');
    expect(Object.keys(ex.request.headers).filter((k) => k.toLowerCase() === 'accept')).toEqual(['accept']);
    expect(ex.request.headers['x-dup']).toBe('b');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('keeps connections alive: the second request to the same origin reuses the socket', async () => {
    const opts = { ...noEnv, connection: conn({}) };
    const a = await sendRequest({ method: 'GET', url: `${srv.url}/json` }, opts);
    const b = await sendRequest({ method: 'GET', url: `${srv.url}/json` }, opts);
    expect(a.attempts[0].timings?.reusedSocket).toBe(false);
    expect(a.attempts[0].timings?.connectMs).toBeGreaterThanOrEqual(0);
    expect(b.attempts[0].timings?.reusedSocket).toBe(true);
    expect(b.attempts[0].timings?.connectMs).toBeUndefined();
  });

  it('keeps every connection of a burst: 40 parallel requests, then 40 more, open no new sockets', async () => {
    const opts = { ...noEnv, connection: connectionSchema.parse({ id: 'burst', name: 'burst' }) };
    const wave = () => Promise.all(Array.from({ length: 40 }, () => sendRequest({ method: 'GET', url: `${srv.url}/json` }, opts)));
    const first = await wave();
    expect(first.filter((x) => !x.attempts[0].timings?.reusedSocket).length).toBeGreaterThan(16);
    const second = await wave();
    // A pool that kept only 16 idle sockets closed the rest and reconnected for most of this wave.
    expect(second.filter((x) => !x.attempts[0].timings?.reusedSocket)).toEqual([]);
  });

  it('parses XML, text, gzip and binary responses by content type', async () => {
    const xml = await sendRequest({ method: 'GET', url: `${srv.url}/xml` }, noEnv);
    expect(xml.response?.body).toEqual({ order: { '@_id': '7', item: 'pen' } });
    expect(xml.response?.rawText).toContain('<order');
    expect((await sendRequest({ method: 'GET', url: `${srv.url}/text` }, noEnv)).response?.body).toBe('hello');
    expect((await sendRequest({ method: 'GET', url: `${srv.url}/gzip` }, noEnv)).response?.body).toEqual({ zipped: true });
    const bin = await sendRequest({ method: 'GET', url: `${srv.url}/bin` }, noEnv);
    expect(bin.response?.encoding).toBe('base64');
    expect(Buffer.from(bin.response!.body as string, 'base64')).toEqual(Buffer.from([0, 1, 2, 255]));
  });

  it('appends query parameters and resolves relative URLs against the connection baseUrl', async () => {
    const ex = await sendRequest(
      { method: 'GET', url: '/json', query: [['item', 'a b'], ['n', '1']] },
      { ...noEnv, connection: conn({ baseUrl: `${srv.url}/` }) },
    );
    expect(ex.ok).toBe(true);
    expect(srv.requests.at(-1)!.url).toBe('/json?item=a+b&n=1');
  });

  it('resolves the same relative URL against each connection\'s own base, and a query never sticks to a later request', async () => {
    const other = await startHttp((_req, res) => json(res, 200, { other: true }));
    try {
      const a = await sendRequest({ method: 'GET', url: 'json', query: [['once', '1']] }, { ...noEnv, connection: conn({ baseUrl: `${srv.url}/` }) });
      const b = await sendRequest({ method: 'GET', url: 'json' }, { ...noEnv, connection: connectionSchema.parse({ id: 'c2', name: 'other', baseUrl: other.url }) });
      const c = await sendRequest({ method: 'GET', url: 'json' }, { ...noEnv, connection: conn({ baseUrl: `${srv.url}/` }) });
      expect(a.response?.url).toBe(`${srv.url}/json?once=1`);
      expect(b.response?.body).toEqual({ other: true });
      expect(c.response?.url).toBe(`${srv.url}/json`);
      expect(srv.requests.at(-1)!.url).toBe('/json');
    } finally {
      await other.close();
    }
  });

  it('fails on non-2xx by default with the status in the message, and not when turned off', async () => {
    const err = await rejection(sendRequest({ method: 'GET', url: `${srv.url}/status?s=404` }, noEnv));
    expect(err.code).toBe('http_status');
    expect(err.status).toBe(404);
    expect(err.message).toContain('status 404');
    const ex = await sendRequest({ method: 'GET', url: `${srv.url}/status?s=404` }, { ...noEnv, failOnNon2xx: false });
    expect(ex.ok).toBe(false);
    expect(ex.response?.body).toEqual({ s: '404' });
  });

  it('rejects CR/LF in header names, header values and query values before sending', async () => {
    const before = srv.requests.length;
    const e1 = await rejection(sendRequest({ method: 'GET', url: `${srv.url}/json`, headers: [['X-Ok', 'a'], ['X-Bad', 'v\r\nInjected: 1']] }, noEnv));
    expect(e1.code).toBe('invalid_header');
    expect(e1.message).toBe('headers[1] "X-Bad": value must not contain CR, LF or NUL');
    const e2 = await rejection(sendRequest({ method: 'GET', url: `${srv.url}/json`, headers: [['X-Bad\n', 'v']] }, noEnv));
    expect(e2.message).toContain('name must not contain');
    const e3 = await rejection(sendRequest({ method: 'GET', url: `${srv.url}/json`, query: [['q', 'a\rb']] }, noEnv));
    expect(e3.message).toContain('query[0] "q"');
    expect(srv.requests.length).toBe(before);
  });

  it('refuses a header value an HTTP header cannot carry (a "€" from the data), naming header and character', async () => {
    const before = srv.requests.length;
    const e = await rejection(sendRequest({ method: 'GET', url: `${srv.url}/json`, headers: [['X-Note', 'Preis 5 €']] }, noEnv));
    expect(e.code).toBe('invalid_header');
    expect(e.message).toBe('headers[0] "X-Note": value contains "€" (U+20AC), which an HTTP header cannot carry (ASCII and Latin-1 only); encode it, e.g. {{ $encodeUrlComponent(...) }}');
    expect(srv.requests.length).toBe(before);
    // Latin-1 is what node:http sends as it is, and the server reads it back the same way.
    await sendRequest({ method: 'GET', url: `${srv.url}/json`, headers: [['X-Name', 'Zoë']] }, noEnv);
    expect(srv.requests.at(-1)!.headers['x-name']).toBe('Zoë');
  });

  it('caps the response size, by Content-Length and while streaming', async () => {
    const e1 = await rejection(sendRequest({ method: 'GET', url: `${srv.url}/big` }, { ...noEnv, maxResponseBytes: 1000 }));
    expect(e1.code).toBe('response_too_large');
    expect(e1.message).toContain('response larger than 1000 bytes');
    const e2 = await rejection(sendRequest({ method: 'GET', url: `${srv.url}/big-chunked` }, { ...noEnv, maxResponseBytes: 2000 }));
    expect(e2.code).toBe('response_too_large');
    const ok = await sendRequest({ method: 'GET', url: `${srv.url}/big-chunked` }, { ...noEnv, maxResponseBytes: 3000 });
    expect(ok.response?.sizeBytes).toBe(3000);
  });

  it('decompresses deflate and br, and stops a gzip bomb at the size limit after decompression', async () => {
    expect((await sendRequest({ method: 'GET', url: `${srv.url}/deflate` }, noEnv)).response?.body).toEqual({ deflated: true });
    expect((await sendRequest({ method: 'GET', url: `${srv.url}/br` }, noEnv)).response?.body).toEqual({ brotli: true });
    const t0 = Date.now();
    const e = await rejection(sendRequest({ method: 'GET', url: `${srv.url}/gzip-bomb` }, { ...noEnv, maxResponseBytes: 1_000_000 }));
    expect(e.code).toBe('response_too_large');
    expect(Date.now() - t0).toBeLessThan(5000);
  });

  it('a body that stops half way fails at the total timeout with the configured message', async () => {
    const t0 = Date.now();
    const e = await rejection(sendRequest({ method: 'GET', url: `${srv.url}/stall-body` }, { ...noEnv, timeouts: { totalMs: 300, message: 'partner too slow' } }));
    expect(e.code).toBe('timeout');
    expect(e.message).toBe('partner too slow');
    expect(Date.now() - t0).toBeLessThan(3000);
    expect((e.exchange as Exchange).attempts[0].timings?.firstByteMs).toBeGreaterThan(0);
  });

  it('names the field for invalid URLs and methods', async () => {
    expect((await rejection(sendRequest({ method: 'GET', url: 'not a url' }, noEnv))).message).toContain('url: "not a url" is not an absolute URL');
    expect((await rejection(sendRequest({ method: 'TRACE' as never, url: srv.url }, noEnv))).message).toContain('method: must be one of');
    await expect(sendRequest({ method: 'GET', url: srv.url }, { retry: { retryCount: 6 } })).rejects.toThrow('retry.retryCount: must be between 0 and 5');
  });
});

describe('auth schemes from connections', () => {
  const secrets = new MemorySecretStore({ PW: 'pa55word', TOKEN: 'tok-123456', KEY: 'key-abcdef', HV: 'hv-secret' });
  const call = async (c: ConnectionInput['auth']) => {
    await sendRequest({ method: 'GET', url: `${srv.url}/json` }, { ...noEnv, secrets, connection: conn({ auth: c }) });
    return srv.requests.at(-1)!;
  };

  it('basic, bearer, API key (header and query), custom headers, requestor', async () => {
    expect((await call({ type: 'basic', username: 'me', passwordSecret: 'PW' })).headers.authorization).toBe(`Basic ${Buffer.from('me:pa55word').toString('base64')}`);
    expect((await call({ type: 'bearer', tokenSecret: 'TOKEN' })).headers.authorization).toBe('Bearer tok-123456');
    expect((await call({ type: 'apiKey', in: 'header', name: 'X-API-Key', valueSecret: 'KEY' })).headers['x-api-key']).toBe('key-abcdef');
    expect((await call({ type: 'apiKey', in: 'query', name: 'api_key', valueSecret: 'KEY' })).url).toBe('/json?api_key=key-abcdef');
    const h = await call({ type: 'headers', headers: [{ name: 'X-Version', value: '2' }, { name: 'X-Sub', valueSecret: 'HV' }] });
    expect([h.headers['x-version'], h.headers['x-sub']]).toEqual(['2', 'hv-secret']);
    const r = await call({ type: 'requestor', requestor: 'ACME01', username: 'me', passwordSecret: 'PW' });
    expect(r.headers['x-requestor']).toBe('ACME01');
    expect(r.headers.authorization).toBe(`Basic ${Buffer.from('me:pa55word').toString('base64')}`);
  });

  it("checks the connection's own headers too: a token an HTTP header cannot carry fails before sending", async () => {
    const before = srv.requests.length;
    const odd = new MemorySecretStore({ TOKEN: 'tök€n' });
    const err = await rejection(sendRequest({ method: 'GET', url: `${srv.url}/json` }, { ...noEnv, secrets: odd, connection: conn({ auth: { type: 'bearer', tokenSecret: 'TOKEN' } }) }));
    expect(err.code).toBe('invalid_header');
    expect(err.message).toContain('connection "partner" headers[0] "Authorization": value contains "€" (U+20AC)');
    expect(srv.requests.length).toBe(before);
  });

  it('an API key sent as a header needs a header name; as a query parameter any name', () => {
    const key = (where: 'header' | 'query', name: string) => connectionSchema.safeParse({ id: 'c', name: 'c', auth: { type: 'apiKey', in: where, name, valueSecret: 'KEY' } });
    const bad = key('header', 'X Api Key');
    expect(bad.success).toBe(false);
    expect(bad.error!.issues.map((i) => `${i.path.join('.')}: ${i.message}`)).toEqual(["auth.name: must be a valid HTTP header name (letters, digits and !#$%&'*+.^_`|~-, no spaces)"]);
    expect(key('query', 'api key').success).toBe(true);
    expect(key('header', 'X-Api-Key').success).toBe(true);
  });

  it('a missing secret fails before sending and names the secret and field', async () => {
    const before = srv.requests.length;
    const err = await rejection(sendRequest({ method: 'GET', url: `${srv.url}/json` }, { ...noEnv, secrets, connection: conn({ auth: { type: 'bearer', tokenSecret: 'NOPE' } }) }));
    expect(err.code).toBe('missing_secret');
    expect(err.message).toBe('connection "partner": secret NOPE is not set (auth.tokenSecret)');
    expect(srv.requests.length).toBe(before);
  });

  it('records the request as sent with credentials masked', async () => {
    const ex = await sendRequest(
      { method: 'POST', url: `${srv.url}/json`, body: 'pw=pa55word' },
      { ...noEnv, secrets, connection: conn({ auth: { type: 'apiKey', in: 'query', name: 'k', valueSecret: 'KEY' } }) },
    );
    expect(ex.request.url).toBe(`${srv.url}/json?k=***`);
    expect(ex.request.body).toBe('pw=pa55word'); // not a secret of this connection
    expect(JSON.stringify(ex.request) + JSON.stringify(ex.attempts)).not.toContain('key-abcdef');
  });

  it('keeps HTTP traffic with credential headers masked even without any secret: a typed Authorization, a Set-Cookie', async () => {
    const seen: unknown[] = [];
    const ex = await sendRequest(
      { method: 'GET', url: `${srv.url}/cookies`, headers: [['Authorization', 'Bearer typed-in-token'], ['X-Trace', 't1']] },
      { ...noEnv, traffic: { inputData: undefined }, onAttempt: (a) => seen.push(a) },
    );
    const [a] = seen as Array<{ request: { headers: Record<string, string> }; response: { headers: Record<string, string> } }>;
    expect(a.request.headers).toMatchObject({ Authorization: '***', 'X-Trace': 't1' });
    expect(a.response.headers).toMatchObject({ 'set-cookie': '***', 'x-partner-trace': 'p1' });
    expect(JSON.stringify(ex.attempts) + JSON.stringify(seen)).not.toMatch(/typed-in-token|a=1/);
    // A record without credential headers is kept as it is.
    const plain: unknown[] = [];
    await sendRequest({ method: 'GET', url: `${srv.url}/json` }, { ...noEnv, traffic: { inputData: undefined }, onAttempt: (x) => plain.push(x) });
    expect((plain[0] as { request: { headers: Record<string, string> } }).request.headers['User-Agent']).toBe('Hookline/0.1');
  });
});
