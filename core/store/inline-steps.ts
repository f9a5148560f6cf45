/**
 * Steps stored inline with their execution's row (`executions.steps`): one JSON array instead of one `steps`
 * row each. An execution that finishes soon after it starts (most webhook flows) is then one row to insert
 * and later to delete, instead of one per step plus its index entry.
 *
 * Each element holds the same fields as a `steps` row under short keys, with the payload columns (input,
 * output, error, attempts) embedded as the JSON they already are, so nothing is escaped twice:
 * `{"i":0,"n":"hook","t":"webhook","s":"succeeded","at":"…","du":100,"r":-1,"same":1}`.
 */

type Row = Record<string, any>;

/** Where inline steps are written (a batch's spool, or a string): JSON text, and payloads already UTF-8 bytes. */
export interface JsonOut {
  text(s: string): void;
  bytes(b: Uint8Array): void;
}

/**
 * The parameters of `step` writes (see statements.ts) as the JSON array stored inline, written piece by piece:
 * each payload (a step's input or output JSON, often kilobytes) is copied once, as it is, into the output.
 */
export function writeInlineSteps(steps: Row[], out: JsonOut): void {
  out.text('[');
  for (let i = 0; i < steps.length; i++) {
    const p = steps[i];
    out.text(`${i > 0 ? ',' : ''}{"i":${p.index},${nodeJson(p.nodeId, p.nodeType)},"s":${quoted(p.status)},"at":${quoted(p.startedAt)},${durationJson(p.durationMs)}${p.port != null ? `,"p":${quoted(p.port)}` : ''}${p.inputRef != null ? `,"r":${p.inputRef}` : ''}`);
    payload(out, ',"in":', p.input);
    payload(out, ',"o":', p.output);
    if (p.outputSame) out.text(',"same":1');
    payload(out, ',"e":', p.error);
    payload(out, ',"a":', p.attempts);
    out.text('}');
  }
  out.text(']');
}

function payload(out: JsonOut, key: string, v: string | Uint8Array | null | undefined) {
  if (v == null) return;
  out.text(key);
  if (typeof v === 'string') out.text(v);
  else out.bytes(v);
}

/** The inline steps as one string (tests, and readers of what a spool would hold). */
export function inlineSteps(steps: Row[]): string {
  const parts: string[] = [];
  writeInlineSteps(steps, { text: (s) => parts.push(s), bytes: (b) => parts.push(Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('utf8')) });
  return parts.join('');
}

/**
 * `"n":…,"t":…` of a node, by type and id: the same few nodes run again and again, so their JSON is kept (at most
 * NODE_PARTS_MAX, then started afresh). Two lookups by the strings as they are: no key is built per step.
 */
const nodeParts = new Map<string, Map<string, string>>();
let nodePartsCount = 0;
const NODE_PARTS_MAX = 1000;

function nodeJson(id: string, type: string): string {
  let byId = nodeParts.get(type);
  let text = byId?.get(id);
  if (text === undefined) {
    if (nodePartsCount >= NODE_PARTS_MAX) {
      nodeParts.clear();
      nodePartsCount = 0;
      byId = undefined;
    }
    if (!byId) nodeParts.set(type, (byId = new Map()));
    text = `"n":${JSON.stringify(id)},"t":${JSON.stringify(type)}`;
    byId.set(id, text);
    nodePartsCount++;
  }
  return text;
}

/** Plain text (statuses, ports, timestamps) goes in as it is; anything JSON must escape goes through JSON.stringify. */
const PLAIN = /^[\w .:+-]*$/;

function quoted(s: string): string {
  return typeof s === 'string' && PLAIN.test(s) ? `"${s}"` : JSON.stringify(s);
}

/**
 * A step's duration: in whole microseconds (`"du"`) when that is exact, as the executor's are (it rounds to the
 * microsecond); else in milliseconds as given (`"d"`). Writing 0.636 as text took V8 about ten times longer than
 * writing 636.
 */
function durationJson(ms: number): string {
  if (!Number.isFinite(ms)) return '"d":null';
  const us = Math.round(ms * 1000);
  return us / 1000 === ms ? `"du":${us}` : `"d":${ms}`;
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
    duration_ms: o.du !== undefined ? o.du / 1000 : o.d,
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
