import { ProblemsError, type Problem } from '../../model/problems';
import type { CompiledExpression } from '../../template/expression';
import { truthy } from '../../template/truthy';
import { compileAt, evaluateOnMessage } from '../map/expression-support';
import type { NodeRunner } from '../runner-types';
import type { SwitchSettings } from './spec';

interface PreparedCase {
  id: string;
  expr: CompiledExpression;
}

export const switchRunner: NodeRunner<SwitchSettings, PreparedCase[]> = {
  type: 'switch',
  prepare(s, ctx) {
    // Every broken case is reported at once, so one deploy attempt shows them all.
    const problems: Problem[] = [];
    const cases = s.cases.map((c, i) => {
      try {
        return { id: c.id, expr: compileAt(c.expression, ctx, `cases[${i}].expression`) };
      } catch (e) {
        if (!(e instanceof ProblemsError)) throw e;
        problems.push(...e.problems);
        return undefined;
      }
    });
    if (problems.length) throw new ProblemsError(problems);
    return cases as PreparedCase[];
  },
  async run(input, ctx) {
    const all = ctx.settings.mode === 'all';
    const ports: string[] = [];
    for (const [i, c] of ctx.prepared.entries()) {
      if (!truthy(await evaluateOnMessage(c.expr, input, ctx.env, `cases[${i}].expression`))) continue;
      ports.push(c.id);
      if (!all) break;
    }
    if (!ports.length) return { port: 'default', message: input };
    // The same (never mutated) message goes to every matching output.
    return { emits: ports.map((port) => ({ port, message: input })) };
  },
};
