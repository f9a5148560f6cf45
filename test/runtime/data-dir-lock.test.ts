import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createRuntime } from '../../core/runtime/runtime';
import { DataDirInUseError, LOCK_FILE } from '../../core/runtime/data-dir-lock';
import { startHostedRuntime } from '../../core/host/studio';
import { MemorySecretStore } from '../../core/secrets/secret-store';
import { chainFlow, send, startRuntime, tempDir, waitFor, type TestRuntime } from '../helpers/runtime';

const running: TestRuntime[] = [];
afterEach(async () => {
  for (const t of running.splice(0)) await t.stop();
});

async function start(dataDir: string, logs: string[] = []) {
  const logger = { debug() {}, info() {}, warn: (m: string, f?: unknown) => logs.push(`${m} ${JSON.stringify(f)}`), error: (m: string) => logs.push(m) };
  const t = await startRuntime({ dataDir, logger });
  running.push(t);
  return t;
}

/** The pid of a process that has exited. */
function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', '0']);
  return r.pid!;
}

describe('data directory lock', () => {
  it('a second runtime on the same directory refuses to start; the first is unaffected', async () => {
    const dir = tempDir();
    const first = await start(dir);
    await first.rt.deploy(chainFlow({ path: '/in' }, [{ type: 'delay', settings: { ms: 300 } }]));
    const r = await send(first.url('/in'), { body: '{}', headers: { 'content-type': 'application/json' } });
    expect(r.status).toBe(202);

    const second = createRuntime({ dataDir: dir, port: 0, secrets: new MemorySecretStore({}) });
    const err = await second.start().then(
      () => undefined,
      (e: Error) => e,
    );
    expect(err).toBeInstanceOf(DataDirInUseError);
    expect(err!.message).toMatch(new RegExp(`^data dir ${dir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} is in use by pid ${process.pid} \\(started \\d{4}-\\d\\d-\\d\\dT`));

    // The first one's running execution was not marked interrupted by the refused start: it finishes normally.
    const done = await waitFor(async () => {
      const e = await first.rt.store.getExecution(r.json.executionId);
      return e && !['queued', 'running'].includes(e.status) ? e : undefined;
    });
    expect(done.status).toBe('succeeded');
    expect((await send(first.url('/in'), { body: '{}' })).status).toBe(202);
  });

  it('takes over a lock left by a process that is gone, with a log line', async () => {
    const dir = tempDir();
    const pid = deadPid();
    fs.writeFileSync(path.join(dir, LOCK_FILE), JSON.stringify({ pid, startedAt: new Date().toISOString() }));
    const logs: string[] = [];
    await start(dir, logs);
    expect(logs.some((l) => l.includes('taken over') && l.includes(`"stalePid":${pid}`))).toBe(true);
    expect(JSON.parse(fs.readFileSync(path.join(dir, LOCK_FILE), 'utf8')).pid).toBe(process.pid);
  });

  it('is released on stop, so the next runtime starts', async () => {
    const dir = tempDir();
    const first = await start(dir);
    expect(fs.existsSync(path.join(dir, LOCK_FILE))).toBe(true);
    await first.stop();
    expect(fs.existsSync(path.join(dir, LOCK_FILE))).toBe(false);
    const second = await start(dir);
    expect(second.rt.port).toBeGreaterThan(0);
  });

  it('the studio host takes the same lock', async () => {
    const dir = tempDir();
    await start(dir);
    await expect(startHostedRuntime({ dataDir: dir, secrets: new MemorySecretStore({}) })).rejects.toThrow(/is in use by pid/);
  });
});
