import { z } from 'zod';
import type { NodeSpec } from '../spec-types';

export const manualSettingsSchema = z.object({
  /** Input used when a run is started without one (the studio's "Run" button, `hookline exec` without --input). */
  sample: z.unknown().optional(),
});
export type ManualSettings = z.infer<typeof manualSettingsSchema>;

export const manualSpec: NodeSpec<typeof manualSettingsSchema> = {
  type: 'manual',
  version: 1,
  category: 'trigger',
  title: 'Manual',
  description:
    'Starts the flow only when asked: from the studio or `hookline exec <flow.json> --input sample.json`, with a sample input (a whole message `{ trigger, data }` or just the data). Nothing happens on deploy.',
  icon: 'play',
  settings: manualSettingsSchema,
  inputs: [],
  outputs: () => [{ id: 'out', label: 'out' }],
  subtitle: () => 'run by hand',
  fields: [{ key: 'sample', label: 'Sample input', widget: 'json', language: 'json', help: 'Used when a run is started without an input.' }],
  example: { sample: { orderId: 'A-1001', lines: [{ sku: 'X1', qty: 2 }] } },
};
