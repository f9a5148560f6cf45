import { describe, expect, it } from 'vitest';
import { analyzeTemplate, renderPreview } from '../../core/template';

const sample = {
  data: { orderId: 'A1', customer: { name: 'Ada' }, lines: [{ sku: 'S1', qty: 2 }], 'odd-key': 1 },
  trigger: { query: { item: '5' }, body: { x: 1 } },
  vars: { region: 'eu' },
  env: { API_URL: 'http://erp' },
};

describe('analyzeTemplate', () => {
  it('lists tokens with ranges and sample values', () => {
    const text = '<Order id="{{ data.orderId }}">\n{{#each data.lines as line}}<L>{{ line.sku }}</L>{{/each}}{{ $env.API_URL }}</Order>';
    const a = analyzeTemplate(text, 'xml', sample);
    expect(a.problems).toEqual([]);
    expect(a.tokens.map((t) => [t.expression, t.kind, t.line, t.column, t.value])).toEqual([
      ['data.orderId', 'value', 1, 12, 'A1'],
      ['line', 'each', 2, 1, undefined],
      ['line.sku', 'value', 2, 32, 'S1'],
      ['$env.API_URL', 'value', 2, 59, 'http://erp'],
    ].map(([e, k, l, c, v]) => (e === 'line' ? ['data.lines', k, l, c, [{ sku: 'S1', qty: 2 }]] : [e, k, l, c, v])));
    const first = a.tokens[0];
    expect(text.slice(first.start, first.end)).toBe('{{ data.orderId }}');
  });

  it('warns about simple paths missing from the sample, with the range of the path', () => {
    const text = '{"a": {{ data.orderID }}, "b": "{{ trigger.query.item }}"}';
    const a = analyzeTemplate(text, 'json', sample);
    expect(a.problems).toHaveLength(1);
    const p = a.problems[0];
    expect(p).toMatchObject({ severity: 'warning', line: 1, column: 10, message: '"data.orderID" is not in the sample data; did you mean "data.orderId"?' });
    expect(text.slice(p.start, p.end)).toBe('data.orderID');
  });

  it('says an $env variable is not one of the active environment, with the name in its case when it differs', () => {
    const msgs = (text: string, env?: Record<string, string>) => analyzeTemplate(text, 'text', { ...sample, env }).problems.map((p) => p.message);
    expect(msgs('{{ $env.api_url }}', sample.env)).toEqual(['"$env.api_url" is not a variable of the active environment; did you mean "$env.API_URL"?']);
    expect(msgs('{{ $env.ERP_URL }}')).toEqual(['"$env.ERP_URL" is not a variable of the active environment (see Environments; the process environment may still set it)']);
    expect(msgs('{{ $env.API_URL }}', sample.env)).toEqual([]);
  });

  it('reports every expression error and the first template error, with positions', () => {
    const text = '{{ data.a + }}\n{{ $x( }}\n{{#each data.lines as l}}';
    const a = analyzeTemplate(text, 'text', sample);
    const errors = a.problems.filter((p) => p.severity === 'error');
    expect(errors.map((p) => p.line)).toEqual([1, 2, 3]);
    expect(errors[2].message).toMatch(/not closed with \{\{\/each\}\}/);
  });

  it('keeps going after an unclosed tag and reports it', () => {
    const a = analyzeTemplate('{{ data.orderId }} {{ data.', 'text', sample);
    expect(a.tokens).toHaveLength(1);
    expect(a.problems[0]).toMatchObject({ severity: 'error', column: 20 });
  });

  it('offers completion paths from the sample, loop variables and $env', () => {
    const a = analyzeTemplate('{{#each data.lines as line}}{{/each}}', 'text', sample);
    expect(a.completions).toEqual(expect.arrayContaining([
      'data.orderId', 'data.customer.name', 'data.lines', 'data.lines[0]', 'data.lines[0].sku', 'data.`odd-key`',
      'trigger.query.item', 'trigger.body.x', 'vars.region', '$env.API_URL', 'line.sku', 'line.qty',
    ]));
  });
});

describe('renderPreview', () => {
  it('renders with the sample, including JSONata', async () => {
    expect(await renderPreview('{"id": "{{ data.orderId }}", "n": {{ $count(data.lines) }}}', 'json', sample)).toEqual({ output: '{"id": "A1", "n": 1}' });
  });
  it('returns syntax and render errors with line and column instead of throwing', async () => {
    expect((await renderPreview('x\n {{ data.a + }}', 'text', sample)).error).toMatchObject({ line: 2, column: 12 });
    const r = await renderPreview('x\n {{ data.nope }}', 'text', sample, 'fail');
    expect(r.error).toMatchObject({ line: 2, column: 2, message: expect.stringMatching(/has no value/) });
  });
  it('flags output that is not valid JSON or XML because of the literal parts', async () => {
    const j = await renderPreview('{"a": {{ data.orderId }}, }', 'json', sample);
    expect(j.output).toBe('{"a": "A1", }');
    expect(j.error?.message).toMatch(/not valid JSON/);
    const x = await renderPreview('<a><b>{{ data.orderId }}</a>', 'xml', sample);
    expect(x.error?.message).toMatch(/not well-formed XML/);
    // A second root the XML validator lets pass when it is self-closing; `>` in an attribute, CDATA, comments are fine.
    const two = await renderPreview('<Order>{{ data.orderId }}</Order>\n{{#if data.orderId}}<Big/>{{/if}}', 'xml', sample);
    expect(two.error).toMatchObject({ message: 'the rendered output is not well-formed XML (output line 2, column 1): a second root element; an XML document has exactly one', line: 2, column: 1 });
    expect((await renderPreview('<a/><b/>', 'xml', sample)).error?.message).toMatch(/a second root element/);
    expect((await renderPreview('<?xml version="1.0"?>\n<!-- c -->\n<a x="1>2"><b/><![CDATA[<c/>]]></a>\n<!-- end -->', 'xml', sample)).error).toBeUndefined();
  });
});
