import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { haltedLine } from '../helpers/halted-line';
import { startRuntime, waitFor, type TestRuntime } from '../helpers/runtime';
import { cli } from '../helpers/cli-process';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** A partner on 127.0.0.1:0 recording the `n` of every request. */
async function partner() {
  const seen: number[] = [];
  const server = http.createServer((req, res) => {
    let b = '';
    req.on('data', (d) => (b += d));
    req.on('end', () => {
      seen.push(JSON.parse(b).n);
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  cleanups.push(() => new Promise<void>((r) => server.close(() => r())));
  return { seen, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/sink` };
}

/** Starts a runtime on the directory with the halted flow fixed to reach the partner. */
async function restartFixed(dataDir: string, flow: any, url: string): Promise<TestRuntime> {
  const t = await startRuntime({ dataDir });
  cleanups.push(() => t.stop());
  const fixed = structuredClone(flow);
  fixed.nodes[1].settings = { method: 'POST', url, contentType: 'application/json', body: '{ "n": {{ trigger.body.n }} }' };
  await t.rt.deploy(fixed);
  return t;
}

describe('hookline executions / retry / skip (offline)', () => {
  it('lists executions and marks the one halting its line; retry puts it back at the head of the line', async () => {
    const { flow, dataDir, failed, behind } = await haltedLine();
    const list = await cli(['executions', '--data-dir', dataDir, '--status', 'failed']);
    expect(list.code).toBe(0);
    expect(list.out).toMatch(new RegExp(`^${failed}  failed .*halts its line`, 'm'));
    expect(list.out).not.toContain(behind);
    expect(list.out).toContain('1 of 1 execution(s)');

    const r = await cli(['retry', failed, '--data-dir', dataDir]);
    expect(r.code).toBe(0);
    expect(r.out).toContain(`retry of ${failed}, first in its ordered line`);
    const queued = await cli(['executions', '--data-dir', dataDir, '--status', 'queued']);
    expect(queued.out).toMatch(new RegExp(`^\\S+  queued .*retry of ${failed}`, 'm'));
    // Retrying again before that retry ran would deliver the message twice: refused, naming the pending one.
    const twice = await cli(['retry', failed, '--data-dir', dataDir]);
    expect(twice.code).toBe(1);
    expect(twice.err).toMatch(new RegExp(`execution "${failed}" is already queued to run again as "\\S+"`));

    const p = await partner();
    const t = await restartFixed(dataDir, flow, p.url);
    await waitFor(() => p.seen.length >= 2);
    expect(p.seen).toEqual([1, 2]);
    expect((await t.rt.store.getExecution(failed))!.status).toBe('failed');
    await waitFor(async () => (await t.rt.store.getExecution(behind))!.status === 'succeeded');
    expect(t.rt.queueDepths().every((q) => q.blocked === 0)).toBe(true);
  });

  it('skip releases the line without running the failed message again', async () => {
    const { flow, dataDir, failed, behind } = await haltedLine();
    expect((await cli(['skip', behind, '--data-dir', dataDir])).err).toContain(`execution "${behind}" is not holding up an ordered line`);
    expect((await cli(['retry', 'nope', '--data-dir', dataDir])).code).toBe(1);
    const r = await cli(['skip', failed, '--data-dir', dataDir]);
    expect(r.code).toBe(0);

    const p = await partner();
    const t = await restartFixed(dataDir, flow, p.url);
    await waitFor(async () => (await t.rt.store.getExecution(behind))!.status === 'succeeded');
    expect(p.seen).toEqual([2]);
    expect((await t.rt.store.getExecution(failed))!.status).toBe('failed');
  });

  it('refuses while another runtime holds the data directory, and says which', async () => {
    const { dataDir, failed } = await haltedLine();
    const t = await startRuntime({ dataDir });
    cleanups.push(() => t.stop());
    for (const args of [['skip', failed], ['retry', failed], ['executions']]) {
      const r = await cli([...args, '--data-dir', dataDir]);
      expect(r.code).toBe(3);
      expect(r.err).toContain(`data dir ${dataDir} is in use by pid ${process.pid}`);
    }
    // Nothing was changed: the line is still halted on it.
    const entry = await t.rt.store.getQueueEntry(failed);
    expect(entry?.blocking).toBe(true);
  });
});
