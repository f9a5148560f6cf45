const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

export interface CurlParts {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string;
}

/** A ready-to-paste cURL command (shell-quoted) for a webhook trigger. */
export function curlCommand(p: CurlParts): string {
  const lines = [`curl -X ${p.method} ${q(p.url)}`];
  for (const [k, v] of Object.entries(p.headers)) lines.push(`  -H ${q(`${k}: ${v}`)}`);
  if (p.body !== undefined) lines.push(`  --data ${q(p.body)}`);
  return lines.join(' \\\n');
}

/**
 * The query string a caller of this webhook trigger sends (with `?`, or '' when nothing is needed): each
 * declared parameter with the sample's value, a required one without a sample value as `name=value` (to be
 * replaced), optional ones only when the sample has them (the trigger fills their defaults). Without it, the
 * copied cURL command and the Test request panel would earn a 400 for a missing required parameter.
 *
 * @example
 * webhookQuery([{ name: 'customerid', required: true }, { name: 'customername', default: 'Anon' }], {}); // "?customerid=value"
 */
export function webhookQuery(params: unknown, sampleQuery: unknown): string {
  const sample = sampleQuery && typeof sampleQuery === 'object' ? (sampleQuery as Record<string, unknown>) : {};
  const parts: string[] = [];
  for (const p of Array.isArray(params) ? params : []) {
    const name = (p as { name?: unknown })?.name;
    if (typeof name !== 'string' || !name) continue;
    const given = sample[name];
    const value = typeof given === 'string' || typeof given === 'number' || typeof given === 'boolean' ? String(given) : undefined;
    if (value !== undefined && value !== '') parts.push(`${encodeURIComponent(name)}=${encodeURIComponent(value)}`);
    else if ((p as { required?: unknown }).required === true) parts.push(`${encodeURIComponent(name)}=value`);
  }
  return parts.length ? `?${parts.join('&')}` : '';
}

/** What "Send test request" sends: the host's testConnection request, or why the studio cannot build it. */
export interface NodeTestRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  query: Record<string, string>;
  body?: string;
  contentType?: string;
}

type Pair = { name?: unknown; value?: unknown };
const pairs = (v: unknown): Array<{ name: string; value: string }> =>
  (Array.isArray(v) ? (v as Pair[]) : []).filter((p) => typeof p?.name === 'string' && p.name !== '').map((p) => ({ name: p.name as string, value: typeof p.value === 'string' ? p.value : '' }));

/**
 * A Web Integration node's request rendered with the sample message, as the runtime would build it (templates in
 * URL, headers, query, form and body; the body escaped for its content type), for "Send test request". `$env` and
 * the connection's password live in the runtime only: a template using them is refused with the field named.
 * `connectionValues`: the non-secret `vars.connection.*` of the node's connection (requestor, username).
 *
 * @example
 * await nodeTestRequest({ method: 'POST', url: 'https://p.example/orders/{{data.id}}', contentType: 'application/json', body: '{"id": {{data.id}}}' }, { data: { id: 7 } })
 * // { method: 'POST', url: 'https://p.example/orders/7', headers: {}, query: {}, body: '{"id": 7}', contentType: 'application/json; charset=utf-8' }
 */
export async function nodeTestRequest(settings: Record<string, unknown>, sample: unknown, connectionValues: Record<string, string> = {}): Promise<NodeTestRequest> {
  const { compileTemplate } = await import('../../core/template');
  const msg = (sample && typeof sample === 'object' ? sample : {}) as { data?: unknown; trigger?: unknown; vars?: Record<string, unknown> };
  const ctx = { data: msg.data, trigger: msg.trigger, vars: { ...msg.vars, connection: connectionValues }, env: {} };
  const render = async (text: string, kind: 'json' | 'xml' | 'text', label: string): Promise<string> => {
    const runtimeOnly = /\$env\b/.test(text) ? '$env' : /vars\.connection\.password/.test(text) ? 'vars.connection.password' : undefined;
    if (runtimeOnly) throw new Error(`${label} uses ${runtimeOnly}, which only the runtime knows: press "Run with sample" on the trigger to send it with the runtime's values`);
    try {
      return String(await compileTemplate(text, { kind }).render(ctx));
    } catch (e) {
      throw new Error(`${label}: ${(e as Error).message}`);
    }
  };
  const method = typeof settings.method === 'string' ? settings.method : 'POST';
  const contentType = typeof settings.contentType === 'string' ? settings.contentType : 'application/json';
  const url = await render(typeof settings.url === 'string' ? settings.url : '', 'text', 'Target URL');
  if (!url.trim()) throw new Error('Target URL: enter the URL to send the test request to');
  const headers: Record<string, string> = {};
  for (const h of pairs(settings.headers)) headers[h.name] = await render(h.value, 'text', `Header ${h.name}`);
  const query: Record<string, string> = {};
  for (const q of pairs(settings.query)) query[q.name] = await render(q.value, 'text', `Query parameter ${q.name}`);
  const req: NodeTestRequest = { method, url, headers, query };
  if (method === 'GET' || method === 'HEAD' || contentType === 'none') return req;
  if (contentType === 'application/x-www-form-urlencoded' || contentType === 'multipart/form-data') {
    const fields: Array<[string, string]> = [];
    for (const f of pairs(settings.form)) fields.push([f.name, await render(f.value, 'text', `Form field ${f.name}`)]);
    if (contentType === 'application/x-www-form-urlencoded') return { ...req, body: new URLSearchParams(fields).toString(), contentType };
    const boundary = `----HooklineTest${Math.random().toString(16).slice(2)}`;
    const body = fields.map(([n, v]) => `--${boundary}\r\nContent-Disposition: form-data; name="${n.replace(/"/g, '%22')}"\r\n\r\n${v}\r\n`).join('') + `--${boundary}--\r\n`;
    return { ...req, body, contentType: `multipart/form-data; boundary=${boundary}` };
  }
  if (typeof settings.body !== 'string') return req;
  const kind = contentType === 'application/json' ? 'json' : contentType.endsWith('xml') ? 'xml' : 'text';
  return { ...req, body: await render(settings.body, kind, 'Request template'), contentType: `${contentType}; charset=utf-8` };
}
