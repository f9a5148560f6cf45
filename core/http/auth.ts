import { createHash } from 'node:crypto';
import { rootCertificates } from 'node:tls';
import type { Connection } from '../model/connection';
import { connectionAuthHeaderNames, connectionMaskedHeaderNames } from '../model/connection';
import type { SecretStore } from '../secrets/secret-store';
import { agentFor, proxyForUrl, type TlsMaterial } from './agents';
import { HttpError } from './errors';
import { defaultTokenCache, refreshAccessToken, requestToken, type TokenCache, type TokenExchangeRecord } from './oauth2';
import { CertificateError, checkValidity, parsePemClientCert, parsePfx, splitPemBundle, type CertificateInfo, type ParsedClientCert } from './tls';

/**
 * Turns a connection (secret names only) into what a request needs: TLS material, credentials per
 * request, header names to protect, and every secret value so records can be masked.
 */
export interface ResolvedConnection {
  connection?: Connection;
  poolId: string;
  tls?: TlsMaterial;
  clientCertificate?: CertificateInfo;
  warnings: Array<{ code: string; message: string }>;
  /** Lower-case names of headers that carry this connection's credentials (dropped on cross-origin redirects). */
  authHeaderNames: string[];
  /** Those of them whose value comes from a secret: masked by name in records (plain typed values are shown). */
  maskedHeaderNames: string[];
  /** Secret values (and values derived from them) to mask; grows when tokens are fetched. */
  secretValues: string[];
  /** Requestor / username / password for header and body templates. */
  templateValues: Record<string, string>;
  usesOAuth2: boolean;
  /** Fixed credentials come back at once; OAuth2 ones may have to fetch a token first. */
  credentials(o?: { force?: boolean; rejectedToken?: string; signal?: AbortSignal }): Credentials | Promise<Credentials>;
}

export interface Credentials {
  headers: Array<[string, string]>;
  query: Array<[string, string]>;
  /** The OAuth2 access token used, so a 401 can force a refresh of exactly this token. */
  token?: string;
}

const parsedCerts = new Map<string, ParsedClientCert>();

/** A request without a connection: one shared, frozen value (nothing in it changes per request). */
const NO_CONNECTION: ResolvedConnection = Object.freeze({
  poolId: 'default',
  warnings: Object.freeze([]) as never[],
  authHeaderNames: Object.freeze([]) as never[],
  maskedHeaderNames: Object.freeze([]) as never[],
  secretValues: Object.freeze([]) as never[],
  templateValues: Object.freeze({}) as Record<string, string>,
  usesOAuth2: false,
  credentials: () => NO_CREDENTIALS,
});

/**
 * @example
 * const rc = resolveConnection(connection, secrets);
 * const { headers } = await rc.credentials();
 */
export function resolveConnection(
  conn: Connection | undefined,
  secrets: SecretStore | undefined,
  o: { tokenCache?: TokenCache; now?: Date; env?: Record<string, string | undefined>; onTokenExchange?(x: TokenExchangeRecord): void } = {},
): ResolvedConnection {
  if (!conn) return NO_CONNECTION;
  const secretValues: string[] = [];
  const need = (name: string, field: string): string => {
    const v = secrets?.get(name);
    if (v === undefined || v === '') {
      throw new HttpError(`connection "${conn?.name}": secret ${name} is not set (${field})`, 'missing_secret');
    }
    secretValues.push(v);
    return v;
  };
  const optional = (name: string | undefined, field: string) => (name ? need(name, field) : undefined);

  const warnings: ResolvedConnection['warnings'] = [];
  // The proxy's password comes from a secret: the connection the requests use carries the URL with it filled in.
  const proxyPassword = optional(conn.proxy?.passwordSecret, 'proxy.passwordSecret');
  if (proxyPassword && conn.proxy) {
    const u = new URL(conn.proxy.url);
    u.password = proxyPassword;
    secretValues.push(u.password); // as it appears in the URL (percent-encoded)
    conn = { ...conn, proxy: { ...conn.proxy, url: u.toString() } };
  }
  let tls: TlsMaterial | undefined;
  let clientCertificate: CertificateInfo | undefined;
  if (conn.tls) {
    tls = { rejectUnauthorized: conn.tls.rejectUnauthorized };
    if (!conn.tls.rejectUnauthorized) {
      warnings.push({ code: 'tls_verification_off', message: `connection "${conn.name}": TLS certificate verification is turned off` });
    }
    const ca = optional(conn.tls.caSecret, 'tls.caSecret');
    if (ca) {
      const extra = splitPemBundle(ca);
      if (!extra.length) throw new HttpError(`connection "${conn.name}": tls.caSecret holds no PEM certificate`, 'certificate_invalid');
      // Node's `ca` replaces the system roots; partners behind public CAs must keep working too.
      tls.ca = [...rootCertificates, ...extra];
    }
    const cc = conn.tls.clientCert;
    if (cc) {
      const parsed = certCached(() => {
        const pass = optional(cc.passphraseSecret, 'tls.clientCert.passphraseSecret');
        return cc.kind === 'pfx'
          ? { key: [need(cc.pfxSecret, 'tls.clientCert.pfxSecret'), pass], parse: () => parsePfx(secrets!.get(cc.pfxSecret)!, pass) }
          : {
              key: [need(cc.certSecret, 'tls.clientCert.certSecret'), need(cc.keySecret, 'tls.clientCert.keySecret'), pass],
              parse: () => parsePemClientCert(secrets!.get(cc.certSecret)!, secrets!.get(cc.keySecret)!, pass),
            };
      }, conn.name);
      const now = o.now ?? new Date();
      clientCertificate = { ...parsed.info, daysLeft: Math.floor((Date.parse(parsed.info.validTo) - now.getTime()) / 86_400_000) };
      try {
        const v = checkValidity(parsed.info, o.now);
        if (v.warning) warnings.push({ code: 'certificate_expiring', message: `connection "${conn.name}": ${v.warning}` });
      } catch (e) {
        throw new HttpError(`connection "${conn.name}": ${(e as Error).message}`, (e as CertificateError).code);
      }
      tls.cert = [parsed.certPem, ...parsed.chainPem].join('');
      tls.key = parsed.keyPem;
      if (parsed.passphrase) tls.passphrase = parsed.passphrase;
    }
  }

  const a = conn.auth;
  const cache = o.tokenCache ?? defaultTokenCache;
  const templateValues: Record<string, string> = {};
  const basic = (user: string, pass: string) => {
    const b = Buffer.from(`${user}:${pass}`).toString('base64');
    secretValues.push(b);
    return `Basic ${b}`;
  };
  const tokenEndpoint = (tokenUrl: string, clientSecret: string | undefined, authStyle: 'body' | 'basic', signal?: AbortSignal) => {
    const u = new URL(tokenUrl);
    return {
      tokenUrl,
      clientId: (a as { clientId: string }).clientId,
      clientSecret,
      authStyle,
      signal,
      timeoutMs: conn.timeoutMs,
      onExchange: o.onTokenExchange,
      agent: agentFor({ url: u, poolId: conn.id, tls, proxyUrl: proxyForUrl(u, conn.proxy?.url, o.env) }),
    };
  };
  const bearer = (t: { accessToken: string; tokenType: string }) => {
    secretValues.push(t.accessToken);
    // Servers answer `bearer` in any case; RFC 6750 clients send `Bearer`.
    return `${/^bearer$/i.test(t.tokenType) ? 'Bearer' : t.tokenType} ${t.accessToken}`;
  };

  let credentials: ResolvedConnection['credentials'];
  switch (a.type) {
    case 'none':
      credentials = () => NO_CREDENTIALS;
      break;
    case 'basic': {
      const h = basic(a.username, need(a.passwordSecret, 'auth.passwordSecret'));
      credentials = fixed({ headers: [['Authorization', h]], query: [] });
      break;
    }
    case 'bearer': {
      const t = need(a.tokenSecret, 'auth.tokenSecret');
      credentials = fixed({ headers: [['Authorization', `Bearer ${t}`]], query: [] });
      break;
    }
    case 'apiKey': {
      const v = need(a.valueSecret, 'auth.valueSecret');
      secretValues.push(encodeURIComponent(v));
      credentials = fixed(a.in === 'header' ? { headers: [[a.name, v]], query: [] } : { headers: [], query: [[a.name, v]] });
      break;
    }
    case 'headers': {
      const hs = a.headers.map((h, i): [string, string] => [h.name, h.valueSecret ? need(h.valueSecret, `auth.headers[${i}].valueSecret`) : h.value!]);
      credentials = fixed({ headers: hs, query: [] });
      break;
    }
    case 'requestor': {
      const pw = need(a.passwordSecret, 'auth.passwordSecret');
      Object.assign(templateValues, { requestor: a.requestor, username: a.username, password: pw });
      const hs: Array<[string, string]> = [];
      if (a.sendAs === 'basic') hs.push(['Authorization', basic(a.username, pw)]);
      if (a.requestorHeader) hs.push([a.requestorHeader, a.requestor]);
      credentials = fixed({ headers: hs, query: [] });
      break;
    }
    case 'oauth2ClientCredentials': {
      const secret = need(a.clientSecretSecret, 'auth.clientSecretSecret');
      // Everything that changes the token request is in the key (a switch to HTTP Basic client authentication
      // must fetch again, not reuse the token the form-body style got).
      const key = `cc|${a.tokenUrl}|${a.clientId}|${a.authStyle ?? ''}|${a.scope ?? ''}|${a.audience ?? ''}|${hash(secret)}`;
      credentials = async (c = {}) => {
        const t = await cache.get(
          key,
          () => requestToken(tokenEndpoint(a.tokenUrl, secret, a.authStyle, c.signal), { grant_type: 'client_credentials', scope: a.scope, audience: a.audience }),
          c,
        );
        return { headers: [['Authorization', bearer(t)]], query: [], token: t.accessToken };
      };
      break;
    }
    case 'oauth2AuthCode': {
      const secret = optional(a.clientSecretSecret, 'auth.clientSecretSecret');
      const key = authCodeCacheKey(a);
      credentials = async (c = {}) => {
        const t = await cache.get(
          key,
          async () => {
            const rt = secrets?.get(a.refreshTokenSecret);
            if (!rt) {
              throw new HttpError(`connection "${conn.name}" is not authorised yet: sign in to obtain a refresh token (auth.refreshTokenSecret)`, 'missing_secret');
            }
            secretValues.push(rt);
            const fresh = await refreshAccessToken(tokenEndpoint(a.tokenUrl, secret, a.authStyle, c.signal), { refreshToken: rt, scope: a.scope || undefined });
            // Servers that rotate refresh tokens invalidate the old one: keep the new one at once.
            if (fresh.refreshToken && fresh.refreshToken !== rt) {
              secrets?.set(a.refreshTokenSecret, fresh.refreshToken);
              secretValues.push(fresh.refreshToken);
            }
            return fresh;
          },
          c,
        );
        return { headers: [['Authorization', bearer(t)]], query: [], token: t.accessToken };
      };
      break;
    }
  }
  return {
    connection: conn,
    poolId: conn.id,
    tls,
    clientCertificate,
    warnings,
    authHeaderNames: connectionAuthHeaderNames(conn),
    maskedHeaderNames: connectionMaskedHeaderNames(conn),
    secretValues,
    templateValues,
    usesOAuth2: a.type === 'oauth2ClientCredentials' || a.type === 'oauth2AuthCode',
    credentials,
  };
}

/** Token-cache key of an authorization-code connection (the sign-in seeds the cache under it). */
export function authCodeCacheKey(a: { tokenUrl: string; clientId: string; refreshTokenSecret: string }): string {
  return `ac|${a.tokenUrl}|${a.clientId}|${a.refreshTokenSecret}`;
}

function hash(s: string): string {
  return createHash('sha256').update(s).digest('hex').slice(0, 16);
}

/** PFX parsing costs milliseconds; parse each distinct file + passphrase once per process. */
function certCached(load: () => { key: Array<string | undefined>; parse: () => ParsedClientCert }, connName: string): ParsedClientCert {
  const { key, parse } = load();
  const k = hash(JSON.stringify(key));
  let p = parsedCerts.get(k);
  if (!p) {
    try {
      p = parse();
    } catch (e) {
      if (e instanceof CertificateError) throw new HttpError(`connection "${connName}": ${e.message}`, e.code);
      throw e;
    }
    parsedCerts.set(k, p);
  }
  return p;
}

/** No credentials: shared, and frozen so no caller can change them for the others. */
const NO_CREDENTIALS: Credentials = Object.freeze({ headers: Object.freeze([]) as unknown as Array<[string, string]>, query: Object.freeze([]) as unknown as Array<[string, string]> });

/** Credentials that never change for a resolved connection: the same object on every request. */
function fixed(c: Credentials): ResolvedConnection['credentials'] {
  return () => c;
}
