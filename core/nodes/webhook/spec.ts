import { allowedOriginsProblem } from '../../webhook/cors';
import { z } from 'zod';
import type { NodeSpec } from '../spec-types';

export const WEBHOOK_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;

const secretRef = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, { message: 'must be a secret name (letters, digits, "_")' });

/**
 * A header name a caller can send (an RFC 9110 token): "X API Key" or "X-API-Key:" would deploy, and then no
 * request could ever carry it, so every call would be refused with 401.
 */
const headerName = z
  .string()
  .min(1, { message: 'must not be empty' })
  .regex(/^[!#$%&'*+\-.^_`|~0-9A-Za-z]*$/, { message: 'must be an HTTP header name: letters, digits and - _ . only (no spaces or ":")' });

export const apiKeyEntrySchema = z.object({
  id: z.string().min(1),
  label: z
    .string()
    .max(100)
    .refine((v) => v.trim() !== '', { message: 'give the key a label so you can tell consumers apart' }),
  /** Name of the secret that holds the key value; the value itself never enters the flow. */
  secret: secretRef,
  createdAt: z.string().optional(),
});

export const webhookAuthSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('none') }),
  z.object({
    type: z.literal('apiKey'),
    /** Header the key is read from. `Authorization: Bearer <key>` is also accepted when allowBearer is on. */
    header: headerName.default('X-API-Key'),
    allowBearer: z.boolean().default(true),
    keys: z.array(apiKeyEntrySchema).min(1, { message: 'add at least one API key' }),
  }),
  z.object({
    type: z.literal('basic'),
    username: z.string().min(1),
    passwordSecret: secretRef,
  }),
  z.object({
    type: z.literal('hmac'),
    /** standardWebhooks: webhook-id / webhook-timestamp / webhook-signature (v1); github: X-Hub-Signature-256. */
    preset: z.enum(['standardWebhooks', 'github', 'generic']).default('standardWebhooks'),
    /** Secret names; several allow key rotation (any one may match). */
    secrets: z.array(secretRef).min(1, { message: 'add at least one signing secret' }),
    header: headerName.default('X-Signature'),
    algorithm: z.enum(['sha256', 'sha1', 'sha512']).default('sha256'),
    encoding: z.enum(['hex', 'base64']).default('hex'),
    /** Text before the signature in the header, e.g. `sha256=`. */
    prefix: z.string().default(''),
    toleranceSec: z.number().int().positive().max(86_400).default(300),
  }),
]);
export type WebhookAuth = z.infer<typeof webhookAuthSchema>;

export const queryParamSchema = z.object({
  name: z.string().min(1).regex(/^[^\s&=#]*$/, { message: 'must not contain spaces, "&", "=" or "#"' }),
  required: z.boolean().default(false),
  default: z.string().optional(),
  description: z.string().optional(),
});

export const webhookSettingsSchema = z
  .object({
    methods: z.array(z.enum(WEBHOOK_METHODS)).min(1, { message: 'choose at least one HTTP method' }).default(['POST']),
    path: z
      .string()
      .regex(/^\/[A-Za-z0-9\-._~:/]*$/, { message: 'must start with "/" and contain only URL path characters (use ":name" for parameters)' })
      .default('/webhook'),
    queryParams: z.array(queryParamSchema).default([]),
    auth: webhookAuthSchema.default({ type: 'none' }),
    responseMode: z.enum(['async', 'requestResponse']).default('async'),
    timeoutMs: z.number().int().positive().max(600_000).default(30_000),
    timeoutStatus: z.number().int().min(400).max(599).default(504),
    timeoutMessage: z.string().default('The flow did not answer in time.'),
    /**
     * What a request-response caller learns when the flow fails: `details` (the failing node, its message and the
     * partner's answer: handy while building), `message` (code and message only), `generic` (the code and "the
     * flow failed": nothing about the systems behind it, for callers outside your organisation).
     */
    errorReply: z.enum(['details', 'message', 'generic']).default('details'),
    maxBodyBytes: z.number().int().positive().max(1024 * 1024 * 1024).default(10 * 1024 * 1024),
    ordered: z.boolean().default(false),
    /** Expression over the request (e.g. `body.orderId`): strict order within a key, keys in parallel. */
    partitionKey: z.string().optional(),
    maxParallelPartitions: z.number().int().positive().max(1000).default(8),
    /** On failure an ordered line halts (blocked until the head is retried or skipped) or parks the message and goes on. */
    onFailure: z.enum(['halt', 'park']).default('halt'),
    /** Unordered triggers: at most this many executions at once; the rest wait in the durable queue. */
    maxConcurrency: z.number().int().positive().max(1000).default(16),
    /** Expression giving an idempotency key (Standard Webhooks: headers.`webhook-id`). */
    idempotencyKey: z.string().optional(),
    idempotencyWindowSec: z.number().int().positive().default(86_400),
    /**
     * JSON Schema the request body must meet. Checked before the message is accepted, so even an async caller
     * gets a 400 naming every wrong field, and nothing runs.
     */
    bodySchema: z.union([z.record(z.string(), z.unknown()), z.string()]).optional(),
    /** Browser callers (CORS): comma-separated origins (`https://shop.example`) or `*`; none sends no CORS header. */
    allowedOrigins: z
      .string()
      .max(4000)
      .optional()
      .superRefine((v, ctx) => {
        const problem = allowedOriginsProblem(v);
        if (problem) ctx.addIssue({ code: 'custom', message: problem });
      }),
  })
  // `when`: these checks run even when another setting is wrong (zod skips them by default then), so a deploy
  // lists every problem at once instead of showing a duplicate only after the other mistakes are fixed.
  .superRefine((s, ctx) => crossFieldIssues(s, ctx), { when: () => true });
export type WebhookSettings = z.infer<typeof webhookSettingsSchema>;

type IssueSink = { addIssue(issue: { code: 'custom'; path: (string | number)[]; message: string }): void };

/** Checks across rows and settings. The value may be partly invalid here (see `when` above): read it defensively. */
function crossFieldIssues(raw: unknown, ctx: IssueSink): void {
  const s = (raw ?? {}) as Record<string, unknown>;
  const rows = (v: unknown): Record<string, unknown>[] => (Array.isArray(v) ? v.map((r) => (r && typeof r === 'object' ? (r as Record<string, unknown>) : {})) : []);
  const seen = new Set<string>();
  rows(s.queryParams).forEach((q, i) => {
    if (typeof q.name === 'string' && q.name !== '') {
      if (seen.has(q.name)) ctx.addIssue({ code: 'custom', path: ['queryParams', i, 'name'], message: `duplicate query parameter "${q.name}"` });
      seen.add(q.name);
    }
    if (q.required === true && q.default !== undefined)
      ctx.addIssue({ code: 'custom', path: ['queryParams', i, 'default'], message: 'a required parameter cannot have a default' });
  });
  const auth = (s.auth ?? {}) as Record<string, unknown>;
  if (auth.type === 'apiKey') {
    // A label tells consumers apart (the key list, "last used", the 401 log): two alike defeat its purpose.
    const labels = new Map<string, number>();
    rows(auth.keys).forEach((k, i) => {
      if (typeof k.label !== 'string' || k.label.trim() === '') return;
      const norm = k.label.trim().toLowerCase();
      const first = labels.get(norm);
      if (first !== undefined) ctx.addIssue({ code: 'custom', path: ['auth', 'keys', i, 'label'], message: `duplicate label "${k.label.trim()}" (key ${first + 1} has it): give each key its own label` });
      else labels.set(norm, i);
    });
  }
  if (s.partitionKey && s.ordered !== true)
    ctx.addIssue({ code: 'custom', path: ['partitionKey'], message: 'a partition key needs ordered delivery turned on' });
}


export const webhookSpec: NodeSpec<typeof webhookSettingsSchema> = {
  type: 'webhook',
  version: 1,
  category: 'trigger',
  title: 'Webhook',
  description: 'Starts the flow when an HTTP request arrives at its path.',
  icon: 'webhook',
  settings: webhookSettingsSchema,
  inputs: [],
  outputs: () => [{ id: 'out', label: 'request' }],
  subtitle: (s) => `${s.methods.join(', ')} ${s.path}`,
  fields: [
    { key: 'methods', label: 'HTTP methods', widget: 'multiselect', options: WEBHOOK_METHODS.map((m) => ({ value: m, label: m })), help: 'A HEAD request is answered by the GET trigger (same status and headers, no body).' },
    { key: 'path', label: 'Path', widget: 'text', placeholder: '/orders/:id', help: 'Use :name for path parameters.' },
    {
      key: 'queryParams',
      label: 'Query parameters',
      widget: 'list',
      help: 'Each is one value: missing or empty takes the default (or is a 400 when required), given twice is a 400.',
      itemFields: [
        { key: 'name', label: 'Name', widget: 'text' },
        { key: 'required', label: 'Required', widget: 'toggle' },
        { key: 'default', label: 'Default', widget: 'text' },
      ],
    },
    {
      key: 'auth.type',
      label: 'Authentication',
      widget: 'select',
      group: 'Authentication',
      options: [
        { value: 'none', label: 'None (open endpoint)' },
        { value: 'apiKey', label: 'API keys' },
        { value: 'basic', label: 'Basic auth' },
        { value: 'hmac', label: 'HMAC signature' },
      ],
    },
    {
      key: 'auth.keys',
      label: 'API keys',
      widget: 'apiKeys',
      group: 'Authentication',
      visibleWhen: { 'auth.type': ['apiKey'] },
      help: 'One per consumer, each with its own label: generate one, paste your own, or reuse a key of another trigger. Values are stored as secrets.',
    },
    {
      key: 'auth.header',
      label: 'Header',
      widget: 'text',
      group: 'Authentication',
      visibleWhen: { 'auth.type': ['apiKey', 'hmac'] },
      advanced: true,
      help: 'API keys: the header the key is read from. HMAC: the header that carries the signature (custom scheme only; the other schemes name their own).',
    },
    {
      key: 'auth.allowBearer',
      label: 'Also accept Authorization: Bearer',
      widget: 'toggle',
      group: 'Authentication',
      help: 'When on, a key is also accepted as an Authorization: Bearer token (checked when the key header is missing).',
      visibleWhen: { 'auth.type': ['apiKey'] },
      advanced: true,
    },
    { key: 'auth.username', label: 'Username', widget: 'text', group: 'Authentication', visibleWhen: { 'auth.type': ['basic'] } },
    { key: 'auth.passwordSecret', label: 'Password', widget: 'secret', group: 'Authentication', visibleWhen: { 'auth.type': ['basic'] } },
    {
      key: 'auth.preset',
      label: 'Signature scheme',
      widget: 'select',
      group: 'Authentication',
      visibleWhen: { 'auth.type': ['hmac'] },
      options: [
        { value: 'standardWebhooks', label: 'Standard Webhooks (webhook-signature)' },
        { value: 'github', label: 'GitHub (X-Hub-Signature-256)' },
        { value: 'generic', label: 'Custom header / algorithm' },
      ],
    },
    { key: 'auth.secrets', label: 'Signing secrets', widget: 'list', group: 'Authentication', visibleWhen: { 'auth.type': ['hmac'] }, help: 'Several secrets allow key rotation.' },
    { key: 'auth.algorithm', label: 'Algorithm', widget: 'select', group: 'Authentication', visibleWhen: { 'auth.preset': ['generic'] }, options: [{ value: 'sha256', label: 'HMAC-SHA256' }, { value: 'sha1', label: 'HMAC-SHA1' }, { value: 'sha512', label: 'HMAC-SHA512' }] },
    { key: 'auth.encoding', label: 'Encoding', widget: 'select', group: 'Authentication', visibleWhen: { 'auth.preset': ['generic'] }, options: [{ value: 'hex', label: 'hex' }, { value: 'base64', label: 'base64' }] },
    { key: 'auth.prefix', label: 'Signature prefix', widget: 'text', group: 'Authentication', visibleWhen: { 'auth.preset': ['generic'] }, placeholder: 'sha256=' },
    {
      key: 'responseMode',
      label: 'Response',
      widget: 'select',
      group: 'Delivery',
      options: [
        { value: 'async', label: 'Acknowledge at once (202 with execution id)' },
        { value: 'requestResponse', label: 'Request-Response (wait for the flow)' },
      ],
      help: 'Acknowledge: the caller gets 202 { executionId } as soon as the message is stored. Request-Response: the caller waits for the first Respond node (or the last node\'s output as 200 JSON).',
    },
    {
      key: 'timeoutMs',
      label: 'Timeout (ms)',
      widget: 'number',
      group: 'Delivery',
      visibleWhen: { responseMode: ['requestResponse'] },
      help: 'When the flow takes longer, the caller gets the timeout status with { error: "timeout", message, executionId }; the execution goes on and is recorded.',
    },
    { key: 'timeoutStatus', label: 'Timeout status', widget: 'number', group: 'Delivery', visibleWhen: { responseMode: ['requestResponse'] }, advanced: true },
    { key: 'timeoutMessage', label: 'Timeout message', widget: 'text', group: 'Delivery', visibleWhen: { responseMode: ['requestResponse'] } },
    {
      key: 'errorReply',
      label: 'Error reply',
      widget: 'select',
      group: 'Delivery',
      visibleWhen: { responseMode: ['requestResponse'] },
      advanced: true,
      options: [
        { value: 'details', label: 'Details: node, message and the partner\'s answer' },
        { value: 'message', label: 'Message: error code and message' },
        { value: 'generic', label: 'Generic: error code only (public endpoints)' },
      ],
      help: 'What the caller gets when the flow fails, with the failing node\'s status (502, 504, 400, 500). Details help while building; Generic tells an outside caller nothing about the systems behind the flow. The execution record always keeps everything.',
    },
    { key: 'ordered', label: 'Ordered delivery', widget: 'toggle', group: 'Delivery', help: 'Run messages one at a time in the order they were received.' },
    { key: 'partitionKey', label: 'Partition key', widget: 'expression', language: 'jsonata', scope: 'request', group: 'Delivery', visibleWhen: { ordered: [true] }, placeholder: 'body.orderId', advanced: true, help: 'Expression over the request (body, query, headers): strict order per key, different keys run in parallel.' },
    { key: 'maxParallelPartitions', label: 'Partitions in parallel', widget: 'number', group: 'Delivery', visibleWhen: { ordered: [true] }, advanced: true },
    { key: 'onFailure', label: 'When a message fails', widget: 'select', group: 'Delivery', visibleWhen: { ordered: [true] }, options: [{ value: 'halt', label: 'Halt the line until retried or skipped' }, { value: 'park', label: 'Park it and go on' }], help: 'Halt: later messages wait (a Request-Response caller whose message waits behind it is answered at once with the timeout status and error line_halted) until the failed one is retried or skipped in Executions. Park: it is set aside as parked and the next one runs.' },
    { key: 'maxConcurrency', label: 'Max parallel executions', widget: 'number', group: 'Delivery', visibleWhen: { ordered: [false] }, advanced: true },
    { key: 'idempotencyKey', label: 'Idempotency key', widget: 'expression', language: 'jsonata', scope: 'request', group: 'Delivery', placeholder: "headers.`webhook-id`", advanced: true, help: 'A repeated key runs nothing and answers with the original execution id; with Request-Response it gets the original answer again (header Idempotent-Replayed: true), waiting for it if the first run is still going.' },
    { key: 'idempotencyWindowSec', label: 'Deduplication window (s)', widget: 'number', group: 'Delivery', advanced: true },
    { key: 'allowedOrigins', label: 'Allowed origins (CORS)', widget: 'text', group: 'Request', placeholder: 'https://shop.example, https://admin.shop.example', advanced: true, help: 'For callers in a browser (a checkout page, a form): the origins whose pages may call this webhook and read the answer, comma-separated, or * for any. The trigger then answers the browser\'s OPTIONS preflight. Server-to-server calls do not need it.' },
    { key: 'maxBodyBytes', label: 'Max body size (bytes)', widget: 'number', group: 'Delivery', advanced: true, help: 'A larger request is answered 413 without being read or run.' },
    { key: 'bodySchema', label: 'Body schema (JSON Schema)', widget: 'json', language: 'json', group: 'Request', advanced: true, help: 'Requests whose body does not match are answered 400 with every violation, before anything runs. A GET or HEAD without a body is not checked.' },
  ],
  example: {
    methods: ['POST'],
    path: '/itscope/events',
    auth: { type: 'apiKey', header: 'X-API-Key', keys: [{ id: 'k1', label: 'ITscope', secret: 'ITSCOPE_API_KEY' }] },
    responseMode: 'async',
    ordered: true,
  },
};
