import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ServerResponse } from 'node:http';
import { describe, expect, it } from 'vitest';
import { sendReply } from '../../core/runtime/ingest';

/** The parts of a ServerResponse that sendReply uses, recording what it does. */
function fakeResponse(log: string[], name: string) {
  const res = {
    headersSent: false,
    destroyed: false,
    writeHead(status: number, flat: string[]) {
      res.headersSent = true;
      log.push(`${name} head ${status} ${flat.join(' ')}`);
    },
    end(payload: string | Buffer) {
      log.push(`${name} body ${String(payload)}`);
    },
  };
  return res;
}

const nextTurn = () => new Promise((r) => setImmediate(r));

describe('sendReply', () => {
  it('sets the head at once and writes the bodies of one turn together after it, in order', async () => {
    const log: string[] = [];
    const a = fakeResponse(log, 'a');
    const b = fakeResponse(log, 'b');
    sendReply(a as unknown as ServerResponse, 200, { 'X-Id': '1' }, { ok: 1 });
    sendReply(b as unknown as ServerResponse, 201, { 'content-type': 'text/plain', 'Content-Length': '999' }, 'two');
    expect(a.headersSent).toBe(true);
    expect(log).toEqual([
      'a head 200 X-Id 1 content-type application/json; charset=utf-8 content-length 8',
      'b head 201 content-type text/plain content-length 3',
    ]);
    await nextTurn();
    expect(log.slice(2)).toEqual(['a body {"ok":1}', 'b body two']);
  });

  it('ignores a second reply to the same request and skips a body whose connection is gone', async () => {
    const log: string[] = [];
    const a = fakeResponse(log, 'a');
    const b = fakeResponse(log, 'b');
    sendReply(a as unknown as ServerResponse, 200, {}, 'first');
    sendReply(a as unknown as ServerResponse, 504, {}, 'second');
    sendReply(b as unknown as ServerResponse, 200, {}, 'lost');
    b.destroyed = true;
    await nextTurn();
    expect(log.filter((l) => l.includes('body'))).toEqual(['a body first']);
    expect(log.filter((l) => l.startsWith('a head'))).toHaveLength(1);
  });

  it('answers real requests, also several arriving together', async () => {
    const server = http.createServer((_req, res) => sendReply(res, 200, {}, { n: 1 }));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    try {
      const answers = await Promise.all(Array.from({ length: 20 }, () => fetch(url).then(async (r) => [r.status, await r.json()])));
      expect(answers).toEqual(Array.from({ length: 20 }, () => [200, { n: 1 }]));
    } finally {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    }
  });

  it('answers 500 with the reason when node:http refuses a header, instead of leaving the caller waiting', async () => {
    const server = http.createServer((_req, res) => sendReply(res, 200, { 'X-Note': 'Preis 5 €' }, { n: 1 }));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    try {
      const r = await fetch(url, { signal: AbortSignal.timeout(5000) });
      expect(r.status).toBe(500);
      expect(await r.json()).toMatchObject({ error: 'invalid_reply', message: expect.stringContaining('the reply could not be sent: Invalid character in header content ["X-Note"]') });
    } finally {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    }
  });
});
