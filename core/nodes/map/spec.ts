import { z } from 'zod';
import type { NodeSpec } from '../spec-types';

export const mapSettingsSchema = z.object({
  /** JSONata over the message (`data`, `trigger`, `vars`, `$env`); its value becomes the new `data`. */
  expression: z.string().trim().min(1, { message: 'must not be empty' }).default('data'),
});
export type MapSettings = z.infer<typeof mapSettingsSchema>;

export const mapSpec: NodeSpec<typeof mapSettingsSchema> = {
  type: 'map',
  version: 1,
  category: 'processing',
  title: 'Map',
  description: 'Computes new message data with a JSONata expression over the message (data, trigger, vars, $env). A result with no value becomes null.',
  icon: 'map',
  settings: mapSettingsSchema,
  inputs: [{ id: 'in', label: 'in' }],
  outputs: () => [{ id: 'out', label: 'out' }],
  subtitle: (s) => (s.expression.length > 40 ? `${s.expression.slice(0, 39)}…` : s.expression),
  fields: [
    {
      key: 'expression',
      label: 'Expression',
      widget: 'expression',
      language: 'jsonata',
      placeholder: '{ "orderId": data.id, "total": $sum(data.lines.(qty * price)) }',
      help: 'The result replaces the message data.',
    },
  ],
  example: { expression: '{ "orderId": data.id, "customer": trigger.query.customer, "total": $sum(data.lines.(qty * price)) }' },
};
