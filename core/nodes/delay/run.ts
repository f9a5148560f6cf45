import { NodeError, type NodeRunner } from '../runner-types';
import type { DelaySettings } from './spec';

export const delayRunner: NodeRunner<DelaySettings> = {
  type: 'delay',
  run(input, ctx) {
    return new Promise((resolve, reject) => {
      if (ctx.signal.aborted) return reject(new NodeError('stopped while waiting', 'interrupted'));
      const timer = setTimeout(() => {
        ctx.signal.removeEventListener('abort', onAbort);
        resolve({ message: input });
      }, ctx.settings.ms);
      const onAbort = () => {
        clearTimeout(timer);
        reject(new NodeError('stopped while waiting', 'interrupted'));
      };
      ctx.signal.addEventListener('abort', onAbort, { once: true });
    });
  },
};
