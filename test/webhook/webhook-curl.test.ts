import { execFile } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { endpointCurl } from '../../renderer/inspector/webhook-curl';

/** The endpoint's "Copy cURL" pasted into a shell, against a server that records what arrived. */
describe('the webhook endpoint cURL a partner pastes', () => {
  let server: http.Server;
  let base: string;
  const seen: Array<{ url?: string; headers: http.IncomingHttpHeaders; body: string }> = [];

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        seen.push({ url: req.url, headers: req.headers, body });
        res.end('{}');
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  const paste = async (command: string) => {
    await new Promise<void>((resolve, reject) => execFile('bash', ['-c', `${command} -s -o /dev/null`], (err) => (err ? reject(err) : resolve())));
    return seen[seen.length - 1];
  };

  it('sends a generated key as shown; a key the studio cannot show is a <placeholder>, not a $NAME sent literally', async () => {
    const settings = { path: '/orders', auth: { type: 'apiKey', keys: [{ id: 'k1', label: 'ERP', secret: 'ORDERS_HOOK_K1' }] } };
    const shown = await paste(endpointCurl({ settings, sample: undefined, url: `${base}/orders`, revealed: { ORDERS_HOOK_K1: 'generated-key-0123456789' } }));
    expect(shown.headers['x-api-key']).toBe('generated-key-0123456789');
    expect(JSON.parse(shown.body)).toEqual({ hello: 'world' });

    const hidden = endpointCurl({ settings, sample: undefined, url: `${base}/orders`, revealed: {} });
    expect(hidden).toContain(`-H 'X-API-Key: <API key "ERP">'`);
    expect(hidden).not.toContain('$');
  });

  it('an XML sample goes as the XML with its Content-Type (a JSON string of it reached the flow as text)', async () => {
    const xml = '<?xml version="1.0"?>\n<Order id="A-1">it\'s &amp; more</Order>';
    const got = await paste(endpointCurl({ settings: { path: '/erp' }, sample: { trigger: { body: xml, headers: { 'content-type': 'application/xml' } }, data: {} }, url: `${base}/erp`, revealed: {} }));
    expect(got.headers['content-type']).toBe('application/xml');
    expect(got.body).toBe(xml);
  });

  it('basic auth is curl -u with the trigger\'s user name (the Authorization: Basic $(printf …) text arrived as written)', async () => {
    const settings = { methods: ['POST'], path: '/orders', queryParams: [{ name: 'customerid', required: true }], auth: { type: 'basic', username: 'erp-user', passwordSecret: 'P' } };
    const command = endpointCurl({ settings, sample: { trigger: { body: { id: 7 }, query: { customerid: '42' } } }, url: `${base}/orders`, revealed: {} });
    expect(command).toContain(`-u 'erp-user:<password>'`);
    const got = await paste(command);
    expect(Buffer.from(String(got.headers.authorization).replace(/^Basic /, ''), 'base64').toString()).toBe('erp-user:<password>');
    expect(got.url).toBe('/orders?customerid=42');
    expect(JSON.parse(got.body)).toEqual({ id: 7 });
  });
});
