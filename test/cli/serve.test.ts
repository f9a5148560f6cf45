import fs from 'node:fs';
import path from 'node:path';
import http from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { buildBundle, serializeBundle } from '../../core/bundle/bundle';
import { flowSchema } from '../../core/model/flow';
import { chainFlow, tempDir } from '../helpers/runtime';
import { runCli, startCli, type CliProcess } from '../helpers/cli-process';
import { decodeInput } from '../../core/store/record-codec';

const running: CliProcess[] = [];
afterEach(() => {
  for (const p of running.splice(0)) if (p.child.exitCode === null) p.child.kill('SIGKILL');
});

function writeBundle(): string {
  const f = flowSchema.parse(
    chainFlow({ path: '/orders', ordered: true, auth: { type: 'apiKey', keys: [{ id: 'k', label: 'Shop', secret: 'SHOP_KEY' }] } }, [
      { type: 'delay', settings: { ms: 2 } },
      { type: 'log', settings: { value: '$env.ERP_URL' } },
      { type: 'log', settings: { value: '$length($env.ERP_TOKEN)' } },
    ], { id: 'orders' }),
  );
  const file = path.join(tempDir(), 'orders.bundle.json');
  fs.writeFileSync(file, serializeBundle(buildBundle({ name: 'orders', flows: [f], environments: [{ name: 'prod', variables: [{ name: 'ERP_URL', secret: false }, { name: 'ERP_TOKEN', secret: true }, { name: 'OLD_TOKEN', secret: true }] }] })));
  return file;
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 4 });
function post(url: string, body: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: 'POST', agent, headers: { 'content-type': 'application/json', ...headers } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode!));
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('hookline serve', () => {
  it('refuses to start and lists every missing secret and variable at once', async () => {
    const r = await runCli(['serve', writeBundle(), '--port', '0', '--data-dir', tempDir()], { SHOP_KEY: '', ERP_URL: '' });
    expect(r.code).toBe(3);
    expect(r.output).toContain('3 missing');
    expect(r.output).toMatch(/variable ERP_URL/);
    expect(r.output).toMatch(/secret variable ERP_TOKEN/);
    expect(r.output).toMatch(/secret SHOP_KEY \(used by flow orders, node hook\)/);
    // Declared by the environment but read by nothing: not a reason to refuse.
    expect(r.output).not.toContain('OLD_TOKEN');
  });

  it('serves with /healthz, /readyz and /metrics, and SIGTERM mid-stream loses nothing', async () => {
    const dataDir = tempDir();
    const env = { SHOP_KEY: 'shop-key-value', ERP_URL: 'https://erp.example', HOOKLINE_SECRET_ERP_TOKEN: 'tok' };
    const p = await startCli(['serve', writeBundle(), '--port', '0', '--data-dir', dataDir, '--grace-ms', '5000'], env);
    running.push(p);
    expect(await (await fetch(p.url + '/healthz')).text()).toBe('ok\n');
    const ready = await fetch(p.url + '/readyz');
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ ready: true, flowsNotDeployed: [], database: 'writable', blockedLanes: 0, waitingForMissingFlows: [] });
    expect(await post(p.url + '/orders', '{}', {})).toBe(401);

    const acked: number[] = [];
    let stop = false;
    const sender = (async () => {
      for (let i = 0; i < 2000 && !stop; i++) {
        try {
          if ((await post(p.url + '/orders', JSON.stringify({ i }), { 'x-api-key': 'shop-key-value' })) === 202) acked.push(i);
        } catch {
          return;
        }
      }
    })();
    while (acked.length < 50) await new Promise((r) => setTimeout(r, 10));
    const metrics = await (await fetch(p.url + '/metrics')).text();
    expect(metrics).toMatch(/hookline_executions_total\{flow="orders",status="succeeded"\} \d+/);
    expect(metrics).toMatch(/hookline_execution_duration_seconds_bucket\{flow="orders",le="\+Inf"\} \d+/);
    expect(metrics).toMatch(/hookline_queue_depth\{flow="orders",node="hook"\} \d+/);
    expect(metrics).toContain('hookline_auth_rejections_total{flow="orders",node="hook"} 1');
    p.child.kill('SIGTERM');
    stop = true;
    await sender;
    expect(await p.exited).toBe(0);
    expect(p.output()).not.toContain('shop-key-value');
    expect(p.output()).toContain('secret variable OLD_TOKEN (environment \\"prod\\") is not set; no flow or connection of the bundle reads it');

    // Restart: whatever was acknowledged but not yet run is still queued and runs now.
    const again = await startCli(['serve', writeBundle(), '--port', '0', '--data-dir', dataDir], env);
    running.push(again);
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const Database = require('better-sqlite3');
    const db = new Database(path.join(dataDir, 'executions.db'), { readonly: true });
    try {
      const pending = () => db.prepare(`SELECT COUNT(*) n FROM executions WHERE status IN ('queued','running')`).get().n;
      for (let i = 0; i < 200 && pending() > 0; i++) await new Promise((r) => setTimeout(r, 50));
      const rows = db.prepare(`SELECT input, raw_body, refs FROM executions WHERE status = 'succeeded'`).all() as Array<Record<string, unknown>>;
      const done = new Set(rows.map((r) => (decodeInput(r)!.trigger.body as { i: number }).i));
      for (const i of acked) expect(done.has(i)).toBe(true);
    } finally {
      db.close();
    }
    again.child.kill('SIGTERM');
    expect(await again.exited).toBe(0);
  }, 60_000);
});
