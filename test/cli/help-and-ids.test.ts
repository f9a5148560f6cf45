import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { HELP } from '../../core/cli/main';
import { SERVE_HELP } from '../../core/cli/serve';
import { RETRY_HELP } from '../../core/cli/executions';
import { haltedLine } from '../helpers/halted-line';
import { tempDir } from '../helpers/runtime';
import { cli } from '../helpers/cli-process';

const HELLO = path.resolve(__dirname, '../../examples/flows/hello.flow.json');

/** The longest start two ids share (uuidv7 ids made in the same millisecond share a dozen characters). */
function sharedStart(a: string, b: string): string {
  let i = 0;
  while (i < a.length && a[i] === b[i]) i++;
  return a.slice(0, i);
}

describe('hookline help <command>', () => {
  it("prints that command's help, as <command> --help does", async () => {
    const r = await cli(['help', 'serve']);
    expect(r.code).toBe(0);
    expect(r.out).toBe(SERVE_HELP);
    expect(r.out).toBe((await cli(['serve', '--help'])).out);
    expect((await cli(['help', 'retry'])).out).toBe(RETRY_HELP);
    expect((await cli(['help'])).out).toBe(HELP);
  });

  it('an unknown command is a usage error naming the commands there are', async () => {
    const r = await cli(['help', 'deploy']);
    expect(r.code).toBe(2);
    expect(r.err).toContain('hookline help: unknown command "deploy" (one of run, exec, validate, serve,');
  });
});

describe('retry and skip take a unique piece of an id, as executions does', () => {
  it('skip releases the line with the first characters of the id', async () => {
    const { dataDir, failed, behind } = await haltedLine();
    const prefix = failed.slice(0, sharedStart(failed, behind).length + 1);
    const r = await cli(['skip', prefix, '--data-dir', dataDir]);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toBe(`released the ordered line halted on ${failed}; the messages behind it run at the next start`);
  });

  it('retry queues it again with the first characters of the id', async () => {
    const { dataDir, failed, behind } = await haltedLine();
    const prefix = failed.slice(0, sharedStart(failed, behind).length + 1);
    const r = await cli(['retry', prefix, '--data-dir', dataDir]);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(new RegExp(`^queued \\S+ \\(retry of ${failed}, first in its ordered line\\)`));
  });

  it('a piece several ids share is refused, counting and naming them; one no id has is not found', async () => {
    const { dataDir, failed, behind } = await haltedLine();
    const shared = sharedStart(failed, behind);
    for (const command of ['retry', 'skip']) {
      const r = await cli([command, shared, '--data-dir', dataDir]);
      expect(r.code).toBe(1);
      expect(r.err).toContain(`hookline ${command}: "${shared}" matches 2 executions: `);
      expect(r.err).toContain(failed);
      expect(r.err).toContain(behind);
      expect(r.err).toContain('give more of the id');
    }
    const none = await cli(['retry', 'zzzz', '--data-dir', dataDir]);
    expect(none.code).toBe(1);
    expect(none.err).toContain('hookline retry: execution "zzzz" was not found');
  });
});

describe('a secrets file its group may read', () => {
  it.runIf(process.platform !== 'win32')('is refused saying so (not "readable by others")', async () => {
    const file = path.join(tempDir(), 'secrets.json');
    fs.writeFileSync(file, '{"HELLO_KEY":"s3cret-value"}');
    fs.chmodSync(file, 0o640);
    const r = await cli(['exec', HELLO, '--secrets-file', file]);
    expect(r.code).toBe(3);
    expect(r.err).toContain(`secrets file ${file} is readable or writable by its group or others (mode 640; 0600 or stricter is needed); run: chmod 600 ${file}`);
  });
});
