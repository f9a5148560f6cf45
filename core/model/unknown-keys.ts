import type { z } from 'zod';
import { formatPath, joinPath, type Problem } from './problems';

/**
 * Keys a document has that its schema does not know. zod objects strip them silently, so a typo (`timeoutMS`,
 * `orderd`) would change behaviour without a word; they are found by walking the raw input along the schema and
 * reported as warnings (a newer file must still load). Browser-safe: the studio's problems list shows them too.
 */
export interface UnknownKey {
  /** Path of the unknown key itself, e.g. `['retry', 'retryCont']`. */
  path: PropertyKey[];
  key: string;
  /** A known key of the same object that is close (same but for case, or at most two edits away). */
  suggestion?: string;
}

type Def = { type: string; [k: string]: any };
const defOf = (s: unknown): Def | undefined => (s as { _zod?: { def?: Def } } | undefined)?._zod?.def;
const isPlainObject = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);

/** Wrappers that hold one schema and let unknown keys through as that schema does. */
const WRAPPERS = new Set(['optional', 'nullable', 'default', 'prefault', 'catch', 'readonly', 'nonoptional', 'success']);

/** Unwraps optional/default/... (and a pipe's input side) down to the schema that judges the value. */
function unwrap(schema: unknown): Def | undefined {
  let def = defOf(schema);
  for (let i = 0; def && i < 50; i++) {
    if (WRAPPERS.has(def.type)) def = defOf(def.innerType);
    else if (def.type === 'pipe') def = defOf(def.in);
    else if (def.type === 'lazy') def = defOf(def.getter());
    else break;
  }
  return def;
}

/**
 * Every key in `value` that `schema` does not know, with a suggestion when a known key is close. Records,
 * `unknown` and objects with a catch-all accept anything. A discriminated union is followed by its
 * discriminator; a key of one of its other variants is not reported (the studio keeps the old variant's fields
 * when the type is switched, and they are ignored). A plain union is followed into the first option that accepts
 * the value.
 *
 * @example
 * unknownKeys(z.object({ timeoutMs: z.number() }), { timeoutMS: 100 });
 * // [{ path: ['timeoutMS'], key: 'timeoutMS', suggestion: 'timeoutMs' }]
 */
export function unknownKeys(schema: z.ZodType, value: unknown): UnknownKey[] {
  const out: UnknownKey[] = [];
  walk(schema, value, [], out, new Set());
  return out;
}

function walk(schema: unknown, value: unknown, path: PropertyKey[], out: UnknownKey[], tolerated: ReadonlySet<string>): void {
  const def = unwrap(schema);
  if (!def || value === undefined || value === null) return;
  switch (def.type) {
    case 'array':
      if (Array.isArray(value)) value.forEach((v, i) => walk(def.element, v, [...path, i], out, new Set()));
      return;
    case 'tuple':
      if (Array.isArray(value)) value.forEach((v, i) => walk(def.items[i] ?? def.rest, v, [...path, i], out, new Set()));
      return;
    case 'object': {
      if (!isPlainObject(value)) return;
      const shape = def.shape as Record<string, unknown>;
      const known = Object.keys(shape);
      for (const [key, v] of Object.entries(value)) {
        if (Object.hasOwn(shape, key)) walk(shape[key], v, [...path, key], out, new Set());
        // A catch-all (looseObject, catchall) takes any key; a strict object's own error names it already.
        else if (def.catchall === undefined && !tolerated.has(key)) out.push({ path: [...path, key], key, suggestion: closest(key, known) });
      }
      return;
    }
    case 'union': {
      const options = def.options as unknown[];
      if (typeof def.discriminator === 'string') {
        if (!isPlainObject(value)) return;
        const disc = def.discriminator;
        const variants = options.map(unwrap).filter((d): d is Def => d?.type === 'object');
        // A discriminator no variant takes is the schema's error; the other keys are not guessed at.
        const chosen = variants.find((d) => (d.shape[disc] as z.ZodType | undefined)?.safeParse(value[disc]).success);
        if (!chosen) return;
        const others = new Set(variants.flatMap((d) => Object.keys(d.shape)));
        walk({ _zod: { def: chosen } }, value, path, out, others);
        return;
      }
      const fits = options.find((o) => (o as z.ZodType).safeParse(value).success) ?? (options.length === 1 ? options[0] : undefined);
      if (fits) walk(fits, value, path, out, tolerated);
      return;
    }
    case 'intersection':
      // Each side would call the other's keys unknown; not worth guessing (no schema of ours uses one).
      return;
    default:
      // record, unknown, any, primitives: anything goes.
      return;
  }
}

/**
 * The known key closest to `key`: the same but for case first, else the nearest at most two edits away (one for
 * keys of three characters or fewer, where two edits make anything "close").
 *
 * @example
 * closest('maxConcurency', ['maxConcurrency', 'path']); // 'maxConcurrency'
 */
export function closest(key: string, known: readonly string[]): string | undefined {
  const lower = key.toLowerCase();
  const sameCase = known.find((k) => k.toLowerCase() === lower);
  if (sameCase) return sameCase;
  const limit = key.length <= 3 ? 1 : 2;
  let best: string | undefined;
  let bestDistance = limit + 1;
  for (const k of known) {
    const d = editDistance(lower, k.toLowerCase());
    if (d < bestDistance) {
      best = k;
      bestDistance = d;
    }
  }
  // Another tool's name for it, with a prefix or suffix more (n8n's `typeVersion` for `version`, `timeoutMsec`).
  if (best) return best;
  const within = known.filter((k) => k.length >= 4 && (lower.endsWith(k.toLowerCase()) || lower.startsWith(k.toLowerCase())));
  return within.sort((a, b) => b.length - a.length)[0];
}

/** Levenshtein distance where swapping two neighbouring letters is one edit (`levle` -> `level`). */
export function editDistance(a: string, b: string): number {
  const rows: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) rows[0][j] = j;
  for (let i = 1; i <= a.length; i++)
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      rows[i][j] = Math.min(rows[i - 1][j] + 1, rows[i][j - 1] + 1, rows[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) rows[i][j] = Math.min(rows[i][j], rows[i - 2][j - 2] + 1);
    }
  return rows[a.length][b.length];
}

/** `unknown setting; did you mean "timeoutMs"?` */
export function unknownKeyMessage(u: Pick<UnknownKey, 'suggestion'>, what = 'unknown setting'): string {
  return u.suggestion ? `${what}; did you mean "${u.suggestion}"?` : what;
}

/**
 * The unknown keys of `value` as warnings at their paths under `prefix`.
 *
 * @example
 * unknownKeyProblems(webhookSettingsSchema, { orderd: true }, 'nodes[0].settings', 'hook').map(formatProblem);
 * // ['nodes[0].settings.orderd: unknown setting; did you mean "ordered"?']
 */
export function unknownKeyProblems(schema: z.ZodType, value: unknown, prefix: string, nodeId?: string): Problem[] {
  return unknownKeys(schema, value).map((u) => ({
    path: joinPath(prefix, formatPath(u.path)),
    code: 'unknown_setting' as const,
    message: unknownKeyMessage(u),
    severity: 'warning' as const,
    ...(nodeId ? { nodeId } : {}),
  }));
}
