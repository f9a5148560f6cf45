import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/runtime';
import { cli } from '../helpers/cli-process';

const ROOT = path.resolve(__dirname, '../..');

function writeFlow(obj: unknown) {
  const f = path.join(tempDir(), 'flow.json');
  fs.writeFileSync(f, typeof obj === 'string' ? obj : JSON.stringify(obj));
  return f;
}

describe('hookline CLI', () => {
  it('validate prints every problem with its path and exits 1', async () => {
    const f = writeFlow({ formatVersion: 1, id: 'x', name: 'x', nodes: [{ id: 'h', type: 'webhook', settings: { methods: [] } }, { id: 'r', type: 'respond', settings: { status: 1 } }] });
    const r = await cli(['validate', f]);
    expect(r.code).toBe(1);
    expect(r.err).toContain(`${f}: nodes[0].settings.methods: choose at least one HTTP method`);
    expect(r.err).toContain(`${f}: nodes[1].settings.status: must be at least 100`);
  });

  it('validate exits 0 for a valid flow and can print JSON', async () => {
    const f = writeFlow({ formatVersion: 1, id: 'x', name: 'x', nodes: [{ id: 'h', type: 'webhook' }] });
    expect((await cli(['validate', f])).code).toBe(0);
    const j = await cli(['validate', f, '--json']);
    expect(JSON.parse(j.out)).toEqual([]);
  });

  it('invalid JSON, a missing file, unknown commands and bad options', async () => {
    expect((await cli(['validate', writeFlow('{nope')])).err).toMatch(/is not valid JSON/);
    expect((await cli(['validate', '/no/such/file.json'])).code).toBe(2);
    expect((await cli(['frobnicate'])).code).toBe(2);
    const bad = await cli(['run', 'x.json', '--bogus']);
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/bogus/);
  });

  it('--help for every command', async () => {
    expect((await cli(['--help'])).out).toMatch(/Exit codes/);
    for (const c of ['run', 'validate', 'studio']) {
      const r = await cli([c, '--help']);
      expect(r.code).toBe(0);
      expect(r.out).toMatch(/^Usage: hookline /);
    }
  });

  it('run refuses a flow with problems (exit 1) without serving', async () => {
    const f = writeFlow({ formatVersion: 1, id: 'x', name: 'x', nodes: [{ id: 'h', type: 'nope' }] });
    const r = await cli(['run', f, '--port', '0', '--data-dir', tempDir()]);
    expect(r.code).toBe(1);
    expect(r.err).toContain('nodes[0].type: unknown node type "nope"');
  });

  it('the bin works as installed (tsx loader)', () => {
    const r = spawnSync(process.execPath, [path.join(ROOT, 'bin/hookline.mjs'), '--version'], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(r.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });
});

describe('hookline run with a bundle', () => {
  it('runs it like serve does: lists every missing secret and variable', async () => {
    const r = spawnSync(process.execPath, [path.join(ROOT, 'bin/hookline.mjs'), 'run', path.join(ROOT, 'examples/price-query.bundle.json'), '--port', '0', '--data-dir', tempDir()], { encoding: 'utf8', env: { PATH: process.env.PATH } });
    expect(r.status).toBe(3);
    for (const name of ['PRICE_API_KEY', 'CLIENT_SECRET', 'PRICE_API_URL', 'TOKEN_URL', 'CLIENT_ID']) expect(r.stderr).toContain(name);
  });
});
