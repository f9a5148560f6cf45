import type { NodeRunner } from '../runner-types';
import type { NoteSettings } from './spec';

/** A sticky note has no ports: no message reaches it. Were one to, it would end there. */
export const noteRunner: NodeRunner<NoteSettings> = {
  type: 'note',
  run: () => null,
};
