import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { buildBundle, serializeBundle } from '../../core/bundle/bundle';
import { main } from '../../core/cli/main';
import { flowSchema } from '../../core/model/flow';
import { chainFlow, tempDir } from '../helpers/runtime';
import { startCli, type CliProcess } from '../helpers/cli-process';

const running: CliProcess[] = [];
afterEach(() => {
  for (const p of running.splice(0)) if (p.child.exitCode === null) p.child.kill('SIGKILL');
});

/** The QA's bundle: a secret environment variable and a webhook API key, each logged by a Log node. */
function writeBundle(): string {
  const flow = flowSchema.parse(
    chainFlow({ path: '/tok', responseMode: 'requestResponse', auth: { type: 'apiKey', keys: [{ id: 'k', label: 'Shop', secret: 'SHOP_KEY' }] } }, [
      { type: 'log', settings: { message: 'tok', value: "'Bearer ' & $env.TOKEN" } },
      { type: 'log', settings: { message: 'key', value: "'key ' & $env.SHOP_KEY" } },
      { type: 'respond', settings: { status: 200, bodyMode: 'data' } },
    ], { id: 'tok' }),
  );
  const file = path.join(tempDir(), 'tok.bundle.json');
  fs.writeFileSync(file, serializeBundle(buildBundle({ name: 'tok', flows: [flow], environments: [{ name: 'default', variables: [{ name: 'TOKEN', secret: true }] }] })));
  return file;
}

describe('secrets from plain environment variables', () => {
  it('are redacted in serve logs like HOOKLINE_SECRET_* ones', async () => {
    const p = await startCli(['serve', writeBundle(), '--host', '127.0.0.1', '--port', '0', '--data-dir', tempDir()], { TOKEN: 'tok-SECRET14', SHOP_KEY: 'shop-SECRET15' });
    running.push(p);
    const r = await fetch(`${p.url}/tok`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-api-key': 'shop-SECRET15' }, body: '{}' });
    expect(r.status).toBe(200);
    for (let i = 0; i < 100 && !/"msg":"key"/.test(p.output()); i++) await new Promise((res) => setTimeout(res, 20));
    const out = p.output();
    expect(out).toContain('"value":"Bearer ***"');
    expect(out).toContain('"value":"key ***"');
    expect(out).not.toContain('SECRET14');
    expect(out).not.toContain('SECRET15');
    p.child.kill('SIGTERM');
    expect(await p.exited).toBe(0);
  }, 30_000);

  it('are redacted in what exec prints, when the flow refers to them', async () => {
    const server = http.createServer((req, res) => res.end(JSON.stringify({ auth: req.headers.authorization })));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as { port: number }).port;
    const file = path.join(tempDir(), 'flow.json');
    fs.writeFileSync(
      file,
      JSON.stringify({
        formatVersion: 1,
        id: 'call',
        name: 'call',
        nodes: [
          { id: 'start', type: 'manual', settings: { sample: {} } },
          { id: 'show', type: 'map', settings: { expression: "{ 'token': 'Bearer ' & $env.API_TOKEN }" } },
          { id: 'call', type: 'http-request', settings: { method: 'GET', url: `http://127.0.0.1:${port}/x`, connection: { auth: { type: 'bearer', tokenSecret: 'API_TOKEN' } } } },
        ],
        edges: [
          { id: 'e1', source: 'start', target: 'show' },
          { id: 'e2', source: 'show', target: 'call' },
        ],
      }),
    );
    process.env.API_TOKEN = 'api-SECRET16';
    const out: string[] = [];
    try {
      const code = await main(['exec', file], { out: (s) => out.push(s), err: (s) => out.push(s) });
      expect(code, out.join('\n')).toBe(0);
    } finally {
      delete process.env.API_TOKEN;
      server.close();
    }
    const text = out.join('\n');
    expect(text).toContain('{"token":"Bearer ***"}');
    expect(text).not.toContain('SECRET16');
  });
});
