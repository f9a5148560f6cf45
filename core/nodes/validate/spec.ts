import { z } from 'zod';
import type { NodeSpec } from '../spec-types';

export const validateSettingsSchema = z.object({
  /** Expression giving the value to check (default `data`). */
  source: z.string().min(1, { message: 'must not be empty' }).default('data'),
  /** A JSON Schema (draft-07 / 2019-09 keywords as ajv supports them), as an object or JSON text. */
  schema: z.union([z.record(z.string(), z.unknown()), z.boolean(), z.string()]).default({}),
  /** Reject unknown keywords and formats in the schema instead of ignoring them. */
  strictSchema: z.boolean().default(false),
});
export type ValidateSettings = z.infer<typeof validateSettingsSchema>;

export const validateSpec: NodeSpec<typeof validateSettingsSchema> = {
  type: 'validate',
  version: 1,
  category: 'processing',
  title: 'Validate',
  description:
    'Checks a value against a JSON Schema (compiled at deploy; formats such as `email` and `date-time` included). Passes the message on unchanged when it is valid. Otherwise the step fails with code `validation_failed` and every violation (up to 1000) with its path in the error details: routed to the `error` output when the node routes errors, else a request-response caller gets HTTP 400 listing them.',
  icon: 'check',
  settings: validateSettingsSchema,
  inputs: [{ id: 'in', label: 'in' }],
  outputs: () => [{ id: 'out', label: 'valid' }],
  subtitle: (s) => `schema on ${s.source}`,
  fields: [
    { key: 'schema', label: 'JSON Schema', widget: 'json', language: 'json' },
    { key: 'source', label: 'Value', widget: 'expression', language: 'jsonata', placeholder: 'data' },
    { key: 'strictSchema', label: 'Strict schema', widget: 'toggle', advanced: true, help: 'Unknown keywords and formats fail the deploy.' },
  ],
  example: {
    source: 'data',
    schema: {
      type: 'object',
      required: ['orderId', 'lines'],
      properties: {
        orderId: { type: 'string', minLength: 1 },
        email: { type: 'string', format: 'email' },
        lines: { type: 'array', minItems: 1, items: { type: 'object', required: ['sku', 'qty'], properties: { sku: { type: 'string' }, qty: { type: 'integer', minimum: 1 } } } },
      },
    },
  },
};
