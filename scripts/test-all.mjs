#!/usr/bin/env node
// `npm test`: type checks, lint, unit + integration tests (vitest), then the browser end-to-end tests
// (builds the studio UI first). Prints every step's output and ends with `ci: N passed, N failed`.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
process.chdir(root);
fs.mkdirSync('test-results', { recursive: true });
const bin = (name) => path.join(root, 'node_modules', '.bin', name);
let passed = 0;
let failed = 0;
const failures = [];

function step(name, cmd, args, opts = {}) {
  console.log(`\n=== ${name}: ${[cmd, ...args].join(' ')}`);
  const started = Date.now();
  const r = spawnSync(cmd, args, { stdio: 'inherit', env: { ...process.env, FORCE_COLOR: '0' }, ...opts });
  console.log(`=== ${name}: exit ${r.status} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return r.status === 0;
}

function check(name, ok) {
  if (ok) passed++;
  else {
    failed++;
    failures.push(name);
  }
}

function vitest(name, args, report) {
  fs.rmSync(report, { force: true });
  const ok = step(name, bin('vitest'), ['run', ...args, '--reporter=default', '--reporter=json', `--outputFile.json=${report}`]);
  if (!fs.existsSync(report)) {
    check(`${name} (no report)`, false);
    return;
  }
  const r = JSON.parse(fs.readFileSync(report, 'utf8'));
  passed += r.numPassedTests;
  failed += r.numFailedTests;
  // A suite that failed to load has no failed test of its own: count it, so it cannot pass silently.
  const broken = (r.testResults ?? []).filter((t) => t.status === 'failed' && (t.assertionResults ?? []).every((a) => a.status !== 'failed'));
  for (const b of broken) check(`${name}: ${path.relative(root, b.name)} failed to run`, false);
  for (const t of r.testResults ?? []) for (const a of t.assertionResults ?? []) if (a.status === 'failed') failures.push(`${path.relative(root, t.name)} > ${a.fullName}`);
  if (!ok && r.numFailedTests === 0 && broken.length === 0) check(`${name} exited non-zero`, false);
}

const only = process.argv[2];
if (!only || only === 'static') {
  check('typecheck (node)', step('typecheck (node)', bin('tsc'), ['-p', 'tsconfig.json', '--noEmit']));
  check('typecheck (web)', step('typecheck (web)', bin('tsc'), ['-p', 'tsconfig.web.json', '--noEmit']));
  check('lint', step('lint', bin('eslint'), ['.', '--max-warnings=-1']));
}
if (!only || only === 'unit') vitest('unit + integration', [], 'test-results/vitest.json');
if ((!only || only === 'e2e') && !fs.existsSync('/usr/bin/chromium') && process.getuid?.() === 0 && fs.existsSync('/usr/bin/apt-get')) {
  // Set-up on a fresh Debian machine: the e2e tests drive Debian's Chromium (never a downloaded browser).
  step('install chromium', 'bash', ['-c', 'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium']);
}
if (!only || only === 'e2e') {
  const e2eConfig = 'test/e2e/vitest.e2e.config.ts';
  if (!fs.existsSync('/usr/bin/chromium')) check('e2e: /usr/bin/chromium is missing (apt-get install -y chromium)', false);
  else if (!fs.existsSync(e2eConfig)) check('e2e: test/e2e/vitest.e2e.config.ts is missing', false);
  else {
    const built = step('build studio UI', process.execPath, [path.join(root, 'node_modules/vite/bin/vite.js'), 'build', '--config', 'renderer/vite.config.ts', '--logLevel', 'warn']);
    check('build studio UI', built);
    if (built) vitest('e2e (Chromium)', ['--config', e2eConfig], 'test-results/e2e.json');
  }
}

if (failures.length) {
  console.log('\nFailed:');
  for (const f of failures) console.log(`  - ${f}`);
}
console.log(`\nci: ${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
