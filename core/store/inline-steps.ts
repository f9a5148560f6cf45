/**
 * Steps stored inline with their execution's row (`executions.steps`): one JSON array instead of one `steps`
 * row each. An execution that finishes soon after it starts (most webhook flows) is then one row to insert
 * and later to delete, instead of one per step plus its index entry.
 *
 * Each element holds the same fields as a `steps` row under short keys, with the payload columns (input,
 * output, error, attempts) embedded as the JSON they already are, so nothing is escaped twice:
 * `{"i":0,"n":"hook","t":"webhook","s":"succeeded","at":"…","d":0.1,"r":-1,"same":1}`.
 */

type Row = Record<string, any>;

/**
 * The parameters of `step` writes (see statements.ts) flattened into one array, FIELDS values per step: the store
 * hands this to the writer thread, which builds the JSON (inline-steps-json.cjs), so the main thread only
 * collects values.
 */
export function flattenSteps(steps: Row[]): unknown[] {
  const flat: unknown[] = [];
  for (const p of steps) flat.push(p.index, p.nodeId, p.nodeType, p.status, p.startedAt, p.durationMs, p.port, p.inputRef, p.input, p.output, p.outputSame, p.error, p.attempts);
  return flat;
}

/** A step as read back: the `steps` table's columns; `parsed` says input/output/error/attempts are values, not JSON text. */
export interface StoredStep extends Row {
  idx: number;
  parsed?: boolean;
}

/** The inline steps of one execution row, shaped like `steps` rows. */
export function readInlineSteps(executionId: string, text: string): StoredStep[] {
  return (JSON.parse(text) as Row[]).map((o) => ({
    execution_id: executionId,
    idx: o.i,
    node_id: o.n,
    node_type: o.t,
    status: o.s,
    port: o.p ?? null,
    input_ref: o.r ?? null,
    input: o.in,
    output: o.o,
    output_same: o.same ?? 0,
    error: o.e,
    attempts: o.a,
    started_at: o.at,
    duration_ms: o.d,
    parsed: true,
  }));
}

/** Table rows and inline steps of one execution in index order; an inline step replaces a row with its index (a re-run). */
export function mergeSteps(rows: StoredStep[], inline: StoredStep[]): StoredStep[] {
  if (inline.length === 0) return rows;
  const byIndex = new Map(rows.map((r) => [r.idx, r]));
  for (const s of inline) byIndex.set(s.idx, s);
  return [...byIndex.values()].sort((a, b) => a.idx - b.idx);
}
