import { compileExpression, type CompiledExpression } from '../../template/expression';
import { HttpError, parseBody, parseXmlBody } from '../../webhook';
import { NodeError, type NodeRunner, type PrepareContext } from '../runner-types';
import { ProblemsError } from '../../model/problems';
import { evaluateOnMessage } from '../map/expression-support';
import { CsvError, parseCsv } from './csv';
import type { ParseSettings } from './spec';

/**
 * Parse node: text from the source expression -> object in `data`. JSON and form data go through the
 * webhook body parser and XML through `parseXmlBody`, so a payload parsed here is treated exactly like
 * one received by a webhook (same DTD rejection, entity rules, depth cap and prototype safety).
 */
export const parseRunner: NodeRunner<ParseSettings, CompiledExpression> = {
  type: 'parse',
  prepare: (s, ctx) => compileSource(s.source, ctx),
  async run(input, ctx) {
    const s = ctx.settings;
    const value = await evaluateOnMessage(ctx.prepared, input, ctx.env, 'source');
    const text = sourceText(value, s);
    return { message: { ...input, data: parseText(text, s) } };
  },
};

/**
 * Compiles a node's `source` expression, reporting a syntax error at `<node>.settings.source`.
 * @example
 * prepare: (s, ctx) => compileSource(s.source, ctx), // ProblemsError at nodes[2].settings.source for `data.(`
 */
export function compileSource(source: string, ctx: PrepareContext): CompiledExpression {
  try {
    return compileExpression(source);
  } catch (e) {
    throw new ProblemsError([{ path: `${ctx.path}.source`, code: 'expression_syntax', message: (e as Error).message, nodeId: ctx.node.id }]);
  }
}

function sourceText(value: unknown, s: ParseSettings): string {
  if (value === undefined || value === null) throw new NodeError(`source "${s.source}" gave no value to parse`, 'parse_failed', undefined, 400);
  if (typeof value !== 'string')
    throw new NodeError(`source "${s.source}" must be text to parse as ${s.format.toUpperCase()}, got ${Array.isArray(value) ? 'an array' : typeof value}`, 'parse_failed', undefined, 400);
  // Checked before decoding or parsing, so oversized input costs no more than measuring it.
  const bytes = s.encoding === 'base64' ? Math.floor((value.length * 3) / 4) : Buffer.byteLength(value, 'utf8');
  if (bytes > s.maxBytes) throw new NodeError(`input is ${bytes} bytes, more than maxBytes (${s.maxBytes})`, 'payload_too_large', { bytes, maxBytes: s.maxBytes }, 413);
  return s.encoding === 'base64' ? Buffer.from(value, 'base64').toString('utf8') : value;
}

/**
 * Parses text in one of the node's formats. Throws NodeError (`parse_failed`, HTTP 400) with the line and
 * column in `details` when the text is malformed.
 * @example
 * parseText('a=1&a=2', { format: 'form', ...defaults }); // { a: ['1', '2'] }
 */
export function parseText(text: string, s: Pick<ParseSettings, 'format' | 'delimiter' | 'header' | 'maxDepth'>): unknown {
  try {
    switch (s.format) {
      case 'json':
        if (!text.trim()) throw new NodeError('JSON: the input is empty', 'parse_failed', undefined, 400);
        return parseBody(Buffer.from(text, 'utf8'), 'application/json').body;
      case 'form':
        return text.trim() ? parseBody(Buffer.from(text.replace(/^\?/, ''), 'utf8'), 'application/x-www-form-urlencoded').body : {};
      case 'xml':
        return parseXmlBody(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text, s.maxDepth);
      case 'csv':
        return parseCsv(text, { delimiter: s.delimiter, header: s.header });
    }
  } catch (e) {
    if (e instanceof NodeError) throw e;
    if (e instanceof HttpError) {
      const { error, message, ...where } = e.body as { error: string; message: string; line?: number; column?: number };
      // The place in the message too (as CSV does), not only in details: "position 412" of an ERP answer says little.
      const at = where.line !== undefined && !message.includes(`(line ${where.line}, column ${where.column})`) ? ` (line ${where.line}, column ${where.column})` : '';
      throw new NodeError(`${message}${at}`, error === 'malformed_body' ? 'parse_failed' : error, Object.keys(where).length ? where : undefined, 400);
    }
    if (e instanceof CsvError) throw new NodeError(e.message, 'parse_failed', { line: e.line, column: e.column }, 400);
    throw new NodeError(`${s.format.toUpperCase()}: ${(e as Error).message}`, 'parse_failed', undefined, 400);
  }
  return undefined;
}
