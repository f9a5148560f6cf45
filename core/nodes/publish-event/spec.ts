import { z } from 'zod';
import type { FieldSpec, NodeSpec } from '../spec-types';
import { eventTypeSchema, STANDARD_EVENT_TYPES } from '../../model/subscription';

/**
 * Publish Event: the app as a webhook sender (ITscope's side). Builds the event envelope from
 * expressions and delivers it to every enabled, applied subscriber of the event type (Subscriptions in
 * the studio), with retries and Basic auth or Standard Webhooks signing.
 */

/** Envelope fields besides eventId / timestamp / eventType, which the node sets itself. */
export const ENVELOPE_FIELDS = ['transactionStatus', 'orderId', 'itscopeOrderId', 'documentId', 'documentUrl', 'transactionId'] as const;
const RESERVED = new Set<string>(['eventId', 'timestamp', 'eventType', ...ENVELOPE_FIELDS]);

const expr = z.string().max(10_000).optional();

export const publishEventSettingsSchema = z.object({
  eventType: eventTypeSchema.default('ORDER'),
  /** Each a JSONata expression over the message (`data.status`); empty fields are left out of the event. */
  transactionStatus: expr,
  orderId: expr,
  itscopeOrderId: expr,
  documentId: expr,
  documentUrl: expr,
  transactionId: expr,
  custom: z
    .array(
      z.object({
        name: z
          .string()
          .regex(/^[A-Za-z_][A-Za-z0-9_]{0,63}$/, { message: 'must be a field name (letters, digits and "_")' })
          .refine((n) => !RESERVED.has(n), { message: 'is a standard envelope field; use that field instead' }),
        expression: z.string().min(1).max(10_000),
      }),
    )
    .default([]),
  retry: z
    .object({
      retryCount: z.number().int().min(0).max(5).default(3),
      retryIntervalMs: z.number().int().min(0).max(3_600_000).default(5000),
      backoff: z.enum(['fixed', 'exponential']).default('exponential'),
      jitter: z.boolean().default(true),
    })
    .default({ retryCount: 3, retryIntervalMs: 5000, backoff: 'exponential', jitter: true }),
  timeoutMs: z.number().int().positive().max(600_000).default(30_000),
  /** When the node fails: any delivery failed (default), all failed, or never (results only). */
  failWhen: z.enum(['any', 'all', 'never']).default('any'),
});
export type PublishEventSettings = z.infer<typeof publishEventSettingsSchema>;

const exprField = (key: string, label: string, placeholder: string): FieldSpec => ({ key, label, widget: 'expression', language: 'jsonata', group: 'Event', placeholder });

export const publishEventSpec: NodeSpec<typeof publishEventSettingsSchema> = {
  type: 'publish-event',
  version: 1,
  category: 'outbound',
  title: 'Publish Event',
  description: 'Sends an event (ORDER, DELIVERY, ...) as a webhook to every enabled subscriber of its type, signed or with Basic auth, with retries.',
  icon: 'broadcast',
  settings: publishEventSettingsSchema,
  inputs: [{ id: 'in', label: 'in' }],
  outputs: () => [{ id: 'out', label: 'out' }],
  subtitle: (s) => s.eventType,
  fields: [
    {
      key: 'eventType',
      label: 'Event type',
      widget: 'text',
      options: STANDARD_EVENT_TYPES.map((t) => ({ value: t, label: t })),
      help: 'ORDER, ORDERRESPONSE, DELIVERY, INVOICE or your own upper-case type. Subscribers are set up under Subscriptions and take effect once applied.',
    },
    exprField('transactionStatus', 'Transaction status', "data.status  (e.g. 'ADVISED')"),
    exprField('orderId', 'Order id', 'data.orderId'),
    exprField('itscopeOrderId', 'ITscope order id', 'data.itscopeOrderId'),
    exprField('documentId', 'Document id', 'data.documentId'),
    exprField('documentUrl', 'Document URL', "'https://api.example.com/documents/' & data.documentId"),
    exprField('transactionId', 'Transaction id', 'data.transactionId'),
    {
      key: 'custom',
      label: 'Custom fields',
      widget: 'list',
      group: 'Event',
      advanced: true,
      itemFields: [
        { key: 'name', label: 'Field', widget: 'text' },
        { key: 'expression', label: 'Expression', widget: 'expression', language: 'jsonata' },
      ],
    },
    { key: 'retry.retryCount', label: 'Retry count', widget: 'number', group: 'Delivery', help: 'At most 5.' },
    { key: 'retry.retryIntervalMs', label: 'Retry interval (ms)', widget: 'number', group: 'Delivery' },
    { key: 'retry.backoff', label: 'Backoff', widget: 'select', group: 'Delivery', advanced: true, options: [{ value: 'fixed', label: 'fixed' }, { value: 'exponential', label: 'exponential' }] },
    { key: 'retry.jitter', label: 'Jitter', widget: 'toggle', group: 'Delivery', advanced: true },
    { key: 'timeoutMs', label: 'Timeout per attempt (ms)', widget: 'number', group: 'Delivery', advanced: true },
    {
      key: 'failWhen',
      label: 'Fail the node when',
      widget: 'select',
      group: 'Delivery',
      options: [
        { value: 'any', label: 'any delivery failed' },
        { value: 'all', label: 'every delivery failed' },
        { value: 'never', label: 'never (results only)' },
      ],
    },
  ],
  example: {
    eventType: 'DELIVERY',
    transactionStatus: "'ADVISED'",
    orderId: 'data.orderId',
    documentId: 'data.documentId',
    documentUrl: "'https://api.example.com/documents/' & data.documentId & '/DISPATCHNOTIFICATION.xml'",
    transactionId: 'data.transactionId',
    custom: [{ name: 'carrier', expression: 'data.carrier' }],
    retry: { retryCount: 3, retryIntervalMs: 5000 },
  },
};
