import jsonata from 'jsonata';

/**
 * JSONata expressions, compiled once (at deploy) and evaluated many times. Plain dotted paths
 * (`body.orderId`) skip JSONata entirely: they are the common case on the hot path.
 */
export interface CompiledExpression {
  readonly source: string;
  readonly simplePath: boolean;
  evaluate(input: unknown, bindings?: Record<string, unknown>): unknown | Promise<unknown>;
}

export class ExpressionSyntaxError extends Error {
  constructor(
    message: string,
    /** 0-based character offset into the expression. */
    public readonly position: number,
    public readonly line: number,
    public readonly column: number,
  ) {
    super(message);
    this.name = 'ExpressionSyntaxError';
  }
}

const SIMPLE_PATH = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/;

export function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let col = 1;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text[i] === '\n') {
      line++;
      col = 1;
    } else col++;
  }
  return { line, column: col };
}

/** Functions that would evaluate data as code are replaced, so outside data is never run as an expression. */
const BLOCKED_BINDINGS: Record<string, unknown> = {
  eval: () => {
    throw new Error('$eval is disabled: data is never evaluated as an expression');
  },
};

/**
 * @example
 * const e = compileExpression('body.orderId');
 * await e.evaluate({ body: { orderId: 'A1' } }); // 'A1'
 */
export function compileExpression(source: string): CompiledExpression {
  const src = source.trim();
  if (SIMPLE_PATH.test(src)) {
    const parts = src.split('.');
    const slow = jsonataExpression(src);
    return {
      source: src,
      simplePath: true,
      evaluate(input, bindings) {
        let cur: any = input;
        for (const p of parts) {
          if (cur == null) return undefined;
          if (Array.isArray(cur)) return slow.evaluate(input, bindings); // JSONata maps over arrays
          if (typeof cur !== 'object' || !Object.prototype.hasOwnProperty.call(cur, p)) return undefined;
          cur = cur[p];
        }
        return cur;
      },
    };
  }
  return jsonataExpression(src);
}

function jsonataExpression(src: string): CompiledExpression {
  let expr: ReturnType<typeof jsonata>;
  try {
    expr = jsonata(src);
  } catch (e: any) {
    const pos = typeof e?.position === 'number' ? Math.max(0, e.position - 1) : 0;
    const { line, column } = lineColumn(src, pos);
    throw new ExpressionSyntaxError(`${e?.message ?? String(e)} (line ${line}, column ${column})`, pos, line, column);
  }
  for (const [k, v] of Object.entries(BLOCKED_BINDINGS)) expr.registerFunction(k, v as any);
  return {
    source: src,
    simplePath: false,
    evaluate(input, bindings) {
      return expr.evaluate(input, bindings as any);
    },
  };
}
