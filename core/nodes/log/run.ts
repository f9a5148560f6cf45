import { compileExpression, type CompiledExpression } from '../../template/expression';
import type { NodeRunner } from '../runner-types';
import type { LogSettings } from './spec';

export const logRunner: NodeRunner<LogSettings, CompiledExpression | undefined> = {
  type: 'log',
  prepare: (s) => (s.value ? compileExpression(s.value) : undefined),
  async run(input, ctx) {
    const value = ctx.prepared ? await ctx.prepared.evaluate(input, { env: ctx.env }) : input.data;
    ctx.logger[ctx.settings.level](ctx.settings.message, { executionId: ctx.executionId, nodeId: ctx.node.id, value });
    return { message: input };
  },
};
