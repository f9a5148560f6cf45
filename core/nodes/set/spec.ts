import { z } from 'zod';
import type { NodeSpec } from '../spec-types';

/** Path segments that would reach an object's prototype instead of a field of the data. */
export const FORBIDDEN_SEGMENTS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

/** Where a Set fields entry writes: a path into `data` or into the flow variables. */
export interface SetTarget {
  root: 'data' | 'vars';
  /** Segments under the root; empty means the whole `data`. */
  path: string[];
}

/**
 * Reads a field name: `customer.name` (or `data.customer.name`) writes into data, `vars.total` into the
 * flow variables, `data` alone replaces the data. Returns a problem text for names that cannot be written.
 * @example
 * parseSetTarget('vars.total'); // { root: 'vars', path: ['total'] }
 * parseSetTarget('a.__proto__.x'); // 'must not contain the segment "__proto__"'
 */
export function parseSetTarget(name: string): SetTarget | string {
  const segments = name.split('.');
  if (segments.some((s) => s.trim() === '' || s !== s.trim())) return 'must be a dotted path of names without spaces around dots, such as customer.name or vars.total';
  const bad = segments.find((s) => FORBIDDEN_SEGMENTS.has(s));
  if (bad) return `must not contain the segment "${bad}"`;
  if (segments[0] === 'vars') return segments.length > 1 ? { root: 'vars', path: segments.slice(1) } : 'needs a variable name after "vars." (vars.total)';
  if (segments[0] === 'data') return { root: 'data', path: segments.slice(1) };
  return { root: 'data', path: segments };
}

/**
 * Returns a copy of `obj` with `value` at `path`, copying only the objects along the path (the input is
 * never mutated). Copies are made with spread / slice, which define own properties, so a `__proto__` key
 * in received data stays a plain key; forbidden segments are refused outright.
 */
export function setIn(obj: unknown, path: readonly string[], value: unknown): unknown {
  const [head, ...rest] = path;
  if (FORBIDDEN_SEGMENTS.has(head)) throw new Error(`refusing to write the segment "${head}"`);
  const child = (o: unknown) => (o !== null && typeof o === 'object' && Object.prototype.hasOwnProperty.call(o, head) ? (o as any)[head] : undefined);
  const next = rest.length ? setIn(child(obj), rest, value) : value;
  if (Array.isArray(obj) && /^(0|[1-9]\d{0,8})$/.test(head)) {
    const copy = obj.slice();
    copy[Number(head)] = next;
    return copy;
  }
  const base = obj !== null && typeof obj === 'object' && !Array.isArray(obj) ? obj : {};
  return { ...base, [head]: next };
}

/**
 * The message with `value` written where a Set fields entry points (the runtime and the inspector's preview
 * share it); the input message is never mutated.
 * @example
 * withField({ data: { a: 1 }, vars: {} }, { root: 'vars', path: ['n'] }, 2); // { data: { a: 1 }, vars: { n: 2 } }
 */
export function withField<M extends { data: unknown; vars: Record<string, unknown> }>(msg: M, target: SetTarget, value: unknown): M {
  return target.root === 'vars'
    ? { ...msg, vars: setIn(msg.vars, target.path, value) as Record<string, unknown> }
    : { ...msg, data: target.path.length ? setIn(msg.data, target.path, value) : value };
}

const fieldName = z.string().superRefine((name, ctx) => {
  const t = parseSetTarget(name);
  if (typeof t === 'string') ctx.addIssue({ code: 'custom', message: t });
});

export const setSettingsSchema = z.object({
  /** Applied in order: a later expression sees the values set by earlier ones. */
  fields: z.array(z.object({ name: fieldName, expression: z.string().trim().min(1, { message: 'must not be empty' }) })).default([]),
});
export type SetSettings = z.infer<typeof setSettingsSchema>;

export const setSpec: NodeSpec<typeof setSettingsSchema> = {
  type: 'set',
  version: 1,
  category: 'processing',
  title: 'Set fields',
  description:
    'Sets fields of the message data (`customer.name`) or flow variables (`vars.total`) from expressions, in order; a later expression sees earlier results. Other fields stay as they were.',
  icon: 'edit',
  settings: setSettingsSchema,
  inputs: [{ id: 'in', label: 'in' }],
  outputs: () => [{ id: 'out', label: 'out' }],
  subtitle: (s) => (s.fields.length ? s.fields.map((f) => f.name).join(', ') : 'no fields'),
  fields: [
    {
      key: 'fields',
      label: 'Fields',
      widget: 'list',
      help: 'Name: a dotted path into data, or vars.name for a flow variable. Expression: JSONata over the message.',
      itemFields: [
        { key: 'name', label: 'Name', widget: 'text', placeholder: 'customer.name' },
        { key: 'expression', label: 'Expression', widget: 'expression', language: 'jsonata', placeholder: 'trigger.body.customer' },
      ],
    },
  ],
  example: {
    fields: [
      { name: 'orderId', expression: 'trigger.body.id' },
      { name: 'customer.name', expression: "$uppercase(trigger.body.customer)" },
      { name: 'vars.lineCount', expression: '$count(trigger.body.lines)' },
    ],
  },
};
