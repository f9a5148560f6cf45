import { z } from 'zod';
import type { FieldSpec, NodeSpec } from '../spec-types';
import { connectionSchema, headerNameSchema } from '../../model/connection';

/**
 * Web Integration: one outbound HTTP request per message (core/http does the work). Every field the
 * seeds name is here: method, target URL, key-value headers and query, content type, request
 * template, retry count (max 5) and interval, timeout and timeout message, redirects, client
 * certificate and auth via the connection.
 */
export const HTTP_REQUEST_CONTENT_TYPES = [
  'application/json',
  'application/xml',
  'text/xml',
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data',
  'none',
] as const;

const pair = z.object({ name: z.string().min(1).max(200), value: z.string().default('') });
const headerPair = z.object({ name: headerNameSchema, value: z.string().default('') });

/** An inline connection: same schema as saved connections; id and name are optional here. */
export const inlineConnectionSchema = connectionSchema.extend({
  id: connectionSchema.shape.id.default('inline'),
  name: z.string().min(1).max(200).default('inline connection'),
});

export const httpRequestSettingsSchema = z.object({
  method: z.enum(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD']).default('POST'),
  /** Template (text); may use `$env`, e.g. `{{$env.PARTNER_URL}}/orders/{{data.id}}`. */
  url: z.string().min(1),
  query: z.array(pair).default([]),
  headers: z.array(headerPair).default([]),
  contentType: z.enum(HTTP_REQUEST_CONTENT_TYPES).default('application/json'),
  /** Request template, escaped for its content type (JSON / XML / text). */
  body: z.string().optional(),
  /** Fields of a form-urlencoded or multipart body (templated values). */
  form: z.array(pair).default([]),
  /** A saved connection by id (reused across nodes and flows); takes precedence over an inline `connection`. */
  connectionId: z.string().min(1).max(100).optional(),
  connection: inlineConnectionSchema.optional(),
  retry: z
    .object({
      retryCount: z.number().int().min(0).max(5).default(0),
      retryIntervalMs: z.number().int().min(0).max(3_600_000).default(1000),
      backoff: z.enum(['fixed', 'exponential']).default('fixed'),
      jitter: z.boolean().default(false),
      maxDelayMs: z.number().int().min(0).max(3_600_000).default(60_000),
      retryAfterCapMs: z.number().int().min(0).max(3_600_000).default(120_000),
    })
    .default({ retryCount: 0, retryIntervalMs: 1000, backoff: 'fixed', jitter: false, maxDelayMs: 60_000, retryAfterCapMs: 120_000 }),
  /** Override the connection's timeouts. */
  timeoutMs: z.number().int().positive().max(600_000).optional(),
  connectTimeoutMs: z.number().int().positive().max(600_000).optional(),
  timeoutMessage: z.string().max(2000).optional(),
  followRedirects: z.number().int().min(0).max(20).default(5),
  failOnNon2xx: z.boolean().default(true),
  maxResponseBytes: z.number().int().positive().max(100 * 1024 * 1024).default(10 * 1024 * 1024),
  /** `response`: data becomes { status, headers, body }; `body`: data becomes the parsed body. */
  output: z.enum(['response', 'body']).default('response'),
});
export type HttpRequestSettings = z.infer<typeof httpRequestSettingsSchema>;

const opt = (values: readonly string[]) => values.map((v) => ({ value: v, label: v }));
const authIs = (...t: string[]) => ({ 'connection.auth.type': t });

const connectionFields: FieldSpec[] = [
  {
    key: 'connectionId',
    label: 'Connection',
    widget: 'connection',
    group: 'Connection',
    help: 'A saved connection (auth, client certificate, proxy) shared with other nodes and flows. Leave empty to configure one inline below.',
  },
  {
    key: 'connection.auth.type',
    label: 'Authorisation',
    widget: 'select',
    group: 'Connection',
    unset: 'none',
    options: [
      { value: 'none', label: 'None' },
      { value: 'basic', label: 'Basic' },
      { value: 'bearer', label: 'Bearer token' },
      { value: 'apiKey', label: 'API key' },
      { value: 'headers', label: 'Custom headers' },
      { value: 'requestor', label: 'Requestor / username / password' },
      { value: 'oauth2ClientCredentials', label: 'OAuth2 client credentials' },
      { value: 'oauth2AuthCode', label: 'OAuth2 authorization code' },
    ],
  },
  { key: 'connection.auth.username', label: 'Username', widget: 'text', group: 'Connection', visibleWhen: authIs('basic', 'requestor') },
  { key: 'connection.auth.passwordSecret', label: 'Password', widget: 'secret', group: 'Connection', visibleWhen: authIs('basic', 'requestor') },
  { key: 'connection.auth.requestor', label: 'Requestor', widget: 'text', group: 'Connection', visibleWhen: authIs('requestor'), help: 'Identifier the partner gave you; no spaces or special characters.' },
  { key: 'connection.auth.tokenSecret', label: 'Token', widget: 'secret', group: 'Connection', visibleWhen: authIs('bearer') },
  { key: 'connection.auth.in', label: 'Send key in', widget: 'select', group: 'Connection', options: opt(['header', 'query']), visibleWhen: authIs('apiKey') },
  { key: 'connection.auth.name', label: 'Key name', widget: 'text', group: 'Connection', placeholder: 'X-API-Key', visibleWhen: authIs('apiKey') },
  { key: 'connection.auth.valueSecret', label: 'Key value', widget: 'secret', group: 'Connection', visibleWhen: authIs('apiKey') },
  {
    key: 'connection.auth.headers',
    label: 'Auth headers',
    widget: 'list',
    group: 'Connection',
    visibleWhen: authIs('headers'),
    itemFields: [
      { key: 'name', label: 'Header', widget: 'text' },
      { key: 'value', label: 'Value', widget: 'text' },
      { key: 'valueSecret', label: 'or secret', widget: 'secret' },
    ],
  },
  { key: 'connection.auth.authUrl', label: 'Authorization URL', widget: 'text', group: 'Connection', visibleWhen: authIs('oauth2AuthCode') },
  { key: 'connection.auth.tokenUrl', label: 'Token URL', widget: 'text', group: 'Connection', visibleWhen: authIs('oauth2ClientCredentials', 'oauth2AuthCode') },
  { key: 'connection.auth.clientId', label: 'Client id', widget: 'text', group: 'Connection', visibleWhen: authIs('oauth2ClientCredentials', 'oauth2AuthCode') },
  { key: 'connection.auth.clientSecretSecret', label: 'Client secret', widget: 'secret', group: 'Connection', visibleWhen: authIs('oauth2ClientCredentials', 'oauth2AuthCode') },
  { key: 'connection.auth.scope', label: 'Scope', widget: 'text', group: 'Connection', visibleWhen: authIs('oauth2ClientCredentials', 'oauth2AuthCode') },
  { key: 'connection.auth.audience', label: 'Audience', widget: 'text', group: 'Connection', advanced: true, visibleWhen: authIs('oauth2ClientCredentials') },
  { key: 'connection.auth.redirectUrl', label: 'Redirect URL', widget: 'text', group: 'Connection', visibleWhen: authIs('oauth2AuthCode'), help: 'Loopback URL served by the runtime.' },
  { key: 'connection.auth.refreshTokenSecret', label: 'Refresh token (secret)', widget: 'secret', group: 'Connection', visibleWhen: authIs('oauth2AuthCode') },
  { key: 'connection.tls.clientCert', label: 'Client certificate', widget: 'certificate', group: 'Connection', advanced: true, help: 'PFX/P12 with passphrase, or PEM certificate + key, stored as secrets.' },
  { key: 'connection.tls.caSecret', label: 'Extra CA bundle (PEM secret)', widget: 'secret', group: 'Connection', advanced: true },
  { key: 'connection.tls.rejectUnauthorized', label: 'Verify the server certificate', widget: 'toggle', group: 'Connection', advanced: true, help: 'Turning this off is warned about on every run.' },
  { key: 'connection.proxy.url', label: 'Proxy URL', widget: 'text', group: 'Connection', advanced: true, placeholder: 'http://user@proxy:3128 (default: HTTPS_PROXY)' },
  { key: 'connection.proxy.passwordSecret', label: 'Proxy password', widget: 'secret', group: 'Connection', advanced: true, help: 'Write-only; sent with the user name of the proxy URL.' },
];

export const httpRequestSpec: NodeSpec<typeof httpRequestSettingsSchema> = {
  type: 'http-request',
  version: 1,
  category: 'outbound',
  title: 'Web Integration',
  description: 'Sends an HTTP request built from the message (with auth, client certificate, retries) and passes the response on.',
  icon: 'globe',
  settings: httpRequestSettingsSchema,
  inputs: [{ id: 'in', label: 'in' }],
  outputs: () => [{ id: 'out', label: 'out' }],
  subtitle: (s) => `${s.method} ${hostOf(s.url)}`,
  fields: [
    { key: 'method', label: 'HTTP method', widget: 'select', options: opt(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD']) },
    { key: 'url', label: 'Target URL', widget: 'template', language: 'text', oneLine: true, placeholder: '{{$env.PARTNER_URL}}/orders' },
    { key: 'contentType', label: 'Content type', widget: 'select', options: opt(HTTP_REQUEST_CONTENT_TYPES) },
    // One editor per body language (the runtime escapes tokens by the content type), so an XML request template
    // is highlighted, checked and previewed as XML, not as JSON.
    ...([['json', ['application/json']], ['xml', ['application/xml', 'text/xml']], ['text', ['text/plain']]] as const).map(([language, types]): FieldSpec => ({
      key: 'body',
      label: 'Request template',
      widget: 'template',
      language,
      visibleWhen: { contentType: [...types] },
      ...(language === 'xml' ? { help: 'Tokens are escaped for their place. A template that is one token ({{ data }}) sends that text as it is: XML a Template node built goes out unchanged.' } : {}),
    })),
    {
      key: 'form',
      label: 'Form fields',
      widget: 'keyValue',
      visibleWhen: { contentType: ['application/x-www-form-urlencoded', 'multipart/form-data'] },
    },
    { key: 'headers', label: 'Header parameters', widget: 'keyValue', help: 'Key-value pairs; values are templates. CR/LF is rejected.' },
    { key: 'query', label: 'Query parameters', widget: 'keyValue', advanced: true },
    ...connectionFields,
    { key: 'retry.retryCount', label: 'Retry count', widget: 'number', group: 'Reliability', help: 'At most 5.' },
    { key: 'retry.retryIntervalMs', label: 'Retry interval (ms)', widget: 'number', group: 'Reliability' },
    { key: 'retry.backoff', label: 'Backoff', widget: 'select', group: 'Reliability', options: opt(['fixed', 'exponential']), advanced: true },
    { key: 'retry.jitter', label: 'Jitter', widget: 'toggle', group: 'Reliability', advanced: true },
    { key: 'retry.maxDelayMs', label: 'Maximum delay (ms)', widget: 'number', group: 'Reliability', advanced: true },
    { key: 'retry.retryAfterCapMs', label: 'Retry-After cap (ms)', widget: 'number', group: 'Reliability', advanced: true },
    { key: 'timeoutMs', label: 'Timeout (ms)', widget: 'number', group: 'Reliability', placeholder: '30000' },
    { key: 'connectTimeoutMs', label: 'Connect timeout (ms)', widget: 'number', group: 'Reliability', advanced: true, placeholder: '10000' },
    { key: 'timeoutMessage', label: 'Timeout message', widget: 'text', group: 'Reliability', help: 'Error text, and the answer to a waiting caller, when the timeout elapses.' },
    { key: 'followRedirects', label: 'Follow redirects (max)', widget: 'number', group: 'Reliability', advanced: true, help: '0 turns following off.' },
    { key: 'failOnNon2xx', label: 'Fail on non-2xx status', widget: 'toggle', group: 'Response' },
    { key: 'maxResponseBytes', label: 'Maximum response size (bytes)', widget: 'number', group: 'Response', advanced: true },
    { key: 'output', label: 'Output', widget: 'select', group: 'Response', options: [{ value: 'response', label: 'Status, headers and body' }, { value: 'body', label: 'Body only' }] },
  ],
  example: {
    method: 'POST',
    url: '{{$env.PARTNER_URL}}/orders',
    contentType: 'application/json',
    body: '{ "orderId": {{data.orderId}}, "requestor": {{vars.connection.requestor}} }',
    headers: [{ name: 'X-Api-Version', value: '2' }],
    connection: { auth: { type: 'requestor', requestor: 'ACME01', username: 'acme', passwordSecret: 'ACME_PASSWORD' } },
    retry: { retryCount: 3, retryIntervalMs: 5000 },
    timeoutMs: 30000,
    timeoutMessage: 'The partner system did not answer in time',
  },
};

function hostOf(url: string): string {
  const m = /^https?:\/\/([^/?#]+)/i.exec(url);
  return m ? m[1] : url.slice(0, 40);
}

/**
 * What is wrong with a Target URL before it is rendered, or undefined: a URL without tokens must be an absolute
 * http(s) URL (or a path, when a connection's Server URL is there to resolve it); a templated one must not
 * start with another scheme or contain spaces in its fixed part. What the tokens render to is checked on send.
 */
export function targetUrlProblem(url: string, hasBaseUrl: boolean): string | undefined {
  const text = url.trim();
  if (!text) return undefined; // the required-field check says it
  const fixed = text.split('{{')[0];
  if (/\s/.test(fixed)) return 'must not contain spaces (encode them as %20)';
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(fixed)?.[1]?.toLowerCase();
  if (scheme !== undefined && /^[^:]+:\d/.test(fixed)) return `must start with http:// or https://, e.g. http://${fixed}`;
  if (scheme !== undefined && scheme !== 'http' && scheme !== 'https') return `must start with http:// or https:// (not ${scheme}:)`;
  if (fixed !== text) return undefined;
  if (scheme === undefined) {
    if (hasBaseUrl) return undefined;
    return "must be an absolute URL starting with http:// or https:// (a path like /orders needs a connection with a Server URL)";
  }
  try {
    if (!new URL(text).hostname) return 'must name a host, e.g. https://partner.example/orders';
  } catch {
    return 'is not a valid URL, e.g. https://partner.example/orders';
  }
  return undefined;
}
