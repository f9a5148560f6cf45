import type { Connection, ConnectionAuth } from '../../model/connection';
import { parseCurl, toCurl, type CurlRequest } from '../../model/curl';
import { HTTP_REQUEST_CONTENT_TYPES, httpRequestSettingsSchema, type HttpRequestSettings } from './spec';

/**
 * "Import from cURL" and "Copy as cURL" for the Web Integration node. Credentials in a pasted command
 * never land in node settings: they become secrets (the caller stores them) and an inline connection
 * that refers to them by name. Copying back writes `<secret:NAME>` placeholders, never values.
 */

/** Headers that carry credentials when pasted from a browser or API docs. */
const CREDENTIAL_HEADERS = new Set(['authorization', 'proxy-authorization', 'cookie', 'x-api-key', 'api-key', 'apikey', 'x-auth-token', 'x-access-token', 'ocp-apim-subscription-key']);
/** Query parameters that carry credentials (`?api_key=…`): kept out of the node's settings like the headers above. */
const CREDENTIAL_QUERY = new Set(['api_key', 'apikey', 'api-key', 'key', 'access_token', 'auth_token', 'token', 'subscription-key', 'client_secret', 'password']);

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
export function curlToSettings(
  text: string,
  secretExists: (name: string) => boolean = () => false,
  /** Whether a stored secret already holds this value: importing the same command twice reuses it. */
  holds: (name: string, value: string) => boolean = () => false,
): CurlImport {
  const req = parseCurl(text);
  const secrets: CurlImport['secrets'] = [];
  const taken = new Set<string>();
  const secret = (base: string, value: string): string => {
    // A command copied from a node ("Copy as cURL") names its secrets as <secret:NAME>: refer to NAME again.
    const ref = SECRET_PLACEHOLDER.exec(value)?.[1];
    if (ref) return ref;
    let name = base;
    for (let i = 2; secretExists(name) || taken.has(name); i++) {
      if (!taken.has(name) && holds(name, value)) return name; // the same credential, imported before
      name = `${base}_${i}`;
    }
    taken.add(name);
    secrets.push({ name, value });
    return name;
  };
  const method = (['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD'] as const).find((m) => m === req.method);
  if (!method) throw new Error(`curl: method ${req.method} is not supported by the Web Integration node`);

  const notes: string[] = [...(req.notes ?? [])];
  // Split the query off by hand: new URL() would percent-encode the {{ }} of a template copied from a node.
  const [base, search = ''] = req.url.replace(/#.*$/, '').split(/\?(.*)/s, 2);
  let query = [...new URLSearchParams(search)].map(([name, value]) => ({ name, value }));
  const queryCreds = query.filter((p) => CREDENTIAL_QUERY.has(p.name.toLowerCase()) && p.value);
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
    } else if (lower === 'authorization' && value === OAUTH2_PLACEHOLDER) {
      notes.push('The Authorization header is the placeholder Copy as cURL writes for an OAuth2 token: pick the OAuth2 connection in the node for it.');
    } else if (CREDENTIAL_HEADERS.has(lower)) creds.push([name, value]);
    else if (lower !== 'content-length' && lower !== 'host') headers.push({ name, value });
  }
  if (req.form) contentType = 'multipart/form-data';
  // Chrome copies a form-data body as raw multipart text: its text fields become the node's form fields.
  const boundary = /;\s*boundary="?([^";]+)"?/i.exec(req.headers.find(([n]) => n.toLowerCase() === 'content-type')?.[1] ?? '')?.[1];
  const rawForm = contentType === 'multipart/form-data' && !req.form && req.body !== undefined ? multipartFields(req.body, boundary) : undefined;
  const settings: CurlImport['settings'] = { method, url: base, query, headers, contentType };
  if (req.form) settings.form = req.form.map(([name, value]) => ({ name, value }));
  else if (rawForm) settings.form = rawForm;
  else if (contentType === 'application/x-www-form-urlencoded' && req.body !== undefined) {
    settings.form = [...new URLSearchParams(req.body)].map(([name, value]) => ({ name, value }));
  } else if (req.body !== undefined) settings.body = req.body;
  if (req.timeoutMs) settings.timeoutMs = Math.min(req.timeoutMs, 600_000);
  if (req.connectTimeoutMs) settings.connectTimeoutMs = Math.min(req.connectTimeoutMs, 600_000);
  if (req.retries !== undefined) {
    settings.retry = httpRequestSettingsSchema.shape.retry.parse({ retryCount: Math.min(req.retries, 5) });
    if (req.retries > 5) notes.push(`--retry ${req.retries}: the node retries at most 5 times, so Retry count is 5.`);
  }

  let auth = credsToAuth(creds, secret);
  if (!auth && queryCreds.length === 1) {
    // One key in the query and no other credentials: an API-key connection that sends it in the query.
    const [p] = queryCreds;
    auth = { type: 'apiKey', in: 'query', name: p.name, valueSecret: secret('CURL_API_KEY', p.value) };
    query = query.filter((q) => q !== p);
    settings.query = query;
  } else if (queryCreds.length) {
    notes.push(`Query parameter(s) ${queryCreds.map((p) => p.name).join(', ')} look like credentials and stay in the node's settings (a connection sends one credential kind): move them into the connection by hand.`);
  }
  const tls = tlsOf(req, secret);
  const proxy = proxyOf(req, secret);
  // `-u name` without a password: curl would prompt for it; the connection names a secret left for you to set.
  const unset = secrets.filter((x) => x.value === '');
  for (const x of unset) notes.push(`No password was given (curl would prompt for it): set secret ${x.name} before running the node.`);
  const stored = secrets.filter((x) => x.value !== '');
  if (auth || req.insecure || tls || proxy) {
    const connection: Partial<Connection> = { auth: auth ?? { type: 'none' } };
    if (tls) connection.tls = tls;
    if (proxy) connection.proxy = proxy;
    if (req.insecure) {
      connection.tls = { ...connection.tls, rejectUnauthorized: false };
      notes.push('-k/--insecure: TLS verification is turned off in the inline connection; turn it back on once the partner has a valid certificate.');
    }
    settings.connection = connection as HttpRequestSettings['connection'];
  }
  if (stored.length) notes.push(`Credentials were moved into secret(s) ${stored.map((s) => s.name).join(', ')}; the node refers to them by name.`);
  return { settings, secrets: stored, notes };
}

/** `./NAME.p12` / `./NAME.pem`, as Copy as cURL names a certificate secret's file: the secret NAME. */
const SECRET_FILE = /^\.\/([A-Za-z_][A-Za-z0-9_]*)\.(p12|pfx|pem|crt|key)$/;

/**
 * The connection's TLS settings from `--cert` / `--key` / `--pass` / `--cacert`. Certificates are secrets: a file
 * named after one (what Copy as cURL writes) refers to it again; any other file is an error saying what to do (the
 * studio does not read files a command names).
 */
function tlsOf(req: CurlRequest, secret: (base: string, value: string) => string): Connection['tls'] | undefined {
  const t = req.tls;
  if (!t) return undefined;
  const ref = (option: string, file: string) => {
    const m = SECRET_FILE.exec(file);
    if (!m) throw new Error(`curl: ${option} ${file} reads a file: save its content as a secret and pick it in a connection (Client certificate / Extra CA bundle)`);
    return m[1];
  };
  const out: NonNullable<Connection['tls']> = { rejectUnauthorized: true };
  // curl's `--cert file:passphrase` form (the passphrase may also come with --pass).
  const [, certFile, inlinePass] = /^(.*?\.(?:p12|pfx|pem|crt))(?::(.*))?$/i.exec(t.cert ?? '') ?? [undefined, t.cert, undefined];
  const pass = t.pass ?? inlinePass;
  const passphraseSecret = pass ? secret('CURL_CERT_PASSPHRASE', pass) : undefined;
  if (certFile) {
    const p12 = t.certType === 'P12' || /\.(p12|pfx)$/i.test(certFile);
    if (p12) out.clientCert = { kind: 'pfx', pfxSecret: ref('--cert', certFile), ...(passphraseSecret ? { passphraseSecret } : {}) };
    else if (!t.key) throw new Error(`curl: --cert ${certFile} without --key: a PEM client certificate needs its key as a second secret (--key)`);
    else out.clientCert = { kind: 'pem', certSecret: ref('--cert', certFile), keySecret: ref('--key', t.key), ...(passphraseSecret ? { passphraseSecret } : {}) };
  } else if (t.key) throw new Error('curl: --key without --cert');
  if (t.cacert) out.caSecret = ref('--cacert', t.cacert);
  return out;
}

/** The connection's proxy from `--proxy` and `--proxy-user`; the password becomes a secret as other credentials do. */
function proxyOf(req: CurlRequest, secret: (base: string, value: string) => string): Connection['proxy'] | undefined {
  const p = req.proxy;
  if (!p) return undefined;
  if (!p.url) throw new Error('curl: --proxy-user without --proxy');
  let url: URL;
  try {
    url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(p.url) ? p.url : `http://${p.url}`);
  } catch {
    throw new Error(`curl: --proxy ${p.url} is not a proxy URL`);
  }
  const cred = p.user ?? (url.username ? `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}` : undefined);
  url.username = '';
  url.password = '';
  if (!cred) return { url: url.toString() };
  const i = cred.indexOf(':');
  const user = i < 0 ? cred : cred.slice(0, i);
  const password = i < 0 ? '' : cred.slice(i + 1);
  url.username = encodeURIComponent(user);
  return password ? { url: url.toString(), passwordSecret: secret('CURL_PROXY_PASSWORD', password) } : { url: url.toString() };
}

/** The text fields of a raw multipart/form-data body; a file part is an error naming the field. */
function multipartFields(body: string, boundary: string | undefined): Array<{ name: string; value: string }> {
  if (!boundary) throw new Error('curl: the multipart/form-data body has no boundary in its Content-Type header');
  const fields: Array<{ name: string; value: string }> = [];
  for (const part of body.split(`--${boundary}`).slice(1)) {
    if (part.startsWith('--')) break;
    const m = /^\r?\n([\s\S]*?)\r?\n\r?\n([\s\S]*?)\r?\n$/.exec(part);
    const name = m && /name="([^"]*)"/i.exec(m[1])?.[1];
    if (!m || !name) throw new Error('curl: the multipart/form-data body has a part without a name');
    if (/filename=/i.test(m[1])) throw new Error(`curl: form field "${name}" is a file upload; the Web Integration node sends text fields only`);
    fields.push({ name, value: m[2] });
  }
  return fields;
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
const SECRET_PLACEHOLDER = /^<secret:([A-Za-z0-9_.-]+)>$/;
const OAUTH2_PLACEHOLDER = 'Bearer <OAuth2 access token>';

/**
 * A cURL command for the node's settings as written (templates unrendered), with the connection's
 * credentials as `<secret:NAME>` placeholders.
 *
 * @example
 * settingsToCurl({ method: 'GET', url: 'https://api.example.com/x', query: [], headers: [], form: [], contentType: 'none' }, conn)
 */
export function settingsToCurl(
  s: Pick<HttpRequestSettings, 'method' | 'url' | 'query' | 'headers' | 'contentType' | 'body' | 'form'>,
  connection?: Pick<Connection, 'auth' | 'tls' | 'baseUrl' | 'proxy'>,
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
  if (a?.type === 'oauth2ClientCredentials' || a?.type === 'oauth2AuthCode') headers.push(['Authorization', OAUTH2_PLACEHOLDER]);
  for (const h of s.headers ?? []) headers.push([h.name, h.value]);
  const hasBody = s.method !== 'GET' && s.method !== 'HEAD' && s.contentType !== 'none';
  if (hasBody && s.contentType === 'application/x-www-form-urlencoded') {
    headers.push(['Content-Type', s.contentType]);
    req.body = new URLSearchParams((s.form ?? []).map((f): [string, string] => [f.name, f.value])).toString();
  } else if (hasBody && s.contentType === 'multipart/form-data') {
    // curl sets the multipart Content-Type with its boundary itself.
    req.form = (s.form ?? []).map((f): [string, string] => [f.name, f.value]);
  } else if (hasBody && s.body !== undefined) {
    headers.push(['Content-Type', s.contentType]);
    req.body = s.body;
  }
  if (connection?.tls && !connection.tls.rejectUnauthorized) req.insecure = true;
  withTlsAndProxy(req, connection);
  return toCurl(req);
}

/**
 * The connection's client certificate, CA bundle and proxy as cURL options. Certificates are secrets, so the
 * command reads each from a file in the current directory named after its secret (`./CLIENT_PFX.p12`: save the
 * secret's value there, a PFX decoded from base64 with `base64 -d`); passphrases and the proxy password are
 * `<secret:NAME>` placeholders.
 */
function withTlsAndProxy(req: CurlRequest, c: Pick<Connection, 'tls' | 'proxy'> | undefined) {
  const cert = c?.tls?.clientCert;
  const pass = cert?.passphraseSecret ? placeholder(cert.passphraseSecret) : undefined;
  if (cert?.kind === 'pfx') req.tls = { certType: 'P12', cert: `./${cert.pfxSecret}.p12`, pass };
  if (cert?.kind === 'pem') req.tls = { cert: `./${cert.certSecret}.pem`, key: `./${cert.keySecret}.pem`, pass };
  if (c?.tls?.caSecret) req.tls = { ...req.tls, cacert: `./${c.tls.caSecret}.pem` };
  if (!c?.proxy) return;
  const u = new URL(c.proxy.url);
  const user = decodeURIComponent(u.username);
  if (c.proxy.passwordSecret && user) {
    // The password joins the user name in --proxy-user; the URL keeps neither.
    u.username = '';
    u.password = '';
    req.proxy = { url: u.toString(), user: `${user}:${placeholder(c.proxy.passwordSecret)}` };
  } else req.proxy = { url: c.proxy.url };
}
