import type { CompiledExpression } from '../../template/expression';
import type { NodeRunner } from '../runner-types';
import { compileAt, evaluateOnMessage } from './expression-support';
import type { MapSettings } from './spec';

export const mapRunner: NodeRunner<MapSettings, CompiledExpression> = {
  type: 'map',
  prepare: (s, ctx) => compileAt(s.expression, ctx, 'expression'),
  async run(input, ctx) {
    const value = await evaluateOnMessage(ctx.prepared, input, ctx.env, 'expression');
    // `undefined` cannot be recorded or sent as JSON; "no value" is null downstream.
    return { message: { ...input, data: value === undefined ? null : value } };
  },
};
