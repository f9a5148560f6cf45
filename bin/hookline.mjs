#!/usr/bin/env node
// Runs the CLI from an esbuild bundle of core/ (dist-cli/hookline.mjs), built on first use and again whenever a
// source is newer. The desktop app runs the same code bundled the same way (dist-electron); a bundle also starts
// twice as fast as compiling each TypeScript file at start-up and carries no per-closure name bookkeeping (tsx
// keeps function names by wrapping every closure it creates: 3-6 % of the server's CPU per request in
// `npm run bench`). Where the bundle cannot be built (no esbuild, a read-only install) it runs the sources through
// tsx's loader.
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { buildNodeBundle, isFresh, root } from './node-bundle.mjs';

const out = path.join(root, 'dist-cli', 'hookline.mjs');
/** The bundle, fresh; undefined when it cannot be built here (no esbuild, a read-only install): then tsx runs the sources. */
async function bundled() {
  try {
    if (!isFresh(out)) await buildNodeBundle(path.join(root, 'core', 'cli', 'main.ts'), out);
    return out;
  } catch {
    return undefined;
  }
}

let main;
const file = await bundled();
if (file) ({ main } = await import(pathToFileURL(file).href));
else {
  const { register } = await import('tsx/esm/api');
  register();
  ({ main } = await import('../core/cli/main.ts'));
}
process.exitCode = await main(process.argv.slice(2));
