const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

export interface CurlParts {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string;
  /** `user:password` for curl's `-u` (basic auth). */
  basicAuth?: string;
}

/** A ready-to-paste cURL command (shell-quoted) for a webhook trigger. */
export function curlCommand(p: CurlParts): string {
  const lines = [`curl -X ${p.method} ${q(p.url)}`];
  if (p.basicAuth !== undefined) lines.push(`  -u ${q(p.basicAuth)}`);
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
