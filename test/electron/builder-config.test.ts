import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');

/** The entries of one top-level list in electron-builder.yml (`files:` or `asarUnpack:`), without comments. */
function listOf(key: string): string[] {
  const lines = fs.readFileSync(path.join(root, 'electron-builder.yml'), 'utf8').split('\n');
  const start = lines.findIndex((l) => l.startsWith(`${key}:`));
  const out: string[] = [];
  for (const l of lines.slice(start + 1)) {
    if (/^\S/.test(l)) break;
    const m = /^\s+-\s+"?([^"#]+?)"?\s*$/.exec(l);
    if (m) out.push(m[1]);
  }
  return out;
}

/** A glob of electron-builder's file lists (`*` within a folder, `**` across folders) as a test of one path. */
function matches(glob: string, file: string): boolean {
  const escape = (x: string) => x.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  const pattern = glob
    .split('**')
    .map((part) => part.split('*').map(escape).join('[^/]*'))
    .join('.*');
  return new RegExp(`^${pattern}$`).test(file);
}

describe('electron-builder.yml', () => {
  it('ships the store writer thread and every module it requires, unpacked from the asar', () => {
    const writer = 'core/store/sqlite-writer.cjs';
    const requires = [...fs.readFileSync(path.join(root, writer), 'utf8').matchAll(/require\('\.\/([^']+)'\)/g)].map((m) => `core/store/${m[1]}`);
    expect(requires).toContain('core/store/inline-steps-json.cjs');
    for (const file of [writer, ...requires]) {
      expect(fs.existsSync(path.join(root, file))).toBe(true);
      expect(listOf('files').some((g) => matches(g, file)), `${file} in files`).toBe(true);
      expect(listOf('asarUnpack').some((g) => matches(g, file)), `${file} in asarUnpack`).toBe(true);
    }
  });
});
