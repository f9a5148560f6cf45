import { compileExpression, ExpressionSyntaxError } from '../../core/template/expression';
import { hasPath, valueAt } from './context-paths';

export type EditorKind = 'template' | 'expression';
export type TemplateLanguage = 'json' | 'xml' | 'text' | 'jsonata';

export interface Diagnostic {
  /** 0-based offsets into the text. */
  start: number;
  end: number;
  message: string;
  severity: 'error' | 'warning';
}

export type Preview = { ok: true; text: string } | { ok: false; error: string };

/** `{{ ... }}` tokens with their offsets (the template engine's token syntax). */
export function findTokens(text: string): Array<{ start: number; end: number; inner: string; innerStart: number }> {
  const out: Array<{ start: number; end: number; inner: string; innerStart: number }> = [];
  const re = /\{\{([\s\S]*?)\}\}/g;
  for (let m = re.exec(text); m; m = re.exec(text)) out.push({ start: m.index, end: m.index + m[0].length, inner: m[1], innerStart: m.index + 2 });
  return out;
}

const SIMPLE = /^[A-Za-z_$][\w$]*(\.[A-Za-z_$][\w$]*)*$/;

function checkExpression(src: string, offset: number, context: unknown, out: Diagnostic[]): void {
  const expr = src.trim();
  if (!expr) {
    out.push({ start: offset, end: offset + Math.max(1, src.length), message: 'empty expression', severity: 'error' });
    return;
  }
  const lead = src.length - src.trimStart().length;
  try {
    compileExpression(expr);
  } catch (e) {
    const pos = e instanceof ExpressionSyntaxError ? e.position : 0;
    out.push({ start: offset + lead + pos, end: offset + lead + Math.max(pos + 1, expr.length), message: (e as Error).message, severity: 'error' });
    return;
  }
  // Only plain paths can be checked against the sample; anything richer is left to the preview.
  if (context !== undefined && SIMPLE.test(expr) && !expr.startsWith('$') && !hasPath(context, expr)) {
    out.push({ start: offset + lead, end: offset + lead + expr.length, message: `unknown field "${expr}" in the sample data`, severity: 'warning' });
  }
}

/** Markers for a template (every token) or a single expression, checked against the sample context. */
export function analyze(text: string, kind: EditorKind, context: unknown): Diagnostic[] {
  const out: Diagnostic[] = [];
  if (kind === 'expression') {
    if (text.trim()) checkExpression(text, 0, context, out);
    return out;
  }
  for (const t of findTokens(text)) checkExpression(t.inner, t.innerStart, context, out);
  const open = text.lastIndexOf('{{');
  if (open >= 0 && text.indexOf('}}', open) < 0) out.push({ start: open, end: text.length, message: 'unclosed "{{": add "}}"', severity: 'error' });
  return out;
}

function show(v: unknown, lang: TemplateLanguage): string {
  if (v === undefined) return '';
  if (typeof v === 'string') return lang === 'json' ? JSON.stringify(v).slice(1, -1) : v;
  return JSON.stringify(v);
}

/** Live preview with the sample: plain paths are read directly, richer expressions through JSONata. */
export async function preview(text: string, kind: EditorKind, language: TemplateLanguage, context: unknown): Promise<Preview> {
  const evalExpr = async (src: string) => {
    const e = compileExpression(src.trim());
    return e.simplePath ? valueAt(context, src.trim()) : await e.evaluate(context, { env: {} });
  };
  try {
    if (kind === 'expression') {
      const v = await evalExpr(text);
      return { ok: true, text: v === undefined ? '(no value)' : JSON.stringify(v, null, 2) };
    }
    let out = '';
    let last = 0;
    for (const t of findTokens(text)) {
      out += text.slice(last, t.start) + show(await evalExpr(t.inner), language);
      last = t.end;
    }
    out += text.slice(last);
    if (language === 'json') {
      try {
        out = JSON.stringify(JSON.parse(out), null, 2);
      } catch (e: any) {
        return { ok: false, error: `rendered output is not valid JSON: ${e?.message ?? e}\n\n${out}` };
      }
    }
    return { ok: true, text: out };
  } catch (e: any) {
    return { ok: false, error: e?.message ?? String(e) };
  }
}
