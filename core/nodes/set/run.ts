import type { Message } from '../../model/message';
import type { CompiledExpression } from '../../template/expression';
import { compileAt, evaluateOnMessage } from '../map/expression-support';
import { ProblemsError, type Problem } from '../../model/problems';
import type { NodeRunner } from '../runner-types';
import { parseSetTarget, withField, type SetSettings, type SetTarget } from './spec';

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
      msg = withField(msg, f.target, value);
    }
    return { message: msg };
  },
};
