import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli-process';
import { chainFlow, send, startRuntime } from '../helpers/runtime';

/**
 * `hookline executions <id | business key>`: one execution step by step, headless, with what the studio's
 * Executions panel shows: the failed step, the partner's answer, each HTTP attempt and why it was retried, the
 * request headers as sent (credentials masked), and the runs it is linked to by retries.
 */
describe('hookline executions <id | business key>', () => {
  const TOKEN = 'tok-cli-SECRET-31337';
  let dataDir = '';
  let failedId = '';
  let okId = '';
  let server: http.Server;

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        const fail = req.url === '/fail';
        res.writeHead(fail ? 500 : 200, { 'content-type': 'application/json' }).end(fail ? '{"error":"db down"}' : '{"ok":true}');
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const flow = chainFlow({ path: '/in', responseMode: 'requestResponse' }, [
      { type: 'http-request', settings: { method: 'POST', url: `${base}/{{ data.target }}`, body: '{"id": {{ data.id }}}', connection: { auth: { type: 'bearer', tokenSecret: 'PARTNER_TOKEN' } }, retry: { retryCount: 1, retryIntervalMs: 50 } } },
    ], { id: 'orders', settings: { businessKey: 'data.id' } } as never);
    const t = await startRuntime({ secretValues: { PARTNER_TOKEN: TOKEN } });
    await t.rt.deploy(flow);
    const post = (body: object) => send(t.url('/in'), { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });
    failedId = (await post({ id: 'SO-7', target: 'fail' })).json.executionId;
    await post({ id: 'SO-8', target: 'ok' });
    okId = (await t.rt.store.listExecutions({ businessKey: 'SO-8' })).items[0].id;
    dataDir = t.dataDir;
    await t.stop();
  });

  afterAll(async () => {
    await new Promise((r) => server?.close(r));
  });

  it('shows a failed execution step by step: the partner answer, every attempt and its reason, headers masked', async () => {
    const r = await cli(['executions', failedId, '--data-dir', dataDir]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(new RegExp(`^execution ${failedId}  failed  flow orders \\(revision 1\\)  key SO-7`, 'm'));
    expect(r.out).toMatch(/^ {2}2\. n1 \(http-request\) {2}failed/m);
    expect(r.out).toContain('     error http_status: POST http://127.0.0.1:');
    expect(r.out).toContain('     the partner answered 500: {"error":"db down"}');
    expect(r.out).toMatch(/^ {7}> Authorization: \*\*\*$/m);
    expect(r.out).toContain('       > (body) {"id": "SO-7"}');
    expect(r.out).toMatch(/^ {7}#1 → 500 Internal Server Error {2}.*; retried after 50 ms: status 500$/m);
    expect(r.out).toMatch(/^ {7}#2 → 500 Internal Server Error {2}\S+ ms$/m);
    expect(r.out).not.toContain(TOKEN);
  });

  it('finds an execution by its business key, and lists the business key with each execution', async () => {
    const r = await cli(['executions', 'SO-8', '--data-dir', dataDir]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(new RegExp(`^execution ${okId}  succeeded .*key SO-8`, 'm'));
    expect(r.out).toMatch(/^ {7}#1 → 200 OK/m);
    const list = await cli(['executions', '--data-dir', dataDir]);
    expect(list.out).toMatch(new RegExp(`^${failedId}  failed .*  key SO-7  n1: POST`, 'm'));
    // A key (here a piece of it) that matches several executions lists them.
    const several = await cli(['executions', 'SO-', '--data-dir', dataDir]);
    expect(several.out).toContain('2 of 2 execution(s)');
    const none = await cli(['executions', 'SO-99', '--data-dir', dataDir]);
    expect(none.code).toBe(1);
    expect(none.err).toContain('no execution has the id or business key "SO-99"');
  });

  it('links a failed execution and its retry both ways', async () => {
    const q = await cli(['retry', failedId, '--data-dir', dataDir]);
    expect(q.code).toBe(0);
    const retryId = /queued (\S+)/.exec(q.out)![1];
    expect((await cli(['executions', failedId, '--data-dir', dataDir])).out).toContain(`  retried as ${retryId} (queued)`);
    const retry = await cli(['executions', retryId, '--data-dir', dataDir]);
    expect(retry.out).toMatch(new RegExp(`^  retry of ${failedId} \\(failed: POST http://127\\.0\\.0\\.1:\\d+/fail: status 500`, 'm'));
    expect(retry.out).toContain('  (none recorded)');
  });
});
