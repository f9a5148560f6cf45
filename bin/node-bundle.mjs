// Builds an esbuild bundle of a TypeScript entry for plain Node, the way the CLI runs (bin/hookline.mjs) and
// the way the bench runs its Hookline servers (test/bench/lib/child.ts), so both measure and ship one thing.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Newest modification time under `dirs` (and of package.json): a bundle older than that is rebuilt. */
export function newestSource(dirs = [path.join(root, 'core')]) {
  let newest = fs.statSync(path.join(root, 'package.json')).mtimeMs;
  const walk = (dir) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else newest = Math.max(newest, fs.statSync(p).mtimeMs);
    }
  };
  dirs.forEach(walk);
  return newest;
}

/** True when `outfile` exists and is newer than every source under `dirs`. */
export function isFresh(outfile, dirs) {
  try {
    return fs.statSync(outfile).mtimeMs >= newestSource(dirs);
  } catch {
    return false;
  }
}

/**
 * Bundles `entry` (absolute path) into `outfile` as one ES module. Packages stay imports from node_modules
 * (better-sqlite3 is native). Modules find the app root ('../..') and the writer thread's script ('../store/')
 * from import.meta.url: in the bundle it stands for a module in core/bundle/, as in the Electron build
 * (scripts/start.mjs). Written beside the target and renamed into place, so processes starting at the same
 * time never load half a file.
 */
export async function buildNodeBundle(entry, outfile) {
  const esbuild = await import('esbuild');
  fs.mkdirSync(path.dirname(outfile), { recursive: true });
  const stand = path.relative(path.dirname(outfile), path.join(root, 'core', 'bundle', 'node.mjs')).split(path.sep).join('/');
  const build = async (from, to) => {
    const tmp = `${to}.${process.pid}.tmp.mjs`;
    await esbuild.build({
      entryPoints: [from],
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      packages: 'external',
      outfile: tmp,
      logLevel: 'warning',
      absWorkingDir: root,
      define: { 'import.meta.url': '__hooklineImportMetaUrl', __HOOKLINE_HOP_WORKER__: '__hooklineHopWorker' },
      banner: {
        js: [
          `const __hooklineImportMetaUrl = new URL(${JSON.stringify(stand)}, import.meta.url).href;`,
          `const __hooklineHopWorker = new URL(${JSON.stringify(HOP_WORKER_FILE)}, import.meta.url).href;`,
        ].join('\n'),
      },
    });
    fs.renameSync(tmp, to);
  };
  // The outbound thread's script (core/http/hop-thread.ts) goes beside the bundle, before it: a bundle at least as
  // new as the sources always has a current one.
  await build(path.join(root, 'core', 'http', 'hop-worker.ts'), path.join(path.dirname(outfile), HOP_WORKER_FILE));
  await build(entry, outfile);
}

/** The outbound thread's script, built beside each bundle. */
export const HOP_WORKER_FILE = 'hookline-outbound.mjs';
