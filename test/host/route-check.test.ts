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
    expect((await h.api.validateFlow(templated)).filter((p) => p.code !== 'missing_variable')).toEqual([]);
    // A half-made draft gets the schema's problems, not a crash of this check.
    const half = { ...flow, nodes: [null, ...(flow as { nodes: unknown[] }).nodes] };
    expect((await h.api.validateFlow(half as never)).some((p) => p.path === 'nodes[2].settings.headers[0].value' && p.severity === 'warning')).toBe(true);
  });

  it("a secret or $env variable a node needs that is not set is a warning on the node, also in deploy's answer; setting it clears it", async () => {
    await h.api.saveConnection({ id: 'partner', name: 'Partner', baseUrl: 'http://127.0.0.1:9', auth: { type: 'bearer', tokenSecret: 'PARTNER_TOKEN' } });
    const flow = chainFlow({ path: '/needs' }, [
      { type: 'http-request', settings: { method: 'GET', url: '/x', connectionId: 'partner' } },
      { type: 'http-request', settings: { method: 'GET', url: '{{ $env.ERP_URL }}/orders' } },
    ], { id: 'needs', name: 'Needs' });
    const expected = [
      { path: 'nodes[1].settings.connectionId', code: 'missing_secret', severity: 'warning', nodeId: 'n1', message: 'secret PARTNER_TOKEN (connection "Partner") is not set: the node fails when it runs until it is' },
      { path: 'nodes[2].settings', code: 'missing_variable', severity: 'warning', nodeId: 'n2', message: '$env.ERP_URL is not set in the active environment: it renders empty' },
    ];
    expect(await h.api.validateFlow(flow)).toEqual(expected);
    await h.api.saveFlow(flow);
    const deployed = await h.api.deploy('needs');
    expect(deployed.ok).toBe(true);
    expect(deployed.problems).toEqual(expected);
    await h.api.setSecret('PARTNER_TOKEN', 'tok-123456');
    expect((await h.api.validateFlow(flow)).map((p) => p.code)).toEqual(['missing_variable']);
    // A disabled node never runs: nothing to say about it.
    const off = { ...flow, nodes: (flow as { nodes: Array<Record<string, unknown>> }).nodes.map((n) => (n.id === 'n2' ? { ...n, disabled: true } : n)) };
    expect((await h.api.validateFlow(off as never)).filter((p) => p.code === 'missing_variable')).toEqual([]);
  });

  it("a variable in the node's own URL is not blamed on its connection; Publish Event of a type nobody subscribes to is a warning", async () => {
    await h.api.saveConnection({ id: 'erp', name: 'ERP', baseUrl: 'http://127.0.0.1:9', auth: { type: 'none' } });
    const flow = chainFlow({ path: '/own' }, [
      { type: 'http-request', settings: { method: 'GET', url: '{{ $env.ERP_PATH }}/orders', connectionId: 'erp' } },
      { type: 'publish-event', settings: { eventType: 'DELIVERYY' } },
    ], { id: 'own', name: 'Own' });
    const problems = await h.api.validateFlow(flow);
    expect(problems).toContainEqual({ path: 'nodes[1].settings', code: 'missing_variable', severity: 'warning', nodeId: 'n1', message: '$env.ERP_PATH is not set in the active environment: it renders empty' });
    expect(problems).toContainEqual({ path: 'nodes[2].settings.eventType', code: 'no_subscribers', severity: 'warning', nodeId: 'n2', message: 'no enabled, applied event subscription has type DELIVERYY: the events reach nobody (add or apply one under Event subscriptions)' });
    await h.api.saveSubscriptions({ subscriptions: [{ id: 'd', eventType: 'DELIVERYY', enabled: true, url: 'https://erp.example/events' }] });
    expect((await h.api.validateFlow(flow)).some((p) => p.code === 'no_subscribers')).toBe(true); // saved, not applied yet
    await h.api.applySubscriptions();
    expect((await h.api.validateFlow(flow)).some((p) => p.code === 'no_subscribers')).toBe(false);
  });

  it('a refused deploy names every error, not only the first stage that failed (schema before templates)', async () => {
    const flow = chainFlow({ path: '/both' }, [
      { type: 'template', settings: { kind: 'xml', template: '<a>{{#if data.x}}1</a>' } },
      { type: 'http-request', settings: { method: 'POST', url: '' } },
    ], { id: 'both', name: 'Both' });
    await h.api.saveFlow(flow);
    const r = await h.api.deploy('both');
    expect(r.ok).toBe(false);
    const paths = r.problems.filter((p) => p.severity !== 'warning').map((p) => p.path);
    expect(paths).toContain('nodes[1].settings.template');
    expect(paths).toContain('nodes[2].settings.url');
    expect(new Set(r.problems.map((p) => `${p.path} ${p.message}`)).size).toBe(r.problems.length);
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

describe('the flow list', () => {
  it("counts the errors the flow's problems list shows (a broken template), not the schema's alone", async () => {
    await h.api.saveFlow(chainFlow({ path: '/ok' }, [{ type: 'template', settings: { kind: 'json', template: '{"a": {{ body.a }}}' } }], { id: 'ok', name: 'OK' }));
    const broken = chainFlow({ path: '/broken' }, [{ type: 'template', settings: { kind: 'json', template: '{"a": {{ body.a }' } }], { id: 'broken', name: 'Broken' });
    const saved = await h.api.saveFlow(broken);
    const errors = saved.problems.filter((p) => p.severity !== 'warning');
    expect(errors.length).toBeGreaterThan(0);
    const list = await h.api.listFlows();
    expect(list.find((f) => f.id === 'broken')?.problems).toBe(errors.length);
    expect(list.find((f) => f.id === 'ok')?.problems).toBe(0);
    expect((await h.api.deploy('broken')).ok).toBe(false);
  });
});
