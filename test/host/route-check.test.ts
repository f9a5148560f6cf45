import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startHostedRuntime, type HostedRuntime } from '../../core/host/studio';
import { MemorySecretStore } from '../../core/secrets/secret-store';
import { chainFlow, tempDir } from '../helpers/runtime';

let h: HostedRuntime;
beforeEach(async () => {
  h = await startHostedRuntime({ dataDir: tempDir(), secrets: new MemorySecretStore({}), port: 0 });
});
afterEach(() => h.close());

describe('route clashes while editing', () => {
  it('a path another deployed flow serves is a problem on the Path field before deploy, naming that flow', async () => {
    await h.api.saveFlow(chainFlow({ path: '/orders' }, [], { id: 'orders', name: 'Orders in' }));
    await h.api.deploy('orders');
    const draft = chainFlow({ methods: ['GET', 'POST'], path: '/orders' }, [{ type: 'log' }], { id: 'copy', name: 'Copy' });
    const expected = [
      expect.objectContaining({ path: 'nodes[0].settings.path', code: 'route_conflict', nodeId: 'hook', message: 'POST /orders is already served by flow "Orders in" (orders, node "hook")' }),
    ];
    expect((await h.api.validateFlow(draft)).filter((p) => p.code === 'route_conflict')).toEqual(expected);
    expect((await h.api.saveFlow(draft)).problems.filter((p) => p.code === 'route_conflict')).toEqual(expected);
    // The flow itself, and flows that are not deployed, never clash.
    expect((await h.api.validateFlow(chainFlow({ path: '/orders' }, [], { id: 'orders', name: 'Orders in' }))).filter((p) => p.code === 'route_conflict')).toEqual([]);
    await h.api.undeploy('orders');
    expect((await h.api.validateFlow(draft)).filter((p) => p.code === 'route_conflict')).toEqual([]);
  });
});

describe('problems while editing', () => {
  it('are what deploy would refuse: a broken expression or cron pattern is a problem at its field', async () => {
    const flow = {
      formatVersion: 1,
      id: 'broken',
      name: 'Broken',
      nodes: [
        { id: 'tick', type: 'schedule', settings: { cron: '61 * * * *' } },
        { id: 'map', type: 'map', settings: { expression: '{ "a": $sum(data.lines.qty }' } },
      ],
      edges: [{ id: 'e1', source: 'tick', target: 'map' }],
    };
    const paths = (await h.api.validateFlow(flow as never)).map((p) => p.path);
    expect(paths).toEqual(expect.arrayContaining(['nodes[0].settings.cron', 'nodes[1].settings.expression']));
    expect((await h.api.saveFlow(flow as never)).problems.map((p) => p.path)).toEqual(expect.arrayContaining(['nodes[1].settings.expression']));
    // The deploy refuses the same flow for the same fields.
    const refused = await h.api.deploy('broken').catch((e) => e);
    expect(refused.problems.map((p: { path: string }) => p.path)).toEqual(expect.arrayContaining(['nodes[1].settings.expression']));
  });
});
