import type { Message } from '../../model/message';
import type { CompiledExpression } from '../../template/expression';
import { compileAt, evaluateOnMessage } from '../map/expression-support';
import { ProblemsError, type Problem } from '../../model/problems';
import type { NodeRunner } from '../runner-types';
import { FORBIDDEN_SEGMENTS, parseSetTarget, type SetSettings, type SetTarget } from './spec';

interface PreparedField {
  name: string;
  target: SetTarget;
  expr: CompiledExpression;
}

export const setRunner: NodeRunner<SetSettings, PreparedField[]> = {
  type: 'set',
  prepare(s, ctx) {
    // Every broken field is reported at once, so one deploy attempt shows them all.
    const problems: Problem[] = [];
    const fields = s.fields.map((f, i): PreparedField | undefined => {
      const target = parseSetTarget(f.name);
      // The schema already refuses these; checked again so a runner called without validation stays safe.
      if (typeof target === 'string') {
        problems.push({ path: `${ctx.path}.fields[${i}].name`, code: 'invalid_value', message: target, nodeId: ctx.node.id });
        return undefined;
      }
      try {
        return { name: f.name, target, expr: compileAt(f.expression, ctx, `fields[${i}].expression`) };
      } catch (e) {
        if (!(e instanceof ProblemsError)) throw e;
        problems.push(...e.problems);
        return undefined;
      }
    });
    if (problems.length) throw new ProblemsError(problems);
    return fields as PreparedField[];
  },
  async run(input, ctx) {
    let msg: Message = input;
    for (const [i, f] of ctx.prepared.entries()) {
      const value = await evaluateOnMessage(f.expr, msg, ctx.env, `fields[${i}].expression`);
      msg = f.target.root === 'vars'
        ? { ...msg, vars: setIn(msg.vars, f.target.path, value) as Record<string, unknown> }
        : { ...msg, data: f.target.path.length ? setIn(msg.data, f.target.path, value) : value };
    }
    return { message: msg };
  },
};

/**
 * Returns a copy of `obj` with `value` at `path`, copying only the objects along the path (the input is
 * never mutated). Copies are made with spread / slice, which define own properties, so a `__proto__` key
 * in received data stays a plain key; forbidden segments are refused outright.
 */
function setIn(obj: unknown, path: readonly string[], value: unknown): unknown {
  const [head, ...rest] = path;
  if (FORBIDDEN_SEGMENTS.has(head)) throw new Error(`refusing to write the segment "${head}"`);
  const child = (o: unknown) => (o !== null && typeof o === 'object' && Object.prototype.hasOwnProperty.call(o, head) ? (o as any)[head] : undefined);
  const next = rest.length ? setIn(child(obj), rest, value) : value;
  if (Array.isArray(obj) && /^(0|[1-9]\d{0,8})$/.test(head)) {
    const copy = obj.slice();
    copy[Number(head)] = next;
    return copy;
  }
  const base = obj !== null && typeof obj === 'object' && !Array.isArray(obj) ? obj : {};
  return { ...base, [head]: next };
}
