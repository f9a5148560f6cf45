import fc from 'fast-check';
import jsonata from 'jsonata';
import { describe, expect, it } from 'vitest';
import { compileExpression, ExpressionRuntimeError, ExpressionSyntaxError } from '../../core/template/expression';

describe('compileExpression: simple paths', () => {
  it('answers simple paths synchronously, including $env and $vars', () => {
    const e = compileExpression('data.order.id');
    expect(e.simplePath).toBe(true);
    expect(e.path).toEqual(['data', 'order', 'id']);
    expect(e.evaluate({ data: { order: { id: 'A1' } } })).toBe('A1');
    expect(compileExpression('$env.API_URL').evaluate({}, { env: { API_URL: 'http://x' } })).toBe('http://x');
    expect(compileExpression('$vars.n').evaluate({}, { vars: { n: 3 } })).toBe(3);
    expect(compileExpression('data.missing.deep').evaluate({ data: {} })).toBeUndefined();
  });

  it('sends literals and lambdas to JSONata instead of reading a property named true', async () => {
    for (const src of ['true', 'false', 'null']) {
      const e = compileExpression(src);
      expect(e.simplePath).toBe(false);
      expect(await e.evaluate({ true: 'wrong', false: 'wrong', null: 'wrong' })).toBe(JSON.parse(src));
    }
  });

  it('maps over arrays the way JSONata does (property test against the real engine)', async () => {
    const key = fc.constantFrom('a', 'b', 'c');
    const leaf = fc.oneof(fc.integer(), fc.string({ maxLength: 3 }), fc.constant(null), fc.boolean());
    const { tree } = fc.letrec((tie) => ({
      tree: fc.oneof({ depthSize: 'small', withCrossShrink: true }, leaf, tie('arr'), tie('obj')),
      arr: fc.array(tie('tree'), { maxLength: 3 }),
      obj: fc.dictionary(key, tie('tree'), { maxKeys: 3 }),
    }));
    await fc.assert(
      fc.asyncProperty(fc.dictionary(key, tree, { maxKeys: 3 }), fc.array(key, { minLength: 1, maxLength: 4 }), async (input, steps) => {
        const src = steps.join('.');
        const fast = compileExpression(src);
        expect(fast.simplePath).toBe(true);
        const expected = await jsonata(src).evaluate(input);
        expect(JSON.stringify(fast.evaluate(input))).toBe(JSON.stringify(expected));
      }),
      { numRuns: 3000 },
    );
  });
});

describe('compileExpression: JSONata', () => {
  it('evaluates full JSONata with $env bound', async () => {
    const e = compileExpression('$env.BASE & "/orders/" & data.id');
    expect(e.simplePath).toBe(false);
    expect(await e.evaluate({ data: { id: 5 } }, { env: { BASE: 'https://erp' } })).toBe('https://erp/orders/5');
  });

  it('reports syntax errors with line and column', () => {
    try {
      compileExpression('(\n  data.x + )');
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ExpressionSyntaxError);
      const err = e as ExpressionSyntaxError;
      expect([err.line, err.column]).toEqual([2, 12]);
      expect(err.message).toMatch(/line 2, column 12/);
    }
  });

  it('turns JSONata runtime errors into Errors with the code kept', async () => {
    const err: any = await Promise.resolve(compileExpression("$notAFunction(1)").evaluate({})).catch((e) => e);
    expect(err).toBeInstanceOf(ExpressionRuntimeError);
    expect(err.code).toBe('T1006');
  });

  it('stops endless recursion with the time limit', async () => {
    const e = compileExpression('($f := function($x){ $f($x + 1) }; $f(1))', { timeoutMs: 200, maxDepth: 100_000 });
    const err: any = await Promise.resolve(e.evaluate({})).catch((x) => x);
    expect(err).toBeInstanceOf(ExpressionRuntimeError);
    expect(['D1011', 'D1012']).toContain(err.code);
  });
});

describe('expression safety', () => {
  const attacks = [
    '$string.constructor',
    '$string.constructor("return process")()',
    'data.constructor',
    'data.constructor.constructor("return process")()',
    'data.__proto__',
    'data.__proto__.constructor',
    '$lookup(data, "constructor")',
    '$lookup($lookup(data, "__proto__"), "constructor")',
    '{}.constructor',
    '$.constructor.constructor("return globalThis")()',
    '$sift(data, function($v){true}).constructor',
    'data ~> | __proto__ | {"polluted": true} |',
    'data ~> | $ | {"__proto__": {"polluted": true}} |',
    '$merge([{}, {"__proto__": {"polluted": true}}])',
    'process', '$process', 'require', '$require("fs")', 'globalThis', '$globalThis',
  ];
  it.each(attacks)('%s reaches nothing dangerous', async (src) => {
    const input = { data: { a: 1, nested: { b: 2 } } };
    let value: unknown;
    try {
      value = await compileExpression(src).evaluate(input);
    } catch {
      value = undefined; // an error is a fine outcome; reaching something is not
    }
    expect(typeof value).not.toBe('function');
    if (value && typeof value === 'object') {
      expect(value).not.toBe(Object.prototype);
      expect(JSON.stringify(value)).not.toMatch(/process/); // an own "__proto__" key is just data
    }
    expect(({} as any).polluted).toBeUndefined();
    expect(Object.prototype.hasOwnProperty.call(Object.prototype, 'polluted')).toBe(false);
  });

  it('$eval is disabled', async () => {
    await expect(Promise.resolve(compileExpression('$eval("1 + 1")').evaluate({}))).rejects.toThrow(/\$eval is disabled/);
  });

  it('never evaluates data as an expression', async () => {
    const payload = '$eval("1+1") & $string.constructor';
    expect(compileExpression('data.x').evaluate({ data: { x: payload } })).toBe(payload);
    expect(await compileExpression('data.x & ""').evaluate({ data: { x: payload } })).toBe(payload);
  });

  it('reads own data properties named constructor or __proto__ as plain data', () => {
    const data = JSON.parse('{"constructor": "c", "__proto__": {"p": 1}}');
    expect(compileExpression('data.constructor').evaluate({ data })).toBe('c');
    expect(compileExpression('data.__proto__.p').evaluate({ data })).toBe(1);
    expect(compileExpression('data.toString').evaluate({ data: {} })).toBeUndefined();
  });
});

describe('syntax error positions against the text as given', () => {
  it('counts leading whitespace and lines', () => {
    const err = (() => {
      try {
        compileExpression('\n  $x(');
      } catch (e) {
        return e as ExpressionSyntaxError;
      }
    })();
    expect(err?.line).toBe(2);
    expect(err?.position).toBeGreaterThanOrEqual(3);
  });
});
