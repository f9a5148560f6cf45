#!/usr/bin/env node
// Runs the CLI from an esbuild bundle of core/ (dist-cli/hookline.mjs), built on first use and again whenever a
// source is newer. The desktop app runs the same code bundled the same way (dist-electron); a bundle also starts
// twice as fast as compiling each TypeScript file at start-up and carries no per-closure name bookkeeping (tsx
// keeps function names by wrapping every closure it creates: 3-6 % of the server's CPU per request in
// `npm run bench`). Without esbuild (a trimmed install) it runs the sources through tsx's loader.
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { buildNodeBundle, isFresh, root } from './node-bundle.mjs';

const out = path.join(root, 'dist-cli', 'hookline.mjs');
let main;
try {
  if (!isFresh(out)) await buildNodeBundle(path.join(root, 'core', 'cli', 'main.ts'), out);
  ({ main } = await import(pathToFileURL(out).href));
} catch (err) {
  if (err?.code !== 'ERR_MODULE_NOT_FOUND' || !String(err.message).includes("'esbuild'")) throw err;
  const { register } = await import('tsx/esm/api');
  register();
  ({ main } = await import('../core/cli/main.ts'));
}
process.exitCode = await main(process.argv.slice(2));
