import { describe, expect, it } from 'vitest';
import { allPaths, childrenOf, hasPath, pathBeforeCursor, scopeAt, valueAt } from '../../renderer/editor/context-paths';
import { analyze, preview, previewRoute, previewSet } from '../../renderer/editor/template-support';
import { setEnvSample } from '../../renderer/editor/env-sample';
import { checkConnection } from '../../renderer/state/graph-rules';
import { secretName } from '../../renderer/inspector/secrets';
import { curlCommand } from '../../renderer/inspector/curl';
import { flowSchema } from '../../core/model/flow';

const ctx = { trigger: { body: { orderId: 'A-1' } }, data: { orderId: 'A-1', lines: [{ sku: 'S1', qty: 2 }], customer: { name: 'Ada' } }, vars: {} };

describe('context paths (completion and hover)', () => {
  it('reads values and children, looking into arrays', () => {
    expect(valueAt(ctx, 'data.lines.0.sku')).toBe('S1');
    expect(childrenOf(ctx, 'data').map((c) => c.key)).toEqual(['orderId', 'lines', 'customer']);
    expect(childrenOf(ctx, 'data.lines').map((c) => c.key)).toEqual(['sku', 'qty']);
    expect(hasPath(ctx, 'data.lines.sku')).toBe(true);
    expect(hasPath(ctx, 'data.nope')).toBe(false);
    expect(allPaths(ctx).some((p) => p.path === 'data.customer.name')).toBe(true);
  });

  it('completes loop variables of the open {{#each}} blocks and $vars, from the sample', () => {
    const c = { ...ctx, vars: { total: 3 }, data: { ...ctx.data, groups: [{ name: 'g', items: [{ id: 7 }] }] } };
    const keys = (text: string, parent: string) => childrenOf(scopeAt(c, text, 'template'), parent).map((e) => e.key);
    expect(keys('<O>{{#each data.lines as line, i}}<L sku="{{ line.', 'line')).toEqual(['sku', 'qty']);
    expect(keys('{{#each data.lines}}{{ item.', 'item')).toEqual(['sku', 'qty']);
    // Nested loops, a list under an array, and the scope closing with {{/each}}.
    expect(keys('{{#each data.groups as g}}{{#each g.items as it}}{{ it.', 'it')).toEqual(['id']);
    expect(keys('{{#each data.groups.items as it}}{{ it.', 'it')).toEqual(['id']);
    expect(keys('{{#each data.lines as line}}{{/each}}{{ line.', 'line')).toEqual([]);
    expect(valueAt(scopeAt(c, '{{#each data.lines as line, i}}', 'template'), 'i')).toBe(0);
    expect(keys('{{ $vars.', '$vars')).toEqual(['total']);
    expect(childrenOf(scopeAt(c, '$vars.', 'expression'), '$vars').map((e) => e.key)).toEqual(['total']);
    // $vars is not offered a second time next to vars, and loops mean nothing in an expression.
    expect(keys('{{ ', '')).toEqual(['trigger', 'data', 'vars']);
    expect(childrenOf(scopeAt(c, '{{#each data.lines as line}}', 'expression'), 'line')).toEqual([]);
  });

  it('finds the dotted path being typed', () => {
    expect(pathBeforeCursor('Order {{ data.ord')).toEqual({ parent: 'data', partial: 'ord' });
    expect(pathBeforeCursor('{{ data.')).toEqual({ parent: 'data', partial: '' });
    expect(pathBeforeCursor('{{ ')).toEqual({ parent: '', partial: '' });
  });
});

describe('template support (core/template behind the editor)', () => {
  it('marks an unknown path in a template and previews known ones', async () => {
    const d = analyze('Order {{ data.orderId }} {{ data.nope }}', 'template', ctx, 'text');
    expect(d).toHaveLength(1);
    expect(d[0].severity).toBe('warning');
    expect('Order {{ data.orderId }} {{ data.nope }}'.slice(d[0].start, d[0].end)).toContain('data.nope');
    expect(await preview('Order {{ data.orderId }} for {{ data.customer.name }}', 'template', 'text', ctx)).toEqual({ ok: true, text: 'Order A-1 for Ada' });
  });

  it('reports syntax errors of expressions with a position, and unknown fields as warnings', () => {
    const bad = analyze('data.orderId +', 'expression', ctx);
    expect(bad[0].severity).toBe('error');
    expect(analyze('data.missing', 'expression', ctx)[0]).toMatchObject({ severity: 'warning', start: 0, end: 12 });
    expect(analyze('data.orderId', 'expression', ctx)).toEqual([]);
  });

  it('previews JSONata expressions against the sample', async () => {
    expect(await preview('$count(data.lines)', 'expression', 'jsonata', ctx)).toEqual({ ok: true, text: '1' });
  });

  it('previews expressions with the bindings the runtime gives: $vars is the message vars, paths map over arrays', async () => {
    const withVars = { ...ctx, vars: { n: 2 } };
    expect(await preview('$vars.n', 'expression', 'jsonata', withVars)).toEqual({ ok: true, text: '2' });
    expect(await preview('{ "n": $vars.n, "id": data.orderId }', 'expression', 'jsonata', withVars)).toEqual({ ok: true, text: '{\n  "n": 2,\n  "id": "A-1"\n}' });
    expect(await preview('data.lines.sku', 'expression', 'jsonata', ctx)).toEqual({ ok: true, text: '"S1"' });
  });

  it('suggests the path an unknown one probably meant, and names n8n\'s variables', () => {
    const sample = { ...ctx, data: { ...ctx.data, name: 'Ada' } };
    expect(analyze('$json.name', 'expression', sample).map((d) => d.message)).toEqual([
      '$json is n8n\'s; here an expression reads data, trigger and vars (e.g. data.orderId), $env and $vars; did you mean "data.name"?',
    ]);
    expect(analyze('name', 'expression', sample).map((d) => d.message)).toEqual(['unknown field "name" in the sample data; did you mean "data.name"?']);
    expect(analyze('$input.item.json.name', 'expression', sample)[0].message).toMatch(/^\$input is n8n's/);
  });

  it('previews a Set fields node: rows in order, data and vars, the first broken row named', async () => {
    const fields = [
      { name: 'total', expression: '$sum(data.lines.(qty * 3))' },
      { name: 'vars.n', expression: '$count(data.lines)' },
      { name: 'customer.twice', expression: 'data.total * 2 + $vars.n' },
    ];
    const ok = await previewSet(fields, ctx);
    expect(ok.ok && JSON.parse(ok.text)).toEqual({ data: { ...ctx.data, total: 6, customer: { name: 'Ada', twice: 13 } }, vars: { n: 1 } });
    expect(ctx.data).not.toHaveProperty('total');
    expect(await previewSet([...fields, { name: 'x', expression: 'data.orderId + 1' }], ctx)).toEqual({ ok: false, error: 'Row 4 · Expression: The left side of the "+" operator must evaluate to a number' });
    expect(await previewSet([{ name: 'a.__proto__.b', expression: '1' }], ctx)).toEqual({ ok: false, error: 'Row 1 · Name: must not contain the segment "__proto__"' });
    expect(await previewSet([{ name: 'a', expression: ' ' }], ctx)).toEqual({ ok: false, error: 'Row 1 · Expression: must not be empty' });
  });

  it('previews where a Switch or a Condition sends the sample, with JSONata truthiness', async () => {
    const cases = [
      { id: 'large', label: 'Large order', expression: 'data.lines[0].qty >= 2' },
      { id: 'ada', label: 'ada', expression: 'data.customer.name' },
      { id: 'none', label: '', expression: 'data.lines[qty > 5]' },
    ];
    expect(await previewRoute(cases, 'first', ctx)).toEqual({ ok: true, text: '→ Large order (large)' });
    expect(await previewRoute(cases, 'all', ctx)).toEqual({ ok: true, text: '→ Large order (large), ada' });
    expect(await previewRoute(cases.slice(2), 'first', ctx)).toEqual({ ok: true, text: '→ default' });
    expect(await previewRoute([...cases.slice(2), { id: 'bad', expression: 'data.orderId - 1' }], 'all', ctx)).toEqual({ ok: false, error: 'Row 2 · Expression: The left side of the "-" operator must evaluate to a number' });
    expect(await previewRoute([{ id: 'true', expression: '$vars.n > 1' }], 'first', { ...ctx, vars: { n: 2 } }, 'false')).toEqual({ ok: true, text: '→ true' });
    expect(await previewRoute([{ id: 'true', expression: '""' }], 'first', ctx, 'false')).toEqual({ ok: true, text: '→ false' });
  });

  it('previews templates and expressions with the active environment as $env (a secret as a placeholder)', async () => {
    setEnvSample({ active: 'local', environments: [
      { name: 'local', variables: [{ name: 'ERP_URL', value: 'http://127.0.0.1:8080/erp', secret: false, set: true }, { name: 'ERP_PASSWORD', secret: true, set: true }] },
      { name: 'staging', variables: [{ name: 'ERP_URL', value: 'https://erp.staging', secret: false, set: true }] },
    ] } as never);
    try {
      expect(await preview('{{ $env.ERP_URL }}/orders/{{ data.orderId }}', 'template', 'text', ctx)).toEqual({ ok: true, text: 'http://127.0.0.1:8080/erp/orders/A-1' });
      expect(await preview('{{ $env.ERP_PASSWORD }}', 'template', 'text', ctx)).toEqual({ ok: true, text: '(secret)' });
      expect(await preview('$env.ERP_URL', 'expression', 'jsonata', ctx)).toEqual({ ok: true, text: '"http://127.0.0.1:8080/erp"' });
    } finally {
      setEnvSample(null);
    }
  });

  it('previews a template with the node\'s missing-value policy', async () => {
    const t = '<Order id="{{ data.orderId }}"><Nope>{{ data.nope }}</Nope></Order>';
    expect(await preview(t, 'template', 'xml', ctx)).toEqual({ ok: true, text: '<Order id="A-1"><Nope></Nope></Order>' });
    const failed = await preview(t, 'template', 'xml', ctx, 'fail');
    expect(failed.ok).toBe(false);
    expect(failed.ok === false && failed.error).toMatch(/data\.nope.*line 1, column 38.*no value/);
    expect(await preview('{"a": {{ data.nope }}}', 'template', 'json', ctx, 'null')).toEqual({ ok: true, text: '{\n  "a": null\n}' });
  });
});

describe('small helpers', () => {
  it('secret names are uppercase-sanitised', () => {
    expect(secretName('flow-abc', 'webhook-1', 'k9x')).toBe('FLOW_ABC_WEBHOOK_1_K9X');
    expect(secretName('1x', 'y')).toBe('S_1X_Y');
  });

  it('cURL commands quote for the shell', () => {
    const c = curlCommand({ method: 'POST', url: 'http://127.0.0.1:1/a', headers: { 'X-API-Key': "k'1" }, body: '{"a":1}' });
    expect(c).toBe(`curl -X POST 'http://127.0.0.1:1/a' \\\n  -H 'X-API-Key: k'\\''1' \\\n  --data '{"a":1}'`);
  });

  it('connection rules refuse edges into triggers', () => {
    const f = flowSchema.parse({ formatVersion: 1, id: 'f', name: 'f', nodes: [{ id: 'w', type: 'webhook' }, { id: 'l', type: 'log' }] });
    expect(checkConnection(f, { source: 'l', sourcePort: 'out', target: 'w', targetPort: 'in' }).ok).toBe(false);
    expect(checkConnection(f, { source: 'w', sourcePort: 'out', target: 'l', targetPort: 'in' }).ok).toBe(true);
  });
});
