import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/runtime';
import { cli } from '../helpers/cli-process';

const ROOT = path.resolve(__dirname, '../..');
const HELLO = path.join(ROOT, 'examples/flows/hello.flow.json');

/**
 * Runs `hookline <args>` with its stdout's reader gone before it prints anything (what `| head -1` does once it
 * has its line): every write it makes fails with EPIPE. Killed after 20 s (then `code` is null).
 */
function withReaderGone(args: string[]): Promise<{ code: number | null; stderr: string }> {
  const child = spawn(process.execPath, [path.join(ROOT, 'bin/hookline.mjs'), ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout.destroy();
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
  return new Promise((resolve) =>
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stderr });
    }),
  );
}

/** A data directory holding three runs of the hello flow; returns it and one execution id. */
async function dataDirWithRuns(): Promise<{ dataDir: string; id: string }> {
  const dataDir = tempDir();
  for (let i = 0; i < 3; i++) expect((await cli(['exec', HELLO, '--data-dir', dataDir])).code).toBe(0);
  const list = await cli(['executions', '--data-dir', dataDir]);
  return { dataDir, id: list.out.split(/\s/)[0] };
}

describe('output into a pipe whose reader has gone (| head)', () => {
  it('executions <id> and the list end quietly with their own exit code, no EPIPE stack trace', async () => {
    const { dataDir, id } = await dataDirWithRuns();
    for (const args of [['executions', id, '--data-dir', dataDir], ['executions', '--data-dir', dataDir]]) {
      const r = await withReaderGone(args);
      expect(r.stderr).not.toMatch(/EPIPE|Unhandled 'error' event/);
      expect(r.code, r.stderr).toBe(0);
    }
  }, 60_000);

  it('exec ends quietly with the run\'s exit code', async () => {
    const r = await withReaderGone(['exec', HELLO]);
    expect(r.stderr).not.toMatch(/EPIPE|Unhandled 'error' event/);
    expect(r.code, r.stderr).toBe(0);
  }, 30_000);

  it.runIf(fs.existsSync('/bin/sh'))('as in a shell: `executions <id> | head -1` prints one line and no error', async () => {
    const { dataDir, id } = await dataDirWithRuns();
    const cmd = `"${process.execPath}" bin/hookline.mjs executions ${id} --data-dir "${dataDir}" | head -1`;
    const r = spawnSync('/bin/sh', ['-c', cmd], { cwd: ROOT, encoding: 'utf8', timeout: 20_000 });
    expect(r.status).toBe(0);
    expect(r.stdout.trim()).toMatch(new RegExp(`^execution ${id} `));
    expect(r.stderr).toBe('');
  }, 60_000);
});
