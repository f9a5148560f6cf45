import { envSample } from './env-sample';
import { analyzeTemplate, compileExpression, ExpressionRuntimeError, ExpressionSyntaxError, foreignVariableHint, renderPreview, suggestPath, truthy, uncalledFunctions, unknownPaths, type MissingPolicy, type TemplateContext } from '../../core/template';
import { parseSetTarget, withField } from '../../core/nodes/set/spec';
import { buildXmlSettingsSchema } from '../../core/nodes/build-xml/spec';
import { buildXml } from '../../core/nodes/build-xml/build';
import { hasPath } from './context-paths';

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

/** An evaluation error with the line and column of the operator or function that failed (a Map's mapping is many lines). */
function failure(e: unknown): string {
  if (e instanceof ExpressionRuntimeError && e.line !== undefined) return `line ${e.line}, column ${e.column}: ${e.message}`;
  return (e as Error)?.message ?? String(e);
}

const SIMPLE = /^[A-Za-z_$][\w$]*(\.[A-Za-z_$][\w$]*)*$/;
const templateKind = (l: TemplateLanguage) => (l === 'jsonata' ? 'text' : l);

function checkExpression(src: string, context: unknown, out: Diagnostic[]): void {
  const expr = src.trim();
  const lead = src.length - src.trimStart().length;
  try {
    compileExpression(expr);
  } catch (e) {
    const pos = e instanceof ExpressionSyntaxError ? e.position : 0;
    out.push({ start: lead + pos, end: lead + Math.max(pos + 1, expr.length), message: (e as Error).message, severity: 'error' });
    return;
  }
  // Only plain paths can be checked against the sample; anything richer is left to the preview.
  const scope = context !== null && typeof context === 'object' ? (context as Record<string, unknown>) : undefined;
  const hint = (steps: string[]) => {
    const p = scope && suggestPath(steps, scope);
    return p ? `; did you mean "${p}"?` : '';
  };
  if (context !== undefined && SIMPLE.test(expr) && !expr.startsWith('$') && !hasPath(context, expr)) {
    out.push({ start: lead, end: lead + expr.length, message: `unknown field "${expr}" in the sample data${hint(expr.split('.'))}`, severity: 'warning' });
  }
  for (const f of uncalledFunctions(expr)) out.push({ start: lead + f.start, end: lead + f.end, message: f.message, severity: 'error' });
  // A mapping (`{ "ref": data.orderid }`) drops a key whose path gives nothing, silently: mark each such path.
  if (scope && !SIMPLE.test(expr)) {
    // Only paths from a root the context has: some fields read another root (a webhook's partition key reads
    // `headers.x` of the request), and the editor does not know which.
    for (const u of unknownPaths(expr, scope).filter((p) => Object.prototype.hasOwnProperty.call(scope, p.steps[0]))) {
      out.push({ start: lead + u.start, end: lead + u.end, message: `unknown field "${u.path}" in the sample data${u.hint ? `; did you mean "${u.hint}"?` : ''}`, severity: 'warning' });
    }
  }
  const foreign = foreignVariableHint(expr);
  if (foreign) out.push({ start: lead, end: lead + expr.length, message: `${foreign}${SIMPLE.test(expr) ? hint(expr.split('.')) : ''}`, severity: 'warning' });
}

/**
 * Markers for a template or a single JSONata expression. Templates go through core/template's
 * analyzeTemplate: the same parser and evaluator that run at deploy, so the editor and runtime agree.
 */
export function analyze(text: string, kind: EditorKind, context: unknown, language: TemplateLanguage = 'text'): Diagnostic[] {
  const out: Diagnostic[] = [];
  if (kind === 'expression') {
    if (text.trim()) checkExpression(text, context, out);
    return out;
  }
  let problems = analyzeTemplate(text, templateKind(language), { ...(context ?? {}), env: envSample() } as TemplateContext).problems;
  // Without a sample every path would be "unknown": keep only real errors then.
  if (context === undefined) problems = problems.filter((p) => p.severity === 'error');
  return problems.map((p) => ({ start: p.start, end: p.end, message: p.message, severity: p.severity }));
}

/**
 * Live preview with the sample, rendered by the core template engine / JSONata. `missing` is the node's policy
 * for tokens without a value, so a template set to fail on them fails here as it would at run time.
 */
export async function preview(text: string, kind: EditorKind, language: TemplateLanguage, context: unknown, missing?: MissingPolicy): Promise<Preview> {
  try {
    if (kind === 'expression') {
      // The bindings the runtime gives (evaluateOnMessage): `$vars` is the message's vars, `$env` the active environment's.
      const vars = context !== null && typeof context === 'object' ? (context as { vars?: unknown }).vars : undefined;
      const v = await compileExpression(text.trim()).evaluate(context, { env: envSample(), vars });
      return { ok: true, text: v === undefined ? '(no value)' : JSON.stringify(v, null, 2) };
    }
    const lang = templateKind(language);
    // `$env` as in a run: the active environment's variables (e.g. a Target URL of {{ $env.ERP_URL }}).
    const r = await renderPreview(text, lang, { ...((context ?? {}) as TemplateContext), env: envSample() }, missing);
    if (r.error) return { ok: false, error: r.output !== undefined ? `${r.error.message}\n\n${r.output}` : r.error.message };
    let shown = r.output ?? '';
    if (lang === 'json') {
      try {
        shown = JSON.stringify(JSON.parse(shown), null, 2);
      } catch {}
    }
    return { ok: true, text: shown };
  } catch (e) {
    return { ok: false, error: failure(e) };
  }
}

/**
 * What a Set fields node makes of the sample: its fields applied in order (a later expression sees earlier
 * results), with the runtime's bindings and writer; the first broken row is named as the inspector names it.
 */
export async function previewSet(fields: ReadonlyArray<{ name?: unknown; expression?: unknown }>, context: unknown): Promise<Preview> {
  const base = (context !== null && typeof context === 'object' ? context : {}) as { data?: unknown; vars?: Record<string, unknown> };
  let msg = { ...base, data: base.data, vars: base.vars ?? {} };
  for (const [i, f] of fields.entries()) {
    const row = `Row ${i + 1}`;
    const target = parseSetTarget(typeof f.name === 'string' ? f.name : '');
    if (typeof target === 'string') return { ok: false, error: `${row} · Name: ${target}` };
    const src = typeof f.expression === 'string' ? f.expression.trim() : '';
    if (!src) return { ok: false, error: `${row} · Expression: must not be empty` };
    try {
      msg = withField(msg, target, await compileExpression(src).evaluate(msg, { env: envSample(), vars: msg.vars }));
    } catch (e) {
      return { ok: false, error: `${row} · Expression: ${(e as Error).message}` };
    }
  }
  return { ok: true, text: JSON.stringify({ data: msg.data, vars: msg.vars }, null, 2) ?? '' };
}

/**
 * Where a Switch (cases in order, first or all matching) or a Condition (one case `true`, fallback `false`) sends
 * the sample: the runtime's bindings and truthiness; a broken case is named by its row.
 * @example
 * await previewRoute([{ id: 'big', label: 'Big', expression: 'data.n > 1' }], 'first', { data: { n: 2 } }); // → Big (big)
 */
export async function previewRoute(cases: ReadonlyArray<{ id?: unknown; label?: unknown; expression?: unknown }>, mode: unknown, context: unknown, fallback = 'default'): Promise<Preview> {
  const vars = context !== null && typeof context === 'object' ? (context as { vars?: unknown }).vars : undefined;
  const hits: string[] = [];
  for (const [i, c] of cases.entries()) {
    const src = typeof c.expression === 'string' ? c.expression.trim() : '';
    const where = cases.length > 1 ? `Row ${i + 1} · Expression: ` : '';
    if (!src) return { ok: false, error: `${where}must not be empty` };
    try {
      if (!truthy(await compileExpression(src).evaluate(context, { env: envSample(), vars }))) continue;
    } catch (e) {
      return { ok: false, error: `${where}${(e as Error).message}` };
    }
    const id = String(c.id ?? '');
    hits.push(typeof c.label === 'string' && c.label && c.label !== id ? `${c.label} (${id})` : id);
    if (mode !== 'all') break;
  }
  return { ok: true, text: `→ ${hits.length ? hits.join(', ') : fallback}` };
}

/**
 * The XML a Build XML node makes of the sample: its source evaluated with the runtime's bindings, then the node's
 * own builder (names checked, values escaped), so the preview shows the document the partner will get.
 * @example
 * await previewBuildXml({ source: 'data', rootName: 'Order' }, { data: { id: 'A&1' } }); // <?xml …?><Order><id>A&amp;1</id></Order>
 */
export async function previewBuildXml(settings: Record<string, unknown>, context: unknown): Promise<Preview> {
  const parsed = buildXmlSettingsSchema.safeParse(settings);
  if (!parsed.success) return { ok: false, error: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('\n') };
  const s = parsed.data;
  const vars = context !== null && typeof context === 'object' ? (context as { vars?: unknown }).vars : undefined;
  try {
    const value = await compileExpression(s.source.trim()).evaluate(context, { env: envSample(), vars });
    return { ok: true, text: buildXml(value, s) };
  } catch (e) {
    return { ok: false, error: e instanceof ExpressionSyntaxError ? `source: ${e.message}` : e instanceof ExpressionRuntimeError ? `source: ${failure(e)}` : (e as Error).message };
  }
}
