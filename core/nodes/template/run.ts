import type { CompiledTemplate } from '../../template/template';
import { compileTemplateAt, renderFailure } from '../map/expression-support';
import type { Message } from '../../model/message';
import { NodeError, type NodeResult, type NodeRunner } from '../runner-types';
import type { TemplateSettings } from './spec';

export const templateRunner: NodeRunner<TemplateSettings, CompiledTemplate> = {
  type: 'template',
  prepare: (s, ctx) => compileTemplateAt(s.template, { kind: s.kind, missing: s.missing }, ctx, 'template'),
  // Synchronous when the template is (simple paths only): no promise and no microtask turn for the step.
  run(input, ctx) {
    let out: string | Promise<string>;
    try {
      out = ctx.prepared.render({ data: input.data, trigger: input.trigger, vars: input.vars, env: ctx.env });
    } catch (e) {
      throw renderFailure(e);
    }
    if (typeof out === 'string') return finish(out, input, ctx.settings);
    return out.then(
      (text) => finish(text, input, ctx.settings),
      (e) => {
        throw renderFailure(e);
      },
    );
  },
};

function finish(text: string, input: Message, s: TemplateSettings): NodeResult {
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
}
