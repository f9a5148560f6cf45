import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileTemplate } from '../../core/template';
import { repairJsonCommas } from '../../core/template/json-commas';
import { truthy } from '../../core/template/truthy';

describe('repairJsonCommas', () => {
  it('drops doubled, leading and trailing commas outside strings only', () => {
    expect(repairJsonCommas('[ ,{"a":1},, {"a":2}, ]')).toBe('[ {"a":1}, {"a":2} ]');
    expect(repairJsonCommas('{"a": ",,]", , "b": [,], }')).toBe('{"a": ",,]",  "b": [] }');
    expect(repairJsonCommas('{"q": "\\",", ,"x": 1}')).toBe('{"q": "\\",", "x": 1}');
  });
  it('leaves any valid JSON unchanged', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.constantFrom(undefined, 1, '\t'), (v, indent) => {
        const s = JSON.stringify(v, null, indent);
        expect(repairJsonCommas(s)).toBe(s);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('truthy follows JSONata $boolean', () => {
  it.each([
    [undefined, false], [null, false], ['', false], ['0', true], [0, false], [NaN, false], [-1, true],
    [[], false], [[0, ''], false], [[0, 'x'], true], [{}, false], [{ a: 0 }, true], [() => 1, false],
  ])('%j -> %s', (v, want) => expect(truthy(v)).toBe(want));
});

describe('rendering details', () => {
  it('keeps concurrent async renders of one compiled template apart', async () => {
    const c = compileTemplate('{{#each data.l as x}}{{ x & "-" & $string(data.id) }};{{/each}}', { kind: 'text' });
    const outs = await Promise.all(Array.from({ length: 20 }, (_, id) => c.render({ data: { id, l: ['a', 'b', 'c'] } })));
    outs.forEach((o, id) => expect(o).toBe(`a-${id};b-${id};c-${id};`));
  });

  it('binds $vars and $env; inner loop variables shadow outer ones', async () => {
    const t = '{{ $vars.region }}/{{ vars.region }}/{{ $env.E }}|{{#each data.a as x}}{{#each x.b as x}}{{ x }}{{ $string(x) }}{{/each}}{{/each}}';
    expect(await compileTemplate(t, { kind: 'text' }).render({ data: { a: [{ b: [1, 2] }] }, vars: { region: 'eu' }, env: { E: 'prod' } })).toBe('eu/eu/prod|1122');
  });

  it('writes literal braces through an expression', async () => {
    expect(await compileTemplate("{{ '{{' }} x {{ '}}' }}", { kind: 'text' }).render({})).toBe('{{ x }}');
  });

  it('follows JSONata array mapping in simple paths', () => {
    const c = compileTemplate('{"skus": {{ data.lines.sku }}, "one": {{ data.single.sku }}}', { kind: 'json' });
    expect(c.sync).toBe(true);
    expect(JSON.parse(c.render({ data: { lines: [{ sku: 'a' }, { sku: 'b' }], single: [{ sku: 'c' }] } }) as string)).toEqual({ skus: ['a', 'b'], one: 'c' });
  });

  it('uses the index variable and JSONata inside an XML loop', async () => {
    const t = '<L>{{#each data.l as x, i}}<I n="{{ i + 1 }}">{{ $uppercase(x) }}</I>{{/each}}</L>';
    expect(await compileTemplate(t, { kind: 'xml' }).render({ data: { l: ['a', 'b'] } })).toBe('<L><I n="1">A</I><I n="2">B</I></L>');
  });
});

describe('options and tag spelling', () => {
  it('accepts spaces after # and / in block tags', () => {
    expect(compileTemplate('{{# if data.x }}y{{/ if }}{{# each data.l as i }}{{ i }}{{/ each }}', { kind: 'text' }).render({ data: { x: 1, l: [1, 2] } })).toBe('y12');
  });
  it('passes expression limits to JSONata tokens', async () => {
    const c = compileTemplate('{{ ($f := function($x){ $f($x + 1) }; $f(1)) }}', { kind: 'text', limits: { timeoutMs: 100, maxDepth: 100_000 } });
    await expect(c.render({})).rejects.toThrow(/at line 1, column 1: expression ran longer than 100 ms/);
  });
});

describe('option checks', () => {
  it('names a wrong kind or missing policy', () => {
    expect(() => compileTemplate('x', { kind: 'yaml' as any })).toThrow('kind: must be json, xml or text (got "yaml")');
    expect(() => compileTemplate('x', { kind: 'text', missing: 'skip' as any })).toThrow('missing: must be empty, null or fail (got "skip")');
  });
});
