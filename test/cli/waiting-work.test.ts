import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { buildBundle, serializeBundle } from '../../core/bundle/bundle';
import { waitingForOtherFlows } from '../../core/cli/waiting-work';
import { flowSchema } from '../../core/model/flow';
import { chainFlow, send, startRuntime, tempDir, waitFor } from '../helpers/runtime';
import { startCli, type CliProcess } from '../helpers/cli-process';

const running: CliProcess[] = [];
afterEach(() => {
  for (const p of running.splice(0)) if (p.child.exitCode === null) p.child.kill('SIGKILL');
});

/** A data directory where flow "old" accepted 3 ordered messages: the first cut off by a stop, two still queued. */
async function strandedWork(): Promise<string> {
  const t = await startRuntime();
  await t.rt.deploy(chainFlow({ path: '/old', ordered: true }, [{ type: 'delay', settings: { ms: 10_000 } }], { id: 'old' }));
  for (let i = 0; i < 3; i++) await send(t.url('/old'), { body: `{"n":${i}}`, headers: { 'content-type': 'application/json' } });
  await waitFor(() => t.rt.queueDepths().some((q) => q.active === 1));
  await t.rt.stop(0);
  return t.dataDir;
}

describe('accepted messages for a flow the new bundle does not have', () => {
  it('are counted per flow: queued, and cut off by the last stop until they are run again', async () => {
    const dataDir = await strandedWork();
    expect(await waitingForOtherFlows(dataDir, ['new'])).toEqual([{ flowId: 'old', queued: 2, cutOff: 1 }]);
    expect(await waitingForOtherFlows(dataDir, ['old', 'new'])).toEqual([]);
    expect(await waitingForOtherFlows(tempDir(), ['new'])).toEqual([]);
  });

  it('serve warns in its log at start, and again at the next start (the cut-off one was marked interrupted, not run)', async () => {
    const dataDir = await strandedWork();
    const file = path.join(tempDir(), 'new.bundle.json');
    fs.writeFileSync(file, serializeBundle(buildBundle({ name: 'new', flows: [flowSchema.parse(chainFlow({ path: '/new' }, [], { id: 'new' }))] })));
    for (let start = 0; start < 2; start++) {
      const p = await startCli(['serve', file, '--port', '0', '--data-dir', dataDir]);
      running.push(p);
      const line = p.output().split('\n').find((l) => l.includes('accepted message(s) wait for flow'));
      expect(line, p.output()).toBeDefined();
      const log = JSON.parse(line!);
      expect(log).toMatchObject({ level: 'warn', flowId: 'old', queued: 2, cutOff: 1 });
      expect(log.msg).toContain(`which the bundle ${file} does not have (2 queued, 1 cut off by the last stop)`);
      expect(log.msg).toContain(`'hookline executions --data-dir ${dataDir} --flow old' lists them`);
      // Orchestrators see them too: reported by /readyz (still 200: the bundle's flows serve) and /metrics.
      const ready = await fetch(`${p.url}/readyz`);
      expect(ready.status).toBe(200);
      expect(((await ready.json()) as { waitingForMissingFlows: unknown }).waitingForMissingFlows).toEqual([{ flowId: 'old', queued: 2, cutOff: 1 }]);
      expect(await (await fetch(`${p.url}/metrics`)).text()).toContain('hookline_waiting_for_missing_flow{flow="old"} 3');
      p.child.kill('SIGTERM');
      expect(await p.exited, p.output()).toBe(0);
    }
  });
});

describe('a stop asked for during start-up', () => {
  it('is graceful: SIGTERM as soon as the listener is up (before deploy and ready) stops cleanly with exit 0', async () => {
    const file = path.join(tempDir(), 'new.bundle.json');
    // Enough flows that deploying them takes a while after the listener is up: the signal lands mid start-up.
    const flows = Array.from({ length: 150 }, (_, i) => `f${i}`).map((id) => flowSchema.parse(chainFlow({ path: `/${id}` }, [{ type: 'template', settings: { kind: 'json', template: '{ "x": {{ data.x }} }' } }], { id })));
    fs.writeFileSync(file, serializeBundle(buildBundle({ name: 'new', flows })));
    const child = spawn(process.execPath, [path.resolve('bin/hookline.mjs'), 'serve', file, '--port', '0', '--data-dir', tempDir()], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => {
      out += d;
      if (String(d).includes('runtime listening')) child.kill('SIGTERM');
    });
    expect(await exited, out).toBe(0);
    expect(out).toContain('"msg":"stopped"');
    // The operator's log says which address serve is bound to and which Hookline runs it.
    const listening = JSON.parse(out.split('\n').find((l) => l.includes('runtime listening'))!);
    expect(listening).toMatchObject({ listen: expect.stringMatching(/^0\.0\.0\.0:\d+$/), hookline: expect.stringMatching(/^\d+\.\d+\.\d+/) });
  });
});
