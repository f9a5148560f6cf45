import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { buildBundle, serializeBundle } from '../../core/bundle/bundle';
import { FlowRepository } from '../../core/host/flow-repo';
import { flowSchema } from '../../core/model/flow';
import { chainFlow, tempDir } from '../helpers/runtime';
import { cli } from '../helpers/cli-process';

const ROOT = path.resolve(__dirname, '../..');

/** Commands that would serve if the option were accepted run as a child, killed after 20 s (status null then). */
function spawnCli(args: string[]) {
  const r = spawnSync(process.execPath, [path.join(ROOT, 'bin/hookline.mjs'), ...args], { cwd: ROOT, encoding: 'utf8', timeout: 20_000, env: { PATH: process.env.PATH } });
  return { code: r.status, err: r.stderr };
}

function studioDir(): string {
  const dir = tempDir();
  new FlowRepository(dir).save(flowSchema.parse(chainFlow({ path: '/a' }, [{ type: 'log' }], { id: 'a' })));
  return dir;
}

function bundleFile(): string {
  const file = path.join(tempDir(), 'a.bundle.json');
  fs.writeFileSync(file, serializeBundle(buildBundle({ name: 'a', flows: [flowSchema.parse(chainFlow({ path: '/a' }, [{ type: 'log' }], { id: 'a' }))] })));
  return file;
}

const execFlow = { formatVersion: 1, id: 'x', name: 'x', nodes: [{ id: 'start', type: 'manual', settings: { sample: {} } }, { id: 'm', type: 'map', settings: { expression: 'data' } }], edges: [{ id: 'e', source: 'start', target: 'm' }] };

describe('CLI exit codes and option errors follow the README table', () => {
  it('export: an unknown flow id is a usage error (2), as its help says', async () => {
    const r = await cli(['export', '--data-dir', studioDir(), '--flows', 'nope', '--out', path.join(tempDir(), 'x.json')]);
    expect(r.code).toBe(2);
    expect(r.err).toContain('flow "nope" is not in');
    expect(r.err).toMatch(/2 usage error \(unknown option, an unknown flow id/);
    expect((await cli(['export', '--help'])).out).not.toMatch(/1 problems \(unknown flow/);
  });

  it('export --out: creates missing folders; a path that cannot be written names --out (2)', async () => {
    const dir = tempDir();
    const out = path.join(dir, 'missing', 'dir', 'x.bundle.json');
    const ok = await cli(['export', '--data-dir', studioDir(), '--flows', 'a', '--out', out]);
    expect(ok.code, ok.err).toBe(0);
    expect(JSON.parse(fs.readFileSync(out, 'utf8')).kind).toBe('hookline.bundle');
    const underFile = path.join(out, 'nested.json'); // x.bundle.json is a file, not a folder
    const bad = await cli(['export', '--data-dir', studioDir(), '--flows', 'a', '--out', underFile]);
    expect(bad.code).toBe(2);
    expect(bad.err).toContain(`--out ${underFile}: cannot write the bundle there (part of the path is a file, not a folder)`);
  });

  it.runIf(process.platform === 'linux')('export --out under /proc is refused at once (Node 20\'s recursive mkdir never returned there)', () => {
    const out = '/proc/hookline-nope/x.bundle.json';
    const r = spawnSync(process.execPath, [path.resolve(__dirname, '../../bin/hookline.mjs'), 'export', '--data-dir', studioDir(), '--flows', 'a', '--out', out], { encoding: 'utf8', timeout: 20_000 });
    expect(r.signal).toBeNull(); // not killed by the timeout
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`--out ${out}: cannot write the bundle there`);
  }, 30_000);

  it('exec --trigger with a node the flow lacks is a usage error naming --trigger', async () => {
    const f = path.join(tempDir(), 'flow.json');
    fs.writeFileSync(f, JSON.stringify(execFlow));
    const r = await cli(['exec', f, '--trigger', 'nope']);
    expect(r.code).toBe(2);
    expect(r.err).toContain('hookline exec: --trigger: the flow has no node "nope" (its triggers: "start")');
    expect((await cli(['exec', f, '--trigger', 'start'])).code).toBe(0);
  });

  it('serve and run refuse a --grace-ms that is not a number, and every command a bogus --log-level', () => {
    const serve = spawnCli(['serve', bundleFile(), '--port', '0', '--data-dir', tempDir(), '--grace-ms', 'abc']);
    expect(serve.code).toBe(2);
    expect(serve.err).toContain('hookline serve: --grace-ms: must be a non-negative number of milliseconds, got "abc"');
    const run = spawnCli(['run', bundleFile(), '--port', '0', '--data-dir', tempDir(), '--grace-ms=-5']);
    expect(run.code).toBe(2);
    expect(run.err).toContain('--grace-ms: must be a non-negative number');
    const logLevel = spawnCli(['serve', bundleFile(), '--port', '0', '--data-dir', tempDir(), '--log-level', 'bogus']);
    expect(logLevel.code).toBe(2);
    expect(logLevel.err).toContain('--log-level: must be one of debug, info, warn, error, got "bogus"');
  }, 70_000);

  it('an option without its value, or with a negative number, is refused naming the option and what it needs', async () => {
    const flow = path.join(ROOT, 'examples/flows/hello.flow.json');
    const missing = await cli(['run', flow, '--port']);
    expect(missing.code).toBe(2);
    expect(missing.err).toContain('hookline run: --port: needs a value: <n>, listen port (default 8080; 0 picks a free port)\n');
    const followed = await cli(['serve', bundleFile(), '--port', '--data-dir', tempDir()]);
    expect(followed.code).toBe(2);
    expect(followed.err).toContain('hookline serve: --port: needs a value: <n>, listen port (default 8080; 0 picks a free port), but "--data-dir" follows it');
    const negative = await cli(['run', flow, '--grace-ms', '-5']);
    expect(negative.code).toBe(2);
    expect(negative.err).toContain('hookline run: --grace-ms: must be a non-negative number of milliseconds, got "-5"');
    const port = await cli(['serve', bundleFile(), '--port', '-1']);
    expect(port.err).toContain('--port: must be an integer between 0 and 65535, got "-1"');
    // Each of them as parseArgs put it before.
    for (const r of [missing, followed, negative, port]) expect(r.err).not.toMatch(/ambiguous|argument missing/);
  });

  it('exec refuses a bogus --log-level too', async () => {
    const f = path.join(tempDir(), 'flow.json');
    fs.writeFileSync(f, JSON.stringify(execFlow));
    const r = await cli(['exec', f, '--log-level', 'loud']);
    expect(r.code).toBe(2);
    expect(r.err).toContain('--log-level: must be one of debug, info, warn, error, got "loud"');
  });
});
