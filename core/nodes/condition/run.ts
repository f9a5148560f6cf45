import type { CompiledExpression } from '../../template/expression';
import { truthy } from '../../template/truthy';
import { compileAt, evaluateOnMessage } from '../map/expression-support';
import type { NodeRunner } from '../runner-types';
import type { ConditionSettings } from './spec';

export const conditionRunner: NodeRunner<ConditionSettings, CompiledExpression> = {
  type: 'condition',
  prepare: (s, ctx) => compileAt(s.expression, ctx, 'expression'),
  async run(input, ctx) {
    const value = await evaluateOnMessage(ctx.prepared, input, ctx.env, 'expression');
    return { port: truthy(value) ? 'true' : 'false', message: input };
  },
};
