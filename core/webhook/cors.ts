import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * CORS for webhook triggers called from a browser (a shop's checkout page, a form): the trigger's allowed origins
 * (n8n's "Allowed Origins (CORS)"), as a comma-separated list of origins or `*`. Without any, no CORS header is
 * sent and a browser on another origin cannot read the answer (server-to-server callers are not affected).
 */

/** Parses the setting: `*`, or origins such as `https://shop.example` (scheme, host and port, no path). */
export function parseAllowedOrigins(text: string | undefined): string[] {
  if (!text || !text.trim()) return [];
  return text
    .split(',')
    .map((o) => o.trim())
    .filter(Boolean);
}

/** Why an entry is not an origin, or undefined when every entry is one. */
export function allowedOriginsProblem(text: string | undefined): string | undefined {
  for (const o of parseAllowedOrigins(text)) {
    if (o === '*') continue;
    let u: URL;
    try {
      u = new URL(o);
    } catch {
      return `"${o}" is not an origin: write it as https://shop.example (or * for any)`;
    }
    if ((u.protocol !== 'https:' && u.protocol !== 'http:') || u.origin !== o.replace(/\/$/, '')) return `"${o}" is not an origin: write scheme and host only, as https://shop.example (no path)`;
  }
  return undefined;
}

/** The Access-Control-Allow-Origin value for a request from `origin`, or undefined when it is not allowed. */
export function allowOrigin(allowed: string[], origin: string | undefined): string | undefined {
  if (!origin || allowed.length === 0) return undefined;
  if (allowed.includes('*')) return '*';
  const o = origin.replace(/\/$/, '');
  return allowed.some((a) => a.replace(/\/$/, '') === o) ? o : undefined;
}

/** On an answer to an allowed origin: the header that lets the browser read it. */
export function setCorsHeaders(res: ServerResponse, value: string) {
  res.setHeader('access-control-allow-origin', value);
  if (value !== '*') res.setHeader('vary', 'Origin');
}

/**
 * Answers a browser's preflight (OPTIONS with Access-Control-Request-Method) for a trigger's path: 204 with the
 * methods the path takes when the origin is allowed, 403 naming the origin when it is not.
 */
export function answerPreflight(req: IncomingMessage, res: ServerResponse, allowed: string[], methods: string[]): void {
  const origin = req.headers.origin;
  const value = allowOrigin(allowed, origin);
  if (!value) {
    const body = JSON.stringify({ error: 'origin_not_allowed', message: `origin ${origin ?? '(none)'} may not call this webhook from a browser (add it to the trigger's Allowed origins)` });
    res.writeHead(403, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body) });
    res.end(body);
    return;
  }
  setCorsHeaders(res, value);
  const requested = req.headers['access-control-request-headers'];
  res.writeHead(204, {
    'access-control-allow-methods': methods.join(', '),
    ...(requested ? { 'access-control-allow-headers': String(requested) } : {}),
    'access-control-max-age': '600',
  });
  res.end();
}
