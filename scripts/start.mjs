#!/usr/bin/env node
// `npm start`: build the renderer and the Electron main/preload bundles, then launch Electron.
// `node scripts/start.mjs --build-only` builds without launching (CI, packaging, or no Electron binary).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const buildOnly = process.argv.includes('--build-only');
const skipRenderer = process.argv.includes('--skip-renderer');

function electronBinary() {
  // Read what the electron package records instead of require('electron'): that tries to download the
  // binary when it is missing, which hangs or fails noisily offline.
  const pkgDir = path.dirname(require.resolve('electron/package.json'));
  const pathFile = path.join(pkgDir, 'path.txt');
  if (!existsSync(pathFile)) return undefined;
  const rel = readFileSync(pathFile, 'utf8').trim();
  const dist = process.env.ELECTRON_OVERRIDE_DIST_PATH || path.join(pkgDir, 'dist');
  const bin = path.join(dist, rel);
  return existsSync(bin) ? bin : undefined;
}

const bin = buildOnly ? undefined : electronBinary();
if (!buildOnly && !bin) {
  console.error(
    [
      'hookline: the Electron binary is not installed (node_modules/electron/dist is missing;',
      'its download is blocked or was skipped on this machine), so the desktop app cannot start.',
      '',
      '  Use the browser studio instead:   npm run studio',
      '  Or, with network access, fetch Electron:   node node_modules/electron/install.js',
    ].join('\n'),
  );
  process.exit(1);
}

if (!skipRenderer) {
  const vite = spawnSync(process.execPath, [require.resolve('vite/bin/vite.js'), 'build', '--config', 'renderer/vite.config.ts'], { cwd: root, stdio: 'inherit' });
  if (vite.status !== 0) process.exit(vite.status ?? 1);
}

const esbuild = await import('esbuild');
const common = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node22',
  sourcemap: 'linked',
  logLevel: 'warning',
  absWorkingDir: root,
  // Native and Electron-provided modules stay outside the bundle (better-sqlite3 is rebuilt for Electron).
  external: ['electron', 'better-sqlite3'],
};
// core/<dir>/*.ts find the app root as '../..' from import.meta.url; in the CJS bundles that URL is shimmed to an
// equally deep path under the app root, so examples/ and dist/renderer resolve. The outbound thread's script
// (core/http/hop-thread.ts) is built beside main.cjs and found from there.
const shims = {
  define: { 'import.meta.url': '__hooklineImportMetaUrl', __HOOKLINE_HOP_WORKER__: '__hooklineHopWorker' },
  banner: {
    js: [
      "const __hooklineImportMetaUrl = require('node:url').pathToFileURL(require('node:path').join(__dirname, '..', 'core', 'bundle', 'main.cjs')).href;",
      "const __hooklineHopWorker = require('node:url').pathToFileURL(require('node:path').join(__dirname, 'hookline-outbound.cjs')).href;",
    ].join('\n'),
  },
};
await esbuild.build({ ...common, ...shims, entryPoints: { 'hookline-outbound': 'core/http/hop-worker.ts' }, outdir: 'dist-electron', outExtension: { '.js': '.cjs' } });
await esbuild.build({ ...common, ...shims, entryPoints: { main: 'electron/main.ts' }, outdir: 'dist-electron', outExtension: { '.js': '.cjs' } });
await esbuild.build({
  ...common,
  // Sandboxed preloads may only require('electron'): everything else must be bundled in.
  entryPoints: { preload: 'electron/preload.ts' },
  outdir: 'dist-electron',
  outExtension: { '.js': '.cjs' },
  platform: 'browser',
  external: ['electron'],
});
console.log('hookline: built dist/renderer and dist-electron/{main,preload,hookline-outbound}.cjs');
if (buildOnly) process.exit(0);

const child = spawn(bin, ['.', ...process.argv.slice(2).filter((a) => !a.startsWith('--skip-') && a !== '--build-only')], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, ELECTRON_RUN_AS_NODE: undefined },
});
child.on('exit', (code, signal) => process.exit(signal ? 1 : (code ?? 0)));
