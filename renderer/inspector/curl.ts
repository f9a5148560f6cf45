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
