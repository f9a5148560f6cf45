import { z } from 'zod';
import type { NodeSpec } from '../spec-types';

export const errorTriggerSettingsSchema = z.object({
  /** `input`: data as the failing node received it; `error`: data becomes the error details (handy for Respond). */
  data: z.enum(['input', 'error']).default('input'),
});
export type ErrorTriggerSettings = z.infer<typeof errorTriggerSettingsSchema>;

/**
 * The flow's error path. Not started by anything outside: when a node whose errors stop the execution
 * fails, the executor continues here with the failing message and `error` ({ message, code, nodeId,
 * nodeType }). The execution still counts as failed; a Respond on this path answers a waiting caller.
 */
export const errorTriggerSpec: NodeSpec<typeof errorTriggerSettingsSchema> = {
  type: 'error-trigger',
  version: 1,
  category: 'trigger',
  title: 'On error',
  description:
    'Starts the flow\'s error path when a node fails and its errors stop the execution. The message is the one the failing node received, plus `error` (message, code, nodeId, nodeType). The execution stays failed; a Respond on this path answers a waiting webhook caller.',
  icon: 'alert-triangle',
  settings: errorTriggerSettingsSchema,
  inputs: [],
  outputs: () => [{ id: 'out', label: 'out' }],
  subtitle: () => 'when a node fails',
  fields: [
    {
      key: 'data',
      label: 'Message data',
      widget: 'select',
      options: [{ value: 'input', label: 'As the failing node received it' }, { value: 'error', label: 'The error details' }],
      help: 'Either way the details are in `error` (error.message, error.code, error.nodeId, error.nodeType).',
    },
  ],
  example: { data: 'error' },
};
