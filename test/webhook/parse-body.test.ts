import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { findJsonErrorOffset, HttpError, parseBody, positionOf } from '../../core/webhook';

const buf = (s: string) => Buffer.from(s, 'utf8');

/** Runs fn, expects an HttpError, returns it. */
function httpErrorOf(fn: () => unknown): HttpError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(HttpError);
    return e as HttpError;
  }
  throw new Error('expected an HttpError, got none');
}

afterEach(() => {
  // A failing pollution test must not poison the tests after it.
  delete (Object.prototype as Record<string, unknown>).polluted;
});

describe('parseBody: kinds', () => {
  it('parses application/json and +json types', () => {
    expect(parseBody(buf('{"a":[1,2]}'), 'application/json')).toEqual({ kind: 'json', body: { a: [1, 2] } });
    expect(parseBody(buf('{"type":"x"}'), 'application/problem+json; charset=utf-8')).toEqual({ kind: 'json', body: { type: 'x' } });
    expect(parseBody(buf('[true]'), 'Application/Vnd.Api+JSON')).toEqual({ kind: 'json', body: [true] });
  });

  it('sniffs a missing content type: { or [ is JSON, < is XML, anything else text', () => {
    expect(parseBody(buf('  \n{"a":1}'), undefined)).toEqual({ kind: 'json', body: { a: 1 } });
    expect(parseBody(buf('[1]'), '')).toEqual({ kind: 'json', body: [1] });
    expect(parseBody(buf('\uFEFF{"bom":true}'), undefined)).toEqual({ kind: 'json', body: { bom: true } });
    expect(parseBody(buf('<a>1</a>'), undefined)).toEqual({ kind: 'xml', body: { a: '1' } });
    expect(parseBody(buf('hello'), undefined)).toEqual({ kind: 'text', body: 'hello' });
  });

  it('parses application/xml, text/xml and +xml', () => {
    const xml = '<?xml version="1.0"?><order id="7"><item>A</item><item>B</item><sku>00123</sku></order>';
    const expected = { order: { '@_id': '7', item: ['A', 'B'], sku: '00123' } };
    expect(parseBody(buf(xml), 'application/xml')).toEqual({ kind: 'xml', body: expected });
    expect(parseBody(buf(xml), 'text/xml; charset=utf-8')).toEqual({ kind: 'xml', body: expected });
    expect(parseBody(buf(xml), 'application/atom+xml')).toEqual({ kind: 'xml', body: expected });
  });

  it('decodes only the predefined entities and character references, and leaves CDATA verbatim', () => {
    const r = parseBody(buf('<a t="&lt;&quot;&#65;"><b>&amp;&apos;&gt;&#x1F600;</b><c><![CDATA[&lt;raw & &nbsp;]]></c><!-- a & b --><?pi x & y?></a>'), 'application/xml');
    expect(r.body).toEqual({ a: { '@_t': '<"A', b: "&'>\u{1F600}", c: '&lt;raw & &nbsp;' } });
  });

  it('refuses an & that begins no reference XML can resolve, in text or attributes, naming line and column', () => {
    const cases: Array<[string, string, number, number]> = [
      ['<a>\n  <b url="https://x/?a=1&b=2"/>\n</a>', "'&' must begin a reference", 2, 25],
      ['<a>fish & chips</a>', "'&' must begin a reference", 1, 9],
      ['<a>&amp</a>', "'&' must begin a reference", 1, 4],
      ['<a>caf&eacute;</a>', 'undefined entity &eacute;', 1, 7],
      ['<a t="&constructor;"/>', 'undefined entity &constructor;', 1, 7],
      ['<a>&#0;</a>', '&#0; refers to a character XML does not allow', 1, 4],
      ['<a>&#xD800;</a>', 'does not allow', 1, 4],
      ['<a>&#x110000;</a>', 'does not allow', 1, 4],
    ];
    for (const [xml, says, line, column] of cases) {
      const e = httpErrorOf(() => parseBody(buf(xml), 'application/xml'));
      expect(e.status, xml).toBe(400);
      expect(e.body, xml).toMatchObject({ error: 'malformed_body', line, column });
      expect(e.message, xml).toContain(says);
    }
    // Character references to allowed characters are fine, tab and line breaks included.
    expect(parseBody(buf('<a>&#9;x&#10;&#x10FFFF;</a>'), 'application/xml').body).toEqual({ a: '\tx\n\u{10FFFF}' });
  });

  it('parses forms, repeated keys becoming arrays in order', () => {
    const r = parseBody(buf('a=1&b=x+y&a=2&c=%C3%A4&a=3&empty='), 'application/x-www-form-urlencoded; charset=UTF-8');
    expect(r).toEqual({ kind: 'form', body: { a: ['1', '2', '3'], b: 'x y', c: 'ä', empty: '' } });
  });

  it('returns text for text/*, honouring a latin1 charset', () => {
    expect(parseBody(buf('grüß'), 'text/plain')).toEqual({ kind: 'text', body: 'grüß' });
    expect(parseBody(Buffer.from('grüß', 'latin1'), 'text/plain; charset=ISO-8859-1')).toEqual({ kind: 'text', body: 'grüß' });
    expect(parseBody(Buffer.from('{"n":"é"}', 'latin1'), 'application/json; charset="latin1"').body).toEqual({ n: 'é' });
    expect(parseBody(buf('a,b\n1,2'), 'text/csv').kind).toBe('text');
  });

  it('returns base64 for anything else, and empty for no bytes', () => {
    const bytes = Buffer.from([0, 1, 2, 250, 255]);
    expect(parseBody(bytes, 'application/octet-stream')).toEqual({ kind: 'binary', body: bytes.toString('base64') });
    expect(parseBody(bytes, 'image/png')).toEqual({ kind: 'binary', body: 'AAEC+v8=' });
    expect(parseBody(Buffer.alloc(0), 'application/json')).toEqual({ kind: 'empty', body: null });
    expect(parseBody(Buffer.alloc(0), undefined)).toEqual({ kind: 'empty', body: null });
  });
});

describe('parseBody: malformed bodies', () => {
  it('reports the JSON parser message with line and column', () => {
    const e = httpErrorOf(() => parseBody(buf('{\n  "a": 1,\n  "b": tru\n}'), 'application/json'));
    expect(e.status).toBe(400);
    expect(e.body).toMatchObject({ error: 'malformed_body', line: 3, column: 11 });
    expect((e.body as { message: string }).message).toMatch(/^JSON: /);
    // The place once, 1-based as line and column are (V8's 0-based "at position N" is left out), and a hint for XML.
    const msg = (text: string, type = 'application/json') => (httpErrorOf(() => parseBody(buf(text), type)).body as { message: string }).message;
    expect(msg('{"a": }')).toBe("JSON: Unexpected token '}' (line 1, column 7)");
    expect(msg('<Order id="1"/>')).toBe("JSON: Unexpected token '<' (line 1, column 1) (the body looks like XML, not JSON)");
    expect(msg('<a><b></a>', 'application/xml')).toMatch(/^XML: .* \(line 1, column 7\)$/);
    expect(httpErrorOf(() => parseBody(buf('{"a":1'), 'application/json')).body).toMatchObject({ line: 1, column: 7 });
    expect(httpErrorOf(() => parseBody(buf('[1,]'), undefined)).body).toMatchObject({ line: 1, column: 4 });
    expect(httpErrorOf(() => parseBody(buf('{"a":1} x'), 'application/json')).body).toMatchObject({ line: 1, column: 9 });
  });

  it('reports the XML validator message with line and column', () => {
    const e = httpErrorOf(() => parseBody(buf('<a>\n  <b>x</c>\n</a>'), 'application/xml'));
    expect(e.status).toBe(400);
    expect(e.body).toMatchObject({ error: 'malformed_body', line: 2 });
    expect((e.body as { message: string }).message).toContain("'b'");
    expect(httpErrorOf(() => parseBody(buf('<a>1'), 'text/xml')).body).toMatchObject({ error: 'malformed_body', line: 1 });
    expect(httpErrorOf(() => parseBody(buf('not xml'), 'application/xml')).body).toMatchObject({ error: 'malformed_body', line: 1, column: 1 });
  });

  it('rejects a billion-laughs DOCTYPE quickly, naming it, without expanding', () => {
    const lol = ['<?xml version="1.0"?>', '<!DOCTYPE lolz [', ' <!ENTITY lol "lol">'];
    for (let i = 1; i < 10; i++) lol.push(` <!ENTITY lol${i} "${`&lol${i - 1 || ''};`.repeat(10)}">`);
    lol.push(']>', '<lolz>&lol9;</lolz>');
    const e = httpErrorOf(() => parseBody(buf(lol.join('\n')), 'application/xml'));
    expect(e.status).toBe(400);
    expect(e.body).toMatchObject({ error: 'xml_declaration_not_allowed', line: 2, column: 1 });
    expect(e.message).toContain('DOCTYPE');
  });

  it('rejects external entities and stray ENTITY declarations', () => {
    const xxe = '<?xml version="1.0"?><!DOCTYPE foo [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><foo>&xxe;</foo>';
    expect(httpErrorOf(() => parseBody(buf(xxe), 'text/xml')).message).toContain('DOCTYPE');
    expect(httpErrorOf(() => parseBody(buf('<a><!ENTITY x "y"></a>'), 'text/xml')).message).toContain('ENTITY');
    // ...but the same text inside a comment or CDATA is just data.
    expect(parseBody(buf('<a><!-- <!DOCTYPE x> --><![CDATA[<!ENTITY y>]]></a>'), 'text/xml').body).toEqual({ a: '<!ENTITY y>' });
  });

  it('caps XML nesting depth (configurable)', () => {
    const deep = (n: number) => buf('<a>'.repeat(n) + 'x' + '</a>'.repeat(n));
    expect(parseBody(deep(50), 'application/xml').kind).toBe('xml');
    expect(httpErrorOf(() => parseBody(deep(5000), 'application/xml')).body).toMatchObject({ error: 'xml_too_deep' });
    expect(httpErrorOf(() => parseBody(deep(50), 'application/xml', { maxXmlDepth: 10 })).message).toContain('10 levels');
  });
});

describe('parseBody: prototype safety', () => {
  const check = (body: unknown) => {
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getPrototypeOf(body)).toBe(Object.prototype);
  };

  it('JSON keeps __proto__ as an own data property', () => {
    const r = parseBody(buf('{"__proto__":{"polluted":1},"constructor":{"prototype":{"polluted":2}}}'), 'application/json');
    check(r.body);
    const body = r.body as Record<string, unknown>;
    expect(Object.hasOwn(body, '__proto__')).toBe(true);
    expect((body as { polluted?: unknown }).polluted).toBeUndefined();
  });

  it('form keeps __proto__ / constructor / prototype as own data properties', () => {
    const r = parseBody(buf('__proto__=x&__proto__[polluted]=1&constructor[prototype][polluted]=1&prototype=p&__proto__=y'), 'application/x-www-form-urlencoded');
    check(r.body);
    const body = r.body as Record<string, unknown>;
    expect(Object.getOwnPropertyDescriptor(body, '__proto__')?.value).toEqual(['x', 'y']);
    expect(body['__proto__[polluted]']).toBe('1');
    expect(body.prototype).toBe('p');
  });

  it('XML keeps __proto__ / constructor / prototype elements as own data properties', () => {
    const xml = '<r><__proto__><polluted>1</polluted></__proto__><constructor><prototype><polluted>2</polluted></prototype></constructor><__proto__>again</__proto__></r>';
    const r = parseBody(buf(xml), 'application/xml');
    check(r.body);
    const root = (r.body as { r: Record<string, unknown> }).r;
    check(root);
    expect(Object.getOwnPropertyDescriptor(root, '__proto__')?.value).toEqual([{ polluted: '1' }, 'again']);
    expect(Object.getOwnPropertyDescriptor(root, 'constructor')?.value).toEqual({ prototype: { polluted: '2' } });
  });
});

describe('findJsonErrorOffset', () => {
  it('agrees with JSON.parse on validity, and with V8 on position when V8 reports one (property)', () => {
    const jsonish = fc.oneof(
      fc.json(),
      fc.json().chain((s) =>
        fc.tuple(fc.nat(s.length), fc.constantFrom('', ',', '}', ']', '"', ':', 'x', '\\', '\n', '-', '0', '.', 'e', '[', '{', ' '), fc.nat(3)).map(
          ([at, ins, del]) => s.slice(0, at) + ins + s.slice(at + del),
        ),
      ),
    );
    fc.assert(
      fc.property(jsonish, (s) => {
        let v8: string | undefined;
        try {
          JSON.parse(s);
        } catch (e) {
          v8 = (e as Error).message;
        }
        const offset = findJsonErrorOffset(s);
        expect(offset >= 0).toBe(v8 !== undefined);
        const m = v8 && /at position (\d+)/.exec(v8);
        if (m) expect(offset).toBe(Number(m[1]));
      }),
      { numRuns: 3000 },
    );
  });

  it('survives very deep nesting without recursion', () => {
    expect(findJsonErrorOffset('['.repeat(200_000) + ']'.repeat(200_000))).toBe(-1);
    expect(findJsonErrorOffset('['.repeat(200_000))).toBe(200_000);
  });

  it('positionOf counts lines and columns from 1', () => {
    expect(positionOf('ab\ncd\r\nef', 8)).toEqual({ offset: 8, line: 3, column: 2 });
    expect(positionOf('abc', 0)).toEqual({ offset: 0, line: 1, column: 1 });
  });
});
