import { z } from 'zod';
import type { NodeSpec, PortSpec } from '../spec-types';

/** Ports every switch has or may get; a case cannot take these ids. */
const RESERVED_PORTS = new Set(['default', 'error', 'in']);

const caseSchema = z.object({
  /** The output port id; edges refer to it, so renaming a case's label keeps its wiring. */
  id: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/, { message: 'must be 1-64 letters, digits, "_" or "-", starting with a letter or digit' }),
  label: z.string().max(100).optional(),
  expression: z.string().trim().min(1, { message: 'must not be empty' }),
});

export const switchSettingsSchema = z
  .object({
    cases: z.array(caseSchema).default([]),
    /** `first`: the first matching case only; `all`: every matching case gets the message (fan-out). */
    mode: z.enum(['first', 'all']).default('first'),
  })
  .superRefine((s, ctx) => {
    const seen = new Set<string>();
    s.cases.forEach((c, i) => {
      if (RESERVED_PORTS.has(c.id)) ctx.addIssue({ code: 'custom', path: ['cases', i, 'id'], message: `"${c.id}" is reserved; choose another output id` });
      else if (seen.has(c.id)) ctx.addIssue({ code: 'custom', path: ['cases', i, 'id'], message: `duplicate output id "${c.id}"` });
      seen.add(c.id);
    });
  });
export type SwitchSettings = z.infer<typeof switchSettingsSchema>;

export const DEFAULT_PORT: PortSpec = { id: 'default', label: 'default' };

export const switchSpec: NodeSpec<typeof switchSettingsSchema> = {
  type: 'switch',
  version: 1,
  category: 'processing',
  title: 'Switch',
  description:
    'Routes the message to the output of the first case whose expression is true (or to every matching case), and to `default` when none matches. Each case is an output.',
  icon: 'split',
  settings: switchSettingsSchema,
  inputs: [{ id: 'in', label: 'in' }],
  outputs: (s) => [...(s?.cases ?? []).map((c) => ({ id: c.id, label: c.label || c.id })), DEFAULT_PORT],
  subtitle: (s) => `${s.cases.length} case${s.cases.length === 1 ? '' : 's'}, ${s.mode === 'all' ? 'all matches' : 'first match'}`,
  fields: [
    {
      key: 'cases',
      label: 'Cases',
      widget: 'list',
      help: 'Each case is an output: id (used by edges), label (shown on the canvas) and a JSONata condition.',
      itemFields: [
        { key: 'id', label: 'Output id', widget: 'text', placeholder: 'priority' },
        { key: 'label', label: 'Label', widget: 'text', placeholder: 'Priority' },
        { key: 'expression', label: 'Condition', widget: 'expression', language: 'jsonata', placeholder: 'data.total > 1000' },
      ],
    },
    {
      key: 'mode',
      label: 'Matching',
      widget: 'select',
      options: [{ value: 'first', label: 'First matching case' }, { value: 'all', label: 'Every matching case' }],
    },
  ],
  example: {
    mode: 'first',
    cases: [
      { id: 'large', label: 'Large order', expression: 'data.total >= 1000' },
      { id: 'export', label: 'Export', expression: "data.country != 'DE'" },
    ],
  },
};
