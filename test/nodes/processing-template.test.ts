import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { XMLValidator } from 'fast-xml-parser';
import { chainFlow, send, startRuntime, type TestRuntime } from '../helpers/runtime';
import { ProblemsError } from '../../core/model/problems';
import { templateSpec } from '../../core/nodes/template/spec';
import { templateRunner } from '../../core/nodes/template/run';
import { respondSpec } from '../../core/nodes/respond/spec';

let t: TestRuntime;
beforeEach(async () => {
  t = await startRuntime({ env: { SENDER: 'hookline' } });
});
afterEach(() => t.stop());

const rr = { methods: ['POST'], path: '/t', responseMode: 'requestResponse' };
const respondData = { type: 'respond', settings: { bodyMode: 'data' } };
const post = (body: unknown) => send(t.url('/t'), { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });

async function deployProblems(flow: unknown) {
  try {
    await t.rt.deploy(flow);
  } catch (e) {
    if (e instanceof ProblemsError) return e.problems;
    throw e;
  }
  throw new Error('deploy succeeded but was expected to fail');
}

const order = { orderId: 'A-1', note: 'say "hi" </Note> & ]]>', lines: [{ sku: 'S1', qty: 2 }, { sku: 'S"2', qty: 1 }] };

describe('template node', () => {
  it('renders a JSON template into data as a parsed value (numbers stay numbers, hostile strings stay strings)', async () => {
    const template = '{ "id": "{{ data.orderId }}", "sender": "{{ $env.SENDER }}", "note": {{ data.note }}, "count": {{ $count(data.lines) }}, "skus": [{{#each data.lines as l}}{{ l.sku }}{{/each}}] }';
    await t.rt.deploy(chainFlow(rr, [{ type: 'template', settings: { kind: 'json', template } }, respondData]));
    const r = await post(order);
    expect(r.status).toBe(200);
    expect(r.json).toEqual({ id: 'A-1', sender: 'hookline', note: order.note, count: 2, skus: ['S1', 'S"2'] });
  });

  it('renders XML into data as a string that stays well-formed', async () => {
    const template = '<Order id="{{ data.orderId }}">{{#each data.lines as line, i}}<Line no="{{ i + 1 }}" sku="{{ line.sku }}">{{ line.qty }}</Line>{{/each}}<Note>{{ data.note }}</Note></Order>';
    await t.rt.deploy(chainFlow(rr, [{ type: 'template', settings: { kind: 'xml', template } }, respondData]));
    const r = await post(order);
    expect(typeof r.json).toBe('string');
    expect(XMLValidator.validate(r.json)).toBe(true);
    expect(r.json).toContain('<Line no="2" sku="S&quot;2">1</Line>');
    expect(r.json).toContain('&lt;/Note&gt; &amp; ]]&gt;');
  });

  it('renders into a variable and leaves data alone; JSON kind is parsed there too', async () => {
    await t.rt.deploy(
      chainFlow(rr, [
        { type: 'template', settings: { kind: 'text', template: 'Order {{ data.orderId }}', target: 'var', varName: 'subject' } },
        { type: 'template', settings: { kind: 'json', template: '{ "n": {{ $count(data.lines) }} }', target: 'var', varName: 'stats' } },
        { type: 'map', settings: { expression: '{ "vars": vars, "id": data.orderId }' } },
        respondData,
      ]),
    );
    const r = await post(order);
    expect(r.json).toEqual({ vars: { subject: 'Order A-1', stats: { n: 2 } }, id: 'A-1' });
  });

  it('target var without a name, or a forbidden name, is a problem naming varName', async () => {
    let problems = await deployProblems(chainFlow(rr, [{ type: 'template', settings: { kind: 'text', template: 'x', target: 'var' } }]));
    expect(problems[0].path).toBe('nodes[1].settings.varName');
    problems = await deployProblems(chainFlow(rr, [{ type: 'template', settings: { kind: 'text', template: 'x', target: 'var', varName: '__proto__' } }]));
    expect(problems[0].path).toBe('nodes[1].settings.varName');
    expect(({} as any).polluted).toBeUndefined();
  });

  it('missing values follow the policy: empty, null, or fail the step naming the token', async () => {
    const template = '{ "a": {{ data.nope }}, "b": "x{{ data.nope }}y" }';
    const flowWith = (missing: string, p: string) =>
      chainFlow({ ...rr, path: p }, [{ type: 'template', settings: { kind: 'json', template, missing } }, respondData], { id: `m-${missing}` });
    await t.rt.deploy(flowWith('empty', '/m1'));
    await t.rt.deploy(flowWith('null', '/m2'));
    await t.rt.deploy(flowWith('fail', '/m3'));
    const empty = await send(t.url('/m1'), { body: '{}' });
    expect(empty.json).toEqual({ a: '', b: 'xy' });
    const nul = await send(t.url('/m2'), { body: '{}' });
    expect(nul.json).toEqual({ a: null, b: 'xy' });
    const fail = await send(t.url('/m3'), { body: '{}' });
    expect(fail.status).toBe(500);
    expect(fail.json.error).toBe('template_failed');
    expect(fail.json.message).toContain('data.nope');
    expect(fail.json.details).toMatchObject({ line: 1 });
  });

  it('a broken template fails the deploy at the template field with line and column', async () => {
    const problems = await deployProblems(chainFlow(rr, [{ type: 'template', settings: { kind: 'xml', template: '<a>\n  <b>{{ data.x </b>\n</a>' } }]));
    expect(problems[0]).toMatchObject({ path: 'nodes[1].settings.template', code: 'template_syntax', nodeId: 'n1' });
    expect(problems[0].message).toMatch(/line 2, column \d+/);
    const expr = await deployProblems(chainFlow(rr, [{ type: 'template', settings: { kind: 'json', template: '{\n  "a": {{ data.( }}\n}' } }]));
    expect(expr[0].path).toBe('nodes[1].settings.template');
    expect(expr[0].message).toMatch(/line 2, column \d+/);
  });
});

describe('respond with a template body', () => {
  it('renders JSON with the JSON content type by default', async () => {
    await t.rt.deploy(chainFlow(rr, [{ type: 'respond', settings: { ...respondSpec.example } }]));
    const r = await post({ orderId: 12, lines: [{ sku: 'a' }, { sku: 'b"' }] });
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(r.json).toEqual({ received: true, orderId: 12, lines: ['a', 'b"'] });
  });

  it('XML and text kinds get their content types; a contentType setting or header wins', async () => {
    await t.rt.deploy(chainFlow({ ...rr, path: '/x' }, [{ type: 'respond', settings: { status: 201, bodyMode: 'template', templateKind: 'xml', template: '<ok id="{{ data.id }}"/>' } }], { id: 'x' }));
    await t.rt.deploy(chainFlow({ ...rr, path: '/tx' }, [{ type: 'respond', settings: { bodyMode: 'template', templateKind: 'text', template: 'id={{ data.id }}' } }], { id: 'tx' }));
    await t.rt.deploy(chainFlow({ ...rr, path: '/ct' }, [{ type: 'respond', settings: { bodyMode: 'template', templateKind: 'xml', template: '<a/>', contentType: 'text/xml' } }], { id: 'ct' }));
    const x = await send(t.url('/x'), { body: '{"id":"<&>"}', headers: { 'content-type': 'application/json' } });
    expect(x.status).toBe(201);
    expect(x.headers.get('content-type')).toBe('application/xml; charset=utf-8');
    expect(x.text).toBe('<ok id="&lt;&amp;&gt;"/>');
    const tx = await send(t.url('/tx'), { body: '{"id":"<&>"}', headers: { 'content-type': 'application/json' } });
    expect(tx.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(tx.text).toBe('id=<&>');
    expect((await send(t.url('/ct'))).headers.get('content-type')).toBe('text/xml');
  });

  it('a full JSONata token (async render) works and a missing value under fail answers 500', async () => {
    await t.rt.deploy(chainFlow(rr, [{ type: 'respond', settings: { bodyMode: 'template', templateKind: 'json', missing: 'fail', template: '{ "total": {{ $sum(data.n) }}, "x": {{ data.x }} }' } }]));
    const ok = await post({ n: [1, 2], x: 'y' });
    expect(ok.json).toEqual({ total: 3, x: 'y' });
    const bad = await post({ n: [1] });
    expect(bad.status).toBe(500);
    expect(bad.json.error).toBe('template_failed');
  });

  it('a broken body template fails the deploy with line and column; existing modes still work', async () => {
    const problems = await deployProblems(chainFlow(rr, [{ type: 'respond', settings: { bodyMode: 'template', templateKind: 'json', template: '{ "a": {{ data.x }' } }]));
    expect(problems[0].path).toBe('nodes[1].settings.template');
    expect(problems[0].message).toMatch(/line 1, column \d+/);
    // The template is not compiled for other body modes, so a leftover broken template does not block them.
    await t.rt.deploy(chainFlow(rr, [{ type: 'respond', settings: { bodyMode: 'text', body: 'plain', template: '{{ broken' } }]));
    const r = await post({});
    expect(r.text).toBe('plain');
    expect(r.headers.get('content-type')).toBe('text/plain; charset=utf-8');
  });

  it('the template node example deploys and renders', async () => {
    await t.rt.deploy(chainFlow(rr, [{ type: 'template', settings: templateSpec.example }, { type: 'map', settings: { expression: 'vars.erpOrder' } }, respondData]));
    const r = await post({ orderId: 'Q', lines: [{ sku: 'a', qty: 1 }] });
    expect(r.json).toBe('<Order id="Q"><Line sku="a">1</Line></Order>');
  });
});

describe('template node runner', () => {
  const ctxFor = (template: string, kind: 'json' | 'xml' | 'text') => {
    const settings = templateSpec.settings.parse({ kind, template });
    const pctx = { flow: { id: 'f' }, node: { id: 'n1', type: 'template' }, path: 'nodes[1].settings', env: {}, logger: console } as never;
    return { settings, prepared: templateRunner.prepare!(settings, pctx), env: {} } as never;
  };
  const message = { trigger: { type: 'webhook' }, data: { id: 'A-1', n: 2 }, vars: {} } as never;

  it('answers at once (no promise) for a template of simple paths, and through a promise for JSONata', async () => {
    const simple = templateRunner.run(message, ctxFor('<Id>{{ data.id }}</Id>', 'xml'));
    expect(simple).not.toBeInstanceOf(Promise);
    expect((simple as { message: { data: unknown } }).message.data).toBe('<Id>A-1</Id>');
    const jsonata = templateRunner.run(message, ctxFor('{ "twice": {{ $sum([data.n, data.n]) }} }', 'json'));
    expect(jsonata).toBeInstanceOf(Promise);
    expect(((await jsonata) as { message: { data: unknown } }).message.data).toEqual({ twice: 4 });
  });

  it('fails a JSON template that does not render JSON, from either path', async () => {
    expect(() => templateRunner.run(message, ctxFor('not json {{ data.id }}', 'json'))).toThrow('template: the rendered text is not valid JSON');
    await expect(templateRunner.run(message, ctxFor('not json {{ $string(data.n) }}', 'json')) as Promise<unknown>).rejects.toThrow('template: the rendered text is not valid JSON');
    // Where in the rendered output: a missing comma between members is on line 3 of the output.
    const run = () => templateRunner.run(message, ctxFor('{\n  "a": {{ data.id }}\n  "b": 1\n}', 'json'));
    expect(run).toThrow(/^template: the rendered text is not valid JSON \(output line 3, column 3\): .*; near: \{ "a": "A-1" "b": 1 \}$/);
    expect(() => run()).toThrow(expect.objectContaining({ code: 'template_failed', details: { line: 3, column: 3 } }));
  });
});

describe('respond headers', () => {
  it('header values take {{ }} tokens (paths and JSONata); a syntax error fails the deploy at the header, a rendered line break fails the step', async () => {
    const headers = [
      { name: 'Location', value: '/orders/{{ data.orderId }}' },
      { name: 'X-Lang', value: '{{ trigger.query.lang }}' },
      { name: 'X-Lines', value: '{{ $count(data.lines) }} lines' },
      { name: 'X-Fixed', value: 'plain' },
    ];
    await t.rt.deploy(chainFlow(rr, [{ type: 'respond', settings: { bodyMode: 'data', status: 201, headers } }], { id: 'resp-h' }));
    const r = await send(t.url('/t?lang=de'), { body: JSON.stringify(order), headers: { 'content-type': 'application/json' } });
    expect(r.status).toBe(201);
    expect([r.headers.get('location'), r.headers.get('x-lang'), r.headers.get('x-lines'), r.headers.get('x-fixed')]).toEqual(['/orders/A-1', 'de', '2 lines', 'plain']);

    const problems = await deployProblems(chainFlow(rr, [{ type: 'respond', settings: { headers: [{ name: 'X-Bad', value: '{{ data.id ' }] } }], { id: 'resp-h' }));
    expect(problems.map((p) => p.path)).toEqual(['nodes[1].settings.headers[0].value']);

    await t.rt.deploy(chainFlow(rr, [{ type: 'respond', settings: { headers: [{ name: 'X-Note', value: '{{ data.note }}' }] } }], { id: 'resp-h' }));
    const broken = await post({ note: 'two\r\nlines' });
    expect(broken.status).toBe(500);
    expect(broken.text).toContain('line break');
  });
});
