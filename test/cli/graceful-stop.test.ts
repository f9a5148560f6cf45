import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { LOCK_FILE } from '../../core/runtime/data-dir-lock';
import { chainFlow, send, tempDir, waitFor } from '../helpers/runtime';
import { cli, startCli, type CliProcess } from '../helpers/cli-process';

const ROOT = path.resolve(__dirname, '../..');
const HELLO = path.join(ROOT, 'examples/flows/hello.flow.json');

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function track(p: CliProcess): CliProcess {
  cleanups.push(() => p.child.exitCode === null && p.child.kill('SIGKILL'));
  return p;
}

/** A partner on 127.0.0.1:0 that takes each request and never answers: whatever calls it runs until cut off. */
async function silentPartner(): Promise<{ url: string; seen: () => number }> {
  let seen = 0;
  const server = http.createServer(() => void seen++);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  cleanups.push(() => {
    server.closeAllConnections();
    return new Promise<void>((r) => server.close(() => r()));
  });
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/slow`, seen: () => seen };
}

/** The process' JSON log lines (stdout's endpoint and ready lines left out). */
const logLines = (p: CliProcess) =>
  p
    .output()
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Record<string, any>);

describe('hookline run: SIGHUP', () => {
  it('stops gracefully as SIGTERM does: logged, exit 0, the lock removed and the database closed', async () => {
    const dataDir = tempDir();
    const p = track(await startCli(['run', HELLO, '--port', '0', '--data-dir', dataDir]));
    expect((await send(`${p.url}/hello`, { body: '{"name":"Ada"}', headers: { 'content-type': 'application/json' } })).status).toBe(200);
    p.child.kill('SIGHUP');
    expect(await p.exited, p.output()).toBe(0);
    expect(logLines(p).find((l) => l.msg === 'stopping')).toMatchObject({ level: 'info', signal: 'SIGHUP' });
    expect(logLines(p).some((l) => l.msg === 'stopped')).toBe(true);
    expect(fs.existsSync(path.join(dataDir, LOCK_FILE))).toBe(false);
    // Closed cleanly: SQLite folds its write-ahead log back into the database and removes it.
    expect(fs.existsSync(path.join(dataDir, 'executions.db-wal'))).toBe(false);
  }, 60_000);
});

describe('hookline run: executions still running when --grace-ms runs out', () => {
  it('are recorded as interrupted before the process ends, named in one warn line, and run again after the next start', async () => {
    const partner = await silentPartner();
    const file = path.join(tempDir(), 'slow.flow.json');
    const flow = chainFlow({ path: '/in', responseMode: 'async' }, [{ type: 'http-request', settings: { method: 'POST', url: partner.url, body: '{}', timeoutMs: 30_000 } }], { id: 'slow' });
    fs.writeFileSync(file, JSON.stringify(flow));
    const dataDir = tempDir();
    const p = track(await startCli(['run', file, '--port', '0', '--data-dir', dataDir, '--grace-ms', '200']));
    const accepted = await send(`${p.url}/in`, { body: '{"n":1}', headers: { 'content-type': 'application/json' } });
    expect(accepted.status).toBe(202);
    const id = accepted.json.executionId as string;
    await waitFor(() => partner.seen() === 1);
    p.child.kill('SIGTERM');
    expect(await p.exited, p.output()).toBe(0);

    const warned = logLines(p).filter((l) => l.level === 'warn' && Array.isArray(l.interrupted));
    expect(warned, p.output()).toHaveLength(1);
    expect(warned[0].msg).toContain(`${id} (flow slow)`);
    expect(warned[0]).toMatchObject({ graceMs: 200, interrupted: [{ executionId: id, flowId: 'slow', rerunAs: expect.any(String) }] });

    // The store says so now, not only after the next start; the message waits, queued, to run again.
    const shown = await cli(['executions', id, '--data-dir', dataDir]);
    expect(shown.out).toMatch(new RegExp(`^execution ${id}  interrupted  flow slow`));
    const list = await cli(['executions', '--data-dir', dataDir]);
    expect(list.out).toMatch(new RegExp(`^${warned[0].interrupted[0].rerunAs}  queued .* retry of ${id}`, 'm'));
    expect(list.out).not.toContain('running');

    // The next start runs it again (the partner sees it a second time) and has nothing left over to warn about.
    const again = track(await startCli(['run', file, '--port', '0', '--data-dir', dataDir, '--grace-ms', '0']));
    await waitFor(() => partner.seen() === 2, { tries: 250 });
    expect(again.output()).not.toContain('was interrupted by a stop or crash');
    again.child.kill('SIGTERM');
    expect(await again.exited).toBe(0);
  }, 60_000);
});
