import type { NodeRunner } from '../runner-types';
import type { WebhookSettings } from './spec';

/**
 * The webhook trigger's step: the request has already been received, authenticated and parsed by the
 * runtime's HTTP ingest (core/runtime/ingest.ts); the step hands the message on as it came.
 */
export const webhookRunner: NodeRunner<WebhookSettings> = {
  type: 'webhook',
  run: (input) => ({ message: input }),
};
