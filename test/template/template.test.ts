import { XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { compileTemplate, TemplateRenderError, TemplateSyntaxError, type TemplateKind } from '../../core/template';

const render = async (text: string, kind: TemplateKind, ctx: object, missing?: 'empty' | 'null' | 'fail') =>
  compileTemplate(text, { kind, missing }).render(ctx);

describe('JSON templates: escaping by position', () => {
  it('inserts whole JSON values in value position', async () => {
    const out = await render('{"n": {{ data.n }}, "s": {{ data.s }}, "o": {{ data.o }}, "a": {{ data.a }}, "b": {{ data.b }}, "z": {{ data.z }}}', 'json', {
      data: { n: 12.5, s: 'x"y', o: { k: [1, { j: null }] }, a: [1, 'two'], b: false, z: null },
    });
    expect(JSON.parse(out as string)).toEqual({ n: 12.5, s: 'x"y', o: { k: [1, { j: null }] }, a: [1, 'two'], b: false, z: null });
    expect(out).toContain('"n": 12.5');
  });

  it('string-escapes inside a JSON string, including U+2028/2029 and lone surrogates', async () => {
    const nasty = 'a"b\\c\n\t\u0001\u2028\u2029\ud800x\udc00 "}, "admin": true, "x": "';
    const out = (await render('{"note": "pre {{ data.s }} post", "n": "{{ data.n }}"}', 'json', { data: { s: nasty, n: 5 } })) as string;
    expect(JSON.parse(out)).toEqual({ note: `pre ${nasty.replace('\ud800', '\ud800').replace('\udc00', '\udc00')} post`, n: '5' });
    expect(out).toContain('\\u2028');
    expect(out).toContain('\\ud800');
    expect(out).not.toMatch(/[\u2028\u2029]/);
  });

  it('keeps proper surrogate pairs as they are', async () => {
    const out = (await render('{"e": "{{ data.e }}"}', 'json', { data: { e: 'ok 😀' } })) as string;
    expect(out).toBe('{"e": "ok 😀"}');
  });

  it('inserts a JSON string in key position', async () => {
    const out = (await render('{ {{ data.k }}: 1, "x": { {{ data.n }}: 2 } }', 'json', { data: { k: 'a"b', n: 7 } })) as string;
    expect(JSON.parse(out)).toEqual({ 'a"b': 1, x: { '7': 2 } });
  });

  it('puts objects as JSON text inside strings', async () => {
    const out = (await render('{"raw": "{{ data.o }}"}', 'json', { data: { o: { a: '"' } } })) as string;
    expect(JSON.parse(JSON.parse(out).raw)).toEqual({ a: '"' });
  });

  it('rejects a token right after a backslash inside a JSON string', () => {
    expect(() => compileTemplate('{"a": "x\\{{ data.v }}"}', { kind: 'json' })).toThrow(/backslash/);
  });
});

describe('XML templates: escaping by position', () => {
  it('escapes element text and attribute values', async () => {
    const out = (await render(`<Order id="{{ data.id }}" note='{{ data.note }}'><Name>{{ data.name }}</Name></Order>`, 'xml', {
      data: { id: 'a"b<c', note: "it's & \n", name: '<b>]]>&amp;' },
    })) as string;
    expect(out).toBe(`<Order id="a&quot;b&lt;c" note='it&apos;s &amp; &#10;'><Name>&lt;b&gt;]]&gt;&amp;amp;</Name></Order>`);
    expect(XMLValidator.validate(out)).toBe(true);
  });

  it('replaces characters XML 1.0 forbids', async () => {
    const out = (await render('<a b="{{ data.s }}">{{ data.s }}</a>', 'xml', { data: { s: 'x\u0000y\u001bz\ud800\uffff' } })) as string;
    expect(out).toBe('<a b="x\ufffdy\ufffdz\ufffd\ufffd">x\ufffdy\ufffdz\ufffd\ufffd</a>');
  });

  it('splits ]]> inside CDATA and keeps comments well-formed', async () => {
    const out = (await render('<a><![CDATA[{{ data.s }}]]><!--{{ data.c }}--></a>', 'xml', { data: { s: 'x]]>y', c: '-a--b-' } })) as string;
    expect(out).toBe('<a><![CDATA[x]]]]><![CDATA[>y]]><!-- -a- -b- --></a>');
    expect(XMLValidator.validate(out)).toBe(true);
  });

  it('a template that is one token and nothing else is the document: a string goes in as it is (XML built before)', async () => {
    const xml = '<?xml version="1.0"?>\n<Order id="A&amp;1"><Note>&lt;b&gt;</Note></Order>';
    expect(await render('{{ data }}', 'xml', { data: xml })).toBe(xml);
    expect(await render('  {{ vars.doc }}\n', 'xml', { vars: { doc: xml } })).toBe(`  ${xml}\n`);
    // Not a string: escaped text, as anywhere else.
    expect(await render('{{ data }}', 'xml', { data: { a: '<x>' } })).toBe('{"a":"&lt;x&gt;"}');
    // Anything around the token, or a token inside markup: escaped for its position.
    expect(await render('<Doc>{{ data }}</Doc>', 'xml', { data: '<x/>' })).toBe('<Doc>&lt;x/&gt;</Doc>');
    expect(await render('{{ data }}<!-- sent -->', 'xml', { data: '<x/>' })).toBe('&lt;x/&gt;<!-- sent -->');
    // JSON keeps a string a JSON string.
    expect(await render('{{ data }}', 'json', { data: '{"a":1}' })).toBe('"{\\"a\\":1}"');
  });

  it('refuses tokens where names or markup would come from data', () => {
    for (const t of ['<{{ data.tag }}/>', '<a {{ data.attr }}="1"/>', '<a b={{ data.v }}/>', '<?xml version="{{ data.v }}"?><a/>', '<a>&{{ data.e }};</a>']) {
      expect(() => compileTemplate(t, { kind: 'xml' }), t).toThrow(TemplateSyntaxError);
    }
  });
});

describe('text templates', () => {
  it('inserts values as they are; objects as JSON', async () => {
    expect(await render('Hi {{ data.name }} <{{ data.o }}>', 'text', { data: { name: '"<&>"', o: { a: 1 } } })).toBe('Hi "<&>" <{"a":1}>');
  });
});

describe('blocks', () => {
  const lines = [{ sku: 'A', qty: 2 }, { sku: 'B<', qty: 1 }, { sku: 'C', qty: 5 }];

  it('repeats XML elements for order lines with an index', async () => {
    const t = '<Lines>{{#each data.lines as line, i}}<Line no="{{ i }}">{{ line.sku }}</Line>{{/each}}</Lines>';
    expect(await render(t, 'xml', { data: { lines } })).toBe('<Lines><Line no="0">A</Line><Line no="1">B&lt;</Line><Line no="2">C</Line></Lines>');
    expect(await render(t, 'xml', { data: { lines: [] } })).toBe('<Lines></Lines>');
    expect(await render(t, 'xml', { data: {} })).toBe('<Lines></Lines>');
  });

  it('separates repeated JSON items with commas, for 0, 1 and many items', async () => {
    const t = '{"lines": [ {{#each data.lines as l}} {"sku": "{{ l.sku }}", "qty": {{ l.qty }}} {{/each}} ], "n": 1}';
    for (const n of [0, 1, 3]) {
      const out = (await render(t, 'json', { data: { lines: lines.slice(0, n) } })) as string;
      expect(JSON.parse(out).lines).toEqual(lines.slice(0, n));
    }
  });

  it('tolerates a comma written inside the repeated body and members dropped by {{#if}}', async () => {
    const t = '{ "a": 1, {{#if data.b}}"b": 2,{{/if}} "list": [{{#each data.xs as x}}{{ x }},{{/each}}], {{#if data.c}}"c": 3{{/if}} }';
    expect(JSON.parse((await render(t, 'json', { data: { b: true, xs: [1, 2], c: true } })) as string)).toEqual({ a: 1, b: 2, list: [1, 2], c: 3 });
    expect(JSON.parse((await render(t, 'json', { data: { xs: [] } })) as string)).toEqual({ a: 1, list: [] });
  });

  it('builds object members from a list', async () => {
    const t = '{ {{#each data.fields as f}}{{ f.name }}: {{ f.value }}{{/each}} }';
    const out = (await render(t, 'json', { data: { fields: [{ name: 'a', value: 1 }, { name: 'b"', value: [true] }] } })) as string;
    expect(JSON.parse(out)).toEqual({ a: 1, 'b"': [true] });
  });

  it('chooses if / else if / else branches with JSONata truthiness', async () => {
    const t = '{{#if data.n > 10}}big{{else if data.n > 0}}small{{else}}none{{/if}}|{{#if data.list}}L{{else}}-{{/if}}|{{#if data.e}}E{{/if}}';
    expect(await render(t, 'text', { data: { n: 11, list: [0, 1], e: {} } })).toBe('big|L|');
    expect(await render(t, 'text', { data: { n: 3, list: [0, ''], e: { x: 1 } } })).toBe('small|-|E');
    expect(await render(t, 'text', { data: { n: 0 } })).toBe('none|-|');
  });

  it('nests loops; inner scopes see outer variables', async () => {
    const t = '{{#each data.orders as o}}[{{#each o.lines as l}}{{ o.id }}:{{ l }};{{/each}}]{{/each}}';
    expect(await render(t, 'text', { data: { orders: [{ id: 1, lines: ['a', 'b'] }, { id: 2, lines: [] }] } })).toBe('[1:a;1:b;][]');
  });

  it('treats a single object as a list of one and supports the default name item', async () => {
    expect(await render('{{#each data.one}}<{{ item.x }}>{{/each}}', 'text', { data: { one: { x: 1 } } })).toBe('<1>');
  });
});

describe('syntax errors carry line and column in the template', () => {
  const cases: Array<[string, TemplateKind, RegExp, number, number]> = [
    ['<a>\n  {{ data.x </a>', 'xml', /not closed with "}}"/, 2, 3],
    ['{\n "a": {{#each data.x as y}}1\n}', 'json', /\{\{#each\}\} is not closed/, 2, 7],
    ['{{#if a}}\n{{/each}}', 'text', /closes \{\{#if a\}\} at line 1, column 1/, 2, 1],
    ['x\n{{else}}', 'text', /without an open \{\{#if\}\}/, 2, 1],
    ['{"a":\n   {{ data.x + }}}', 'json', /Unexpected end of expression in \{\{ data.x \+ \}\}/, 2, 14],
    ['<a>\n<b {{ data.c }}/></a>', 'xml', /inside an XML tag/, 2, 4],
    ['{{#unless x}}{{/unless}}', 'text', /unknown block/, 1, 1],
    ['{{#each data.x as data}}{{/each}}', 'text', /cannot name a loop variable/, 1, 1],
    ['{"a": "{{#if data.x}}"{{/if}}"}', 'json', /starts in a JSON string but a branch ends outside/, 1, 23],
    ['{{ }}', 'text', /empty token/, 1, 1],
  ];
  it.each(cases)('%j', (text, kind, message, line, column) => {
    try {
      compileTemplate(text, { kind });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(TemplateSyntaxError);
      const err = e as TemplateSyntaxError;
      expect(err.message).toMatch(message);
      expect([err.line, err.column]).toEqual([line, column]);
      expect(err.message).toContain(`(line ${line}, column ${column})`);
    }
  });
});

describe('missing values', () => {
  const t = '{"v": {{ data.nope }}, "s": "<{{ data.nope }}>"}';
  it('empty: "" in value position, nothing in strings', async () => {
    expect(JSON.parse((await render(t, 'json', { data: {} }, 'empty')) as string)).toEqual({ v: '', s: '<>' });
  });
  it('null: null in value position', async () => {
    expect(JSON.parse((await render(t, 'json', { data: {} }, 'null')) as string)).toEqual({ v: null, s: '<>' });
  });
  it('fail: throws naming the token and its line', async () => {
    const c = compileTemplate('<a>\n  <b>{{ data.customer.name }}</b></a>', { kind: 'xml', missing: 'fail' });
    expect(() => c.render({ data: {} })).toThrow(TemplateRenderError);
    expect(() => c.render({ data: {} })).toThrow('{{ data.customer.name }} at line 2, column 6: has no value');
    expect(c.render({ data: { customer: { name: null } } })).toBe('<a>\n  <b></b></a>');
  });
  it('fail applies to JSONata tokens too, asynchronously', async () => {
    const c = compileTemplate('{{ data.a & data.b }} {{ $lookup(data, "zz") }}', { kind: 'text', missing: 'fail' });
    await expect(c.render({ data: { a: 'x' } })).rejects.toThrow(/\{\{ \$lookup\(data, "zz"\) \}\} at line 1, column 23: has no value/);
  });
});

describe('rendering: sync fast path, JSONata, env', () => {
  it('is synchronous when every token is a simple path', () => {
    const c = compileTemplate('<a x="{{ $env.E }}">{{#each data.l as x}}{{ x.v }}{{/each}}{{#if data.f}}y{{/if}}</a>', { kind: 'xml' });
    expect(c.sync).toBe(true);
    expect(c.render({ data: { l: [{ v: 1 }, { v: 2 }], f: 1 }, env: { E: 'e' } })).toBe('<a x="e">12y</a>');
  });

  it('returns a Promise when a token needs JSONata, also inside loops and conditions', async () => {
    const c = compileTemplate('{{#each data.l as x}}{{ x.v * 2 }},{{/each}}{{#if $count(data.l) > 1}}many{{/if}} {{ $uppercase($env.E) }}', { kind: 'text' });
    expect(c.sync).toBe(false);
    const r = c.render({ data: { l: [{ v: 1 }, { v: 2 }] }, env: { E: 'prod' } });
    expect(r).toBeInstanceOf(Promise);
    expect(await r).toBe('2,4,many PROD');
  });

  it('lets JSONata object constructors with }} stand in a token', async () => {
    expect(await render('{"o": {{ {"a": {"b": data.x}} }}}', 'json', { data: { x: 1 } })).toBe('{"o": {"a":{"b":1}}}');
  });

  it('wraps expression errors with the token and its position', async () => {
    const c = compileTemplate('\n {{ $hash(data.x, "sha3") }}', { kind: 'text' });
    await expect(c.render({ data: { x: 'a' } })).rejects.toThrow(/\{\{ \$hash\(data.x, "sha3"\) \}\} at line 2, column 2: \$hash: unknown algorithm 'sha3'/);
  });

  it('renders the same compiled template many times with different data', () => {
    const c = compileTemplate('{"id": {{ data.id }}}', { kind: 'json' });
    for (let i = 0; i < 50; i++) expect(JSON.parse(c.render({ data: { id: i } }) as string)).toEqual({ id: i });
  });

  it('comments render nothing and literal-only templates render as they are', () => {
    expect(compileTemplate('a{{! note }}b', { kind: 'text' }).render({})).toBe('ab');
    expect(compileTemplate('{"a": 1}', { kind: 'json' }).render({})).toBe('{"a": 1}');
  });
});
