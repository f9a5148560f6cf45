import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { buildBundle, serializeBundle } from '../../core/bundle/bundle';
import { LOCK_FILE } from '../../core/runtime/data-dir-lock';
import { flowSchema } from '../../core/model/flow';
import { chainFlow, tempDir } from '../helpers/runtime';
import { cli, startCli, stopAll, type CliProcess } from '../helpers/cli-process';

const ROOT = path.resolve(__dirname, '../..');
const HELLO = path.join(ROOT, 'examples/flows/hello.flow.json');

const running: CliProcess[] = [];
afterEach(() => stopAll(running));

/** The pid of a process that has exited. */
function deadPid(): number {
  return spawnSync(process.execPath, ['-e', '0']).pid!;
}

/** A data directory with the lock of a process that was killed; with an execution database when `withRecords`. */
async function staleDataDir(withRecords: boolean): Promise<{ dataDir: string; pid: number }> {
  const dataDir = tempDir();
  if (withRecords) expect((await cli(['exec', HELLO, '--data-dir', dataDir])).code).toBe(0);
  const pid = deadPid();
  fs.writeFileSync(path.join(dataDir, LOCK_FILE), JSON.stringify({ pid, startedAt: new Date().toISOString() }));
  return { dataDir, pid };
}

function bundleFile(): string {
  const file = path.join(tempDir(), 'hello.bundle.json');
  fs.writeFileSync(file, serializeBundle(buildBundle({ name: 'hello', flows: [flowSchema.parse(chainFlow({ path: '/hi' }, [], { id: 'hi' }))] })));
  return file;
}

const takeOvers = (p: CliProcess) => p.output().split('\n').filter((l) => l.includes('taken over'));

describe('a data directory lock left by a killed process', () => {
  for (const command of ['run', 'serve'] as const) {
    for (const withRecords of [true, false]) {
      it(`${command} takes it over with one warning in the log (${withRecords ? 'with' : 'without'} an execution database)`, async () => {
        const { dataDir, pid } = await staleDataDir(withRecords);
        const file = command === 'run' ? HELLO : bundleFile();
        const p = await startCli([command, file, '--port', '0', '--data-dir', dataDir]);
        running.push(p);
        const lines = takeOvers(p);
        expect(lines, p.output()).toHaveLength(1);
        expect(JSON.parse(lines[0])).toMatchObject({ level: 'warn', msg: 'data dir lock left by a process that is gone: taken over', dataDir, stalePid: pid });
        expect(JSON.parse(fs.readFileSync(path.join(dataDir, LOCK_FILE), 'utf8')).pid).toBe(p.child.pid);
      }, 60_000);
    }
  }
});
