import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hostMethodArgs, type HostApi } from '../../core/host/api';
import { FlowRepository } from '../../core/host/flow-repo';
import { createHostApi } from '../../core/host/impl';
import { ProblemsError } from '../../core/model/problems';
import { scheduleAnchor } from '../../core/nodes/schedule/run';
import { startRuntime, type TestRuntime } from '../helpers/runtime';

let t: TestRuntime;
let host: HostApi;
beforeAll(async () => {
  t = await startRuntime();
  host = createHostApi({ runtime: t.rt, flows: new FlowRepository(t.dataDir), secrets: t.secrets, version: 'test', dataDir: t.dataDir });
});
afterAll(() => t.stop());

describe('Host API: runFlow and getNextRuns', () => {
  it('runFlow runs a saved flow from its Manual trigger with the input, or with the sample when none is given', async () => {
    await host.saveFlow({
      formatVersion: 1,
      id: 'manual-run',
      name: 'manual run',
      nodes: [
        { id: 'go', type: 'manual', settings: { sample: { csv: 'a,b\n1,2' } } },
        { id: 'p', type: 'parse', settings: { format: 'csv', source: 'data.csv' } },
        { id: 'r', type: 'respond', settings: { status: 200, bodyMode: 'data' } },
      ],
      edges: [
        { id: 'e1', source: 'go', target: 'p' },
        { id: 'e2', source: 'p', target: 'r' },
      ],
    });
    const withInput = await host.runFlow('manual-run', { csv: 'x\n7' });
    expect(withInput.status).toBe('succeeded');
    expect(withInput.steps.map((s) => s.nodeId)).toEqual(['go', 'p', 'r']);
    expect(withInput.output).toEqual([{ x: '7' }]);
    expect(withInput.reply).toMatchObject({ status: 200, body: '[{"x":"7"}]' });
    const withSample = await host.runFlow('manual-run');
    expect(withSample.output).toEqual([{ a: '1', b: '2' }]);
    expect(await t.rt.store.getExecution(withSample.id)).toMatchObject({ status: 'succeeded', triggerNodeId: 'go' });
    expect(t.rt.isDeployed('manual-run')).toBe(false);
  });

  it('runFlow and previewFlow of a flow started by a Schedule use a tick made now, not the pinned request sample', async () => {
    const flow = {
      formatVersion: 1 as const,
      id: 'nightly-run',
      name: 'nightly run',
      sample: { orderId: 'A-1' },
      nodes: [
        { id: 'tick', type: 'schedule', settings: { mode: 'cron', cron: '0 2 * * *' } },
        { id: 'since', type: 'set', settings: { fields: [{ name: 'since', expression: 'data.scheduledAt' }] } },
      ],
      edges: [{ id: 'e1', source: 'tick', target: 'since' }],
    };
    await host.saveFlow(flow);
    const before = Date.now();
    const run = await host.runFlow('nightly-run');
    expect(run.status).toBe('succeeded');
    const out = run.output as { scheduledAt: string; firedAt: string; since: string };
    expect(out.since).toBe(out.scheduledAt);
    expect(Date.parse(out.firedAt)).toBeGreaterThanOrEqual(before - 1);
    expect(run.input).toMatchObject({ trigger: { type: 'schedule', nodeId: 'tick', body: { scheduledAt: out.scheduledAt } } });
    expect(run.output).not.toHaveProperty('orderId');
    // The studio previews with what it would run (pinnedRunInput): the Set node sees the tick's data.
    const { pinnedRunInput } = await import('../../core/nodes/start-input');
    const preview = await host.previewFlow(flow, pinnedRunInput(flow));
    expect(preview.triggerNodeId).toBe('tick');
    expect(preview.nodes.since.output).toMatchObject({ data: { since: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) } });
  });

  it('getNextRuns gives ISO times of a saved schedule in its time zone; other nodes are refused', async () => {
    await host.saveFlow({
      formatVersion: 1,
      id: 'nightly',
      name: 'nightly',
      nodes: [
        { id: 's', type: 'schedule', settings: { mode: 'cron', cron: '30 2 * * *', timeZone: 'Asia/Tokyo' } },
        { id: 'l', type: 'log' },
      ],
      edges: [{ id: 'e1', source: 's', target: 'l' }],
    });
    const runs = await host.getNextRuns('nightly', 's', 3);
    expect(runs).toHaveLength(3);
    // 02:30 in Tokyo (UTC+9, no DST) is 17:30Z the day before, one day apart, all in the future.
    for (const r of runs) expect(r).toMatch(/T17:30:00\.000Z$/);
    expect(Date.parse(runs[1]) - Date.parse(runs[0])).toBe(86_400_000);
    expect(Date.parse(runs[0])).toBeGreaterThan(Date.now());
    const err = await host.getNextRuns('nightly', 'l', 3).catch((e) => e);
    expect(err).toBeInstanceOf(ProblemsError);
    expect((err as ProblemsError).problems[0]).toMatchObject({ path: 'nodes[1].type' });
  });

  it('getNextRuns of a deployed interval schedule lines up with its deploy time', async () => {
    await host.saveFlow({ formatVersion: 1, id: 'every-hour', name: 'every hour', nodes: [{ id: 's', type: 'schedule', settings: { mode: 'interval', intervalMs: 3_600_000 } }] });
    const before = Date.now();
    expect((await host.deploy('every-hour')).ok).toBe(true);
    const anchor = scheduleAnchor('every-hour', 's')!;
    expect(anchor).toBeGreaterThanOrEqual(before);
    const runs = (await host.getNextRuns('every-hour', 's', 2)).map(Date.parse);
    expect(runs).toEqual([anchor + 3_600_000, anchor + 7_200_000]);
    await host.undeploy('every-hour');
    expect(scheduleAnchor('every-hour', 's')).toBeUndefined();
  });

  it('argument schemas bound the count and require ids', () => {
    expect(hostMethodArgs.getNextRuns.safeParse(['f', 's', 5]).success).toBe(true);
    expect(hostMethodArgs.getNextRuns.safeParse(['f', 's', 1000]).success).toBe(false);
    expect(hostMethodArgs.runFlow.safeParse(['f']).success).toBe(true);
    expect(hostMethodArgs.runFlow.safeParse(['f', { a: 1 }, 'go']).success).toBe(true);
    expect(hostMethodArgs.runFlow.safeParse(['']).success).toBe(false);
  });
});
