import fc from 'fast-check';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { compileTemplate } from '../../core/template';
import { stripXmlForbidden, textOf } from '../../core/template/escape';

/** Strings made of the pieces that break naive templates, mixed with arbitrary code units. */
const nasty = fc
  .array(
    fc.oneof(
      fc.constantFrom('"', "'", '\\', '{', '}', '{{', '}}', ',"admin":true', '","admin":true,"x":"', '\u2028', '\u2029',
        '\ud800', '\udfff', '\ud83d\ude00', '\n', '\r\n', '\t', '\u0000', '\u001f', '<', '>', '&', ']]>', '<!--', '-->', '--',
        '<![CDATA[', '&amp;', '</Order>', '\ufffe'),
      fc.string({ unit: 'binary', maxLength: 6 }),
    ),
    { maxLength: 12 },
  )
  .map((parts) => parts.join(''));

const value = fc.oneof(nasty, nasty, fc.double(), fc.integer(), fc.boolean(), fc.constant(null), fc.constant(undefined), fc.jsonValue({ maxDepth: 2 }), fc.array(nasty, { maxLength: 3 }));

const stable = (v: unknown) => JSON.stringify(v === undefined ? null : v);

describe('JSON templates always render valid JSON with the template keys', () => {
  const template = `{
  "plain": {{ data.a }},
  "str": "{{ data.b }}",
  "mixed": "pre {{ data.c }} \\" post",
  "obj": {{ data.o }},
  "nested": { "inner": "{{ data.a }}", "list": [ {{#each data.list as x}} {{ x }} {{/each}} ] },
  "objects": [{{#each data.list as x, i}}{"i": {{ i }}, "v": "{{ x }}"},{{/each}}],
  {{#if data.flag}}"cond": "yes {{ data.b }}",{{/if}}
  "last": {{#if data.flag}}{{ data.c }}{{else}}"no"{{/if}}
}`;
  const compiled = compileTemplate(template, { kind: 'json', missing: 'null' });

  it('for values full of quotes, backslashes, braces, injected members, U+2028 and lone surrogates', () => {
    fc.assert(
      fc.property(value, value, value, value, fc.array(value, { maxLength: 4 }), fc.boolean(), (a, b, c, o, list, flag) => {
        const out = compiled.render({ data: { a, b, c, o, list, flag } }) as string;
        const parsed = JSON.parse(out);
        expect(Object.keys(parsed)).toEqual(flag ? ['plain', 'str', 'mixed', 'obj', 'nested', 'objects', 'cond', 'last'] : ['plain', 'str', 'mixed', 'obj', 'nested', 'objects', 'last']);
        expect(Object.keys(parsed.nested)).toEqual(['inner', 'list']);
        expect(stable(parsed.plain)).toBe(stable(typeof a === 'number' && !Number.isFinite(a) ? null : a));
        expect(parsed.str).toBe(textOf(b));
        expect(parsed.mixed).toBe(`pre ${textOf(c)} " post`);
        expect(parsed.nested.list).toHaveLength(list.length);
        expect(parsed.objects.map((x: any) => x.v)).toEqual(list.map(textOf));
        expect(out).not.toMatch(/[\u2028\u2029]/);
      }),
      { numRuns: 5000 },
    );
  });

  it('the same checks catch an unescaped renderer (the property can fail)', () => {
    const unescaped = compileTemplate(template, { kind: 'text' });
    const broken = fc.check(
      fc.property(nasty, (b) => {
        JSON.parse(unescaped.render({ data: { a: 1, b, c: 'c', o: 1, list: [], flag: false } }) as string);
      }),
      { numRuns: 200 },
    );
    expect(broken.failed).toBe(true);
  });
});

function countElements(nodes: any[]): number {
  let n = 0;
  for (const node of nodes) {
    for (const key of Object.keys(node)) {
      if (key.startsWith('#') || key.startsWith('?') || key === ':@') continue;
      n += 1 + countElements(node[key]);
    }
  }
  return n;
}

// XML 1.0 Char production.
const XML_CHARS = /^[\t\n\r\u0020-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]*$/u;

describe('XML templates always render well-formed XML with the template element count', () => {
  const template = `<?xml version="1.0" encoding="UTF-8"?>
<Order id="{{ data.a }}" note='{{ data.b }}'>
  <Name>{{ data.a }}</Name>
  <Note kind="x{{ data.c }}y">pre {{ data.b }} &amp; post</Note>
  {{#each data.list as x}}<Line sku="{{ x }}">{{ x }}</Line>{{/each}}
  {{#if data.flag}}<Flag>{{ data.c }}</Flag>{{else}}<NoFlag/>{{/if}}
  <Raw><![CDATA[{{ data.c }}]]></Raw>
  <!-- {{ data.b }} -->
</Order>`;
  const compiled = compileTemplate(template, { kind: 'xml', missing: 'empty' });
  const parser = new XMLParser({ preserveOrder: true, ignoreAttributes: false, trimValues: false, parseTagValue: false, processEntities: true });

  it('for values full of <, &, ]]>, quotes and control characters', () => {
    fc.assert(
      fc.property(value, value, value, fc.array(value, { maxLength: 4 }), fc.boolean(), (a, b, c, list, flag) => {
        const out = compiled.render({ data: { a, b, c, list, flag } }) as string;
        expect(XMLValidator.validate(out)).toBe(true);
        expect(out).toMatch(XML_CHARS);
        const doc = parser.parse(out);
        expect(countElements(doc)).toBe(4 + list.length + 1);
        const order = doc.find((n: any) => n.Order).Order;
        const name = order.find((n: any) => n.Name).Name;
        // fast-xml-parser leaves numeric character references as they are; decode them here.
        const text = name.map((t: any) => t['#text']).join('').replace(/&#(\d+);/g, (_: string, d: string) => String.fromCharCode(Number(d)));
        expect(text).toBe(stripXmlForbidden(textOf(a)));
      }),
      { numRuns: 5000 },
    );
  });
});
