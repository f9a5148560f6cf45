import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hostMethodArgs, type HostApi } from '../../core/host/api';
import { FlowRepository } from '../../core/host/flow-repo';
import { createHostApi } from '../../core/host/impl';
import { chainFlow, startRuntime, type TestRuntime } from '../helpers/runtime';

let t: TestRuntime;
let host: HostApi;
let partner: http.Server;
let partnerUrl = '';
let partnerCalls = 0;
beforeAll(async () => {
  t = await startRuntime({ env: { REGION: 'eu' } });
  host = createHostApi({ runtime: t.rt, flows: new FlowRepository(t.dataDir), secrets: t.secrets, version: 'test', dataDir: t.dataDir });
  partner = http.createServer((req, res) => {
    partnerCalls++;
    req.resume();
    req.on('end', () => {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ orderNo: 'ERP-77', accepted: true }));
    });
  });
  await new Promise<void>((r) => partner.listen(0, '127.0.0.1', r));
  partnerUrl = `http://127.0.0.1:${(partner.address() as AddressInfo).port}/orders`;
});
afterAll(async () => {
  await t.stop();
  await new Promise((r) => partner.close(r));
});

const order = { orderId: 'A-1', qty: 3, price: 2.5 };

describe('previewing a flow on its sample', () => {
  it('runs the data nodes, so a node after a Set sees the fields the Set adds (with $env from the runtime)', async () => {
    const flow = chainFlow({ path: '/p1', responseMode: 'requestResponse' }, [
      { id: 'calc', type: 'set', settings: { fields: [{ name: 'data.total', expression: 'data.qty * data.price' }, { name: 'data.region', expression: '$env.REGION' }] } },
      { id: 'xml', type: 'template', settings: { kind: 'xml', template: '<o id="{{ data.orderId }}">{{ data.total }}</o>' } },
      { id: 'reply', type: 'respond', settings: { bodyMode: 'data' } },
    ]);
    const p = await t.rt.preview(flow, order);
    expect(p.triggerNodeId).toBe('hook');
    expect(p.nodes.calc.input.data).toEqual(order);
    expect(p.nodes.xml.input.data).toEqual({ ...order, total: 7.5, region: 'eu' });
    expect(p.nodes.xml.status).toBe('ran');
    expect(p.nodes.reply.input.data).toBe('<o id="A-1">7.5</o>');
    // The trigger part of the message is the sample's, as a manual run builds it.
    expect(p.nodes.reply.input.trigger).toMatchObject({ type: 'webhook', nodeId: 'hook', body: order });
  });

  it('only the branch the sample takes is reached, and a disabled node passes through', async () => {
    const flow = {
      formatVersion: 1,
      id: 'branches',
      name: 'branches',
      nodes: [
        { id: 'hook', type: 'webhook', settings: { path: '/p2' } },
        { id: 'sw', type: 'switch', settings: { cases: [{ id: 'big', expression: 'data.qty > 10' }, { id: 'small', expression: 'data.qty <= 10' }] } },
        { id: 'off', type: 'map', disabled: true, settings: { expression: '"never"' } },
        { id: 'bigLog', type: 'log', settings: {} },
        { id: 'smallLog', type: 'log', settings: {} },
      ],
      edges: [
        { id: 'e1', source: 'hook', target: 'sw' },
        { id: 'e2', source: 'sw', sourcePort: 'big', target: 'bigLog' },
        { id: 'e3', source: 'sw', sourcePort: 'small', target: 'off' },
        { id: 'e4', source: 'off', target: 'smallLog' },
      ],
    };
    const p = await t.rt.preview(flow, order);
    expect(p.nodes.sw.port).toBe('small');
    expect(Object.keys(p.nodes).sort()).toEqual(['hook', 'smallLog', 'sw']);
    expect(p.nodes.smallLog.input.data).toEqual(order);
  });

  it('stops at a node that fails on the sample or whose settings are broken, saying why; onError continue goes on', async () => {
    const failing = chainFlow({ path: '/p3' }, [
      { id: 'check', type: 'validate', settings: { schema: '{"type":"object","required":["customer"]}' } },
      { id: 'after', type: 'log', settings: {} },
    ]);
    const p = await t.rt.preview(failing, order);
    expect(p.nodes.check.status).toBe('failed');
    expect(p.nodes.check.error).toMatch(/customer/);
    expect(p.nodes.after).toBeUndefined();

    (failing.nodes[1] as { onError?: string }).onError = 'continue';
    expect((await t.rt.preview(failing, order)).nodes.after.input.data).toEqual(order);

    const broken = chainFlow({ path: '/p4' }, [{ id: 'm', type: 'map', settings: { expression: '' } }, { id: 'after', type: 'log', settings: {} }]);
    const q = await t.rt.preview(broken, order);
    expect(q.nodes.m).toMatchObject({ status: 'not-run', note: expect.stringMatching(/settings have problems/) });
    expect(q.nodes.after).toBeUndefined();
  });

  it("a failure goes down the flow's error path, as in a run", async () => {
    const flow = chainFlow({ path: '/p7', responseMode: 'requestResponse' }, [
      { id: 'check', type: 'validate', settings: { schema: { type: 'object', required: ['customer'] } } },
      { id: 'after', type: 'log', settings: {} },
    ]);
    flow.nodes.push({ id: 'oops', type: 'error-trigger', settings: {} } as never, { id: 'bad', type: 'respond', settings: { status: 400, bodyMode: 'data' } } as never);
    flow.edges!.push({ id: 'e9', source: 'oops', target: 'bad' } as never);
    const p = await t.rt.preview(flow, order);
    expect(p.nodes.after).toBeUndefined();
    expect(p.nodes.bad.input.error).toMatchObject({ code: 'validation_failed', nodeId: 'check' });
    expect(p.nodes.bad.input.data).toEqual(order);
  });

  it('answers for anything: no flow, no trigger, or an endless cycle (cut after 500 node runs, the first message shown)', async () => {
    expect(await t.rt.preview(null, order)).toEqual({ triggerNodeId: undefined, nodes: {} });
    expect(await t.rt.preview({ formatVersion: 1, id: 'lonely', name: 'x', nodes: [{ id: 'l', type: 'log', settings: {} }], edges: [] }, order)).toMatchObject({ nodes: {} });
    const loop = chainFlow({ path: '/p8' }, [{ id: 'a', type: 'set', settings: { fields: [{ name: 'vars.n', expression: '$exists(vars.n) ? vars.n + 1 : 1' }] } }, { id: 'b', type: 'log', settings: {} }], { settings: { allowCycles: true } as never });
    loop.edges!.push({ id: 'back', source: 'b', target: 'a' } as never);
    const p = await t.rt.preview(loop, order);
    expect(p.nodes.b.input.vars).toEqual({ n: 1 });
    // The hook runs once, then a and b take turns until the bound.
    expect((p.nodes.a.reached ?? 1) + (p.nodes.b.reached ?? 1)).toBe(499);
  });

  it('a node reached by several messages runs on each, so the branches after it see them all; it shows the first and the count', async () => {
    // Two branches set a different kind and meet at a Switch, which routes each to its own log.
    const flow = {
      formatVersion: 1,
      id: 'meet',
      name: 'meet',
      nodes: [
        { id: 'hook', type: 'webhook', settings: { path: '/p9' } },
        { id: 'asX', type: 'set', settings: { fields: [{ name: 'data.kind', expression: '"x"' }] } },
        { id: 'asY', type: 'set', settings: { fields: [{ name: 'data.kind', expression: '"y"' }] } },
        { id: 'sw', type: 'switch', settings: { cases: [{ id: 'x', expression: 'data.kind = "x"' }, { id: 'y', expression: 'data.kind = "y"' }] } },
        { id: 'xLog', type: 'log', settings: {} },
        { id: 'yLog', type: 'log', settings: {} },
      ],
      edges: [
        { id: 'e1', source: 'hook', target: 'asX' },
        { id: 'e2', source: 'hook', target: 'asY' },
        { id: 'e3', source: 'asX', target: 'sw' },
        { id: 'e4', source: 'asY', target: 'sw' },
        { id: 'e5', source: 'sw', sourcePort: 'x', target: 'xLog' },
        { id: 'e6', source: 'sw', sourcePort: 'y', target: 'yLog' },
      ],
    };
    const p = await t.rt.preview(flow, order);
    expect(p.nodes.sw).toMatchObject({ reached: 2, port: 'x', input: { data: { ...order, kind: 'x' } } });
    expect(p.nodes.xLog.input.data).toEqual({ ...order, kind: 'x' });
    expect(p.nodes.yLog.input.data).toEqual({ ...order, kind: 'y' });
    expect(p.nodes.yLog.reached).toBeUndefined();
  });

  it('does not wait for a Delay', async () => {
    const flow = chainFlow({ path: '/p5' }, [{ id: 'wait', type: 'delay', settings: { ms: 60_000 } }, { id: 'after', type: 'log', settings: {} }]);
    const t0 = Date.now();
    const p = await t.rt.preview(flow, order);
    expect(Date.now() - t0).toBeLessThan(5_000);
    expect(p.nodes.after.input.data).toEqual(order);
  });
});

describe('Host API previewFlow: nodes that call out', () => {
  const relay = () =>
    chainFlow(
      { path: '/p6', responseMode: 'requestResponse' },
      [
        { id: 'call', type: 'http-request', settings: { method: 'POST', url: partnerUrl, body: '{{ data }}', output: 'body' } },
        { id: 'pick', type: 'map', settings: { expression: '{"erp": data.orderNo}' } },
        { id: 'reply', type: 'respond', settings: { bodyMode: 'data' } },
      ],
      { id: 'relay-preview' },
    );

  it('are not called: the preview stops there until the flow has run, then hands on the recorded answer', async () => {
    const flow = relay();
    await host.saveFlow(flow);
    const before = partnerCalls;
    const first = await host.previewFlow(flow, order);
    expect(first.nodes.call).toMatchObject({ status: 'not-run', note: expect.stringMatching(/run the flow once/) });
    expect(first.nodes.call.input.data).toEqual(order);
    expect(first.nodes.pick).toBeUndefined();
    expect(partnerCalls).toBe(before);

    const run = await host.runFlow('relay-preview', order);
    expect(run.status).toBe('succeeded');
    expect(partnerCalls).toBe(before + 1);

    const after = await host.previewFlow(flow, order, { executionId: run.id });
    expect(after.nodes.call.status).toBe('recorded');
    expect(after.nodes.pick.input.data).toEqual({ orderNo: 'ERP-77', accepted: true });
    expect(after.nodes.reply.input.data).toEqual({ erp: 'ERP-77' });
    // With another sample, the recorded answer still stands in, under the new sample's request.
    const other = await host.previewFlow(flow, { ...order, orderId: 'B-2' }, { executionId: run.id });
    expect(other.nodes.pick.input.trigger.body).toEqual({ ...order, orderId: 'B-2' });
    // The draft changed after the run: the preview follows the draft, still without calling out.
    const draft = relay();
    draft.nodes[2].settings = { expression: '{"erp": data.orderNo, "ok": data.accepted}' };
    expect((await host.previewFlow(draft, order, { executionId: run.id })).nodes.reply.input.data).toEqual({ erp: 'ERP-77', ok: true });
    expect(partnerCalls).toBe(before + 1);
  });

  it('an answer pinned in the flow stands in before any run and over a recorded one; the partner is not called', async () => {
    const before = partnerCalls;
    const flow = { ...relay(), pinned: { call: { orderNo: 'ERP-PINNED' } } };
    const p = await host.previewFlow(flow, order);
    expect(p.nodes.call.status).toBe('pinned');
    expect(p.nodes.reply.input.data).toEqual({ erp: 'ERP-PINNED' });
    const run = await host.runFlow('relay-preview', order);
    expect(run.status).toBe('succeeded');
    expect((await host.previewFlow(flow, order, { executionId: run.id })).nodes.reply.input.data).toEqual({ erp: 'ERP-PINNED' });
    // Runs never use a pin: the saved flow (without one) called the partner, once.
    expect(partnerCalls).toBe(before + 1);
    expect(run.output).toEqual({ erp: 'ERP-77' });
  });

  it("another flow's execution does not stand in, and the arguments are checked", async () => {
    const other = await host.runFlow('relay-preview', order);
    const flow = { ...relay(), id: 'someone-else' };
    expect((await host.previewFlow(flow, order, { executionId: other.id })).nodes.pick).toBeUndefined();
    expect(hostMethodArgs.previewFlow.safeParse([flow, order, { executionId: 'x' }]).success).toBe(true);
    expect(hostMethodArgs.previewFlow.safeParse([flow, order, { run: true }]).success).toBe(false);
  });
});

describe('a node whose settings do not compile', () => {
  it('fails in the preview naming the field, not its JSON path', async () => {
    const flow = chainFlow({ path: '/p' }, [{ type: 'map', settings: { expression: '{ "a": 1 } & $foo(' } }], { id: 'bad-map' });
    const p = await host.previewFlow(flow, { data: { a: 1 } });
    expect(p.nodes.n1.status).toBe('failed');
    expect(p.nodes.n1.error).toMatch(/^Map › Expression: Expected/);
    expect(p.nodes.n1.error).not.toContain('nodes[');
  });
});
