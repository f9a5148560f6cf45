import { afterEach, describe, expect, it } from 'vitest';
import { installOpsEndpoints } from '../../core/runtime/ops';
import { startRuntime, type TestRuntime } from '../helpers/runtime';
import { haltedLine } from '../helpers/halted-line';

const running: TestRuntime[] = [];
afterEach(async () => {
  for (const t of running.splice(0)) await t.stop();
});

describe('a halted ordered line at start-up', () => {
  it('is named in the log with how to release it, and counted in /readyz', async () => {
    const { flow, dataDir, failed } = await haltedLine();
    const warnings: Array<{ msg: string; fields: any }> = [];
    const logger = { debug() {}, info() {}, error() {}, warn: (msg: string, fields?: any) => warnings.push({ msg, fields }) };
    const t = await startRuntime({ dataDir, logger });
    running.push(t);
    const w = warnings.find((x) => x.msg.startsWith('ordered line is halted'));
    expect(w?.fields).toMatchObject({ flowId: flow.id, triggerNodeId: 'hook', partition: 'A', executionId: failed });
    expect(w?.fields.unblock).toContain(`hookline retry ${failed} --data-dir ${dataDir}`);
    expect(w?.fields.unblock).toContain(`hookline skip ${failed} --data-dir ${dataDir}`);

    installOpsEndpoints(t.rt, { expectedFlows: () => [flow.id] });
    await t.rt.deploy(flow);
    const ready = await fetch(t.url('/readyz'));
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ ready: true, blockedLanes: 1 });
  });
});
