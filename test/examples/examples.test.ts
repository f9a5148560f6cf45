import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { XMLParser } from 'fast-xml-parser';
import { serializeBundle } from '../../core/bundle/bundle';
import { EXAMPLES, EXAMPLES_DIR } from '../../scripts/examples';
import { startCli, type CliProcess } from '../helpers/cli-process';
import { tempDir } from '../helpers/runtime';

const cleanup: Array<() => void> = [];
afterEach(() => {
  for (const c of cleanup.splice(0)) c();
});

interface Seen {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** A fake partner server on 127.0.0.1:0 recording every request. */
async function partner(handler: (req: Seen, res: http.ServerResponse, n: number) => void) {
  const seen: Seen[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      const s = { method: req.method!, url: req.url!, headers: req.headers, body };
      seen.push(s);
      handler(s, res, seen.length);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  cleanup.push(() => {
    server.closeAllConnections();
    server.close();
  });
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen };
}

async function serve(file: string, env: Record<string, string>): Promise<CliProcess> {
  const p = await startCli(['serve', path.join(EXAMPLES_DIR, file), '--host', '127.0.0.1', '--port', '0', '--data-dir', tempDir(), '--log-level', 'warn'], env);
  cleanup.push(() => p.child.kill('SIGKILL'));
  return p;
}

const event = (i: number, over: Record<string, unknown> = {}) => ({
  eventId: `evt-${i}`,
  timestamp: '2023-10-17T11:01:36',
  eventType: 'DELIVERY',
  transactionStatus: 'ADVISED',
  orderId: `ORD-${i}`,
  itscopeOrderId: `IT-${i}`,
  documentId: `${1000 + i}`,
  documentUrl: `https://api.itscope.com/2.1/business/documents/${i}/DISPATCHNOTIFICATION.xml`,
  transactionId: `tx-${i}`,
  ...over,
});

describe('examples', () => {
  it('the committed bundles are current (npm run docs regenerates them)', () => {
    for (const e of EXAMPLES) expect(fs.readFileSync(path.join(EXAMPLES_DIR, e.file), 'utf8')).toBe(serializeBundle(e.bundle()));
  });

  it('itscope-to-erp: API key, 400 naming the field, XML with every field, basic auth, retries, order, no duplicates', async () => {
    const erp = await partner((req, res, n) => {
      // The ERP fails the first two attempts of the first event with 503.
      res.writeHead(n <= 2 ? 503 : 200).end(n <= 2 ? 'busy' : '<ok/>');
    });
    const p = await serve('itscope-to-erp.bundle.json', { ITSCOPE_API_KEY: 'itscope-key', ERP_URL: `${erp.url}/erp/inbound`, ERP_USER: 'hookline-user', ERP_PASSWORD: 'erp-pass' });
    const post = (body: unknown, key = 'itscope-key') => fetch(`${p.url}/itscope/events`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-api-key': key }, body: JSON.stringify(body) });

    expect((await post(event(0), 'wrong')).status).toBe(401);
    const missing = await post({ ...event(0), orderId: undefined });
    expect(missing.status).toBe(400);
    expect(JSON.stringify((await missing.json()) as any)).toContain('orderId: is required');
    const wrongType = await post(event(0, { eventType: 'PARTY' }));
    expect(wrongType.status).toBe(400);
    expect(((await wrongType.json()) as any).violations[0]).toMatchObject({ path: 'eventType' });

    const ids: string[] = [];
    for (let i = 1; i <= 5; i++) {
      const r = await post(event(i));
      expect(r.status).toBe(202);
      ids.push(((await r.json()) as any).executionId);
    }
    const dupe = await post(event(3));
    expect(await dupe.json()).toEqual({ executionId: ids[2], duplicate: true });

    for (let i = 0; i < 200 && erp.seen.filter((s) => s.headers['x-requestor']).length < 7; i++) await new Promise((r) => setTimeout(r, 25));
    // 2 failed attempts + 5 events delivered, nothing for the rejected ones or the duplicate.
    expect(erp.seen).toHaveLength(7);
    const parser = new XMLParser({ parseTagValue: false });
    const delivered = erp.seen.slice(2).map((s) => parser.parse(s.body).ItscopeEvent);
    expect(delivered.map((d) => d.eventId)).toEqual(['evt-1', 'evt-2', 'evt-3', 'evt-4', 'evt-5']);
    expect(delivered[0]).toEqual(event(1));
    for (const s of erp.seen) {
      expect(s.method).toBe('POST');
      expect(s.url).toBe('/erp/inbound');
      expect(s.headers['content-type']).toMatch(/^application\/xml/);
      expect(s.headers['x-requestor']).toBe('hookline');
      expect(s.headers.authorization).toBe('Basic ' + Buffer.from('hookline-user:erp-pass').toString('base64'));
    }
    expect(erp.seen[0].body).toBe(erp.seen[2].body); // the retry sent the same document
  }, 30_000);

  it('price-query: 400 naming item, EUR default, OAuth2 token fetched once for many queries, 504 on timeout', async () => {
    let tokens = 0;
    const idp = await partner((req, res) => {
      tokens++;
      const form = new URLSearchParams(req.body);
      const ok = form.get('grant_type') === 'client_credentials' && (form.get('client_id') === 'shop' || (req.headers.authorization ?? '').startsWith('Basic '));
      res.writeHead(ok ? 200 : 401, { 'content-type': 'application/json' }).end(JSON.stringify(ok ? { access_token: `tok-${tokens}`, token_type: 'Bearer', expires_in: 3600 } : { error: 'invalid_client' }));
    });
    const api = await partner((req, res) => {
      const m = /^\/items\/([^/]+)\/price\?currency=(\w+)$/.exec(req.url);
      if (req.headers.authorization !== 'Bearer tok-1') return void res.writeHead(401).end();
      if (m?.[1] === 'SLOW') return void setTimeout(() => res.writeHead(200, { 'content-type': 'application/json' }).end('{"price":1}'), 6000);
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ price: m?.[2] === 'USD' ? 13.5 : 12.25 }));
    });
    const p = await serve('price-query.bundle.json', { PRICE_API_KEY: 'consumer-key', PRICE_API_URL: api.url, TOKEN_URL: `${idp.url}/oauth/token`, CLIENT_ID: 'shop', CLIENT_SECRET: 'shop-secret' });
    const get = (q: string) => fetch(`${p.url}/prices${q}`, { headers: { 'x-api-key': 'consumer-key' } });

    const missing = await get('?currency=USD');
    expect(missing.status).toBe(400);
    expect(((await missing.json()) as any).parameter).toBe('item');
    const answers = await Promise.all(['?item=A-1', '?item=A-2&currency=USD', '?item=A%2F3', '?item=B', '?item=C'].map(get));
    const bodies = (await Promise.all(answers.map((r) => r.json()))) as any[];
    expect(answers.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
    expect(bodies[0]).toMatchObject({ item: 'A-1', currency: 'EUR', price: 12.25 });
    expect(bodies[1]).toMatchObject({ item: 'A-2', currency: 'USD', price: 13.5 });
    expect(Date.parse(bodies[0].fetchedAt)).toBeGreaterThan(Date.now() - 60_000);
    expect(api.seen[2].url).toBe('/items/A%2F3/price?currency=EUR');
    expect(tokens).toBe(1);

    const t0 = Date.now();
    const slow = await get('?item=SLOW');
    expect(slow.status).toBe(504);
    expect(await slow.json()).toEqual({ error: 'timeout', message: 'The price service did not answer within 5 seconds.', executionId: expect.any(String) });
    expect(Date.now() - t0).toBeGreaterThanOrEqual(4900);
  }, 40_000);
});
