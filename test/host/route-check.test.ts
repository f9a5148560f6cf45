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
  it('a credential typed into a node header is a warning at its field (Export bundle refuses it), and the flow still deploys', async () => {
    const flow = chainFlow({ path: '/typed' }, [{ type: 'http-request', settings: { method: 'GET', url: 'http://127.0.0.1:9/x', headers: [{ name: 'Authorization', value: 'Bearer abc123456' }] } }], { id: 'typed', name: 'Typed' });
    const problems = await h.api.validateFlow(flow);
    expect(problems).toEqual([expect.objectContaining({ path: 'nodes[1].settings.headers[0].value', severity: 'warning', nodeId: 'n1', message: expect.stringContaining('Export bundle refuses it') })]);
    expect(JSON.stringify(problems)).not.toContain('abc123456');
    await h.api.saveFlow(flow);
    expect((await h.api.deploy('typed')).ok).toBe(true);
    // Through a template it is a secret reference, not a credential: nothing to say.
    const templated = chainFlow({ path: '/typed' }, [{ type: 'http-request', settings: { method: 'GET', url: 'http://127.0.0.1:9/x', headers: [{ name: 'Authorization', value: 'Bearer {{ $env.TOKEN }}' }] } }], { id: 'typed', name: 'Typed' });
    expect(await h.api.validateFlow(templated)).toEqual([]);
    // A half-made draft gets the schema's problems, not a crash of this check.
    const half = { ...flow, nodes: [null, ...(flow as { nodes: unknown[] }).nodes] };
    expect((await h.api.validateFlow(half as never)).some((p) => p.path === 'nodes[2].settings.headers[0].value' && p.severity === 'warning')).toBe(true);
  });

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
