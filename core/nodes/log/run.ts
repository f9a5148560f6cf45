import type { CompiledExpression } from '../../template/expression';
import { compileAt, evaluateOnMessage } from '../map/expression-support';
import type { NodeRunner } from '../runner-types';
import type { LogSettings } from './spec';

export const logRunner: NodeRunner<LogSettings, CompiledExpression | undefined> = {
  type: 'log',
  // A syntax error names settings.value (line and column), as every other expression field does.
  prepare: (s, ctx) => (s.value ? compileAt(s.value, ctx, 'value') : undefined),
  async run(input, ctx) {
    const value = ctx.prepared ? await evaluateOnMessage(ctx.prepared, input, ctx.env, 'value') : input.data;
    ctx.logger[ctx.settings.level](ctx.settings.message, { executionId: ctx.executionId, nodeId: ctx.node.id, value });
    return { message: input };
  },
};
