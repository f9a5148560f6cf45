import type { Connection, ConnectionAuth } from '../../model/connection';
import { parseCurl, toCurl, type CurlRequest } from '../../model/curl';
import { HTTP_REQUEST_CONTENT_TYPES, type HttpRequestSettings } from './spec';

/**
 * "Import from cURL" and "Copy as cURL" for the Web Integration node. Credentials in a pasted command
 * never land in node settings: they become secrets (the caller stores them) and an inline connection
 * that refers to them by name. Copying back writes `<secret:NAME>` placeholders, never values.
 */

/** Headers that carry credentials when pasted from a browser or API docs. */
const CREDENTIAL_HEADERS = new Set(['authorization', 'proxy-authorization', 'cookie', 'x-api-key', 'api-key', 'apikey', 'x-auth-token', 'x-access-token', 'ocp-apim-subscription-key']);

export interface CurlImport {
  settings: Partial<HttpRequestSettings> & { url: string };
  /** Secret values to store under these (new) names; the host stores them and returns only the names. */
  secrets: Array<{ name: string; value: string }>;
  notes: string[];
}

/**
 * @example
 * const r = curlToSettings(`curl -u me:pw -H 'Content-Type: application/json' -d '{"a":1}' https://api.example.com/x`, (n) => secrets.has(n));
 * // r.settings.connection.auth = { type: 'basic', username: 'me', passwordSecret: 'CURL_PASSWORD' }; r.secrets = [{ name: 'CURL_PASSWORD', value: 'pw' }]
 */
export function curlToSettings(text: string, secretExists: (name: string) => boolean = () => false): CurlImport {
  const req = parseCurl(text);
  const notes: string[] = [];
  const secrets: CurlImport['secrets'] = [];
  const taken = new Set<string>();
  const secret = (base: string, value: string): string => {
    let name = base;
    for (let i = 2; secretExists(name) || taken.has(name); i++) name = `${base}_${i}`;
    taken.add(name);
    secrets.push({ name, value });
    return name;
  };
  const method = (['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD'] as const).find((m) => m === req.method);
  if (!method) throw new Error(`curl: method ${req.method} is not supported by the Web Integration node`);

  const url = new URL(req.url);
  const query = [...url.searchParams].map(([name, value]) => ({ name, value }));
  url.search = '';
  let contentType: HttpRequestSettings['contentType'] = req.body === undefined ? 'none' : 'text/plain';
  const headers: Array<{ name: string; value: string }> = [];
  const creds: Array<[string, string]> = [];
  if (req.basicAuth) creds.push(['Authorization', `Basic ${Buffer.from(`${req.basicAuth.username}:${req.basicAuth.password}`).toString('base64')}`]);
  for (const [name, value] of req.headers) {
    const lower = name.toLowerCase();
    if (lower === 'content-type') {
      const base = value.split(';')[0].trim().toLowerCase();
      const known = HTTP_REQUEST_CONTENT_TYPES.find((t) => t === base);
      if (known) contentType = known;
      else headers.push({ name, value });
    } else if (CREDENTIAL_HEADERS.has(lower)) creds.push([name, value]);
    else if (lower !== 'content-length' && lower !== 'host') headers.push({ name, value });
  }
  const settings: CurlImport['settings'] = { method, url: url.toString(), query, headers, contentType };
  if (contentType === 'application/x-www-form-urlencoded' && req.body !== undefined) {
    settings.form = [...new URLSearchParams(req.body)].map(([name, value]) => ({ name, value }));
  } else if (req.body !== undefined) settings.body = req.body;

  const auth = credsToAuth(creds, secret);
  if (auth || req.insecure) {
    const connection: Partial<Connection> = { auth: auth ?? { type: 'none' } };
    if (req.insecure) {
      connection.tls = { rejectUnauthorized: false };
      notes.push('-k/--insecure: TLS verification is turned off in the inline connection; turn it back on once the partner has a valid certificate.');
    }
    settings.connection = connection as HttpRequestSettings['connection'];
  }
  if (secrets.length) notes.push(`Credentials were moved into secret(s) ${secrets.map((s) => s.name).join(', ')}; the node refers to them by name.`);
  return { settings, secrets, notes };
}

function credsToAuth(creds: Array<[string, string]>, secret: (base: string, value: string) => string): ConnectionAuth | undefined {
  if (!creds.length) return undefined;
  if (creds.length === 1) {
    const [name, value] = creds[0];
    if (name.toLowerCase() === 'authorization') {
      const basic = /^Basic\s+(\S+)$/i.exec(value);
      if (basic) {
        const decoded = Buffer.from(basic[1], 'base64').toString('utf8');
        const i = decoded.indexOf(':');
        if (i > 0) return { type: 'basic', username: decoded.slice(0, i), passwordSecret: secret('CURL_PASSWORD', decoded.slice(i + 1)) };
      }
      const bearer = /^Bearer\s+(\S+)$/i.exec(value);
      if (bearer) return { type: 'bearer', tokenSecret: secret('CURL_TOKEN', bearer[1]) };
    } else if (name.toLowerCase() !== 'cookie') {
      return { type: 'apiKey', in: 'header', name, valueSecret: secret('CURL_API_KEY', value) };
    }
  }
  return { type: 'headers', headers: creds.map(([name, value]) => ({ name, valueSecret: secret(`CURL_${name.toUpperCase().replace(/[^A-Z0-9]+/g, '_')}`, value) })) };
}

const placeholder = (name: string) => `<secret:${name}>`;

/**
 * A cURL command for the node's settings as written (templates unrendered), with the connection's
 * credentials as `<secret:NAME>` placeholders.
 *
 * @example
 * settingsToCurl({ method: 'GET', url: 'https://api.example.com/x', query: [], headers: [], form: [], contentType: 'none' }, conn)
 */
export function settingsToCurl(
  s: Pick<HttpRequestSettings, 'method' | 'url' | 'query' | 'headers' | 'contentType' | 'body' | 'form'>,
  connection?: Pick<Connection, 'auth' | 'tls' | 'baseUrl'>,
): string {
  let url = s.url;
  if (connection?.baseUrl && !/^[a-z][a-z0-9+.-]*:/i.test(url)) url = `${connection.baseUrl.replace(/\/+$/, '')}/${url.replace(/^\/+/, '')}`;
  const q = (s.query ?? []).map((p) => `${encodeURIComponent(p.name)}=${encodeURIComponent(p.value)}`).join('&');
  if (q) url += (url.includes('?') ? '&' : '?') + q;
  const headers: Array<[string, string]> = [];
  const req: CurlRequest = { method: s.method, url, headers };
  const a = connection?.auth;
  if (a?.type === 'basic') req.basicAuth = { username: a.username, password: placeholder(a.passwordSecret) };
  if (a?.type === 'requestor' && a.sendAs === 'basic') req.basicAuth = { username: a.username, password: placeholder(a.passwordSecret) };
  if (a?.type === 'requestor' && a.requestorHeader) headers.push([a.requestorHeader, a.requestor]);
  if (a?.type === 'bearer') headers.push(['Authorization', `Bearer ${placeholder(a.tokenSecret)}`]);
  if (a?.type === 'apiKey' && a.in === 'header') headers.push([a.name, placeholder(a.valueSecret)]);
  if (a?.type === 'apiKey' && a.in === 'query') req.url += `${req.url.includes('?') ? '&' : '?'}${encodeURIComponent(a.name)}=${placeholder(a.valueSecret)}`;
  if (a?.type === 'headers') for (const h of a.headers) headers.push([h.name, h.valueSecret ? placeholder(h.valueSecret) : h.value!]);
  if (a?.type === 'oauth2ClientCredentials' || a?.type === 'oauth2AuthCode') headers.push(['Authorization', 'Bearer <OAuth2 access token>']);
  for (const h of s.headers ?? []) headers.push([h.name, h.value]);
  const hasBody = s.method !== 'GET' && s.method !== 'HEAD' && s.contentType !== 'none';
  if (hasBody && s.contentType === 'application/x-www-form-urlencoded') {
    headers.push(['Content-Type', s.contentType]);
    req.body = new URLSearchParams((s.form ?? []).map((f): [string, string] => [f.name, f.value])).toString();
  } else if (hasBody && s.contentType !== 'multipart/form-data' && s.body !== undefined) {
    headers.push(['Content-Type', s.contentType]);
    req.body = s.body;
  }
  if (connection?.tls && !connection.tls.rejectUnauthorized) req.insecure = true;
  return toCurl(req);
}
