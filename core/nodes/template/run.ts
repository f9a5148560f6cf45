import type { CompiledTemplate } from '../../template/template';
import { compileTemplateAt, renderFailure } from '../map/expression-support';
import { NodeError, type NodeRunner } from '../runner-types';
import type { TemplateSettings } from './spec';

export const templateRunner: NodeRunner<TemplateSettings, CompiledTemplate> = {
  type: 'template',
  prepare: (s, ctx) => compileTemplateAt(s.template, { kind: s.kind, missing: s.missing }, ctx, 'template'),
  async run(input, ctx) {
    const s = ctx.settings;
    let text: string;
    try {
      text = await ctx.prepared.render({ data: input.data, trigger: input.trigger, vars: input.vars, env: ctx.env });
    } catch (e) {
      throw renderFailure(e);
    }
    let value: unknown = text;
    if (s.kind === 'json') {
      try {
        value = text.trim() === '' ? null : JSON.parse(text);
      } catch (e) {
        // The engine keeps values from breaking the document; this catches a template that is not JSON itself.
        throw new NodeError(`template: the rendered text is not valid JSON (${(e as Error).message})`, 'template_failed');
      }
    }
    if (s.target === 'var') return { message: { ...input, vars: { ...input.vars, [s.varName!]: value } } };
    return { message: { ...input, data: value } };
  },
};
