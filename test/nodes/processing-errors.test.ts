import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { send, startRuntime, waitFor, type TestRuntime } from '../helpers/runtime';
import { errorTriggerRunner } from '../../core/nodes/error-trigger/run';

let t: TestRuntime;
beforeEach(async () => {
  t = await startRuntime();
});
afterEach(() => t.stop());

type N = { id: string; type: string; settings?: Record<string, unknown>; onError?: string };
let n = 0;
/** A flow from nodes and `source:port->target` edges; the webhook `hook` is added first. */
function flow(webhook: Record<string, unknown>, nodes: N[], edges: string[]) {
  const id = `err-${++n}`;
  return {
    formatVersion: 1,
    id,
    name: id,
    nodes: [{ id: 'hook', type: 'webhook', settings: webhook }, ...nodes.map((x) => ({ settings: {}, ...x }))],
    edges: edges.map((e, i) => {
      const [from, target] = e.split('->');
      const [source, sourcePort = 'out'] = from.split(':');
      return { id: `e${i}`, source, sourcePort, target };
    }),
  };
}

const rr = { methods: ['POST'], path: '/e', responseMode: 'requestResponse' };
const post = (body: unknown) => send(t.url('/e'), { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });
/** A node that always fails at run time: a missing token under the `fail` policy. */
const failing = (id: string, onError?: string): N => ({ id, type: 'template', onError, settings: { kind: 'json', template: '{ "x": {{ data.nope }} }', missing: 'fail' } });

async function execution(id?: string) {
  return waitFor(async () => {
    const eid = id ?? (await t.rt.store.listExecutions({})).items[0]?.id;
    const ex = eid ? await t.rt.store.getExecution(eid) : null;
    return ex && ex.status !== 'running' && ex.status !== 'queued' ? ex : undefined;
  });
}

describe('onError on processing nodes', () => {
  it('route: the error output gets the message with error details', async () => {
    await t.rt.deploy(
      flow(rr, [failing('f', 'route'), { id: 'ok', type: 'respond', settings: { bodyMode: 'text', body: 'ok' } }, { id: 'm', type: 'map', settings: { expression: '{ "failed": error.nodeId, "type": error.nodeType, "code": error.code, "was": data.a }' } }, { id: 'r', type: 'respond', settings: { status: 422 } }], [
        'hook->f',
        'f->ok',
        'f:error->m',
        'm->r',
      ]),
    );
    const res = await post({ a: 1 });
    expect(res.status).toBe(422);
    expect(res.json).toEqual({ failed: 'f', type: 'template', code: 'template_failed', was: 1 });
    const ex = await execution();
    expect(ex.status).toBe('succeeded');
    expect(ex.steps.find((s) => s.nodeId === 'f')).toMatchObject({ status: 'failed', port: 'error' });
  });

  it('continue: the next node gets the failing node\'s input unchanged', async () => {
    await t.rt.deploy(flow(rr, [{ id: 'm', type: 'map', onError: 'continue', settings: { expression: 'data.a + "x"' } }, { id: 'r', type: 'respond' }], ['hook->m', 'm->r']));
    const res = await post({ a: 1 });
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ a: 1 });
  });

  it('stop without an error path: the execution fails and the caller gets 500 naming the node\'s error', async () => {
    await t.rt.deploy(flow(rr, [{ id: 's', type: 'set', settings: { fields: [{ name: 'x', expression: '$number("abc" & data.a) + $error("boom")' }] } }, { id: 'r', type: 'respond' }], ['hook->s', 's->r']));
    const res = await post({ a: 1 });
    expect(res.status).toBe(500);
    expect(res.json.error).toBe('expression_failed');
    expect(res.json.message).toContain('fields[0].expression');
    const ex = await execution();
    expect(ex.status).toBe('failed');
    expect(ex.steps.map((s) => s.nodeId)).toEqual(['hook', 's']);
  });
});

describe('the flow error path (error-trigger)', () => {
  const errorPath: N[] = [
    { id: 'onerr', type: 'error-trigger' },
    { id: 'note', type: 'set', settings: { fields: [{ name: 'problem', expression: 'error.message' }, { name: 'where', expression: 'error.nodeId & "/" & error.nodeType' }] } },
    { id: 'answer', type: 'respond', settings: { status: 503, bodyMode: 'template', templateKind: 'json', template: '{ "error": "{{ data.where }}", "input": {{ data.a }}, "problem": {{ data.problem }} }' } },
  ];

  it('a stopping failure continues on the error path; its Respond answers; the execution stays failed with every step recorded', async () => {
    await t.rt.deploy(
      flow(rr, [{ id: 'pre', type: 'set', settings: { fields: [{ name: 'a', expression: 'data.a * 10' }] } }, failing('f'), { id: 'never', type: 'respond', settings: { bodyMode: 'text', body: 'not me' } }, ...errorPath], [
        'hook->pre',
        'pre->f',
        'f->never',
        'onerr->note',
        'note->answer',
      ]),
    );
    const res = await post({ a: 2 });
    expect(res.status).toBe(503);
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(res.json.error).toBe('f/template');
    expect(res.json.input).toBe(20);
    expect(res.json.problem).toContain('data.nope');
    const ex = await execution();
    expect(ex.status).toBe('failed');
    expect(ex.error).toMatchObject({ nodeId: 'f', code: 'template_failed' });
    expect(ex.steps.map((s) => `${s.nodeId}:${s.status}`)).toEqual(['hook:succeeded', 'pre:succeeded', 'f:failed', 'onerr:succeeded', 'note:succeeded', 'answer:succeeded']);
    const onErrStep = ex.steps.find((s) => s.nodeId === 'onerr')!;
    expect((onErrStep.input as any).error).toMatchObject({ message: expect.stringContaining('data.nope'), code: 'template_failed', nodeId: 'f', nodeType: 'template' });
  });

  it('data: error puts the error details in data (Respond data answers them); without a Respond the default 500 stands', async () => {
    await t.rt.deploy(flow(rr, [failing('f'), { id: 'onerr', type: 'error-trigger', settings: { data: 'error' } }, { id: 'r', type: 'respond', settings: { status: 502 } }], ['hook->f', 'onerr->r']));
    const res = await post({});
    expect(res.status).toBe(502);
    expect(res.json).toMatchObject({ code: 'template_failed', nodeId: 'f', nodeType: 'template' });
    await t.rt.deploy(flow({ ...rr, path: '/e2' }, [failing('f'), { id: 'onerr', type: 'error-trigger' }, { id: 'log', type: 'log' }], ['hook->f', 'onerr->log']));
    const plain = await send(t.url('/e2'), { body: '{}' });
    expect(plain.status).toBe(500);
    expect(plain.json.error).toBe('template_failed');
    const ex = await execution(plain.json.executionId);
    expect(ex.steps.map((s) => s.nodeId)).toEqual(['hook', 'f', 'onerr', 'log']);
  });

  it('routed and continued errors do not start the error path; a failure on the error path ends with the original error', async () => {
    await t.rt.deploy(
      flow(rr, [failing('f', 'route'), { id: 'r', type: 'respond', settings: { bodyMode: 'text', body: 'routed' } }, { id: 'onerr', type: 'error-trigger' }, { id: 'x', type: 'respond', settings: { bodyMode: 'text', body: 'error path' } }], [
        'hook->f',
        'f:error->r',
        'onerr->x',
      ]),
    );
    expect((await post({})).text).toBe('routed');
    await t.rt.deploy(flow({ ...rr, path: '/e3' }, [failing('f'), { id: 'onerr', type: 'error-trigger' }, failing('g')], ['hook->f', 'onerr->g']));
    const res = await send(t.url('/e3'), { body: '{}' });
    expect(res.status).toBe(500);
    const ex = await execution();
    expect(ex.status).toBe('failed');
    expect(ex.error?.nodeId).toBe('f');
    expect(ex.steps.map((s) => `${s.nodeId}:${s.status}`)).toEqual(['hook:succeeded', 'f:failed', 'onerr:succeeded', 'g:failed']);
  });

  it('pending branches are dropped when the error path takes over; an async execution is recorded as failed', async () => {
    const async = { methods: ['POST'], path: '/e4' };
    await t.rt.deploy(flow(async, [{ id: 'fan', type: 'switch', settings: { mode: 'all', cases: [{ id: 'a', expression: 'true' }, { id: 'b', expression: 'true' }] } }, failing('f'), { id: 'later', type: 'log' }, { id: 'onerr', type: 'error-trigger' }, { id: 'handled', type: 'log' }], [
      'hook->fan',
      'fan:a->f',
      'fan:b->later',
      'onerr->handled',
    ]));
    const r = await send(t.url('/e4'), { body: '{}' });
    const ex = await execution(r.json.executionId);
    expect(ex.status).toBe('failed');
    expect(ex.steps.map((s) => s.nodeId)).toEqual(['hook', 'fan', 'f', 'onerr', 'handled']);
  });

  it('is a trigger with no inputs that is never activated and cannot be wired into', async () => {
    expect(errorTriggerRunner.activate).toBeUndefined();
    await expect(t.rt.deploy(flow(rr, [{ id: 'onerr', type: 'error-trigger' }], ['hook->onerr']))).rejects.toThrow(/is a trigger/);
    // Deployed with a healthy flow, nothing ever runs it.
    await t.rt.deploy(flow(rr, [{ id: 'r', type: 'respond', settings: { bodyMode: 'text', body: 'fine' } }, { id: 'onerr', type: 'error-trigger' }, { id: 'l', type: 'log' }], ['hook->r', 'onerr->l']));
    expect((await post({})).text).toBe('fine');
    const ex = await execution();
    expect(ex.status).toBe('succeeded');
    expect(ex.steps.map((s) => s.nodeId)).toEqual(['hook', 'r']);
  });
});
