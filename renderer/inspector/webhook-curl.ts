import { curlCommand, webhookQuery } from './curl';
import { sampleRequest } from './sample-request';

export interface EndpointCurlInput {
  /** The webhook trigger's settings (possibly a half-made draft). */
  settings: Record<string, any>;
  /** The flow's pinned sample message, if any. */
  sample: unknown;
  /** The endpoint's URL without the query. */
  url: string;
  /** Secret values shown in this session (a key just generated), by secret name. */
  revealed: Record<string, string>;
}

/**
 * The cURL command a partner can paste for a webhook trigger. Everything inside the shell's single quotes is sent
 * as written, so a credential the studio cannot show is an obvious `<…>` placeholder to replace (a `$NAME` there
 * was sent literally and earned a 401), and basic auth is curl's own `-u 'user:<password>'` with the trigger's user.
 *
 * @example
 * endpointCurl({ settings: { auth: { type: 'apiKey', keys: [{ label: 'ERP', secret: 'K' }] } }, sample: undefined, url: 'http://h/x', revealed: {} });
 * // curl -X POST 'http://h/x' \ -H 'Content-Type: application/json' \ -H 'X-API-Key: <API key "ERP">' \ --data '{"hello":"world"}'
 */
export function endpointCurl({ settings: s, sample, url, revealed }: EndpointCurlInput): string {
  const methods: string[] = Array.isArray(s.methods) && s.methods.length ? s.methods : ['POST'];
  const method = methods.includes('POST') ? 'POST' : methods[0];
  const headers: Record<string, string> = {};
  const hasBody = method !== 'GET' && method !== 'DELETE';
  const request = sampleRequest(sample);
  if (hasBody) headers['Content-Type'] = request.contentType;
  const auth = s.auth ?? {};
  if (auth.type === 'apiKey') {
    const key = Array.isArray(auth.keys) ? auth.keys[0] : undefined;
    const label = typeof key?.label === 'string' && key.label.trim() ? ` "${key.label.trim()}"` : '';
    headers[auth.header || 'X-API-Key'] = (key && revealed[key.secret]) || `<API key${label}>`;
  }
  const trigger = (sample as { trigger?: { body?: unknown; query?: unknown } } | undefined)?.trigger;
  const body = hasBody ? request.body : undefined;
  const user = typeof auth.username === 'string' && auth.username ? auth.username : '<user>';
  const basicAuth = auth.type === 'basic' ? `${user}:<password>` : undefined;
  return curlCommand({ method, url: url + webhookQuery(s.queryParams, trigger?.query), headers, body, basicAuth });
}
