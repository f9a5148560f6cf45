import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { destroyAgents } from '../../core/http/agents';
import { errorHint, testConnection } from '../../core/http/test-connection';
import { connectionSchema, type Connection } from '../../core/model/connection';
import { MemorySecretStore } from '../../core/secrets/secret-store';
import { json, startHttp, type TestServer } from './servers';

/**
 * Test connection says what a failure means for the connection's fields (as n8n's credential test does), against
 * real servers on 127.0.0.1: a partner that checks Basic auth, a token endpoint, a closed port, a plain-HTTP port
 * asked for TLS.
 */
let partner: TestServer;
let closedPort: number;
const secrets = new MemorySecretStore({ PW: 'wrong-password', CS: 'wrong-client-secret', KEY: 'k-1' });
const conn = (c: object): Connection => connectionSchema.parse({ id: 'p', name: 'Partner', ...c });

beforeAll(async () => {
  partner = await startHttp((req, res) => {
    if (req.url === '/token') return json(res, 401, { error: 'invalid_client' });
    if (req.url === '/forbidden') return json(res, 403, { error: 'forbidden' });
    if (req.url === '/missing') return json(res, 404, { error: 'not found' });
    return json(res, 401, { error: 'unauthorized' });
  });
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  closedPort = (s.address() as net.AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
});
afterAll(async () => {
  await partner.close();
  destroyAgents();
});

describe('Test connection: failures name the fields to check', () => {
  it('a 401 names the credential fields of the auth type; 401 without auth asks for an Authorisation type', async () => {
    const basic = await testConnection({ method: 'GET', url: `${partner.url}/x` }, { connection: conn({ auth: { type: 'basic', username: 'alice', passwordSecret: 'PW' } }), secrets });
    expect(basic.ok).toBe(false);
    expect(basic.exchange?.response?.status).toBe(401);
    expect(basic.error).toEqual({ code: 'http_status', message: '401 Unauthorized: the partner rejected the credentials; check Username and Password' });
    const key = await testConnection({ method: 'GET', url: `${partner.url}/x` }, { connection: conn({ auth: { type: 'apiKey', in: 'query', name: 'api_key', valueSecret: 'KEY' } }), secrets });
    expect(key.error?.message).toContain('check Key name and Key value (sent in the query api_key)');
    const none = await testConnection({ method: 'GET', url: `${partner.url}/x` }, { connection: conn({}), secrets });
    expect(none.error?.message).toContain('choose an Authorisation type');
    const forbidden = await testConnection({ method: 'GET', url: `${partner.url}/forbidden` }, { connection: conn({}), secrets });
    expect(forbidden.error?.message).toMatch(/^403 Forbidden: the partner accepted who you are but refuses this request/);
    const missing = await testConnection({ method: 'GET', url: `${partner.url}/missing` }, { connection: conn({}), secrets });
    expect(missing.error?.message).toContain('check the Server URL and the path');
  });

  it('a rejected OAuth2 client names Client id, Client secret and Client authentication; an unreachable token URL names Token URL', async () => {
    const auth = { type: 'oauth2ClientCredentials', tokenUrl: `${partner.url}/token`, clientId: 'cid', clientSecretSecret: 'CS' };
    const r = await testConnection({ method: 'GET', url: `${partner.url}/api` }, { connection: conn({ auth }), secrets });
    expect(r.error?.code).toBe('oauth2_token');
    expect(r.error?.message).toContain('failed with status 401 (invalid_client)');
    expect(r.error?.message).toContain('Check Client id, Client secret and Client authentication');
    expect(r.error?.message).not.toContain('wrong-client-secret');
    const down = await testConnection({ method: 'GET', url: `${partner.url}/api` }, { connection: conn({ auth: { ...auth, tokenUrl: `http://127.0.0.1:${closedPort}/token` } }), secrets });
    expect(down.error?.message).toContain('The token endpoint could not be reached: check Token URL');
  });

  it('a refused connection, an unknown host and TLS to a plain-HTTP port say what to check', async () => {
    const refused = await testConnection({ method: 'GET', url: `http://127.0.0.1:${closedPort}/x` }, { connection: conn({}), secrets });
    expect(refused.error?.code).toBe('network');
    expect(refused.error?.message).toContain(`Nothing accepts connections at 127.0.0.1:${closedPort}: check the host and port of the Server URL`);
    // An unknown host from the message the client gives (no DNS query leaves this machine in a test).
    expect(errorHint('network', 'GET http://erp.partner.invalid:8443/x: ENOTFOUND: getaddrinfo ENOTFOUND erp.partner.invalid', undefined, undefined)).toContain('The host name erp.partner.invalid is not known: check the Server URL');
    const tlsToPlain = await testConnection({ method: 'GET', url: partner.url.replace('http:', 'https:') }, { connection: conn({}), secrets });
    expect(tlsToPlain.ok).toBe(false);
    expect(tlsToPlain.error?.message).toContain('does not speak TLS on this port: try http:// instead of https://');
  });
});
