import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LookupFunction } from 'node:net';
import { connectionSchema } from '../../core/model/connection';
import { MemorySecretStore } from '../../core/secrets/secret-store';
import { sendRequest } from '../../core/http/client';
import { destroyAgents, proxyForUrl } from '../../core/http/agents';
import { Masker, maskExchange } from '../../core/http/mask';
import { testConnection } from '../../core/http/test-connection';
import { createTestPki } from '../../core/http/tls';
import { json, startHttp, startHttps, startProxy, type TestServer } from './servers';

let target: TestServer;
let tlsTarget: TestServer;
let mtlsTarget: TestServer;
let proxy: Awaited<ReturnType<typeof startProxy>>;
const pki = createTestPki();
const toLoopback: LookupFunction = (_host, opts, cb) => {
  if ((opts as { all?: boolean }).all) (cb as (e: null, a: Array<{ address: string; family: number }>) => void)(null, [{ address: '127.0.0.1', family: 4 }]);
  else (cb as (e: null, a: string, f: number) => void)(null, '127.0.0.1', 4);
};

beforeAll(async () => {
  const echo = (req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse, body: string) =>
    json(res, 200, { url: req.url, auth: req.headers.authorization ?? null, body });
  target = await startHttp(echo);
  tlsTarget = await startHttps({ key: pki.server.keyPem, cert: pki.server.certPem }, echo);
  mtlsTarget = await startHttps({ key: pki.server.keyPem, cert: pki.server.certPem, ca: pki.ca.certPem, requestCert: true, rejectUnauthorized: true }, echo);
  // Fake hostnames (partner.test) are routed by the proxy to the loopback target.
  proxy = await startProxy((hostPort) => hostPort.replace(/^partner\.test/, '127.0.0.1'));
});
afterAll(async () => {
  await Promise.all([target.close(), tlsTarget.close(), mtlsTarget.close(), proxy.close()]);
  destroyAgents();
});

describe('proxies', () => {
  it('an explicit connection proxy carries http requests (absolute URI) and https requests (CONNECT)', async () => {
    const secrets = new MemorySecretStore({ CA: pki.ca.certPem });
    const connection = connectionSchema.parse({ id: 'px', name: 'px', proxy: { url: proxy.url }, tls: { caSecret: 'CA' } });
    const a = await sendRequest({ method: 'GET', url: `${target.url}/via-proxy?x=1` }, { env: {}, secrets, connection });
    expect(a.response?.body).toMatchObject({ url: '/via-proxy?x=1' });
    expect(proxy.requests.map((r) => r.url)).toContain(`${target.url}/via-proxy?x=1`);
    const b = await sendRequest({ method: 'POST', url: `${tlsTarget.url}/tunnel`, body: 'hi' }, { env: {}, secrets, connection });
    expect(b.response?.body).toMatchObject({ url: '/tunnel', body: 'hi' });
    expect(proxy.connects).toContain(`127.0.0.1:${tlsTarget.port}`);
  });

  it('the proxy password comes from a secret, not the URL: sent as Proxy-Authorization, never in the connection', async () => {
    const secrets = new MemorySecretStore({ PROXY_PW: 'p@ss w0rd-PX' });
    const url = new URL(proxy.url);
    url.username = 'puser';
    const connection = connectionSchema.parse({ id: 'px-auth', name: 'px-auth', proxy: { url: url.toString(), passwordSecret: 'PROXY_PW' } });
    expect(JSON.stringify(connection)).not.toContain('p@ss');
    const ex = await sendRequest({ method: 'GET', url: `${target.url}/with-proxy-auth` }, { env: {}, secrets, connection });
    expect(ex.ok).toBe(true);
    const seen = proxy.requests.find((r) => r.url.endsWith('/with-proxy-auth'))!;
    expect(seen.headers['proxy-authorization']).toBe(`Basic ${Buffer.from('puser:p@ss w0rd-PX').toString('base64')}`);
    expect(JSON.stringify(ex)).not.toContain('w0rd');
    await expect(sendRequest({ method: 'GET', url: `${target.url}/x` }, { env: {}, secrets: new MemorySecretStore({}), connection })).rejects.toThrow('secret PROXY_PW is not set (proxy.passwordSecret)');
  });

  it('a client certificate goes through the CONNECT tunnel to the target', async () => {
    const secrets = new MemorySecretStore({ CA: pki.ca.certPem, PFX: pki.client.pfxBase64, PASS: pki.passphrase });
    const connection = connectionSchema.parse({
      id: 'px-mtls',
      name: 'px-mtls',
      proxy: { url: proxy.url },
      tls: { caSecret: 'CA', clientCert: { kind: 'pfx', pfxSecret: 'PFX', passphraseSecret: 'PASS' } },
    });
    const ex = await sendRequest({ method: 'GET', url: `${mtlsTarget.url}/m` }, { env: {}, secrets, connection });
    expect(ex.ok).toBe(true);
    expect(mtlsTarget.requests[0].clientCertCN).toBe('hookline-client');
    expect(proxy.connects).toContain(`127.0.0.1:${mtlsTarget.port}`);
  });

  it('HTTP_PROXY from the environment is used, and NO_PROXY bypasses it', async () => {
    const url = `http://partner.test:${target.port}/env`;
    const before = proxy.requests.length;
    const viaProxy = await sendRequest({ method: 'GET', url }, { env: { HTTP_PROXY: proxy.url }, lookup: toLoopback });
    expect(viaProxy.ok).toBe(true);
    expect(proxy.requests.length).toBe(before + 1);
    const direct = await sendRequest({ method: 'GET', url }, { env: { HTTP_PROXY: proxy.url, NO_PROXY: '.test' }, lookup: toLoopback });
    expect(direct.ok).toBe(true);
    expect(proxy.requests.length).toBe(before + 1);
  });

  it('proxyForUrl: scheme-specific variables, NO_PROXY suffixes and ports, loopback never proxied', () => {
    const env = { HTTPS_PROXY: 'proxy:3128', HTTP_PROXY: 'http://p80:8080', NO_PROXY: 'internal.example, .corp, api.x:8443' };
    expect(proxyForUrl(new URL('https://api.example.com'), undefined, env)).toBe('http://proxy:3128');
    expect(proxyForUrl(new URL('http://api.example.com'), undefined, env)).toBe('http://p80:8080');
    expect(proxyForUrl(new URL('https://internal.example'), undefined, env)).toBeUndefined();
    expect(proxyForUrl(new URL('https://svc.internal.example'), undefined, env)).toBeUndefined();
    expect(proxyForUrl(new URL('https://a.corp'), undefined, env)).toBeUndefined();
    expect(proxyForUrl(new URL('https://api.x:8443'), undefined, env)).toBeUndefined();
    expect(proxyForUrl(new URL('https://api.x'), undefined, env)).toBe('http://proxy:3128');
    expect(proxyForUrl(new URL('http://127.0.0.1:9'), undefined, env)).toBeUndefined();
    expect(proxyForUrl(new URL('http://localhost:9'), 'http://explicit:1', env)).toBe('http://explicit:1');
  });
});

describe('masking', () => {
  it('masks credential headers by name and secret values anywhere, ignoring very short values', () => {
    const m = new Masker({ secretValues: ['hunter22', 'ab'], headerNames: ['X-Partner-Key'] });
    const out = m.value({
      url: 'https://x/?pw=hunter22',
      headers: { Authorization: 'Basic abc', 'x-partner-key': 'k', Cookie: 'a=b', 'Set-Cookie': 's=1', 'X-API-Key': 'z', Accept: 'ab/hunter22' },
      body: { nested: ['the hunter22 password', 'ab stays'] },
    });
    expect(out).toEqual({
      url: 'https://x/?pw=***',
      headers: { Authorization: '***', 'x-partner-key': '***', Cookie: '***', 'Set-Cookie': '***', 'X-API-Key': '***', Accept: 'ab/***' },
      body: { nested: ['the *** password', 'ab stays'] },
    });
  });

  it('copies only what it masks: the same objects come back when there is nothing to mask, and the input is never changed', () => {
    const record = { url: 'https://x/a', headers: { Accept: '*/*' }, attempts: [{ status: 200, timings: { totalMs: 1 } }], body: 'plain' };
    const plain = new Masker();
    expect(plain.value(record)).toBe(record);
    const m = new Masker({ secretValues: ['hunter22'] });
    expect(m.value(record)).toBe(record);
    const withSecret = { ...record, attempts: [...record.attempts, { status: 401, error: 'pw hunter22 refused' }], headers: { Accept: '*/*', Authorization: 'Basic x' } };
    const snapshot = structuredClone(withSecret);
    const out = m.value(withSecret);
    expect(out).not.toBe(withSecret);
    expect(out.attempts[0]).toBe(withSecret.attempts[0]); // untouched parts are shared
    expect(out.attempts[1]).toEqual({ status: 401, error: 'pw *** refused' });
    expect(out.headers).toEqual({ Accept: '*/*', Authorization: '***' });
    expect(withSecret).toEqual(snapshot);
  });

  it('proxy settings of process.env are read again after a second, not on every request', async () => {
    const url = new URL('http://partner.example/x');
    const saved = process.env.HTTP_PROXY;
    try {
      process.env.HTTP_PROXY = 'http://first:1';
      expect(proxyForUrl(url, undefined)).toBe('http://first:1');
      process.env.HTTP_PROXY = 'http://second:2';
      const deadline = Date.now() + 3000;
      while (proxyForUrl(url, undefined) !== 'http://second:2' && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      expect(proxyForUrl(url, undefined)).toBe('http://second:2');
    } finally {
      if (saved === undefined) delete process.env.HTTP_PROXY;
      else process.env.HTTP_PROXY = saved;
    }
  });

  it('masks credential headers a flow sets itself, without any connection or secret', async () => {
    const ex = await sendRequest(
      { method: 'GET', url: `${target.url}/echo`, headers: [['authorization', 'Bearer literal-token'], ['Cookie', 'session=abc'], ['X-Plain', 'visible']] },
      { env: {} },
    );
    expect(ex.request.headers).toMatchObject({ authorization: '***', Cookie: '***', 'X-Plain': 'visible' });
    expect(JSON.stringify(ex.request)).not.toMatch(/literal-token|session=abc/);
    const plain = await sendRequest({ method: 'GET', url: `${target.url}/echo`, headers: [['X-Plain', 'visible']] }, { env: {} });
    expect(plain.request.headers['X-Plain']).toBe('visible');
  });

  it('exchanges never contain a secret: request, attempts, and (via testConnection) the echoed response', async () => {
    const secrets = new MemorySecretStore({ PW: 'pw-very-secret', KEY: 'key-very-secret' });
    const connection = connectionSchema.parse({ id: 'm', name: 'm', auth: { type: 'basic', username: 'me', passwordSecret: 'PW' } });
    const ex = await sendRequest({ method: 'POST', url: `${target.url}/echo`, body: 'password=pw-very-secret' }, { env: {}, secrets, connection });
    expect(ex.request.headers.Authorization).toBe('***');
    expect(ex.request.body).toBe('password=***');
    // The response is returned as received, for the flow to use; records mask it with maskExchange.
    expect(JSON.stringify(ex.response)).toContain('pw-very-secret');
    const b64 = Buffer.from('me:pw-very-secret').toString('base64');
    expect(JSON.stringify(maskExchange(ex, { secretValues: ['pw-very-secret', b64] }))).not.toMatch(/pw-very-secret|bWU6/);

    const apiKey = connectionSchema.parse({ id: 'm2', name: 'm2', auth: { type: 'apiKey', in: 'query', name: 'key', valueSecret: 'KEY' } });
    const r = await testConnection({ method: 'GET', url: `${target.url}/echo`, headers: [['X-Echo', 'key-very-secret']] }, { env: {}, secrets, connection: apiKey });
    expect(r.ok).toBe(true);
    const text = JSON.stringify(r);
    expect(text).not.toContain('key-very-secret');
    expect(r.exchange?.response?.body).toMatchObject({ url: '/echo?key=***' });
    expect(r.exchange?.request.url).toBe(`${target.url}/echo?key=***`);
  });

  it('testConnection reports failures with the code and a masked message', async () => {
    const secrets = new MemorySecretStore({ KEY: 'key-very-secret' });
    const apiKey = connectionSchema.parse({ id: 'm3', name: 'm3', auth: { type: 'apiKey', in: 'query', name: 'key', valueSecret: 'KEY' } });
    const r = await testConnection({ method: 'GET', url: 'http://127.0.0.1:1/x' }, { env: {}, secrets, connection: apiKey });
    expect(r.ok).toBe(false);
    expect(r.error?.code).toBe('network');
    expect(JSON.stringify(r)).not.toContain('key-very-secret');
    expect(r.exchange?.attempts[0].url).toBe('http://127.0.0.1:1/x?key=***');
  });
});
