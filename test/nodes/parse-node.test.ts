import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProblemsError } from '../../core/model/problems';
import { chainFlow, send, startRuntime, type TestRuntime } from '../helpers/runtime';

let t: TestRuntime;
beforeAll(async () => {
  t = await startRuntime();
});
afterAll(() => t.stop());

let n = 0;
/** Deploys webhook (request-response) -> nodes -> respond(data) and returns a function posting to it. */
async function flow(nodes: Array<{ type: string; settings?: Record<string, unknown>; onError?: 'stop' | 'continue' | 'route' }>) {
  const path = `/p${++n}`;
  await t.rt.deploy(chainFlow({ methods: ['POST'], path, responseMode: 'requestResponse' }, [...nodes, { type: 'respond', settings: { bodyMode: 'data' } }]));
  return (body: string, contentType = 'text/plain') => send(t.url(path), { body, headers: { 'content-type': contentType } });
}

describe('Parse node through the runtime', () => {
  it('JSON from a text body into data', async () => {
    const post = await flow([{ type: 'parse', settings: { format: 'json', source: 'trigger.body' } }]);
    const r = await post('{"orderId":"A1","lines":[{"qty":2}]}');
    expect(r.status).toBe(200);
    expect(r.json).toEqual({ orderId: 'A1', lines: [{ qty: 2 }] });
  });

  it('malformed JSON fails with parse_failed, 400, line and column', async () => {
    const post = await flow([{ type: 'parse', settings: { format: 'json' } }]);
    const r = await post('{\n  "a": 1,\n  oops\n}');
    expect(r.status).toBe(400);
    expect(r.json).toMatchObject({ error: 'parse_failed', details: { line: 3, column: 3 } });
    expect(r.json.message).toMatch(/^JSON: .* \(line 3, column 3\)$/);
  });

  it('malformed XML (an ERP answer) names the line and column in the message', async () => {
    const post = await flow([{ type: 'parse', settings: { format: 'xml' } }]);
    const r = await post('<Order>\n  <Line>1</Lines>\n</Order>');
    expect(r.status).toBe(400);
    expect(r.json.message).toMatch(/ \(line 2, column \d+\)$/);
    expect(r.json.details).toMatchObject({ line: 2 });
  });

  it('XML with attributes, repeated elements and kept leading zeros', async () => {
    const post = await flow([{ type: 'parse', settings: { format: 'xml' } }]);
    const r = await post('<order id="7"><sku>00123</sku><line>A</line><line>B</line></order>');
    expect(r.json).toEqual({ order: { '@_id': '7', sku: '00123', line: ['A', 'B'] } });
  });

  it('CSV with a delimiter option and a header row; an error names the line', async () => {
    const post = await flow([{ type: 'parse', settings: { format: 'csv', source: 'trigger.body', delimiter: ';' } }]);
    const r = await post('sku;qty\r\n"X;1";2\r\nY;"3"\r\n', 'text/csv');
    expect(r.json).toEqual([{ sku: 'X;1', qty: '2' }, { sku: 'Y', qty: '3' }]);
    const bad = await post('sku;qty\n"open;1', 'text/csv');
    expect(bad.status).toBe(400);
    expect(bad.json).toMatchObject({ error: 'parse_failed', details: { line: 2, column: 1 } });
  });

  it('form data, repeated keys as arrays; base64 source decoding', async () => {
    const post = await flow([{ type: 'parse', settings: { format: 'form', source: 'trigger.rawBody', encoding: 'base64' } }]);
    const r = await post('a=1&a=2&name=J%C3%BCrgen+K');
    expect(r.json).toEqual({ a: ['1', '2'], name: 'Jürgen K' });
  });

  it('a source that is not text, and input over maxBytes, fail with clear messages', async () => {
    const post = await flow([{ type: 'parse', settings: { format: 'json', maxBytes: 16 } }]);
    const big = await post(JSON.stringify('x'.repeat(40)));
    expect(big.status).toBe(413);
    expect(big.json).toMatchObject({ error: 'payload_too_large', details: { maxBytes: 16 } });
    const obj = await post('{"a":1}', 'application/json');
    expect(obj.status).toBe(400);
    expect(obj.json.message).toMatch(/must be text to parse as JSON, got object/);
  });

  it('routes a parse failure to the error output with the details', async () => {
    const path = `/p${++n}`;
    await t.rt.deploy({
      formatVersion: 1,
      id: `route-${n}`,
      name: 'route',
      nodes: [
        { id: 'hook', type: 'webhook', settings: { methods: ['POST'], path, responseMode: 'requestResponse' } },
        { id: 'p', type: 'parse', settings: { format: 'xml' }, onError: 'route' },
        { id: 'bad', type: 'respond', settings: { status: 422, bodyMode: 'data' } },
      ],
      edges: [
        { id: 'e1', source: 'hook', target: 'p' },
        { id: 'e2', source: 'p', sourcePort: 'error', target: 'bad' },
      ],
    });
    const r = await send(t.url(path), { body: '<a><b></a>', headers: { 'content-type': 'text/plain' } });
    expect(r.status).toBe(422);
    const ex = (await t.rt.store.listExecutions({ flowId: `route-${n}` })).items[0];
    const detail = await t.rt.store.getExecution(ex.id);
    const step = detail!.steps.find((s) => s.nodeId === 'p')!;
    expect(step.port).toBe('error');
    expect((step.output as any).error).toMatchObject({ code: 'parse_failed', nodeId: 'p' });
  });

  it('a source expression with a syntax error fails the deploy at its path', async () => {
    const err = await t.rt.deploy(chainFlow({ path: '/bad-src' }, [{ type: 'parse', settings: { source: 'data.(' } }])).catch((e) => e);
    expect(err).toBeInstanceOf(ProblemsError);
    expect((err as ProblemsError).problems[0]).toMatchObject({ path: 'nodes[1].settings.source', code: 'expression_syntax' });
    const delim = await t.rt.deploy(chainFlow({ path: '/bad-delim' }, [{ type: 'parse', settings: { format: 'csv', delimiter: ';;' } }])).catch((e) => e);
    expect((delim as ProblemsError).problems[0]).toMatchObject({ path: 'nodes[1].settings.delimiter' });
  });
});

describe('Parse safety', () => {
  const laughs = `<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 ${Array.from({ length: 9 }, (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i || ''};`.repeat(10)}">`).join('\n ')}
]>
<lolz>&lol9;</lolz>`;
  const xxe = '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><r>&x;</r>';

  it('billion laughs and external entities are rejected quickly, without expansion', async () => {
    const post = await flow([{ type: 'parse', settings: { format: 'xml' } }]);
    for (const doc of [laughs, xxe]) {
      const heapBefore = process.memoryUsage().heapUsed;
      const started = performance.now();
      const r = await post(doc);
      const elapsed = performance.now() - started;
      expect(r.status).toBe(400);
      expect(r.json.error).toBe('xml_declaration_not_allowed');
      expect(r.text).not.toContain('root:');
      // Bounds, not benchmarks: expansion would take minutes and gigabytes.
      expect(elapsed).toBeLessThan(1000);
      expect(process.memoryUsage().heapUsed - heapBefore).toBeLessThan(50 * 1024 * 1024);
    }
  });

  it('entities inside a DOCTYPE hidden after a comment are still refused; predefined ones decode', async () => {
    const post = await flow([{ type: 'parse', settings: { format: 'xml' } }]);
    expect((await post('<!-- c --><!DOCTYPE a [<!ENTITY e "x">]><a>&e;</a>')).status).toBe(400);
    expect((await post('<a>&lt;&amp;&#65;&#x42;</a>')).json).toEqual({ a: '<&AB' });
  });

  it('prototype-pollution payloads in JSON, XML, form and CSV leave ({}).polluted undefined', async () => {
    const cases: Array<[string, string]> = [
      ['json', '{"__proto__":{"polluted":"yes"},"constructor":{"prototype":{"polluted":"yes"}}}'],
      ['xml', '<r><__proto__><polluted>yes</polluted></__proto__><constructor><prototype><polluted>yes</polluted></prototype></constructor></r>'],
      ['form', '__proto__[polluted]=yes&constructor[prototype][polluted]=yes&__proto__=x'],
      ['csv', '__proto__,constructor.prototype.polluted\n{"polluted":"yes"},yes'],
    ];
    for (const [format, body] of cases) {
      const post = await flow([{ type: 'parse', settings: { format } }]);
      const r = await post(body);
      expect(r.status, format).toBe(200);
      expect(({} as any).polluted, format).toBeUndefined();
      expect((Object.prototype as any).polluted).toBeUndefined();
    }
    const xml = await (await flow([{ type: 'parse', settings: { format: 'xml' } }]))(cases[1][1]);
    expect(xml.json.r.__proto__).toEqual({ polluted: 'yes' });
  });
});

describe('Build XML node', () => {
  it('object -> XML with root, declaration, attributes and escaping that round-trips through Parse', async () => {
    const post = await flow([
      { type: 'parse', settings: { format: 'json' } },
      { type: 'build-xml', settings: { rootName: 'Order', declaration: true } },
    ]);
    const value = { '@_id': 'A"1\'<&', note: 'a]]>b & <c>', lines: [{ sku: 'X', qty: 2 }, { sku: 'Y', qty: 1 }], empty: null, ctl: 'bell\u0007' };
    const r = await post(JSON.stringify(value));
    const xml = r.json as string;
    expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?><Order id="A&quot;1&apos;&lt;&amp;">')).toBe(true);
    expect(xml).toContain('<note>a]]&gt;b &amp; &lt;c&gt;</note>');
    expect(xml).toContain('<lines><sku>X</sku><qty>2</qty></lines><lines><sku>Y</sku><qty>1</qty></lines>');
    expect(xml).toContain('<ctl>bell\ufffd</ctl>');
    const back = await (await flow([{ type: 'parse', settings: { format: 'xml' } }]))(xml);
    expect(back.json.Order).toMatchObject({ '@_id': 'A"1\'<&', note: 'a]]>b & <c>', lines: [{ sku: 'X', qty: '2' }, { sku: 'Y', qty: '1' }] });
  });

  it('keys that are not XML names fail the step instead of injecting markup', async () => {
    const post = await flow([{ type: 'parse', settings: { format: 'json' } }, { type: 'build-xml', settings: { rootName: 'r', declaration: false } }]);
    const r = await post('{"ok":1,"a><script":2}');
    expect(r.status).toBe(500);
    expect(r.json).toMatchObject({ error: 'build_failed' });
    expect(r.json.message).toContain('r.a><script');
  });

  it('without a root name the object must have exactly one root key; arrays get item elements', async () => {
    const post = await flow([{ type: 'parse', settings: { format: 'json' } }, { type: 'build-xml', settings: { declaration: false } }]);
    expect((await post('{"Invoice":{"n":1}}')).json).toBe('<Invoice><n>1</n></Invoice>');
    expect((await post('{"a":1,"b":2}')).json.error).toBe('build_failed');
    const arr = await flow([{ type: 'parse', settings: { format: 'json' } }, { type: 'build-xml', settings: { rootName: 'List', itemName: 'Row', declaration: false } }]);
    expect((await arr('[1,"<2>"]')).json).toBe('<List><Row>1</Row><Row>&lt;2&gt;</Row></List>');
  });

  it('an invalid root element name fails the deploy at its path', async () => {
    const err = await t.rt.deploy(chainFlow({ path: '/bx-bad' }, [{ type: 'build-xml', settings: { rootName: '1bad name' } }])).catch((e) => e);
    expect((err as ProblemsError).problems[0].path).toBe('nodes[1].settings.rootName');
  });
});
