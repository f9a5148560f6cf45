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
