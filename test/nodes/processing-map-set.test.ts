import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { chainFlow, send, startRuntime, waitFor, type TestRuntime } from '../helpers/runtime';
import { ProblemsError } from '../../core/model/problems';
import { mapSpec } from '../../core/nodes/map/spec';
import { setSpec } from '../../core/nodes/set/spec';

let t: TestRuntime;
beforeEach(async () => {
  t = await startRuntime({ env: { REGION: 'eu-1' } });
});
afterEach(() => t.stop());

const rr = { methods: ['POST'], path: '/p', responseMode: 'requestResponse' };
const respond = { type: 'respond', settings: { bodyMode: 'data' } };
const post = (body: unknown) => send(t.url('/p'), { body: typeof body === 'string' ? body : JSON.stringify(body), headers: { 'content-type': 'application/json' } });

async function deployProblems(flow: unknown) {
  try {
    await t.rt.deploy(flow);
  } catch (e) {
    if (e instanceof ProblemsError) return e.problems;
    throw e;
  }
  throw new Error('deploy succeeded but was expected to fail');
}

async function lastExecution() {
  return waitFor(async () => {
    const page = await t.rt.store.listExecutions({});
    const ex = page.items[0] && (await t.rt.store.getExecution(page.items[0].id));
    return ex && ex.status !== 'running' && ex.status !== 'queued' ? ex : undefined;
  });
}

describe('map', () => {
  it('replaces data with the expression result over data, trigger, vars and $env', async () => {
    await t.rt.deploy(
      chainFlow(rr, [
        { type: 'map', settings: { expression: '{ "id": data.id, "total": $sum(data.lines.(qty * price)), "item": trigger.query.item, "region": $env.REGION }' } },
        respond,
      ]),
    );
    const r = await send(t.url('/p?item=X1'), { body: JSON.stringify({ id: 'A1', lines: [{ qty: 2, price: 5 }, { qty: 1, price: 3 }] }), headers: { 'content-type': 'application/json' } });
    expect(r.status).toBe(200);
    expect(r.json).toEqual({ id: 'A1', total: 13, item: 'X1', region: 'eu-1' });
  });

  it('a result with no value becomes null; a simple path works', async () => {
    await t.rt.deploy(chainFlow(rr, [{ type: 'map', settings: { expression: 'data.nothing' } }, respond]));
    const r = await post({ a: 1 });
    expect(r.status).toBe(200);
    expect(r.json).toBeNull();
  });

  it('records input and output of the step; the input message is not changed', async () => {
    await t.rt.deploy(chainFlow({ methods: ['POST'], path: '/p' }, [{ type: 'map', settings: { expression: '{ "n": data.n + 1 }' } }]));
    expect((await post({ n: 1 })).status).toBe(202);
    const ex = await lastExecution();
    expect(ex.status).toBe('succeeded');
    const step = ex.steps.find((s) => s.nodeId === 'n1')!;
    expect((step.input as any).data).toEqual({ n: 1 });
    expect((step.output as any).data).toEqual({ n: 2 });
  });

  it('a syntax error fails the deploy at the field with line and column', async () => {
    const problems = await deployProblems(chainFlow(rr, [{ type: 'map', settings: { expression: '{ "a": data.x,\n  "b": (data.y + }' } }, respond]));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ path: 'nodes[1].settings.expression', code: 'expression_syntax', nodeId: 'n1' });
    expect(problems[0].message).toMatch(/line 2, column \d+/);
  });

  it('a Log node’s value expression with a syntax error fails the deploy at settings.value, like every expression field', async () => {
    const problems = await deployProblems(chainFlow(rr, [{ type: 'log', settings: { message: 'order', value: 'data.(' } }, respond]));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ path: 'nodes[1].settings.value', code: 'expression_syntax', nodeId: 'n1' });
  });

  it('an empty expression is a validation problem naming the field', async () => {
    const problems = await deployProblems(chainFlow(rr, [{ type: 'map', settings: { expression: '  ' } }]));
    expect(problems[0]).toMatchObject({ path: 'nodes[1].settings.expression' });
    expect(problems[0].message).toContain('must not be empty');
  });

  it('a failing expression names the setting; the caller gets 500 with the code', async () => {
    await t.rt.deploy(chainFlow(rr, [{ type: 'map', settings: { expression: 'data.a + "x"' } }, respond]));
    const r = await post({ a: 1 });
    expect(r.status).toBe(500);
    expect(r.json.error).toBe('expression_failed');
    expect(r.json.message).toMatch(/^expression \(line 1, column 8\): /);
  });
});

describe('set fields', () => {
  it('sets fields in order (later ones see earlier ones), into data and vars, without touching other fields', async () => {
    const fields = [
      { name: 'customer.name', expression: '$uppercase(data.customer.name)' },
      { name: 'data.customer.greeting', expression: '"Hello " & data.customer.name' },
      { name: 'vars.count', expression: '$count(data.lines)' },
      { name: 'lines.0.qty', expression: '5' },
      { name: 'meta.count', expression: '$vars.count' },
    ];
    await t.rt.deploy(chainFlow(rr, [{ type: 'set', settings: { fields } }, { type: 'map', settings: { expression: '{ "data": data, "vars": vars }' } }, respond]));
    const r = await post({ id: 7, customer: { name: 'ada', city: 'Bonn' }, lines: [{ qty: 1 }, { qty: 2 }] });
    expect(r.status).toBe(200);
    expect(r.json).toEqual({
      data: { id: 7, customer: { name: 'ADA', city: 'Bonn', greeting: 'Hello ADA' }, lines: [{ qty: 5 }, { qty: 2 }], meta: { count: 2 } },
      vars: { count: 2 },
    });
  });

  it('`data` alone replaces the whole data; a missing intermediate object is created', async () => {
    await t.rt.deploy(chainFlow(rr, [{ type: 'set', settings: { fields: [{ name: 'data', expression: 'data.inner' }, { name: 'a.b.c', expression: '1' }] } }, respond]));
    const r = await post({ inner: { x: 1 } });
    expect(r.json).toEqual({ x: 1, a: { b: { c: 1 } } });
  });

  it('the step input is left as it was (no mutation)', async () => {
    await t.rt.deploy(chainFlow({ methods: ['POST'], path: '/p' }, [{ type: 'set', settings: { fields: [{ name: 'a.b', expression: '2' }] } }]));
    await post({ a: { b: 1, c: 3 } });
    const ex = await lastExecution();
    const step = ex.steps.find((s) => s.nodeId === 'n1')!;
    expect((step.input as any).data).toEqual({ a: { b: 1, c: 3 } });
    expect((step.output as any).data).toEqual({ a: { b: 2, c: 3 } });
  });

  it('refuses __proto__ / constructor / prototype segments and malformed names with a problem per field', async () => {
    const fields = [
      { name: '__proto__.polluted', expression: '1' },
      { name: 'a.constructor.prototype.polluted', expression: '1' },
      { name: 'vars.__proto__', expression: '1' },
      { name: 'a..b', expression: '1' },
      { name: 'vars', expression: '1' },
      { name: 'ok', expression: '' },
    ];
    const problems = await deployProblems(chainFlow(rr, [{ type: 'set', settings: { fields } }]));
    const byPath = Object.fromEntries(problems.map((p) => [p.path, p.message]));
    expect(byPath['nodes[1].settings.fields[0].name']).toContain('"__proto__"');
    expect(byPath['nodes[1].settings.fields[1].name']).toContain('"constructor"');
    expect(byPath['nodes[1].settings.fields[2].name']).toContain('"__proto__"');
    expect(byPath['nodes[1].settings.fields[3].name']).toContain('dotted path');
    expect(byPath['nodes[1].settings.fields[4].name']).toContain('variable name');
    expect(byPath['nodes[1].settings.fields[5].expression']).toContain('must not be empty');
    expect(({} as any).polluted).toBeUndefined();
  });

  it('a syntax error in the second field fails the deploy at that field with line and column', async () => {
    const problems = await deployProblems(chainFlow(rr, [{ type: 'set', settings: { fields: [{ name: 'a', expression: '1' }, { name: 'b', expression: 'data.(' }] } }]));
    expect(problems[0].path).toBe('nodes[1].settings.fields[1].expression');
    expect(problems[0].message).toMatch(/line 1, column \d+/);
  });

  it('prototype-pollution payloads pass through map and set as plain data and pollute nothing', async () => {
    await t.rt.deploy(
      chainFlow(rr, [
        { type: 'set', settings: { fields: [{ name: 'copy', expression: 'data.payload' }, { name: 'x.y', expression: 'data.payload.__proto__' }, { name: 'vars.p', expression: 'data.payload' }] } },
        { type: 'map', settings: { expression: '$merge([data.payload, { "extra": true }])' } },
        respond,
      ]),
    );
    const payload = '{"payload": {"__proto__": {"polluted": "yes"}, "constructor": {"prototype": {"polluted": "yes"}}, "a": 1}}';
    const r = await post(payload);
    expect(r.status).toBe(200);
    expect(({} as any).polluted).toBeUndefined();
    expect(Object.prototype.hasOwnProperty.call(Object.prototype, 'polluted')).toBe(false);
    expect(r.json.a).toBe(1);
  });
});

describe('specs', () => {
  it('examples parse and deploy', async () => {
    for (const [i, spec] of [mapSpec, setSpec].entries()) {
      const f = chainFlow({ methods: ['POST'], path: `/ex${i}` }, [{ type: spec.type, settings: spec.example }]);
      await expect(t.rt.deploy(f)).resolves.toBeTruthy();
    }
  });
});
