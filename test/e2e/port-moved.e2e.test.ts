import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStudio } from '../../core/host/studio';
import { linearFlow, studioBrowser } from './studio-page';

/** The desktop app's case: its webhook port is held by another program, so this session serves on another one. */
describe('webhook port taken by another program', () => {
  let other: http.Server;
  let studio: Awaited<ReturnType<typeof startStudio>>;
  let env: Awaited<ReturnType<typeof studioBrowser>>;
  let dataDir: string;
  let taken: number;

  beforeAll(async () => {
    other = http.createServer((_req, res) => res.end('not hookline'));
    await new Promise<void>((r) => other.listen(0, '127.0.0.1', () => r()));
    taken = (other.address() as AddressInfo).port;
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hookline-e2e-port-'));
    studio = await startStudio({ dataDir, port: taken, portInUse: 'any', staticDir: 'dist/renderer' });
    await studio.api.saveFlow(linearFlow('hello', 'Hello', [{ id: 'hook', type: 'webhook', settings: { path: '/hello' } }]) as never);
    env = await studioBrowser({ timeoutMs: 10_000 });
    await env.app.open(studio.url);
  });
  afterAll(async () => {
    await env?.browser.close();
    await studio?.close();
    await new Promise((r) => other?.close(r));
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('shows the endpoint on the port it got, and says why next to it', async () => {
    const { app } = env;
    await app.select('hook');
    const port = studio.runtime.port;
    expect(port).not.toBe(taken);
    await expect.poll(() => app.tid('webhook-url').textContent()).toBe(`http://127.0.0.1:${port}/hello`);
    await expect(app.tid('endpoint-port-moved').textContent()).resolves.toContain(`Port ${taken} is in use by another program: webhooks are served on port ${port} until the studio restarts`);
    await app.screenshot('port-moved-01-endpoint');
  });
});
