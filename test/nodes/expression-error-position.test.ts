import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { send, startRuntime, type TestRuntime } from '../helpers/runtime';
import { compileExpression, ExpressionRuntimeError } from '../../core/template';
import { preview } from '../../renderer/editor/template-support';

let t: TestRuntime;
beforeEach(async () => {
  t = await startRuntime();
});
afterEach(() => t.stop());

const EVENT = { orderId: 'SO-1', documentId: '123456789', lines: [{ sku: 'ITS-1', qty: 2 }] };
/** A partner mapping over several lines, where line 4 does arithmetic on a string. */
const MAPPING = `{
  "ref": data.orderId,
  "doc": data.documentId,
  "next": data.orderId + 1
}`;

let n = 0;
async function fail(node: Record<string, unknown>) {
  const id = `pos-${++n}`;
  const nodes = [{ id: 'hook', type: 'webhook', settings: { methods: ['POST'], path: `/${id}`, responseMode: 'requestResponse' } }, node];
  await t.rt.deploy({ formatVersion: 1, id, name: id, nodes, edges: [{ id: 'e', source: 'hook', target: String(node.id) }] } as never);
  const res = await send(t.url(`/${id}`), { body: JSON.stringify(EVENT), headers: { 'content-type': 'application/json' } });
  return { status: res.status, body: res.json as { error: string; message: string; details: Record<string, unknown> } };
}

describe('an expression that fails while running says where', () => {
  it('ExpressionRuntimeError carries the line and column of the failing operator or function', async () => {
    const err = await Promise.resolve(compileExpression(MAPPING).evaluate({ data: EVENT })).catch((e) => e);
    expect(err).toBeInstanceOf(ExpressionRuntimeError);
    expect(err).toMatchObject({ code: 'T2001', line: 4, column: 24 });
    const fn = await Promise.resolve(compileExpression('  $number(data.orderId)').evaluate({ data: EVENT })).catch((e) => e);
    expect(fn).toMatchObject({ code: 'D3030', line: 1, column: 3 });
  });

  it('Map names the field, line and column in the step error and the caller\'s answer', async () => {
    const r = await fail({ id: 'map', type: 'map', settings: { expression: MAPPING } });
    expect(r.status).toBe(500);
    expect(r.body.error).toBe('expression_failed');
    expect(r.body.message).toBe('expression (line 4, column 24): The left side of the "+" operator must evaluate to a number');
    expect(r.body.details).toMatchObject({ field: 'expression', code: 'T2001', line: 4, column: 24 });
  });

  it('Set fields names the row\'s field with the place', async () => {
    const r = await fail({ id: 'set', type: 'set', settings: { fields: [{ name: 'a', expression: 'data.orderId' }, { name: 'b', expression: '$substring(data.orderId, "x")' }] } });
    expect(r.body.message).toMatch(/^fields\[1\]\.expression \(line 1, column 1\): Argument 2 of function "substring"/);
  });

  it('Build XML, Parse and Validate name their source expression instead of failing without a field', async () => {
    for (const type of ['build-xml', 'parse', 'validate']) {
      const r = await fail({ id: 'n', type, settings: { source: 'data.orderId * 2' } });
      expect(r.body.error, type).toBe('expression_failed');
      expect(r.body.message, type).toBe('source (line 1, column 14): The left side of the "*" operator must evaluate to a number');
    }
  });

  it('the studio\'s Map preview says the same place', async () => {
    expect(await preview(MAPPING, 'expression', 'jsonata', { data: EVENT })).toEqual({ ok: false, error: 'line 4, column 24: The left side of the "+" operator must evaluate to a number' });
  });
});
