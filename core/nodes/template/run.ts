import type { CompiledTemplate } from '../../template/template';
import { compileTemplateAt, renderFailure } from '../map/expression-support';
import type { Message } from '../../model/message';
import { lineColumn } from '../../template/expression';
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
      throw notJson(text, e as Error);
    }
  }
  if (s.target === 'var') return { message: { ...input, vars: { ...input.vars, [s.varName!]: value } } };
  return { message: { ...input, data: value } };
}

/** Where the rendered text stops being JSON: its line and column and the text around it (the failure path only). */
function notJson(text: string, e: Error): NodeError {
  const at = /position (\d+)/.exec(e.message);
  const pos = at ? Number(at[1]) : 0;
  const { line, column } = lineColumn(text, pos);
  const near = text.slice(Math.max(0, pos - 24), pos + 24).replace(/\s+/g, ' ').trim();
  const message = at ? ` (output line ${line}, column ${column}): ${e.message}; near: ${near}` : `: ${e.message}`;
  return new NodeError(`template: the rendered text is not valid JSON${message}`, 'template_failed', at ? { line, column } : undefined);
}
