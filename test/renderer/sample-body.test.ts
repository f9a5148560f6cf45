import { describe, expect, it } from 'vitest';
import { isWholeMessage } from '../../core/model/message';
import { toMessage } from '../../core/runtime/start-message';
import type { Flow } from '../../core/model/flow';
import { sampleBody } from '../../renderer/inspector/use-sample';
import { sampleFromBody, sampleFromText, sampleRequest } from '../../renderer/inspector/sample-request';
import { defaultDraft } from '../../renderer/panels/test-draft';

describe('pinned samples: the sample editor and manual runs read them alike', () => {
  it('a whole message shows its request body; anything else is the body itself', () => {
    const whole = sampleFromBody({ orderId: 'A-1' });
    expect(isWholeMessage(whole)).toBe(true);
    expect(sampleBody(whole)).toEqual({ orderId: 'A-1' });
    // A Manual trigger's message has data but no request body.
    expect(sampleBody({ trigger: { type: 'manual' }, data: { n: 1 } })).toEqual({ n: 1 });
    // Without data it is not a message: a manual run starts with it as the body, so the editor shows it whole.
    const partial = { trigger: { body: { orderId: 'A-1' } } };
    expect(isWholeMessage(partial)).toBe(false);
    expect(sampleBody(partial)).toEqual(partial);
    expect(toMessage(partial, 'hook', 'webhook').data).toEqual(partial);
    expect(toMessage(whole, 'hook', 'webhook').data).toEqual({ orderId: 'A-1' });
  });
});

describe('a sample received as text (an XML order): test request, cURL and sample editor keep it text', () => {
  const xml = '<?xml version="1.0" encoding="UTF-8"?>\n<ErpOrder type="ORDER" id="SO-100001">\n  <Total currency="EUR">1058.8</Total>\n</ErpOrder>';
  const xmlSample = { trigger: { type: 'webhook', body: xml, query: {}, headers: { 'content-type': 'application/xml' } }, data: { ErpOrder: { '@_id': 'SO-100001' } }, vars: {} };
  const flow = (sample: unknown) => ({ formatVersion: 1, id: 'f', name: 'F', nodes: [{ id: 'hook', type: 'webhook', position: { x: 0, y: 0 }, settings: { path: '/erp' } }], edges: [], sample }) as unknown as Flow;

  it('the Test request panel sends the XML with its Content-Type, not a JSON string of it', () => {
    const { draft } = defaultDraft(flow(xmlSample), {});
    expect(draft.headers).toBe('Content-Type: application/xml');
    expect(draft.body).toBe(xml);
    // A JSON sample stays JSON, pretty, and a string body the trigger got as JSON stays a JSON string.
    expect(defaultDraft(flow(sampleFromBody({ id: 1 })), {}).draft).toMatchObject({ headers: 'Content-Type: application/json', body: '{\n  "id": 1\n}' });
    expect(sampleRequest(sampleFromBody('just a string'))).toEqual({ contentType: 'application/json', body: '"just a string"', json: true });
    expect(sampleRequest({ trigger: { body: 'a=1', headers: { 'Content-Type': 'application/x-www-form-urlencoded' } } })).toEqual({ contentType: 'application/x-www-form-urlencoded', body: 'a=1', json: false });
    expect(sampleRequest({ trigger: { body: '{"a":1}', headers: { 'content-type': 'application/vnd.api+json' } } }).json).toBe(true);
  });

  it('"Pin request body" takes XML: the data is what the trigger parses from it; broken XML is named, JSON stays JSON', async () => {
    const at = { method: 'POST', path: '/erp' };
    const pinned = await sampleFromText(xml, xmlSample, at);
    expect(pinned).toMatchObject({ sample: { trigger: { body: xml, headers: { 'content-type': 'application/xml' }, method: 'POST', path: '/erp' }, data: { ErpOrder: { '@_id': 'SO-100001', Total: { '#text': '1058.8', '@_currency': 'EUR' } } } } });
    // XML typed over a JSON sample is taken as XML too.
    expect(await sampleFromText('<a>1</a>', sampleFromBody({ id: 1 }), at)).toMatchObject({ sample: { trigger: { headers: { 'content-type': 'application/xml' } }, data: { a: '1' } } });
    expect(await sampleFromText('<a><b></a>', xmlSample, at)).toEqual({ error: expect.stringMatching(/^sample: not well-formed XML: .*line 1/) });
    expect(await sampleFromText('{"id": 2}', xmlSample, at)).toEqual({ sample: sampleFromBody({ id: 2 }, 'POST', '/erp') });
    expect(await sampleFromText('{oops', sampleFromBody({ id: 1 }), at)).toEqual({ error: expect.stringMatching(/^sample: not valid JSON: /) });
  });
});
