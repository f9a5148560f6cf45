import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { markSecretEnv } from '../../core/model/secret-env';
import { chainFlow, send, startRuntime, waitFor } from '../helpers/runtime';

const TOKEN = 'erp-token-SECRETVALUE-789';
const closers: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const c of closers.splice(0).reverse()) await c();
});

/** A partner that answers with what it got, so an echo of the token is in the answer too. */
async function echoSink(seen: Array<{ headers: http.IncomingHttpHeaders; body: string }>): Promise<string> {
  const s = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      seen.push({ headers: req.headers, body });
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ got: JSON.parse(body) }));
    });
  });
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  closers.push(() => new Promise((r) => s.close(r)));
  return `http://127.0.0.1:${(s.address() as AddressInfo).port}/erp`;
}

function filesOf(dir: string): string[] {
  return fs.readdirSync(dir, { recursive: true }).map(String).filter((f) => fs.statSync(path.join(dir, f)).isFile());
}

describe('secret $env variables in execution records', () => {
  it('are sent to the partner as they are, and masked in every record and the database files', async () => {
    const seen: Array<{ headers: http.IncomingHttpHeaders; body: string }> = [];
    const url = await echoSink(seen);
    const t = await startRuntime({ env: markSecretEnv({ ERP_TOKEN: TOKEN, ERP_URL: url }, ['ERP_TOKEN']) });
    closers.push(() => t.stop());
    await t.rt.deploy(
      chainFlow(
        { path: '/in', responseMode: 'requestResponse' },
        [
          // A Set-like step that copies the token into the data: its output record must not show it either.
          { type: 'template', settings: { kind: 'json', template: '{ "order": "{{ data.order }}", "token": "{{ $env.ERP_TOKEN }}" }' } },
          { type: 'http-request', settings: { method: 'POST', url: '{{ $env.ERP_URL }}', contentType: 'application/json', body: '{{ data }}', headers: [{ name: 'X-Token', value: '{{ $env.ERP_TOKEN }}' }], output: 'body' } },
          { type: 'respond', settings: { bodyMode: 'data' } },
        ],
        { id: 'secret-env' },
      ),
    );
    const r = await send(t.url('/in'), { body: '{"order":"A-1"}', headers: { 'content-type': 'application/json' } });
    expect(r.status).toBe(200);
    expect(seen[0].headers['x-token']).toBe(TOKEN);
    expect(JSON.parse(seen[0].body)).toEqual({ order: 'A-1', token: TOKEN });

    const summary = await waitFor(async () => (await t.rt.store.listExecutions({ flowId: 'secret-env', status: ['succeeded'] })).items[0]);
    const exec = await t.rt.store.getExecution(summary.id);
    const text = JSON.stringify(exec);
    expect(text).not.toContain(TOKEN);
    expect(text).toContain('***');
    const template = exec!.steps.find((s) => s.nodeType === 'template')!;
    expect((template.output as { data: { token: string } }).data.token).toBe('***');
    const sent = exec!.steps.find((s) => s.nodeType === 'http-request')!.attempts![0] as { request: { headers: Record<string, string> } };
    expect(sent.request.headers['X-Token']).toBe('***');

    await t.stop();
    const files = filesOf(t.dataDir);
    expect(files.some((f) => f.startsWith('executions.db'))).toBe(true);
    for (const f of files) expect(fs.readFileSync(path.join(t.dataDir, f)).includes(TOKEN), f).toBe(false);
  });

  it('a run started from the studio (Run with sample) is masked too, its output included', async () => {
    const t = await startRuntime({ env: markSecretEnv({ ERP_TOKEN: TOKEN }, ['ERP_TOKEN']) });
    closers.push(() => t.stop());
    const flow = chainFlow({ path: '/once' }, [{ type: 'template', settings: { kind: 'json', template: '{ "token": "{{ $env.ERP_TOKEN }}" }' } }], { id: 'once' });
    const run = await t.rt.runOnce(flow, { a: 1 });
    expect(run.status).toBe('succeeded');
    const stored = JSON.stringify(await t.rt.store.getExecution(run.id));
    expect(stored).not.toContain(TOKEN);
    expect(stored).toContain('"token":"***"');
  });

  it('a plain variable is recorded as it is', async () => {
    const t = await startRuntime({ env: markSecretEnv({ REGION: 'eu-central-1' }, []) });
    closers.push(() => t.stop());
    await t.rt.deploy(chainFlow({ path: '/p', responseMode: 'requestResponse' }, [{ type: 'template', settings: { kind: 'json', template: '{ "region": "{{ $env.REGION }}" }' } }, { type: 'respond', settings: { bodyMode: 'data' } }], { id: 'plain-env' }));
    expect((await send(t.url('/p'), { body: '{}', headers: { 'content-type': 'application/json' } })).json).toEqual({ region: 'eu-central-1' });
    const summary = await waitFor(async () => (await t.rt.store.listExecutions({ flowId: 'plain-env', status: ['succeeded'] })).items[0]);
    expect(JSON.stringify(await t.rt.store.getExecution(summary.id))).toContain('eu-central-1');
  });
});
