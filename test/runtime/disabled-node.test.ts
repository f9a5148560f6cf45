import { afterEach, describe, expect, it } from 'vitest';
import { validateFlow } from '../../core/model/validate';
import { chainFlow, startRuntime, type TestRuntime } from '../helpers/runtime';

let t: TestRuntime | undefined;
afterEach(async () => {
  await t?.stop();
  t = undefined;
});

const respond = { type: 'respond', settings: { bodyMode: 'data' } };

describe('a disabled node passes messages through', () => {
  it('unchanged, to what its output leads to, and records no step of its own', async () => {
    t = await startRuntime();
    const flow = chainFlow({ path: '/d1', responseMode: 'requestResponse' }, [
      { type: 'map', settings: { expression: '{"mapped": true}' } },
      { type: 'set', settings: { fields: [{ name: 'data.b', expression: '2' }] } },
      respond,
    ]);
    (flow.nodes[1] as { disabled?: boolean }).disabled = true;
    (flow.nodes[2] as { disabled?: boolean }).disabled = true;
    const r = await t.rt.runOnce(flow, { a: 1 });
    expect(r.status).toBe('succeeded');
    expect(r.steps.map((s) => s.nodeId)).toEqual(['hook', 'n3']);
    expect(JSON.parse(String(r.reply?.body))).toEqual({ a: 1 });
  });

  it('a disabled Switch hands on through its first output', async () => {
    t = await startRuntime();
    const flow = {
      formatVersion: 1,
      id: 'sw',
      name: 'sw',
      nodes: [
        { id: 'hook', type: 'webhook', settings: { path: '/d2', responseMode: 'requestResponse' } },
        { id: 'sw', type: 'switch', disabled: true, settings: { cases: [{ id: 'big', expression: 'data.n > 100' }, { id: 'small', expression: 'data.n <= 100' }] } },
        { id: 'first', type: 'respond', settings: { bodyMode: 'text', body: 'first' } },
        { id: 'second', type: 'respond', settings: { bodyMode: 'text', body: 'second' } },
      ],
      edges: [
        { id: 'e1', source: 'hook', target: 'sw' },
        { id: 'e2', source: 'sw', sourcePort: 'big', target: 'first' },
        { id: 'e3', source: 'sw', sourcePort: 'small', target: 'second' },
      ],
    };
    const r = await t.rt.runOnce(flow, { n: 1 });
    expect(r.steps.map((s) => s.nodeId)).toEqual(['hook', 'first']);
    expect(r.reply?.body).toBe('first');
  });

  it("a disabled node's broken settings are a warning, and the flow deploys", async () => {
    const flow = chainFlow({ path: '/d3', responseMode: 'requestResponse' }, [{ type: 'map', settings: { expression: '' } }, respond]);
    (flow.nodes[1] as { disabled?: boolean }).disabled = true;
    const problems = validateFlow(flow).problems.filter((p) => p.nodeId === 'n1');
    expect(problems.length).toBeGreaterThan(0);
    expect(problems.every((p) => p.severity === 'warning' && p.message.endsWith('(the node is disabled)'))).toBe(true);
    // Enabled, the same settings are an error.
    (flow.nodes[1] as { disabled?: boolean }).disabled = false;
    expect(validateFlow(flow).problems.some((p) => p.nodeId === 'n1' && p.severity !== 'warning')).toBe(true);
    (flow.nodes[1] as { disabled?: boolean }).disabled = true;
    t = await startRuntime();
    await t.rt.deploy(flow);
    const res = await fetch(t.url('/d3'), { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"x":1}' });
    expect(await res.json()).toEqual({ x: 1 });
  });
});
