import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { send, startRuntime, type TestRuntime } from '../helpers/runtime';
import { previewBuildXml } from '../../renderer/editor/template-support';
import { itscopeEvent } from '../bench/lib/erp-xml';

let t: TestRuntime;
beforeEach(async () => {
  t = await startRuntime();
});
afterEach(() => t.stop());

const EVENT = itscopeEvent(1);
const SETTINGS = { source: '{ "@_type": data.eventType, "OrderId": data.orderId, "Url": data.documentUrl, "Line": data.lines }', rootName: 'ErpOrderEvent', pretty: true };

describe('Build XML previews the document the run builds', () => {
  it('the preview of the sample is byte for byte what the node produces for the same event', async () => {
    await t.rt.deploy({
      formatVersion: 1,
      id: 'bx',
      name: 'bx',
      nodes: [
        { id: 'hook', type: 'webhook', settings: { methods: ['POST'], path: '/bx', responseMode: 'requestResponse' } },
        { id: 'xml', type: 'build-xml', settings: SETTINGS },
      ],
      edges: [{ id: 'e', source: 'hook', target: 'xml' }],
    } as never);
    const res = await send(t.url('/bx'), { body: JSON.stringify(EVENT), headers: { 'content-type': 'application/json' } });
    const preview = await previewBuildXml(SETTINGS, { trigger: { body: EVENT }, data: EVENT, vars: {} });
    expect(preview).toEqual({ ok: true, text: res.text });
    expect(res.text).toContain('<Url>https://api.itscope.com/2.1/business/documents/123456790/ORDERRESPONSE.xml?format=xml&amp;lang=de</Url>');
    expect(res.text).toContain('<sku>B&amp;O-H95</sku>');
  });

  it('says what the run would fail with: a key that is no XML name, a bad setting, a failing source', async () => {
    const ctx = { data: { order: { 'Artikel Nr': 1 } } };
    expect(await previewBuildXml({ source: 'data' }, ctx)).toEqual({ ok: false, error: 'order.Artikel Nr: "Artikel Nr" is not a valid XML element name' });
    expect((await previewBuildXml({ source: 'data', rootName: '1Order' }, ctx)).ok).toBe(false);
    expect(await previewBuildXml({ source: 'data.order + 1', rootName: 'r' }, ctx)).toEqual({ ok: false, error: 'source: line 1, column 12: The left side of the "+" operator must evaluate to a number' });
  });
});
