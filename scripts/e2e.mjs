#!/usr/bin/env node
// Builds the renderer when dist/renderer is missing or older than any renderer/core source, then runs
// the end-to-end tests (Debian Chromium through playwright-core; never `npx playwright install`).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const out = path.join(root, 'dist/renderer/index.html');

function newest(dir) {
  let t = 0;
  if (!fs.existsSync(dir)) return t;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) t = Math.max(t, newest(p));
    else if (/\.(tsx?|css|html)$/.test(e.name)) t = Math.max(t, fs.statSync(p).mtimeMs);
  }
  return t;
}

const built = fs.existsSync(out) ? fs.statSync(out).mtimeMs : 0;
const sources = Math.max(newest(path.join(root, 'renderer')), newest(path.join(root, 'core/model')), newest(path.join(root, 'core/nodes')), newest(path.join(root, 'core/template')));
const run = (cmd, args) => spawnSync(cmd, args, { cwd: root, stdio: 'inherit', shell: process.platform === 'win32' }).status ?? 1;

if (!built || sources > built) {
  console.log(built ? 'renderer sources changed: rebuilding dist/renderer' : 'dist/renderer missing: building');
  const code = run('npx', ['vite', 'build', '--config', 'renderer/vite.config.ts', '--logLevel', 'warn']);
  if (code !== 0) process.exit(code);
}
if (!fs.existsSync(process.env.CHROMIUM_PATH ?? '/usr/bin/chromium')) {
  console.error('Chromium not found at /usr/bin/chromium: install it with `apt-get install -y chromium` (or set CHROMIUM_PATH).');
  process.exit(1);
}
process.exit(run('npx', ['vitest', 'run', '--config', 'test/e2e/vitest.e2e.config.ts', ...process.argv.slice(2)]));
