import { z } from 'zod';
import type { NodeSpec } from '../spec-types';

export const conditionSettingsSchema = z.object({
  /** JSONata over the message; truthiness as JSONata's `$boolean` (empty string, 0, null, missing, [] and {} are false). */
  expression: z.string().trim().min(1, { message: 'must not be empty' }).default('true'),
});
export type ConditionSettings = z.infer<typeof conditionSettingsSchema>;

export const conditionSpec: NodeSpec<typeof conditionSettingsSchema> = {
  type: 'condition',
  version: 1,
  category: 'processing',
  title: 'Condition',
  description: 'Sends the message to `true` or `false` by an expression (JSONata truthiness: "", 0, null, missing, [] and {} are false).',
  icon: 'git-branch',
  settings: conditionSettingsSchema,
  inputs: [{ id: 'in', label: 'in' }],
  outputs: () => [
    { id: 'true', label: 'true' },
    { id: 'false', label: 'false' },
  ],
  subtitle: (s) => s.expression,
  fields: [{ key: 'expression', label: 'Condition', widget: 'expression', language: 'jsonata', placeholder: 'data.total > 1000' }],
  example: { expression: "data.total > 1000 and trigger.headers.`x-priority` = 'high'" },
};
