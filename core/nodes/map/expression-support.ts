import type { Message } from '../../model/message';
import { ProblemsError } from '../../model/problems';
import { compileExpression, type CompiledExpression } from '../../template/expression';
import { compileTemplate, type CompiledTemplate, type TemplateOptions } from '../../template/template';
import { NodeError, type PrepareContext } from '../runner-types';

/**
 * Compiles an expression setting at deploy. A syntax error fails the deploy with a problem at
 * `${ctx.path}.${field}` whose message carries the line and column.
 * @example
 * prepare: (s, ctx) => compileAt(s.expression, ctx, 'expression')
 */
export function compileAt(source: string, ctx: Pick<PrepareContext, 'path' | 'node'>, field: string): CompiledExpression {
  try {
    return compileExpression(source);
  } catch (err) {
    throw new ProblemsError([{ path: `${ctx.path}.${field}`, code: 'expression_syntax', message: (err as Error).message, nodeId: ctx.node.id }]);
  }
}

/**
 * Compiles a template setting at deploy; a syntax error fails the deploy naming the field, line and column.
 * @example
 * prepare: (s, ctx) => compileTemplateAt(s.template, { kind: 'xml', missing: 'fail' }, ctx, 'template')
 */
export function compileTemplateAt(text: string, options: TemplateOptions, ctx: Pick<PrepareContext, 'path' | 'node'>, field: string): CompiledTemplate {
  try {
    return compileTemplate(text, options);
  } catch (err) {
    throw new ProblemsError([{ path: `${ctx.path}.${field}`, code: 'template_syntax', message: (err as Error).message, nodeId: ctx.node.id }]);
  }
}

/**
 * Evaluates a compiled expression against a message (`data`, `trigger`, `vars`, and `error` on error paths)
 * with `$env` and `$vars` bound, the same context the template engine gives tokens. A failure becomes a
 * NodeError that names the setting, so the step record says which expression broke.
 * @example
 * const total = await evaluateOnMessage(compileExpression('$sum(data.lines.qty)'), message, env, 'expression');
 */
export async function evaluateOnMessage(expr: CompiledExpression, message: Message, env: Record<string, string>, field: string): Promise<unknown> {
  try {
    return await expr.evaluate(message, { env, vars: message.vars });
  } catch (e) {
    const err = e as Error & { code?: unknown; line?: number; column?: number };
    // A 12-line mapping that fails needs the place: the operator or function that failed, as the editor counts.
    const at = err.line !== undefined ? ` (line ${err.line}, column ${err.column})` : '';
    throw new NodeError(`${field}${at}: ${err.message}`, 'expression_failed', { field, code: typeof err.code === 'string' ? err.code : undefined, line: err.line, column: err.column });
  }
}

/**
 * A template render failure (missing value under `fail`, an expression error) as a node error naming the token's place.
 * @example
 * try { text = await t.render(ctx) } catch (e) { throw renderFailure(e) } // code 'template_failed', details { line, column, token }
 */
export function renderFailure(e: unknown): NodeError {
  const err = e as Error & { line?: number; column?: number; token?: string };
  return new NodeError(`template: ${err.message}`, 'template_failed', { line: err.line, column: err.column, token: err.token });
}
