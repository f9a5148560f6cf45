import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { tempDir } from '../helpers/runtime';
// @ts-expect-error plain ESM helper of bin/hookline.mjs, no types
import { buildNodeBundle, isFresh, root } from '../../bin/node-bundle.mjs';

describe('CLI bundle (bin/node-bundle.mjs)', () => {
  it('is stale when missing or older than a source, fresh once built', async () => {
    const dir = tempDir();
    const src = path.join(dir, 'src');
    fs.mkdirSync(path.join(src, 'deep'), { recursive: true });
    fs.writeFileSync(path.join(src, 'deep', 'a.ts'), 'export const a = 1;\n');
    const out = path.join(dir, 'out', 'x.mjs');
    expect(isFresh(out, [src])).toBe(false);
    await buildNodeBundle(path.join(src, 'deep', 'a.ts'), out);
    expect(isFresh(out, [src])).toBe(true);
    const later = new Date(Date.now() + 5000);
    fs.utimesSync(path.join(src, 'deep', 'a.ts'), later, later);
    expect(isFresh(out, [src])).toBe(false);
  });

  it('bundles to one module where import.meta.url stands for a module in core/bundle/, as in the Electron build', async () => {
    const dir = tempDir();
    fs.writeFileSync(
      path.join(dir, 'entry.ts'),
      "import { fileURLToPath } from 'node:url';\nexport const writer = fileURLToPath(new URL('../store/sqlite-writer.cjs', import.meta.url));\nexport const rootDir = fileURLToPath(new URL('../..', import.meta.url));\n",
    );
    const out = path.join(dir, 'nested', 'deeper', 'entry.mjs');
    await buildNodeBundle(path.join(dir, 'entry.ts'), out);
    const m = await import(pathToFileURL(out).href);
    expect(m.writer).toBe(path.join(root, 'core', 'store', 'sqlite-writer.cjs'));
    expect(fs.existsSync(m.writer)).toBe(true);
    expect(path.resolve(m.rootDir)).toBe(root);
    expect(fs.readdirSync(path.dirname(out))).toEqual(['entry.mjs']);
  });
});
