import type { Connection } from '../model/connection';
import type { SecretStore } from '../secrets/secret-store';
import { resolveConnection } from './auth';
import { TokenCache } from './oauth2';
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
  try {
    // A test fetches its own OAuth2 token (as Postman does): a cached one would hide a wrong client setting.
    const resolved = resolveConnection(o.connection, o.secrets, { tokenCache: o.tokenCache ?? new TokenCache(), now: o.now?.(), env: o.env });
    const mask = () => (masker = new Masker({ secretValues: resolved.secretValues, headerNames: resolved.authHeaderNames }));
    warnings.push(...resolved.warnings);
    try {
      const exchange = await sendRequest(req, { ...o, resolved, failOnNon2xx: false, capturePeerCertificate: true, retry: { retryCount: 0 } });
      mask();
      const masked = masker.value(exchange);
      return { ok: exchange.ok, exchange: masked, timings: masked.attempts.at(-1)?.timings, warnings };
    } finally {
      mask();
    }
  } catch (e) {
    const err = e instanceof HttpError ? e : new HttpError((e as Error).message, 'network');
    const exchange = err.exchange ? masker.value(err.exchange as Exchange) : undefined;
    return { ok: false, exchange, error: { code: err.code, message: masker.string(err.message) }, timings: exchange?.attempts.at(-1)?.timings, warnings };
  }
}
