import type { NodeRunner } from '../runner-types';
import type { ManualSettings } from './spec';

/** The manual trigger's step: `runtime.runOnce` built the message from the sample input; hand it on. */
export const manualRunner: NodeRunner<ManualSettings> = {
  type: 'manual',
  run: (input) => ({ message: input }),
};
