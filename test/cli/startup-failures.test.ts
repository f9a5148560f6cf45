import net from 'node:net';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/runtime';
import { startCli, stopAll, type CliProcess } from '../helpers/cli-process';

const ROOT = path.resolve(__dirname, '../..');
const HELLO = path.join(ROOT, 'examples/flows/hello.flow.json');

const running: CliProcess[] = [];
afterEach(() => stopAll(running));

/** Runs `hookline <args>`; a process still alive after `timeoutMs` is killed and reported as `hung`. */
function runBounded(args: string[], timeoutMs = 20_000): Promise<{ code: number | null; output: string; hung: boolean }> {
  const child = spawn(process.execPath, [path.join(ROOT, 'bin/hookline.mjs'), ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  return new Promise((resolve) => {
    let hung = false;
    const timer = setTimeout(() => {
      hung = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, output: out, hung });
    });
  });
}

describe('hookline run: start-up failures exit 3', () => {
  it('a second process on a data directory in use refuses to start and names the owner', async () => {
    const dataDir = tempDir();
    const first = await startCli(['run', HELLO, '--port', '0', '--data-dir', dataDir, '--log-level', 'error']);
    running.push(first);
    const r = await runBounded(['run', HELLO, '--port', '0', '--data-dir', dataDir, '--log-level', 'error']);
    expect(r.hung).toBe(false);
    expect(r.code).toBe(3);
    expect(r.output).toContain(`data dir ${dataDir} is in use by pid ${first.child.pid} (started `);
    // The first one still serves.
    const res = await fetch(first.url + '/hello', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"name":"Ada"}' });
    expect(res.status).toBe(200);
  }, 60_000);
});

/** Runs `fn` with a port on 127.0.0.1 that something else is listening on. */
async function withBusyPort(fn: (port: number) => Promise<void>): Promise<void> {
  const server = net.createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  try {
    await fn((server.address() as net.AddressInfo).port);
  } finally {
    await new Promise<void>((r) => server.close(() => r()));
  }
}

describe('hookline run: a port in use', () => {
  it('exits 3 promptly with a message naming the port', async () => {
    await withBusyPort(async (port) => {
      const r = await runBounded(['run', HELLO, '--port', String(port), '--data-dir', tempDir(), '--log-level', 'error']);
      expect(r.hung).toBe(false);
      expect(r.code).toBe(3);
      expect(r.output).toContain(`port ${port} on 127.0.0.1 is already in use`);
    });
  }, 60_000);
});

describe('hookline studio: its UI port in use', () => {
  it('exits 3 promptly, stops its runtime and frees the data directory', async () => {
    const dataDir = tempDir();
    await withBusyPort(async (port) => {
      const r = await runBounded(['studio', '--port', String(port), '--runtime-port', '0', '--data-dir', dataDir, '--no-build']);
      expect(r.hung).toBe(false);
      expect(r.code).toBe(3);
      expect(r.output).toContain(`studio port ${port} on 127.0.0.1 is already in use`);
      // The data directory is free again: a run on it starts.
      const again = await startCli(['run', HELLO, '--port', '0', '--data-dir', dataDir, '--log-level', 'error']);
      running.push(again);
    });
  }, 60_000);
});


describe('hookline run: a flow file whose secrets are not set', () => {
  it('starts, and warns about each missing secret in the log, as a JSON line like the rest', async () => {
    const fs = await import('node:fs');
    const file = path.join(tempDir(), 'keyed.flow.json');
    const flow = {
      formatVersion: 1,
      id: 'keyed',
      name: 'keyed',
      nodes: [
        { id: 'hook', type: 'webhook', settings: { path: '/keyed', auth: { type: 'apiKey', keys: [{ id: 'k', label: 'Shop', secret: 'SHOP_KEY_UNSET' }] } } },
        { id: 'call', type: 'http-request', settings: { url: '{{ $env.ERP_URL_UNSET }}/orders' } },
      ],
      edges: [{ id: 'e1', source: 'hook', target: 'call' }],
    };
    fs.writeFileSync(file, JSON.stringify(flow));
    const p = await startCli(['run', file, '--port', '0', '--data-dir', tempDir(), '--log-level', 'warn']);
    running.push(p);
    // stderr and stdout are separate pipes: the warning may arrive just after "ready:".
    for (let i = 0; i < 100 && !p.output().includes('secret SHOP_KEY_UNSET'); i++) await new Promise((r) => setTimeout(r, 20));
    const lines = p.output().split('\n').filter((l) => l.includes('SHOP_KEY_UNSET'));
    expect(lines, p.output()).toHaveLength(1);
    expect(JSON.parse(lines[0])).toMatchObject({ level: 'warn', secret: 'SHOP_KEY_UNSET', usedBy: [expect.stringContaining('hook')] });
    expect(JSON.parse(lines[0]).msg).toMatch(/^secret SHOP_KEY_UNSET is not set \(used by .*\): set HOOKLINE_SECRET_SHOP_KEY_UNSET or SHOP_KEY_UNSET, or pass --secrets-file$/);
    // So is a $env variable the flow reads (the first request would fail on an empty URL).
    for (let i = 0; i < 100 && !p.output().includes('variable ERP_URL_UNSET'); i++) await new Promise((r) => setTimeout(r, 20));
    const variable = JSON.parse(p.output().split('\n').find((l) => l.includes('variable ERP_URL_UNSET'))!);
    expect(variable).toMatchObject({ level: 'warn', variable: 'ERP_URL_UNSET', usedBy: [expect.stringContaining('call')] });
    expect(variable.msg).toMatch(/^variable ERP_URL_UNSET is not set \(used by .*\): \$env.ERP_URL_UNSET renders empty until it is set in the environment$/);
    // Besides stdout's endpoint and ready lines, every line is JSON: nothing in plain text between the log lines.
    const other = p.output().split('\n').filter((l) => l && !l.startsWith('{') && !/^(POST|GET|ready:)/.test(l));
    expect(other).toEqual([]);
  }, 60_000);
});
