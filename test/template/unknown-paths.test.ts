import { describe, expect, it } from 'vitest';
import { analyzeTemplate, compileTemplate, suggestPath, unknownPaths } from '../../core/template';
import { analyze } from '../../renderer/editor/template-support';
import { itscopeEvent } from '../bench/lib/erp-xml';

const event = itscopeEvent(1);
const sample = { data: event, trigger: { body: event, headers: { 'content-type': 'application/json' } }, vars: {} };

describe('misspelt fields of the sample are marked where they are written, with the right name', () => {
  it('"did you mean" covers case and typos, not only other tools\' habits', () => {
    expect(suggestPath(['data', 'orderid'], sample)).toBe('data.orderId');
    expect(suggestPath(['data', 'itscopeOrderID'], sample)).toBe('data.itscopeOrderId');
    expect(suggestPath(['data', 'lnes', 'sku'], sample)).toBe('data.lines.sku');
    expect(suggestPath(['data', 'transactionStaus'], sample)).toBe('data.transactionStatus');
    expect(suggestPath(['itscopeorderid'], sample)).toBe('data.itscopeOrderId');
    expect(suggestPath(['trigger', 'headers', 'Content-Type'], sample)).toBe('trigger.headers.`content-type`');
    // Nothing close: no guess.
    expect(suggestPath(['data', 'customer'], sample)).toBeUndefined();
  });

  it('a template token that is more than a path has each of its paths checked', () => {
    const text = '<Ref>{{ data.orderID & "/" & data.documentId }}</Ref>{{#each data.lines as line}}<P>{{ line.qty * line.prize }}</P>{{/each}}';
    const warnings = analyzeTemplate(text, 'xml', sample).problems.map((p) => [p.message, text.slice(p.start, p.end)]);
    expect(warnings).toEqual([
      ['"data.orderID" is not in the sample data; did you mean "data.orderId"?', 'data.orderID'],
      ['"line.prize" is not in the sample data; did you mean "line.price"?', 'line.prize'],
    ]);
  });

  it('a path through an index, as the data tree inserts it, is checked to its end', () => {
    expect(unknownPaths('data.lines[0].sku & data.lines[0].skux', sample).map((u) => [u.path, u.hint])).toEqual([['data.lines[0].skux', 'data.lines[0].sku']]);
  });

  it('paths inside filters, blocks and lambdas are read relative to an item and are not flagged', () => {
    expect(unknownPaths('$sum(data.lines.(qty * price)) + $count(data.lines[qty > 1]) + $count($map(data.lines, function($l) { $l.sku }))', sample)).toEqual([]);
  });

  it('a Map mapping marks the field whose key JSONata would silently drop', () => {
    const mapping = '{\n  "ref": data.orderId,\n  "erpRef": data.itscopeOrderID,\n  "type": $lowercase(data.eventtype)\n}';
    const d = analyze(mapping, 'expression', sample, 'jsonata');
    expect(d.map((x) => [x.message, mapping.slice(x.start, x.end)])).toEqual([
      ['unknown field "data.itscopeOrderID" in the sample data; did you mean "data.itscopeOrderId"?', 'data.itscopeOrderID'],
      ['unknown field "data.eventtype" in the sample data; did you mean "data.eventType"?', 'data.eventtype'],
    ]);
    expect(d.every((x) => x.severity === 'warning')).toBe(true);
  });

  it('an expression that reads another root (a webhook\'s idempotency key over the request) is not marked', () => {
    expect(analyze('headers.`webhook-id` & body.orderId', 'expression', sample, 'jsonata')).toEqual([]);
  });
});

describe('a function named without calling it', () => {
  it('{{ $now }} (n8n\'s habit) is a compile error saying to call it, not JSONata\'s function object in the partner\'s body', async () => {
    const text = '{\n  "sent": {{ $now }},\n  "id": "{{ $uuid }}"\n}';
    expect(() => compileTemplate(text, { kind: 'json' })).toThrow('$now is a function: call it, $now() (in {{ $now }}) (line 2, column 14)');
    const a = analyzeTemplate(text, 'json', sample).problems.filter((p) => p.severity === 'error');
    expect(a.map((p) => [p.message, text.slice(p.start, p.end)])).toEqual([
      ['$now is a function: call it, $now()', '$now'],
      ['$uuid is a function: call it, $uuid()', '$uuid'],
    ]);
    // Called, or passed to a function that takes one, is fine.
    const ok = compileTemplate('{ "sent": {{ $now() }}, "skus": {{ $map(data.lines.sku, $uppercase) }} }', { kind: 'json' });
    expect(JSON.parse(await ok.render({ data: { lines: [{ sku: 'a' }] } })).skus).toBe('A');
  });
});

describe('a Map that names a function without calling it', () => {
  it('marks $now where the value would land in the data, not where a function is an argument', () => {
    const mapping = '{\n  "receivedAt": $now,\n  "skus": $map(data.lines.sku, $uppercase),\n  "ids": [$uuid, $uuid()]\n}';
    const d = analyze(mapping, 'expression', sample, 'jsonata').filter((x) => x.severity === 'error');
    expect(d.map((x) => [x.message, mapping.slice(x.start, x.end)])).toEqual([
      ['$now is a function: call it, $now()', '$now'],
      ['$uuid is a function: call it, $uuid()', '$uuid'],
    ]);
  });
});
