import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/runtime';

/**
 * The Docker image's build stage builds the CLI bundle from exactly the files it copies (no Docker here: the stage
 * is replayed in a temp dir). At run time /app is read-only for the `node` user, so a bundle missing from the
 * image meant every start compiled the sources with tsx.
 */
describe('Dockerfile', () => {
  const text = fs.readFileSync('Dockerfile', 'utf8');
  const build = text.split(/^FROM /m)[1];

  it('builds dist-cli in the build stage, after copying the sources, from only what it copies', () => {
    const lines = build.split('\n');
    const copies = lines.filter((l) => l.startsWith('COPY ')).flatMap((l) => l.slice(5).trim().split(/\s+/).slice(0, -1));
    const runAt = lines.findIndex((l) => l.includes('node bin/hookline.mjs --version'));
    expect(runAt).toBeGreaterThan(lines.findIndex((l) => l.startsWith('COPY bin')));
    expect(copies).toEqual(expect.arrayContaining(['package.json', 'core', 'bin']));

    const dir = tempDir();
    for (const c of copies) fs.cpSync(c, path.join(dir, c), { recursive: true });
    fs.symlinkSync(path.resolve('node_modules'), path.join(dir, 'node_modules'));
    const r = spawnSync(process.execPath, ['bin/hookline.mjs', '--version'], { cwd: dir, encoding: 'utf8', timeout: 120_000 });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout.trim()).toContain(JSON.parse(fs.readFileSync('package.json', 'utf8')).version);
    expect(fs.existsSync(path.join(dir, 'dist-cli', 'hookline.mjs'))).toBe(true);
  }, 150_000);
});
