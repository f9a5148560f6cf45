import { describe, expect, it } from 'vitest';
import { compileExpression, compileTemplate } from '../../core/template';
import { withResources } from './lib/child';
import { postOnce } from './lib/check';
import { runCpuInterleaved } from './lib/cpu-slices';
import { ERP_TEMPLATE, buildErpXml, itscopeEvent, type ItscopeEvent } from './lib/erp-xml';
import { ORDER_MAPPING, mapOrderByHand } from './lib/mapping';
import { sampleOrder } from './sections/request-response';

describe('template section fixtures', () => {
  const compiled = compileTemplate(ERP_TEMPLATE, { kind: 'xml' });

  it('the hand-written builder produces the same bytes as the compiled template, escaping included', () => {
    expect(compiled.sync).toBe(true);
    const nasty: ItscopeEvent = {
      ...itscopeEvent(1),
      eventType: `A"B'<C>&`,
      orderId: 'SO-1 <b>&amp;</b> ]]> "quoted"',
      documentId: `x"y'z&<>`,
      lines: [{ sku: `S"1'<&>`, qty: 3, price: 0.1 }],
    };
    for (const e of [itscopeEvent(0), itscopeEvent(7), nasty]) expect(buildErpXml(e)).toBe(compiled.render({ data: e }));
    expect(buildErpXml(nasty)).toContain('<OrderId>SO-1 &lt;b&gt;&amp;amp;&lt;/b&gt; ]]&gt; "quoted"</OrderId>');
    expect(buildErpXml(nasty)).toContain('type="A&quot;B&apos;&lt;C&gt;&amp;"');
    expect(buildErpXml(itscopeEvent(0)).match(/<Line /g)).toHaveLength(5);
  });

  it('the hand-written mapping answers what the JSONata mapping answers', async () => {
    const viaJsonata = await compileExpression(ORDER_MAPPING).evaluate({ data: sampleOrder });
    expect(mapOrderByHand(sampleOrder)).toEqual(viaJsonata);
    expect(mapOrderByHand(sampleOrder)).toMatchObject({ orderId: 'SO-100234', items: 3, country: 'DE' });
  });
});

describe('in-process slices', () => {
  it('gives every case measured time and counts its calls', () => {
    const calls = { a: 0, b: 0 };
    const seen: number[] = [];
    const r = runCpuInterleaved(
      [
        { name: 'a', op: (n) => (calls.a++, seen.push(n), 'x') },
        { name: 'b', op: () => (calls.b++, 'yy') },
      ],
      { warmupSeconds: 0.02, seconds: 0.1, sliceSeconds: 0.05, maxOpsPerSlice: 2560 },
    );
    const a = r.get('a')!;
    expect(a.ops).toBeGreaterThan(0);
    expect(a.ops).toBeLessThanOrEqual(2 * 2560);
    // Warm-up calls are made but not counted.
    expect(calls.a).toBeGreaterThan(a.ops);
    expect(r.get('b')!.ops).toBeGreaterThan(0);
    expect(a.opsPerSec).toBeCloseTo(a.ops / a.elapsedS, 6);
    expect(seen.slice(0, 5)).toEqual([0, 1, 2, 3, 4]);
  });
});

describe('relay servers', () => {
  it('the bare relay posts the hand-built XML to its sink and answers with the sink receipt', async () => {
    await withResources(async (r) => {
      const sink = await r.server('sink-server.ts', {});
      const relay = await r.server('bare-server.ts', { mode: 'relay', sinkUrl: `${sink.url}/erp` });
      const event = itscopeEvent(3);
      const res = await postOnce(`${relay.url}/relay`, JSON.stringify(event));
      const xml = buildErpXml(event);
      expect(res.status).toBe(200);
      expect(res.json).toEqual({ accepted: true, bytes: Buffer.byteLength(xml) });
      expect(await sink.call('last')).toEqual({ contentType: 'application/xml', body: xml });
      expect(await sink.call('received')).toBe(1);
      const mapped = await r.server('bare-server.ts', { mode: 'map' });
      expect((await postOnce(`${mapped.url}/map`, JSON.stringify(sampleOrder))).json).toEqual(mapOrderByHand(sampleOrder));
    });
  });
});
