/** How execution records are stored: payloads kept once, referenced elsewhere, and read back whole. */
import { jsonOf, jsonWithout } from '../model/json-cache';
import { withoutTrigger, type Message } from '../model/message';
import { parseBody } from '../webhook/body';
import type { StepRecord } from '../runtime/events';
import type { StoredReply } from '../runtime/replies';
import type { StoredStep } from './inline-steps';

type Row = Record<string, any>;

/** Bits of `executions.refs`: parts of a record stored once and referenced instead of written twice. */
export const REF_DATA_IS_BODY = 1; // input.data is input.trigger.body (a webhook message as received)
export const REF_OUTPUT_IS_INPUT_DATA = 2; // the output is input.data (e.g. an echo)
export const REF_BODY_FROM_RAW = 4; // input.trigger.body and rawBody are in raw_body: parsing it gives the body
/** `steps.input_ref` for a step whose input is the execution's input message. */
export const INPUT_REF_EXECUTION = -1;

export const json = (v: unknown) => (v === undefined ? null : JSON.stringify(v));
export const parse = (s: string | null) => (s == null ? undefined : JSON.parse(s));

/** The input message's JSON without what `refs` says is stored elsewhere. */
export function inputJson(input: Message, refs: number): string {
  const skipData = (refs & REF_DATA_IS_BODY) !== 0;
  if (!(refs & REF_BODY_FROM_RAW)) return skipData ? jsonWithout(input as unknown as Row, (k) => k === 'data') : jsonOf(input)!;
  // The webhook's own message: its trigger (without the body kept as raw bytes) is serialised once, here, in
  // one JSON.stringify of a shallow copy (piecing it together per key made ~8x its size in garbage).
  const trigger: Row = {};
  const t = input.trigger as unknown as Row;
  for (const k in t) if (k !== 'body' && k !== 'rawBody') trigger[k] = t[k];
  const copy: Row = { trigger };
  let data: string | undefined;
  for (const k in input) {
    if (k === 'trigger') continue;
    if (k === 'data') {
      if (!skipData) data = jsonOf(input.data); // the data's JSON is shared with the other records that hold it
      continue;
    }
    copy[k] = (input as unknown as Row)[k];
  }
  const json = JSON.stringify(copy);
  return data === undefined ? json : `${json.slice(0, -1)},"data":${data}}`;
}

/**
 * A request-response answer as stored for idempotent replay: status and headers, and the body as it was sent
 * (text and bytes as they were, anything else as the JSON it was sent as).
 */
export function replyJson(r: StoredReply): string {
  const b = r.body;
  const body = Buffer.isBuffer(b) ? { base64: b.toString('base64') } : typeof b === 'string' ? { text: b } : { json: b === undefined ? null : b };
  return JSON.stringify({ status: r.status, headers: r.headers, ...body });
}

export function decodeReply(text: string | null | undefined): StoredReply | undefined {
  if (!text) return undefined;
  const o = JSON.parse(text) as { status: number; headers: Record<string, string>; base64?: string; text?: string; json?: unknown };
  const body = o.base64 !== undefined ? Buffer.from(o.base64, 'base64') : o.text !== undefined ? o.text : o.json;
  return { status: o.status, headers: o.headers, body };
}

/** The execution's input message as stored (see REF_*). */
export function decodeInput(row: Row): Message | undefined {
  const input = parse(row.input) as Message | undefined;
  if (!input) return input;
  if (row.refs & REF_BODY_FROM_RAW && row.raw_body) {
    const raw = row.raw_body as Buffer;
    input.trigger.body = parseBody(raw, input.trigger.contentType).body;
    input.trigger.rawBody = raw.toString('base64');
  }
  if (row.refs & REF_DATA_IS_BODY) {
    const { trigger, ...rest } = input;
    return Object.assign({ trigger, data: trigger?.body }, rest);
  }
  return input;
}

/** A step's message as stored: without the trigger (see withoutTrigger); each value's JSON is made once. */
export function messageJson(v: unknown): string | null {
  if (!v || typeof v !== 'object') return json(v);
  if (Array.isArray(v)) return json(withoutTrigger(v));
  if ('trigger' in v && 'data' in v) return jsonWithout(v as Row, (k) => k === 'trigger');
  return jsonOf(v) ?? null;
}


export function withTrigger(v: unknown, trigger: unknown): unknown {
  if (trigger === undefined || v === undefined) return v;
  if (Array.isArray(v)) return v.map((e) => (e && typeof e === 'object' && 'message' in e ? { ...e, message: withTrigger((e as { message: unknown }).message, trigger) } : e));
  if (v && typeof v === 'object' && 'data' in v) return { trigger, ...(v as object) };
  return v;
}


/**
 * An execution's steps as read back, from its stored steps (rows and inline ones, in index order). They are
 * stored without the trigger (it never changes within an execution, and is in the input) and by reference where
 * a step's input is an earlier step's output or the execution's input.
 */
export function decodeSteps(rows: StoredStep[], input: Message | undefined): StepRecord[] {
  // Inline steps hold their payloads as values already; `steps` rows as JSON text.
  const val = (s: StoredStep, k: string) => (s.parsed ? s[k] : parse(s[k]));
  const byIndex = new Map(rows.map((s) => [s.idx, s]));
  const inputOf = (s: StoredStep, depth = 0): unknown => {
    if (s.input_ref == null) return val(s, 'input');
    if (s.input_ref === INPUT_REF_EXECUTION) return input && withoutTrigger(input);
    const from = byIndex.get(s.input_ref);
    return from && depth < rows.length ? outputOf(from, depth + 1) : undefined;
  };
  const outputOf = (s: StoredStep, depth: number): unknown => (s.output_same ? inputOf(s, depth) : val(s, 'output'));
  return rows.map((s) => {
    const stepInput = withTrigger(inputOf(s), input?.trigger);
    return {
      executionId: s.execution_id,
      index: s.idx,
      nodeId: s.node_id,
      nodeType: s.node_type,
      status: s.status,
      port: s.port ?? undefined,
      input: stepInput,
      output: s.output_same ? stepInput : withTrigger(val(s, 'output'), input?.trigger),
      error: val(s, 'error'),
      attempts: val(s, 'attempts'),
      startedAt: s.started_at,
      durationMs: s.duration_ms,
    };
  });
}
