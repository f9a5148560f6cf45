import type { NodeRunner } from '../runner-types';
import type { ErrorTriggerSettings } from './spec';

/**
 * No `activate`: the runtime never starts this trigger on its own. The executor jumps here when an
 * execution fails, and the runner only hands the message (with its `error`) to the error path.
 */
export const errorTriggerRunner: NodeRunner<ErrorTriggerSettings> = {
  type: 'error-trigger',
  run: (input, ctx) => ({ message: ctx.settings.data === 'error' && input.error ? { ...input, data: { ...input.error } } : input }),
};
