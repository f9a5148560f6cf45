import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
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
    // The outbound thread's script is built beside every bundle.
    expect(fs.readdirSync(path.dirname(out)).sort()).toEqual(['entry.mjs', 'hookline-outbound.mjs']);
  });

  it('sends outbound requests on the main thread when the outbound thread cannot start (a broken install), and says why', async () => {
    const dir = fs.mkdtempSync(path.join(root, 'test-results', 'bundle-test-'));
    try {
      fs.writeFileSync(path.join(dir, 'entry.ts'), `export { sendRequest } from ${JSON.stringify(path.join(root, 'core/http/client.ts'))};\nexport { outboundThreadStatus } from ${JSON.stringify(path.join(root, 'core/http/hop-thread.ts'))};\n`);
      const out = path.join(dir, 'out', 'entry.mjs');
      await buildNodeBundle(path.join(dir, 'entry.ts'), out);
      fs.writeFileSync(path.join(dir, 'out', 'hookline-outbound.mjs'), "throw new Error('broken on purpose');\n");
      const m = await import(pathToFileURL(out).href);
      const server = http.createServer((req, res) => res.setHeader('content-type', 'application/json').end(JSON.stringify({ path: req.url })));
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      try {
        const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
        // The first hop was handed to the thread, which died loading: it is sent here instead, not failed.
        expect((await m.sendRequest({ method: 'GET', url: `${url}/first` }, {})).response.body).toEqual({ path: '/first' });
        expect(m.outboundThreadStatus()).toMatchObject({ enabled: false, reason: expect.stringContaining('broken on purpose') });
        expect((await m.sendRequest({ method: 'GET', url: `${url}/second` }, {})).response.body).toEqual({ path: '/second' });
      } finally {
        server.closeAllConnections();
        server.close();
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("sends outbound requests on the outbound thread, from the script built beside the bundle", async () => {
    // Under the app root, so the bundle and its worker resolve packages (axios, ...) from node_modules as dist-cli does.
    const dir = fs.mkdtempSync(path.join(root, 'test-results', 'bundle-test-'));
    try {
      fs.writeFileSync(
        path.join(dir, 'entry.ts'),
        `export { sendRequest } from ${JSON.stringify(path.join(root, 'core/http/client.ts'))};\nexport { outboundThreadStatus, hopWorkerScript } from ${JSON.stringify(path.join(root, 'core/http/hop-thread.ts'))};\n`,
      );
      const out = path.join(dir, 'out', 'entry.mjs');
      await buildNodeBundle(path.join(dir, 'entry.ts'), out);
      const m = await import(pathToFileURL(out).href);
      expect(m.hopWorkerScript()).toBe(path.join(dir, 'out', 'hookline-outbound.mjs'));
      const server = http.createServer((req, res) => res.setHeader('content-type', 'application/json').end(JSON.stringify({ path: req.url })));
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      try {
        const ex = await m.sendRequest({ method: 'GET', url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/ping` }, {});
        expect(ex.response.body).toMatchObject({ path: '/ping' });
        expect(m.outboundThreadStatus()).toMatchObject({ enabled: true, threadId: expect.any(Number) });
      } finally {
        server.closeAllConnections();
        server.close();
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
