import { z } from 'zod';
import type { NodeSpec } from '../spec-types';

export const PARSE_FORMATS = ['json', 'xml', 'csv', 'form'] as const;

export const parseSettingsSchema = z.object({
  format: z.enum(PARSE_FORMATS).default('json'),
  /** Expression giving the text to parse (default `data`; `trigger.body` for a text body). */
  source: z.string().min(1, { message: 'must not be empty' }).default('data'),
  /** `base64` decodes the source first (e.g. `trigger.rawBody`, or a binary body). */
  encoding: z.enum(['text', 'base64']).default('text'),
  /** Larger input fails the step (UTF-8 bytes; default 10 MiB). */
  maxBytes: z.number().int().positive().max(100 * 1024 * 1024, { message: 'must be at most 100 MiB (104857600)' }).default(10 * 1024 * 1024),
  /** CSV: one character; `\t` for tab-separated values. */
  delimiter: z
    .string()
    .default(',')
    .refine((d) => d.length === 1 && d !== '"' && d !== '\r' && d !== '\n', { message: 'must be one character other than a quote or a line break' }),
  /** CSV: the first row names the columns (rows become objects); otherwise rows are arrays of strings. */
  header: z.boolean().default(true),
  /** XML: deepest element nesting accepted. */
  maxDepth: z.number().int().min(1).max(1000).default(100),
});
export type ParseSettings = z.infer<typeof parseSettingsSchema>;

export const parseSpec: NodeSpec<typeof parseSettingsSchema> = {
  type: 'parse',
  version: 1,
  category: 'processing',
  title: 'Parse',
  description:
    'Parses JSON, XML, CSV or form-encoded text into an object, which becomes the message data. Safe for input from outside: no DTDs or entity expansion in XML, a size cap, and `__proto__` / `constructor` keys kept as plain data.',
  icon: 'parse',
  settings: parseSettingsSchema,
  inputs: [{ id: 'in', label: 'in' }],
  outputs: () => [{ id: 'out', label: 'out' }],
  subtitle: (s) => `${s.format.toUpperCase()} from ${s.source}`,
  fields: [
    { key: 'format', label: 'Format', widget: 'select', options: PARSE_FORMATS.map((v) => ({ value: v, label: v.toUpperCase() })) },
    { key: 'source', label: 'Source', widget: 'expression', language: 'jsonata', placeholder: 'data', help: 'Expression giving the text to parse.' },
    { key: 'delimiter', label: 'Delimiter', widget: 'text', visibleWhen: { format: ['csv'] }, help: 'One character, e.g. `;` or a tab.' },
    { key: 'header', label: 'First row is a header', widget: 'toggle', visibleWhen: { format: ['csv'] } },
    { key: 'maxDepth', label: 'Maximum nesting', widget: 'number', visibleWhen: { format: ['xml'] }, advanced: true },
    { key: 'encoding', label: 'Source encoding', widget: 'select', options: [{ value: 'text', label: 'text' }, { value: 'base64', label: 'base64' }], advanced: true },
    { key: 'maxBytes', label: 'Maximum size (bytes)', widget: 'number', advanced: true },
  ],
  example: { format: 'csv', source: 'trigger.body', delimiter: ';', header: true },
};
