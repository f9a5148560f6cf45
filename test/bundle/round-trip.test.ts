import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FlowRepository } from '../../core/host/flow-repo';
import { chainFlow, tempDir } from '../helpers/runtime';
import { runCli, startCli, type CliProcess } from '../helpers/cli-process';

const procs: CliProcess[] = [];
afterEach(() => {
  for (const p of procs.splice(0)) if (p.child.exitCode === null) p.child.kill('SIGKILL');
});

describe('bundle round trip: studio export -> import elsewhere -> export again -> serve', () => {
  it('keeps the flow working end to end and the bundle byte-identical apart from its creation time', async () => {
    const studio = tempDir();
    new FlowRepository(studio).save(
      chainFlow({ path: '/greet', responseMode: 'requestResponse', auth: { type: 'apiKey', keys: [{ id: 'k', label: 'Client', secret: 'GREET_KEY' }] } }, [
        { type: 'map', settings: { expression: '{ "greeting": "Hello " & data.name, "env": $env.GREETING_SITE }' } },
        { type: 'respond' },
      ], { id: 'greet', name: 'Greeter' }),
    );
    fs.writeFileSync(path.join(studio, 'environments.json'), JSON.stringify([{ name: 'prod', variables: [{ name: 'GREETING_SITE', value: 'hq' }] }]));
    const first = path.join(tempDir(), 'greet.bundle.json');
    const exp = await runCli(['export', '--data-dir', studio, '--flows', 'greet', '--out', first, '--name', 'greet', '--version', '1.2.0']);
    expect(exp.code, exp.output).toBe(0);
    expect(exp.output).toContain('needs secrets: GREET_KEY');

    // Import into a second studio (through the same code the host API uses), then export from there.
    const other = tempDir();
    const { importIntoDataDir } = await import('../../core/bundle/transfer');
    const { MemorySecretStore } = await import('../../core/secrets/secret-store');
    const result = importIntoDataDir(JSON.parse(fs.readFileSync(first, 'utf8')), other, new FlowRepository(other), new MemorySecretStore(), { onConflict: 'rename' });
    expect(result).toMatchObject({ flows: [{ id: 'greet' }], missingSecrets: ['GREET_KEY'], environments: ['prod'] });
    const second = path.join(tempDir(), 'again.bundle.json');
    expect((await runCli(['export', '--data-dir', other, '--flows', 'greet', '--out', second, '--name', 'greet', '--version', '1.2.0'])).code).toBe(0);
    const strip = (f: string) => fs.readFileSync(f, 'utf8').replace(/"createdAt": "[^"]+"/, '').replace(/"checksum": "[^"]+"/, '');
    expect(strip(second)).toBe(strip(first));

    const p = await startCli(['serve', second, '--host', '127.0.0.1', '--port', '0', '--data-dir', tempDir()], { GREET_KEY: 'k-123' });
    procs.push(p);
    const r = await fetch(`${p.url}/greet`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-api-key': 'k-123' }, body: '{"name":"Ada"}' });
    expect(r.status).toBe(200);
    expect(await r.json()).toEqual({ greeting: 'Hello Ada', env: 'hq' });
  }, 60_000);
});
