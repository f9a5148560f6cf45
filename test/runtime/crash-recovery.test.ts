import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import http from 'node:http';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/runtime';
import { decodeInput } from '../../core/store/record-codec';

const ROOT = path.resolve(__dirname, '../..');
const children: ChildProcess[] = [];
afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null) c.kill('SIGKILL');
});

/** Starts `hookline run` in a child process and resolves with its base URL once it prints `ready:`. */
function startCli(flowFile: string, dataDir: string): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [path.join(ROOT, 'bin/hookline.mjs'), 'run', flowFile, '--port', '0', '--data-dir', dataDir, '--log-level', 'error'], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`CLI did not become ready: ${out}`)), 20_000);
    child.stdout!.on('data', (d) => {
      out += d;
      const m = /ready: (http:\/\/\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ child, url: m[1] });
      }
    });
    child.stderr!.on('data', (d) => (out += d));
    child.on('exit', (code) => reject(new Error(`CLI exited with ${code}: ${out}`)));
  });
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 8 });
function post(url: string, body: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: 'POST', agent, headers: { 'content-type': 'application/json' } }, (res) => {
      let b = '';
      res.on('data', (d) => (b += d));
      res.on('end', () => resolve({ status: res.statusCode!, body: b }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('crash recovery (kill -9)', () => {
  it('loses no acknowledged message and keeps the order', async () => {
    const dir = tempDir();
    const flowFile = path.join(dir, 'flow.json');
    fs.writeFileSync(
      flowFile,
      JSON.stringify({
        formatVersion: 1,
        id: 'crash',
        name: 'crash',
        nodes: [
          { id: 'hook', type: 'webhook', settings: { path: '/in', ordered: true } },
          { id: 'wait', type: 'delay', settings: { ms: 3 } },
        ],
        edges: [{ id: 'e', source: 'hook', target: 'wait' }],
      }),
    );
    const dataDir = path.join(dir, 'data');
    const first = await startCli(flowFile, dataDir);
    // 4 senders stream numbered messages; the process is killed with SIGKILL in the middle of the stream.
    const acked: Array<{ s: number; i: number; id: string }> = [];
    let killed = false;
    const senders = Array.from({ length: 4 }, async (_, s) => {
      for (let i = 0; i < 400 && !killed; i++) {
        try {
          const r = await post(first.url + '/in', JSON.stringify({ s, i }));
          if (r.status === 202) acked.push({ s, i, id: JSON.parse(r.body).executionId });
        } catch {
          return; // connection refused/reset after the kill: not acknowledged
        }
        if (acked.length >= 300 && !killed) {
          killed = true;
          first.child.kill('SIGKILL');
        }
      }
    });
    await Promise.all(senders);
    expect(killed).toBe(true);
    await new Promise((r) => first.child.once('exit', r));
    expect(acked.length).toBeGreaterThanOrEqual(300);

    // The kill really happened mid-stream: acknowledged work was still waiting in the durable queue.
    const before = new Database(path.join(dataDir, 'executions.db'), { readonly: true });
    const backlog = (before.prepare(`SELECT COUNT(*) n FROM executions WHERE status IN ('queued','running')`).get() as any).n;
    before.close();
    expect(backlog).toBeGreaterThan(0);

    const second = await startCli(flowFile, dataDir);
    const db = new Database(path.join(dataDir, 'executions.db'), { readonly: true });
    try {
      const pending = () => (db.prepare(`SELECT COUNT(*) n FROM executions WHERE status IN ('queued','running')`).get() as any).n;
      for (let i = 0; i < 600 && pending() > 0; i++) await new Promise((r) => setTimeout(r, 50));
      expect(pending()).toBe(0);
      const rows = db.prepare(`SELECT id, status, input, raw_body, refs, started_at, retry_of, COALESCE(order_seq, seq) pos FROM executions ORDER BY started_at, seq`).all() as any[];
      const succeeded = rows.filter((r) => r.status === 'succeeded');
      const bodyOf = (r: any) => decodeInput(r)!.trigger.body as { s: number; i: number };
      // Every acknowledged message ran to completion (at least once).
      const done = new Set(succeeded.map((r) => `${bodyOf(r).s}:${bodyOf(r).i}`));
      for (const a of acked) expect(done.has(`${a.s}:${a.i}`)).toBe(true);
      // Executions ran in acceptance order: queue positions never go backwards.
      for (let k = 1; k < succeeded.length; k++) expect(succeeded[k].pos).toBeGreaterThanOrEqual(succeeded[k - 1].pos);
      // And each sender's messages in the order it sent them.
      const last = new Map<number, number>();
      for (const r of succeeded) {
        const b = bodyOf(r);
        expect(b.i).toBeGreaterThanOrEqual(last.get(b.s) ?? -1);
        last.set(b.s, b.i);
      }
    } finally {
      db.close();
      second.child.kill('SIGTERM');
      await new Promise((r) => second.child.once('exit', r));
    }
    expect(second.child.exitCode).toBe(0);
  }, 90_000);
});
