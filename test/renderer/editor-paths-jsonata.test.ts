import { describe, expect, it } from 'vitest';
import { compileExpression } from '../../core/template';
import { allPaths, childrenOf, hasPath, pathBeforeCursor, pathKey, valueAt } from '../../renderer/editor/context-paths';

/** An ITscope event as the webhook delivers it: headers with dashes, lines in an array, a German key. */
const ctx = {
  trigger: { headers: { 'content-type': 'application/json', 'x-itscope-event': 'ORDERRESPONSE' } },
  data: { orderId: 'SO-1', lines: [{ sku: 'B&O-H95', 'Artikel-Nr': '4711' }] },
};

describe('paths the data tree and completion insert are JSONata that reads the value', () => {
  it('every path of the data tree compiles and evaluates to the value it shows', async () => {
    for (const e of allPaths(ctx)) {
      const v = await compileExpression(e.path).evaluate(ctx);
      expect(JSON.stringify(v), e.path).toBe(JSON.stringify(valueAt(ctx, e.path)));
    }
    const paths = allPaths(ctx).map((e) => e.path);
    expect(paths).toContain('data.lines[0].sku');
    expect(paths).toContain('trigger.headers.`content-type`');
    expect(paths).toContain('data.lines[0].`Artikel-Nr`');
  });

  it('completion inserts a key that is not a name in backticks, and completes after one', () => {
    expect(childrenOf(ctx, 'trigger.headers').map((c) => pathKey(c.key))).toEqual(['`content-type`', '`x-itscope-event`']);
    expect(childrenOf(ctx, 'data.lines').map((c) => c.path)).toEqual(['data.lines.sku', 'data.lines.`Artikel-Nr`']);
    expect(pathBeforeCursor('{{ trigger.headers.`x-itscope-event`.')).toEqual({ parent: 'trigger.headers.`x-itscope-event`', partial: '' });
    expect(hasPath(ctx, 'data.lines.`Artikel-Nr`')).toBe(true);
    expect(valueAt(ctx, 'trigger.headers.`content-type`')).toBe('application/json');
  });
});
