import { z } from 'zod';
import type { NodeSpec } from '../spec-types';

export const delaySettingsSchema = z.object({
  /** Milliseconds to wait before passing the message on (at most one hour). */
  ms: z.number().int().nonnegative().max(3_600_000).default(1000),
});
export type DelaySettings = z.infer<typeof delaySettingsSchema>;

export const delaySpec: NodeSpec<typeof delaySettingsSchema> = {
  type: 'delay',
  version: 1,
  category: 'utility',
  title: 'Delay',
  description: 'Waits a fixed time, then passes the message on unchanged.',
  icon: 'clock',
  settings: delaySettingsSchema,
  inputs: [{ id: 'in', label: 'in' }],
  outputs: () => [{ id: 'out', label: 'out' }],
  subtitle: (s) => `${s.ms} ms`,
  fields: [{ key: 'ms', label: 'Wait (ms)', widget: 'number' }],
  example: { ms: 500 },
};
