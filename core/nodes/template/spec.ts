import { z } from 'zod';
import type { FieldSpec, NodeSpec } from '../spec-types';
import { FORBIDDEN_SEGMENTS } from '../set/spec';

const KINDS = ['json', 'xml', 'text'] as const;

export const templateSettingsSchema = z.object({
  /** `json` output is parsed into a value; `xml` and `text` stay strings. */
  kind: z.enum(KINDS).default('json'),
  template: z.string().default('{}'),
  /** What a token with no value inserts: `empty` ("" in JSON values), `null`, or `fail` the step. */
  missing: z.enum(['empty', 'null', 'fail']).default('empty'),
  target: z.enum(['data', 'var']).default('data'),
  varName: z
    .string()
    .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, { message: 'must be a name of letters, digits and "_" (not starting with a digit)' })
    .refine((n) => !FORBIDDEN_SEGMENTS.has(n), { message: 'must not be __proto__, constructor or prototype' })
    .optional(),
}).superRefine((s, ctx) => {
  if (s.target === 'var' && !s.varName) ctx.addIssue({ code: 'custom', path: ['varName'], message: 'is required when the output goes to a variable' });
});
export type TemplateSettings = z.infer<typeof templateSettingsSchema>;

/** One editor per kind, so the inspector highlights and checks the template in its own language. */
const templateFields: FieldSpec[] = KINDS.map((k) => ({
  key: 'template',
  label: 'Template',
  widget: 'template',
  language: k,
  visibleWhen: { kind: [k] },
  help: 'Tokens {{ expression }} are escaped for their position; {{#each}} and {{#if}} repeat and choose sections.',
}));

export const templateSpec: NodeSpec<typeof templateSettingsSchema> = {
  type: 'template',
  version: 1,
  category: 'processing',
  title: 'Template',
  description:
    'Renders a JSON, XML or text template against the message into the data (JSON is parsed into a value; XML and text are strings) or into a flow variable.',
  icon: 'file-code',
  settings: templateSettingsSchema,
  inputs: [{ id: 'in', label: 'in' }],
  outputs: () => [{ id: 'out', label: 'out' }],
  subtitle: (s) => `${s.kind.toUpperCase()} → ${s.target === 'var' ? `vars.${s.varName ?? '?'}` : 'data'}`,
  fields: [
    { key: 'kind', label: 'Kind', widget: 'select', options: [{ value: 'json', label: 'JSON' }, { value: 'xml', label: 'XML' }, { value: 'text', label: 'Text' }] },
    ...templateFields,
    {
      key: 'target',
      label: 'Output to',
      widget: 'select',
      options: [{ value: 'data', label: 'Message data' }, { value: 'var', label: 'Flow variable' }],
    },
    { key: 'varName', label: 'Variable name', widget: 'text', placeholder: 'erpOrder', visibleWhen: { target: ['var'] }, help: 'Read later as vars.name or $vars.name.' },
    {
      key: 'missing',
      label: 'Missing values',
      widget: 'select',
      advanced: true,
      options: [{ value: 'empty', label: 'Empty' }, { value: 'null', label: 'null' }, { value: 'fail', label: 'Fail the step' }],
    },
  ],
  example: {
    kind: 'xml',
    template: '<Order id="{{ data.orderId }}">{{#each data.lines as line}}<Line sku="{{ line.sku }}">{{ line.qty }}</Line>{{/each}}</Order>',
    target: 'var',
    varName: 'erpOrder',
    missing: 'fail',
  },
};
