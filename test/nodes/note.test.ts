import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateFlow } from '../../core/model/validate';
import { checkConnection } from '../../renderer/state/graph-rules';
import { flowSchema } from '../../core/model/flow';
import { startRuntime, type TestRuntime } from '../helpers/runtime';

const flow = {
  formatVersion: 1,
  id: 'noted',
  name: 'noted',
  nodes: [
    { id: 'hook', type: 'webhook', settings: { path: '/noted', responseMode: 'requestResponse' } },
    { id: 'reply', type: 'respond', settings: { bodyMode: 'data' } },
    { id: 'sticky', type: 'note', settings: { text: 'Owner: integration team (OPS-42)\nAnswers with the request body.', color: 'blue' } },
  ],
  edges: [{ id: 'e1', source: 'hook', target: 'reply' }],
};

let t: TestRuntime;
beforeAll(async () => {
  t = await startRuntime();
});
afterAll(() => t.stop());

describe('sticky note', () => {
  it('is a valid node without ports: the flow deploys and runs as if it were not there', async () => {
    expect(validateFlow(flow).problems).toEqual([]);
    await t.rt.deploy(flow as never);
    const res = await fetch(t.url('/noted'), { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"a":1}' });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ a: 1 });
    const { items } = await t.rt.store.listExecutions({ flowId: 'noted' });
    const run = await t.rt.store.getExecution(items[0].id);
    expect(run?.steps.map((s) => s.nodeId)).toEqual(['hook', 'reply']);
  });

  it('nothing connects into it or out of it, with a message that says why', () => {
    const into = validateFlow({ ...flow, edges: [...flow.edges, { id: 'e2', source: 'reply', target: 'sticky' }] }).problems;
    expect(into).toContainEqual(expect.objectContaining({ path: 'edges[1].target', message: '"sticky" (Sticky note) takes no input: nothing can connect into it' }));
    const out = validateFlow({ ...flow, edges: [...flow.edges, { id: 'e2', source: 'sticky', target: 'reply' }] }).problems;
    expect(out).toContainEqual(expect.objectContaining({ path: 'edges[1].sourcePort', code: 'unknown_port' }));
    expect(checkConnection(flowSchema.parse(flow), { source: 'reply', target: 'sticky', sourcePort: 'out', targetPort: 'in' })).toEqual({ ok: false, reason: 'sticky takes no input' });
  });

  it('keeps its text within 10,000 characters, naming the field', () => {
    const long = { ...flow, nodes: [...flow.nodes.slice(0, 2), { id: 'sticky', type: 'note', settings: { text: 'x'.repeat(10_001) } }] };
    expect(validateFlow(long).problems).toContainEqual(expect.objectContaining({ path: 'nodes[2].settings.text', message: 'must be at most 10,000 characters' }));
  });
});
