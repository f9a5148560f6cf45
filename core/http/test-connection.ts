import type { Connection } from '../model/connection';
import type { SecretStore } from '../secrets/secret-store';
import { resolveConnection } from './auth';
import { TokenCache, type TokenExchangeRecord } from './oauth2';
import { sendRequest, type Exchange, type OutboundRequest, type SendOptions } from './client';
import { HttpError } from './errors';
import type { Timings } from './hop';
import { Masker } from './mask';

/**
 * "Test connection": one request with sample data, and the whole exchange back for the studio —
 * request as sent, response, timings and certificates — with every secret masked, including in the
 * response (a partner that echoes credentials must not put them on screen).
 */
export interface TestConnectionResult {
  ok: boolean;
  exchange?: Exchange;
  error?: { code: string; message: string };
  timings?: Timings;
  warnings: Array<{ code: string; message: string }>;
  /** The OAuth2 token requests the test made (as Postman's console shows them), secrets and tokens masked. */
  tokenRequests?: TokenExchangeRecord[];
}

/**
 * @example
 * const r = await testConnection({ method: 'GET', url: '/health' }, { connection, secrets });
 * r.exchange?.response?.status; r.exchange?.peerCertificate?.validTo; r.timings?.tlsMs;
 */
export async function testConnection(
  req: OutboundRequest,
  o: { connection?: Connection; secrets?: SecretStore } & Omit<SendOptions, 'connection' | 'secrets' | 'resolved' | 'retry'>,
): Promise<TestConnectionResult> {
  const warnings: TestConnectionResult['warnings'] = [];
  let masker = new Masker();
  const tokenExchanges: TokenExchangeRecord[] = [];
  // Reads the records at return time, masked with the masker as it is then (it knows the fetched token by then).
  const withTokens = <T extends TestConnectionResult>(r: T): T => (tokenExchanges.length ? { ...r, tokenRequests: tokenExchanges.map((x) => maskTokenExchange(x, masker)) } : r);
  try {
    // A test fetches its own OAuth2 token (as Postman does): a cached one would hide a wrong client setting.
    const resolved = resolveConnection(o.connection, o.secrets, { tokenCache: o.tokenCache ?? new TokenCache(), now: o.now?.(), env: o.env, onTokenExchange: (x) => tokenExchanges.push(x) });
    const mask = () => (masker = new Masker({ secretValues: resolved.secretValues, headerNames: resolved.maskedHeaderNames }));
    warnings.push(...resolved.warnings);
    try {
      const exchange = await sendRequest(req, { ...o, resolved, failOnNon2xx: false, capturePeerCertificate: true, retry: { retryCount: 0 } });
      mask();
      const masked = masker.value(exchange);
      const status = masked.response?.status;
      // A non-2xx answer says which fields to look at (n8n's "Couldn't connect with these settings"), not only the code.
      const error = !exchange.ok && status !== undefined ? { code: 'http_status', message: statusHint(status, masked.response?.statusText, o.connection) } : undefined;
      return withTokens({ ok: exchange.ok, exchange: masked, ...(error ? { error } : {}), timings: masked.attempts.at(-1)?.timings, warnings });
    } finally {
      mask();
    }
  } catch (e) {
    const err = e instanceof HttpError ? e : new HttpError((e as Error).message, 'network');
    const exchange = err.exchange ? masker.value(err.exchange as Exchange) : undefined;
    const message = masker.string(err.message);
    const advice = errorHint(err.code, message, err.status, o.connection);
    return withTokens({ ok: false, exchange, error: { code: err.code, message: advice ? `${message}. ${advice}` : message }, timings: exchange?.attempts.at(-1)?.timings, warnings });
  }
}

const TOKEN_FIELDS = /("(?:access_token|refresh_token|id_token)"\s*:\s*")[^"]*(")/g;

/**
 * A token request as the studio shows it: the Authorization header (client id and secret, Basic) masked, the
 * client secret masked in the form (URL-encoded there, so the masker alone would miss one with special characters),
 * and the tokens in the answer masked by field name as well as by value.
 */
export function maskTokenExchange(x: TokenExchangeRecord, masker: Masker): TokenExchangeRecord {
  const form = new URLSearchParams(x.requestBody);
  if (form.has('client_secret')) form.set('client_secret', '***');
  const out: TokenExchangeRecord = { ...x, requestHeaders: masker.headers(x.requestHeaders), requestBody: masker.string(form.toString()) };
  if (x.responseBody !== undefined) out.responseBody = masker.string(x.responseBody.replace(TOKEN_FIELDS, '$1***$2'));
  if (x.responseHeaders) out.responseHeaders = masker.headers(x.responseHeaders);
  if (x.error !== undefined) out.error = masker.string(x.error);
  return out;
}

/** The connection form's labels of the fields that make up each kind of credentials. */
const CREDENTIAL_FIELDS: Record<string, string> = {
  basic: 'Username and Password',
  bearer: 'Token',
  apiKey: 'Key name and Key value',
  headers: 'the Headers (names and values)',
  requestor: 'Requestor, Username and Password',
  oauth2ClientCredentials: 'Scope and Audience (the token was issued, but this API does not accept it)',
  oauth2AuthCode: 'Scope, or sign in again (the token was issued, but this API does not accept it)',
};

/**
 * What a test's non-2xx status means for the connection's settings, naming the fields to check.
 *
 * @example
 * statusHint(401, 'Unauthorized', { auth: { type: 'basic', … } }) // "401 Unauthorized: the partner rejected the credentials; check Username and Password"
 */
export function statusHint(status: number, statusText: string | undefined, connection: Pick<Connection, 'auth'> | undefined): string {
  const head = `${status}${statusText ? ` ${statusText}` : ''}`;
  const type = connection?.auth.type ?? 'none';
  if (status === 401) {
    if (type === 'none') return `${head}: the partner asks for credentials; choose an Authorisation type for this connection`;
    if (type === 'apiKey' && connection?.auth.type === 'apiKey') return `${head}: the partner rejected the credentials; check Key name and Key value (sent in the ${connection.auth.in === 'query' ? 'query' : 'header'} ${connection.auth.name})`;
    return `${head}: the partner rejected the credentials; check ${CREDENTIAL_FIELDS[type]}`;
  }
  if (status === 403) return `${head}: the partner accepted who you are but refuses this request; ask the partner for access to it${type.startsWith('oauth2') ? ', or check Scope' : ''}`;
  if (status === 404) return `${head}: nothing at this address; check the Server URL and the path`;
  if (status === 405) return `${head}: the address exists but not for this method; check the method`;
  if (status === 407) return `${head}: the proxy asks for credentials; check Proxy URL and Proxy password`;
  if (status >= 500) return `${head}: the partner's server failed; the connection settings may be right (try again later, or ask the partner)`;
  return `${head}: the partner refused the request`;
}

/** Advice for a test that got no answer, naming the field to check; undefined when the message says enough. */
export function errorHint(code: string, message: string, status: number | undefined, connection: Pick<Connection, 'auth'> | undefined): string | undefined {
  if (code === 'oauth2_token') {
    if (status === 400 || status === 401) return 'Check Client id, Client secret and Client authentication (client id / secret in the form body or HTTP Basic)';
    if (status === 404 || status === 405) return 'Check Token URL';
    if (status !== undefined) return undefined;
    return 'The token endpoint could not be reached: check Token URL';
  }
  if (code === 'network') {
    const host = /https?:\/\/([^/\s:]+(?::\d+)?)/.exec(message)?.[1] ?? 'the host';
    if (/ECONNREFUSED/.test(message)) return `Nothing accepts connections at ${host}: check the host and port of the Server URL (or the URL tested) and that the partner's service is running`;
    if (/ENOTFOUND|EAI_AGAIN/.test(message)) return `The host name ${host.replace(/:\d+$/, '')} is not known: check the Server URL for typos, or the VPN / DNS this machine needs to reach it`;
    if (/EPROTO|wrong version number|packet length too long/i.test(message)) return 'The server does not speak TLS on this port: try http:// instead of https://, or the port of its TLS endpoint';
    if (/ECONNRESET|socket hang up/.test(message)) return 'The server closed the connection: check http:// versus https:// and the port, and whether the partner expects a client certificate';
  }
  if (code === 'missing_secret' && connection && !/sign in/.test(message)) return 'Type its value in the connection form (a test uses it for that request only; Save stores it)';
  return undefined;
}
