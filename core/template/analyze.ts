import { XMLValidator } from 'fast-xml-parser';
import type { TemplateKind } from './context-lexer';
import { compileExpression, ExpressionSyntaxError, lineColumn, simplePathSteps } from './expression';
import { isTag, parseTemplate, scanTemplate, TemplateSyntaxError, type Tag } from './parse';
import { evaluatePath } from './path-eval';
import { foreignVariableHint, suggestPath, uncalledFunction } from './hints';
import { HELPER_NAMES } from './helpers';
import { unknownPaths } from './path-uses';
import { compileTemplate, TemplateRenderError, type MissingPolicy, type TemplateContext } from './template';

/** Editor support: the same parser and evaluator that run at deploy, answering with ranges. */

export interface TemplateToken {
  /** The expression inside the tag (for blocks: the condition or the list). */
  expression: string;
  kind: 'value' | 'each' | 'if' | 'elseif';
  /** 0-based offsets of the whole `{{ … }}` tag in the template text. */
  start: number;
  end: number;
  line: number;
  column: number;
  /** Value in the sample, for simple paths that resolve. */
  value?: unknown;
}

export interface TemplateProblem {
  message: string;
  start: number;
  end: number;
  line: number;
  column: number;
  severity: 'error' | 'warning';
}

export interface TemplateAnalysis {
  tokens: TemplateToken[];
  problems: TemplateProblem[];
  /** Paths found in the sample (`data.orderId`, `data.lines[0].sku`, `$env.API_URL`, loop variables). */
  completions: string[];
}

const MAX_COMPLETIONS = 1000;
const MAX_DEPTH = 8;
const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;

function collectPaths(value: unknown, prefix: string, out: Set<string>, depth: number): void {
  if (depth > MAX_DEPTH || out.size >= MAX_COMPLETIONS || value === null || typeof value !== 'object') return;
  if (Array.isArray(value)) {
    if (value.length === 0) return;
    const p = `${prefix}[0]`;
    out.add(p);
    collectPaths(value[0], p, out, depth + 1);
    return;
  }
  for (const key of Object.keys(value)) {
    if (out.size >= MAX_COMPLETIONS) return;
    const p = `${prefix}.${IDENT.test(key) ? key : '`' + key.replace(/`/g, '') + '`'}`;
    out.add(p);
    collectPaths((value as Record<string, unknown>)[key], p, out, depth + 1);
  }
}

function problem(text: string, message: string, start: number, end: number, severity: TemplateProblem['severity']): TemplateProblem {
  return { message, start, end, severity, ...lineColumn(text, start) };
}

/**
 * Tokens with ranges, problems with ranges (syntax errors, expression errors, and warnings for simple
 * paths the sample does not have) and completion candidates from the sample.
 * @example
 * const a = analyzeTemplate('<Id>{{ data.orderId }}</Id>', 'xml', { data: { orderId: 'A1' } });
 * a.tokens[0].value; // 'A1'
 */
export function analyzeTemplate(text: string, kind: TemplateKind, sample: TemplateContext = {}): TemplateAnalysis {
  const problems: TemplateProblem[] = [];
  const tokens: TemplateToken[] = [];
  const completions = new Set<string>();
  for (const root of ['data', 'trigger', 'vars'] as const) {
    if (sample[root] !== undefined) {
      completions.add(root);
      collectPaths(sample[root], root, completions, 0);
    }
  }
  for (const key of Object.keys(sample.env ?? {})) completions.add(`$env.${key}`);

  const pieces = scanTemplate(text, (e) => problems.push(problem(text, e.problem, e.start, e.end, 'error')));
  if (!problems.length) {
    try {
      parseTemplate(text, kind);
    } catch (e) {
      if (!(e instanceof TemplateSyntaxError)) throw e;
      problems.push(problem(text, e.problem, e.start, e.end, 'error'));
    }
  }

  // Walk the tags with a scope of loop variables bound to the first item of their list in the sample.
  const root: Record<string, unknown> = { data: sample.data, trigger: sample.trigger, vars: sample.vars };
  const scopes: Array<{ scope: Record<string, unknown>; unknown: Set<string>; kind: Tag['kind']; loops: string[] }> = [{ scope: root, unknown: new Set(), kind: 'value', loops: [] }];
  for (const piece of pieces) {
    if (!isTag(piece)) continue;
    const tag = piece;
    if (tag.kind === 'endeach' || tag.kind === 'endif') {
      if (scopes.length > 1) scopes.pop();
      continue;
    }
    if (tag.expression === undefined) continue;
    const frame = scopes[scopes.length - 1];
    const token: TemplateToken = { expression: tag.expression, kind: tag.kind as TemplateToken['kind'], start: tag.start, end: tag.end, ...lineColumn(text, tag.start) };
    tokens.push(token);
    let resolved = false;
    let value: unknown;
    try {
      const c = compileExpression(tag.expression);
      const uncalled = tag.kind === 'value' ? uncalledFunction(c.source, HELPER_NAMES) : undefined;
      if (uncalled) problems.push(problem(text, uncalled, tag.exprStart!, tag.exprStart! + c.source.length, 'error'));
      const steps = simplePathSteps(c.source);
      if (steps && !frame.unknown.has(steps[0])) {
        value = steps[0] === '$env' || steps[0] === '$vars'
          ? evaluatePath(undefined, steps, { value: steps[0] === '$env' ? sample.env : sample.vars })
          : evaluatePath(frame.scope, steps);
        resolved = true;
        if (value === undefined && steps[0] === '$env') {
          const hint = steps.length === 2 ? Object.keys(sample.env ?? {}).find((k) => k.toLowerCase() === steps[1].toLowerCase()) : undefined;
          problems.push(problem(text, `"${c.source}" is not a variable of the active environment${hint ? `; did you mean "$env.${hint}"?` : ' (see Environments; the process environment may still set it)'}`, tag.exprStart!, tag.exprStart! + c.source.length, 'warning'));
        } else if (value === undefined) {
          const hint = suggestPath(steps, frame.scope, frame.loops);
          problems.push(problem(text, `"${c.source}" is not in the sample data${hint ? `; did you mean "${hint}"?` : ''}`, tag.exprStart!, tag.exprStart! + c.source.length, 'warning'));
        } else token.value = value;
      }
      // Richer expressions (`data.orderId & '-' & data.documentId`): each message path they read is checked too.
      if (!steps) {
        for (const u of unknownPaths(c.source, frame.scope, frame.loops, frame.unknown)) {
          problems.push(problem(text, `"${u.path}" is not in the sample data${u.hint ? `; did you mean "${u.hint}"?` : ''}`, tag.exprStart! + u.start, tag.exprStart! + u.end, 'warning'));
        }
      }
      const foreign = resolved ? undefined : foreignVariableHint(c.source);
      if (foreign) {
        const hint = suggestPath(c.source.split('.'), frame.scope, frame.loops);
        problems.push(problem(text, `${foreign}${hint ? `; did you mean "${hint}"?` : ''}`, tag.exprStart!, tag.exprStart! + c.source.length, 'warning'));
      }
    } catch (e) {
      if (!(e instanceof ExpressionSyntaxError)) throw e;
      const at = tag.exprStart! + e.position;
      problems.push(problem(text, e.message.replace(/ \(line \d+, column \d+\)$/, ''), at, at + 1, 'error'));
    }
    if (tag.kind === 'each') {
      const unknown = new Set(frame.unknown);
      const scope = { ...frame.scope };
      const first = Array.isArray(value) ? value[0] : value;
      if (resolved && first !== undefined) {
        scope[tag.name!] = first;
        unknown.delete(tag.name!);
        completions.add(tag.name!);
        collectPaths(first, tag.name!, completions, 0);
      } else unknown.add(tag.name!); // no sample item: do not warn about paths under the loop variable
      if (tag.index) {
        scope[tag.index] = 0;
        unknown.delete(tag.index);
      }
      scopes.push({ scope, unknown, kind: 'each', loops: [...frame.loops, tag.name!] });
    } else if (tag.kind === 'if') scopes.push({ scope: frame.scope, unknown: frame.unknown, kind: 'if', loops: frame.loops });
  }
  problems.sort((a, b) => a.start - b.start);
  return { tokens, problems, completions: [...completions] };
}

export interface PreviewResult {
  output?: string;
  /** Template or expression error (line/column in the template), or invalid rendered JSON/XML (line/column in the output). */
  error?: { message: string; line: number; column: number };
}

function checkOutput(kind: TemplateKind, output: string): PreviewResult['error'] {
  if (kind === 'json') {
    try {
      JSON.parse(output);
    } catch (e: any) {
      const m = /position (\d+)/.exec(String(e?.message));
      const { line, column } = lineColumn(output, m ? Number(m[1]) : 0);
      return { message: `the rendered output is not valid JSON (output line ${line}, column ${column}): ${e?.message}`, line, column };
    }
  } else if (kind === 'xml') {
    const r = XMLValidator.validate(output);
    if (r !== true) {
      const { line, col } = r.err;
      return { message: `the rendered output is not well-formed XML (output line ${line}, column ${col}): ${r.err.msg}`, line, column: col };
    }
    // The validator lets a second root pass when it is self-closing (`<a>1</a><b/>`).
    const second = secondRootAt(output);
    if (second >= 0) {
      const { line, column } = lineColumn(output, second);
      return { message: `the rendered output is not well-formed XML (output line ${line}, column ${column}): a second root element; an XML document has exactly one`, line, column };
    }
  }
  return undefined;
}

/**
 * Where a second top-level element starts in XML the validator accepted, or -1. Skips the declaration, processing
 * instructions, comments, the doctype and CDATA, and `>` inside quoted attribute values.
 */
function secondRootAt(xml: string): number {
  let depth = 0;
  let roots = 0;
  let i = xml.indexOf('<');
  while (i !== -1 && i < xml.length) {
    if (xml.startsWith('<?', i)) i = xml.indexOf('?>', i) + 2;
    else if (xml.startsWith('<!--', i)) i = xml.indexOf('-->', i) + 3;
    else if (xml.startsWith('<![CDATA[', i)) i = xml.indexOf(']]>', i) + 3;
    else if (xml.startsWith('<!', i)) i = xml.indexOf('>', i) + 1;
    else {
      const start = i;
      const closing = xml[i + 1] === '/';
      let quote = '';
      let j = i + 1;
      for (; j < xml.length; j++) {
        const c = xml[j];
        if (quote) {
          if (c === quote) quote = '';
        } else if (c === '"' || c === "'") quote = c;
        else if (c === '>') break;
      }
      const selfClosing = xml[j - 1] === '/';
      if (closing) depth--;
      else {
        if (depth === 0 && ++roots === 2) return start;
        if (!selfClosing) depth++;
      }
      i = j + 1;
    }
    if (i <= 0) break;
    i = xml.indexOf('<', i);
  }
  return -1;
}

/**
 * Renders a template against sample data for the editor's preview. Never throws: problems come back as
 * `error`. For JSON and XML the output is also checked, so a broken literal part of a template shows.
 * @example
 * await renderPreview('{"id": {{ data.id }}}', 'json', { data: { id: 1 } }); // { output: '{"id": 1}' }
 */
export async function renderPreview(text: string, kind: TemplateKind, sample: TemplateContext = {}, missing: MissingPolicy = 'empty'): Promise<PreviewResult> {
  let output: string;
  try {
    output = await compileTemplate(text, { kind, missing }).render(sample);
  } catch (e) {
    if (e instanceof TemplateSyntaxError || e instanceof TemplateRenderError) return { error: { message: e.message, line: e.line, column: e.column } };
    return { error: { message: (e as any)?.message ?? String(e), line: 1, column: 1 } };
  }
  const error = checkOutput(kind, output);
  return error ? { output, error } : { output };
}
