import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import path from 'node:path';
import { send, startRuntime, waitFor, type TestRuntime } from '../helpers/runtime';
import { ProblemsError } from '../../core/model/problems';
import { switchSpec } from '../../core/nodes/switch/spec';
import { conditionSpec } from '../../core/nodes/condition/spec';
import { portsOf } from '../../core/nodes/spec-types';

let t: TestRuntime;
beforeEach(async () => {
  t = await startRuntime();
});
afterEach(() => t.stop());

type N = { id: string; type: string; settings?: Record<string, unknown>; onError?: string };
let n = 0;
/** A flow from nodes and `source:port->target` edges; the webhook `hook` is added. */
function flow(webhook: Record<string, unknown>, nodes: N[], edges: string[]) {
  const id = `route-${++n}`;
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

const rr = { methods: ['POST'], path: '/r', responseMode: 'requestResponse' };
const post = (body: unknown, p = '/r') => send(t.url(p), { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });
const reply = (id: string, text: string): N => ({ id, type: 'respond', settings: { bodyMode: 'text', body: text } });

async function stepsOf(executionId?: string) {
  return waitFor(async () => {
    const id = executionId ?? (await t.rt.store.listExecutions({})).items[0]?.id;
    const ex = id ? await t.rt.store.getExecution(id) : null;
    return ex && ex.status !== 'running' && ex.status !== 'queued' ? ex : undefined;
  });
}

describe('condition', () => {
  it('routes to true or false by the expression (JSONata truthiness)', async () => {
    await t.rt.deploy(flow(rr, [{ id: 'c', type: 'condition', settings: { expression: 'data.total > 100 and data.country = "DE"' } }, reply('yes', 'big'), reply('no', 'small')], ['hook->c', 'c:true->yes', 'c:false->no']));
    expect((await post({ total: 150, country: 'DE' })).text).toBe('big');
    expect((await post({ total: 150, country: 'FR' })).text).toBe('small');
    expect((await post({})).text).toBe('small');
  });

  it('an empty array or object is false, a non-empty string true', async () => {
    await t.rt.deploy(flow(rr, [{ id: 'c', type: 'condition', settings: { expression: 'data.v' } }, reply('yes', 'T'), reply('no', 'F')], ['hook->c', 'c:true->yes', 'c:false->no']));
    expect((await post({ v: [] })).text).toBe('F');
    expect((await post({ v: {} })).text).toBe('F');
    expect((await post({ v: 'x' })).text).toBe('T');
    expect((await post({ v: 0 })).text).toBe('F');
  });

  it('has outputs true and false; a broken expression fails the deploy with line and column', async () => {
    expect(conditionSpec.outputs(conditionSpec.settings.parse({})).map((p) => p.id)).toEqual(['true', 'false']);
    try {
      await t.rt.deploy(flow(rr, [{ id: 'c', type: 'condition', settings: { expression: 'data.a >' } }], ['hook->c']));
      expect.unreachable();
    } catch (e) {
      expect((e as ProblemsError).problems[0]).toMatchObject({ path: 'nodes[1].settings.expression', code: 'expression_syntax' });
      expect((e as ProblemsError).message).toMatch(/line 1, column \d+/);
    }
  });
});

it('the condition example deploys and routes by a header', async () => {
  await t.rt.deploy(flow(rr, [{ id: 'c', type: 'condition', settings: conditionSpec.example }, reply('yes', 'T'), reply('no', 'F')], ['hook->c', 'c:true->yes', 'c:false->no']));
  const hdr = (p: string) => send(t.url('/r'), { body: '{"total": 2000}', headers: { 'content-type': 'application/json', 'x-priority': p } });
  expect((await hdr('high')).text).toBe('T');
  expect((await hdr('low')).text).toBe('F');
});

describe('switch', () => {
  const cases = [
    { id: 'large', label: 'Large', expression: 'data.total >= 1000' },
    { id: 'export', label: 'Export', expression: 'data.country != "DE"' },
  ];
  const nodes = (mode: string): N[] => [
    { id: 's', type: 'switch', settings: { cases, mode } },
    { id: 'L', type: 'set', settings: { fields: [{ name: 'vars.hit', expression: '"large"' }] } },
    { id: 'E', type: 'set', settings: { fields: [{ name: 'vars.hit', expression: '"export"' }] } },
    { id: 'D', type: 'set', settings: { fields: [{ name: 'vars.hit', expression: '"default"' }] } },
  ];
  const edges = ['hook->s', 's:large->L', 's:export->E', 's:default->D'];
  const async = { methods: ['POST'], path: '/r' };

  async function hits(body: unknown): Promise<string[]> {
    const r = await post(body);
    const ex = await stepsOf(r.json.executionId);
    expect(ex.status).toBe('succeeded');
    return ex.steps.filter((s) => ['L', 'E', 'D'].includes(s.nodeId)).map((s) => (s.output as any).vars.hit);
  }

  it('first match wins; no match goes to default', async () => {
    await t.rt.deploy(flow(async, nodes('first'), edges));
    expect(await hits({ total: 5000, country: 'FR' })).toEqual(['large']);
    expect(await hits({ total: 5, country: 'FR' })).toEqual(['export']);
    expect(await hits({ total: 5, country: 'DE' })).toEqual(['default']);
  });

  it('mode all fans out to every matching case in case order, recording the ports', async () => {
    await t.rt.deploy(flow(async, nodes('all'), edges));
    expect(await hits({ total: 5000, country: 'FR' })).toEqual(['large', 'export']);
    const ex = await stepsOf();
    expect(ex.steps.find((s) => s.nodeId === 's')!.port).toBe('large,export');
    expect(await hits({ total: 1, country: 'DE' })).toEqual(['default']);
  });

  it('answers the caller from the matched branch (request-response)', async () => {
    await t.rt.deploy(flow(rr, [{ id: 's', type: 'switch', settings: { cases } }, reply('a', 'large'), reply('b', 'export'), reply('c', 'other')], ['hook->s', 's:large->a', 's:export->b', 's:default->c']));
    expect((await post({ total: 1000 })).text).toBe('large');
    expect((await post({ total: 1, country: 'US' })).text).toBe('export');
    expect((await post({ total: 1, country: 'DE' })).text).toBe('other');
  });

  it('ports come from the settings, so edges from unknown ports are refused', async () => {
    const s = switchSpec.settings.parse({ cases });
    expect(switchSpec.outputs(s)).toEqual([{ id: 'large', label: 'Large' }, { id: 'export', label: 'Export' }, { id: 'default', label: 'default' }]);
    expect(portsOf(switchSpec, s, 'route').map((p) => p.id)).toEqual(['large', 'export', 'default', 'error']);
    await expect(t.rt.deploy(flow(rr, [{ id: 's', type: 'switch', settings: { cases } }, reply('a', 'x')], ['hook->s', 's:gone->a']))).rejects.toThrow(/no output "gone"/);
  });

  it('case ids must be unique and not reserved; a broken case expression names its case', async () => {
    const bad = [
      { id: 'a', expression: 'true' },
      { id: 'a', expression: 'true' },
      { id: 'default', expression: 'true' },
      { id: 'b', expression: 'data.(' },
    ];
    try {
      await t.rt.deploy(flow(rr, [{ id: 's', type: 'switch', settings: { cases: bad } }], ['hook->s']));
      expect.unreachable();
    } catch (e) {
      const paths = (e as ProblemsError).problems.map((p) => p.path);
      expect(paths).toContain('nodes[1].settings.cases[1].id');
      expect(paths).toContain('nodes[1].settings.cases[2].id');
    }
    try {
      await t.rt.deploy(flow(rr, [{ id: 's', type: 'switch', settings: { cases: [bad[0], bad[3], { id: 'c', expression: '1 +' }] } }], ['hook->s']));
      expect.unreachable();
    } catch (e) {
      expect((e as ProblemsError).problems.map((p) => p.path)).toEqual(['nodes[1].settings.cases[1].expression', 'nodes[1].settings.cases[2].expression']);
      expect((e as ProblemsError).message).toMatch(/line 1, column \d+/);
    }
  });

  it('the spec example deploys', async () => {
    await expect(t.rt.deploy(flow(rr, [{ id: 's', type: 'switch', settings: switchSpec.example }], ['hook->s']))).resolves.toBeTruthy();
  });
});

describe('execution records of routed messages', () => {
  it('refer to the step that put a message out (one output) and store messages from several outputs in full', async () => {
    const cases = [
      { id: 'large', label: 'Large', expression: 'data.total >= 1000' },
      { id: 'export', label: 'Export', expression: 'data.country != "DE"' },
    ];
    const f = flow({ methods: ['POST'], path: '/refs', responseMode: 'requestResponse' }, [
      { id: 'm', type: 'set', settings: { fields: [{ name: 'vars.seen', expression: 'true' }] } },
      { id: 's', type: 'switch', settings: { cases, mode: 'all' } },
      { id: 'L', type: 'set', settings: { fields: [{ name: 'vars.hit', expression: '"large"' }] } },
      { id: 'E', type: 'log' },
      { id: 'R', type: 'respond', settings: { bodyMode: 'data' } },
    ], ['hook->m', 'm->s', 's:large->L', 's:export->E', 'L->R']);
    await t.rt.deploy({ ...f, settings: { diagnostics: 'full' } });
    const r = await send(t.url('/refs'), { body: JSON.stringify({ total: 1500, country: 'AT' }), headers: { 'content-type': 'application/json' } });
    expect(r.status).toBe(200);
    const { items } = await t.rt.store.listExecutions({ flowId: f.id });
    const ex = (await t.rt.store.getExecution(items[0].id))!;
    const byNode = Object.fromEntries(ex.steps.map((s) => [s.nodeId, s]));
    // Read back whole either way.
    expect((byNode.m.input as any).data).toEqual({ total: 1500, country: 'AT' });
    expect((byNode.s.input as any).vars).toEqual({ seen: true });
    expect((byNode.L.input as any).vars).toEqual({ seen: true });
    expect((byNode.R.input as any).vars).toEqual({ seen: true, hit: 'large' });
    // Stored once: references where one output fed the next step, the message itself after a step with several.
    const Database = (await import('better-sqlite3')).default;
    const db = new Database(path.join(t.dataDir, 'executions.db'), { readonly: true });
    const inline = JSON.parse((db.prepare('SELECT steps FROM executions WHERE id = ?').get(ex.id) as { steps: string }).steps);
    db.close();
    const refOf = Object.fromEntries(inline.map((s: any) => [s.n, s.r ?? (s.in ? 'stored' : undefined)]));
    const idx = (id: string) => byNode[id].index;
    expect(refOf).toMatchObject({ hook: -1, m: idx('hook'), s: idx('m'), L: 'stored', E: 'stored', R: idx('L') });
  });
});
