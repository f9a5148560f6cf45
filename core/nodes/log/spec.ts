import { z } from 'zod';
import type { NodeSpec } from '../spec-types';

export const logSettingsSchema = z.object({
  level: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
  message: z.string().default('log point'),
  /** Optional expression whose value is logged with the message (default: the message data). */
  value: z.string().optional(),
});
export type LogSettings = z.infer<typeof logSettingsSchema>;

export const logSpec: NodeSpec<typeof logSettingsSchema> = {
  type: 'log',
  version: 1,
  category: 'utility',
  title: 'Log',
  description: 'Writes a log line with a value from the message, and passes the message on unchanged.',
  icon: 'log',
  settings: logSettingsSchema,
  inputs: [{ id: 'in', label: 'in' }],
  outputs: () => [{ id: 'out', label: 'out' }],
  subtitle: (s) => `${s.level}: ${s.message}`,
  fields: [
    { key: 'message', label: 'Message', widget: 'text' },
    { key: 'level', label: 'Level', widget: 'select', options: ['debug', 'info', 'warn', 'error'].map((v) => ({ value: v, label: v })) },
    { key: 'value', label: 'Value', widget: 'expression', language: 'jsonata', placeholder: 'data', help: 'Defaults to the message data.' },
  ],
  example: { level: 'info', message: 'order received', value: 'data.orderId' },
};
