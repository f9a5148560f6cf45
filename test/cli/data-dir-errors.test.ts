import { spawnSync, type SpawnSyncOptions } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/runtime';
import { cli } from '../helpers/cli-process';

const ROOT = path.resolve(__dirname, '../..');
const HELLO = path.join(ROOT, 'examples/flows/hello.flow.json');
const isRoot = process.getuid?.() === 0;

/** As root the tests below run the CLI as "nobody", who must be able to read this checkout (not so under /root). */
function nobodyCanRunTheCli(): boolean {
  if (!isRoot) return true;
  const probe = `require('fs').accessSync(${JSON.stringify(path.join(ROOT, 'bin/hookline.mjs'))}, require('fs').constants.R_OK)`;
  return spawnSync(process.execPath, ['-e', probe], { uid: 65534, gid: 65534, timeout: 10_000 }).status === 0;
}
const canTestUnwritable = process.platform === 'linux' && nobodyCanRunTheCli();

/**
 * Runs `hookline <args>` as a user who cannot write `dir`: root writes anywhere, so as root the child runs as
 * "nobody" (the folder stays root's, mode 0755); otherwise the folder is made read-only (0555).
 */
function asUserWhoCannotWrite(dir: string, args: string[]) {
  const opts: SpawnSyncOptions = { cwd: ROOT, encoding: 'utf8', timeout: 20_000 };
  if (isRoot) {
    fs.chmodSync(dir, 0o755);
    Object.assign(opts, { uid: 65534, gid: 65534, env: { PATH: process.env.PATH, HOME: '/tmp' } });
  } else fs.chmodSync(dir, 0o555);
  try {
    const r = spawnSync(process.execPath, [path.join(ROOT, 'bin/hookline.mjs'), ...args], opts);
    return { code: r.status, err: String(r.stderr) };
  } finally {
    fs.chmodSync(dir, 0o755);
  }
}

describe('a data directory that cannot be used names its path', () => {
  it.runIf(canTestUnwritable)('not writable: run exits 3 naming the database file and why', () => {
    const dataDir = tempDir();
    const r = asUserWhoCannotWrite(dataDir, ['run', HELLO, '--port', '0', '--data-dir', dataDir]);
    expect(r.code, r.err).toBe(3);
    expect(r.err).toContain(`hookline run: cannot open or write ${path.join(dataDir, 'executions.db')}: the folder ${dataDir} is not writable by this user`);
  }, 30_000);

  it.runIf(canTestUnwritable)('a folder that cannot be made: run exits 3 naming it', () => {
    const parent = tempDir();
    const dataDir = path.join(parent, 'data');
    const r = asUserWhoCannotWrite(parent, ['run', HELLO, '--port', '0', '--data-dir', dataDir]);
    expect(r.code, r.err).toBe(3);
    expect(r.err).toContain(`${dataDir}: the folder ${dataDir} cannot be created by this user`);
  }, 30_000);

  it('a folder where the database file should be: named, with what is wrong', async () => {
    const dataDir = tempDir();
    fs.mkdirSync(path.join(dataDir, 'executions.db'));
    const r = await cli(['exec', HELLO, '--data-dir', dataDir]);
    expect(r.code).toBe(3);
    expect(r.err).toContain(`hookline exec: cannot open or write ${path.join(dataDir, 'executions.db')}: it is a folder, not a file`);
  });

  it('a damaged executions.db: run, exec and executions name the file and what to do', async () => {
    const dataDir = tempDir();
    const db = path.join(dataDir, 'executions.db');
    fs.writeFileSync(db, 'this is not a database, it was overwritten by mistake');
    const expected = `${db} is not a Hookline execution database, or it is damaged (file is not a database): move it away`;
    const run = asUserWhoCanWrite(['run', HELLO, '--port', '0', '--data-dir', dataDir]);
    expect(run.code, run.err).toBe(3);
    expect(run.err).toContain(`hookline run: ${expected}`);
    const list = await cli(['executions', '--data-dir', dataDir]);
    expect(list.code).toBe(3);
    expect(list.err).toContain(`hookline executions: ${expected}`);
    const exec = await cli(['exec', HELLO, '--data-dir', dataDir]);
    expect(exec.err).toContain(`hookline exec: ${expected}`);
  }, 30_000);
});

/** `run` as a child (it would serve if it started): killed after 20 s, then `code` is null. */
function asUserWhoCanWrite(args: string[]) {
  const r = spawnSync(process.execPath, [path.join(ROOT, 'bin/hookline.mjs'), ...args], { cwd: ROOT, encoding: 'utf8', timeout: 20_000 });
  return { code: r.status, err: r.stderr };
}
