import type { CompiledExpression } from '../../template/expression';
import { compileSource } from '../parse/run';
import { evaluateOnMessage } from '../map/expression-support';
import type { NodeRunner } from '../runner-types';
import { buildXml } from './build';
import type { BuildXmlSettings } from './spec';

export { buildXml } from './build';

export const buildXmlRunner: NodeRunner<BuildXmlSettings, CompiledExpression> = {
  type: 'build-xml',
  prepare: (s, ctx) => compileSource(s.source, ctx),
  async run(input, ctx) {
    const value = await evaluateOnMessage(ctx.prepared, input, ctx.env, 'source');
    return { message: { ...input, data: buildXml(value, ctx.settings) } };
  },
};
