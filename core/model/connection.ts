import { z } from 'zod';
import { idSchema } from './flow';

/**
 * Connections ("authorisation config groups" in the seeds): reusable auth + TLS + proxy settings that
 * many Web Integration nodes and flows point to by id. Browser-safe: the studio validates connection
 * forms with the same schema the runtime uses. Secrets appear by NAME only (resolved by a SecretStore
 * on the Node side), so a connection document can be exported in a bundle without leaking anything.
 */

/** Same rule as core/secrets/secret-store.ts (copied: that file is Node-side by folder). */
export const SECRET_NAME_RE = /^[A-Za-z_][A-Za-z0-9_]*$/;

export const secretRefSchema = z.string().regex(SECRET_NAME_RE, {
  message: 'must be a secret name (letters, digits and "_", not starting with a digit)',
});

/** HTTP header names are RFC 9110 tokens; anything else would be rejected or smuggled by a server. */
export const HEADER_NAME_RE = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
export const HEADER_NAME_RULE = "must be a valid HTTP header name (letters, digits and !#$%&'*+.^_`|~-, no spaces)";
export const headerNameSchema = z.string().min(1).max(200).regex(HEADER_NAME_RE, { message: HEADER_NAME_RULE });

const noCrLf = (s: string) => !/[\r\n]/.test(s);
export const headerValueSchema = z.string().max(8192).refine(noCrLf, { message: 'must not contain CR or LF' });

/**
 * `{{ $env.NAME }}` in a connection's text fields is replaced by the environment variable when the runtime
 * resolves the connection (`substituteConnectionEnv`), so one exported connection serves every environment.
 */
export const ENV_PLACEHOLDER_RE = /\{\{\s*\$env\.([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g;
const hasEnvPlaceholder = (s: string) => new RegExp(ENV_PLACEHOLDER_RE.source).test(s);

const urlSchema = z.string().min(1).refine(
  (s) => {
    if (hasEnvPlaceholder(s)) return true; // checked again after substitution
    try {
      const u = new URL(s);
      return u.protocol === 'http:' || u.protocol === 'https:';
    } catch {
      return false;
    }
  },
  { message: 'must be an absolute http:// or https:// URL' },
);

export const noAuthSchema = z.object({ type: z.literal('none') });

export const basicAuthSchema = z.object({
  type: z.literal('basic'),
  username: z.string().min(1).refine((s) => !s.includes(':'), { message: 'must not contain ":"' }),
  passwordSecret: secretRefSchema,
});

export const bearerAuthSchema = z.object({ type: z.literal('bearer'), tokenSecret: secretRefSchema });

export const apiKeyAuthSchema = z
  .object({
    type: z.literal('apiKey'),
    in: z.enum(['header', 'query']).default('header'),
    name: z.string().min(1).max(200),
    valueSecret: secretRefSchema,
  })
  .superRefine((a, ctx) => {
    // Sent as a header, the key's name must be one (a query parameter's name may be anything: it is encoded).
    const r = a.in === 'header' ? headerNameSchema.safeParse(a.name) : undefined;
    if (r && !r.success) ctx.addIssue({ code: 'custom', path: ['name'], message: r.error.issues[0].message });
  });

/** One custom header: a literal value, or a value from a secret (exactly one of the two). */
export const customHeaderSchema = z
  .object({ name: headerNameSchema, value: headerValueSchema.optional(), valueSecret: secretRefSchema.optional() })
  .refine((h) => (h.value === undefined) !== (h.valueSecret === undefined), {
    message: 'set either value or valueSecret, not both',
  });

export const headersAuthSchema = z.object({
  type: z.literal('headers'),
  headers: z.array(customHeaderSchema).min(1),
});

/**
 * The seed's Requestor / Username / Password triple. The values are offered to header and body
 * templates (`$connection.requestor`); by default they are also sent as Basic auth plus a requestor
 * header, which is what most partner APIs of this shape expect.
 */
export const requestorAuthSchema = z.object({
  type: z.literal('requestor'),
  requestor: z.string().min(1).regex(/^[A-Za-z0-9_.-]+$/, { message: 'must not contain spaces or special characters' }),
  username: z.string().min(1),
  passwordSecret: secretRefSchema,
  /** `basic`: send username/password as Basic auth; `none`: only expose them to templates. */
  sendAs: z.enum(['basic', 'none']).default('basic'),
  /** Header that carries the requestor id; empty string sends none. */
  requestorHeader: z.union([headerNameSchema, z.literal('')]).default('X-Requestor'),
});

export const oauth2ClientCredentialsSchema = z.object({
  type: z.literal('oauth2ClientCredentials'),
  tokenUrl: urlSchema,
  clientId: z.string().min(1),
  clientSecretSecret: secretRefSchema,
  scope: z.string().optional(),
  audience: z.string().optional(),
  /** `body`: client_id/client_secret in the form; `basic`: HTTP Basic on the token request. */
  authStyle: z.enum(['body', 'basic']).default('body'),
});

export const oauth2AuthCodeSchema = z.object({
  type: z.literal('oauth2AuthCode'),
  authUrl: urlSchema,
  tokenUrl: urlSchema,
  clientId: z.string().min(1),
  clientSecretSecret: secretRefSchema.optional(),
  scope: z.string().default(''),
  /** Loopback redirect served by the runtime (the seed's "Redirect URL"), e.g. http://127.0.0.1:7800/oauth/callback. */
  redirectUrl: urlSchema.optional(),
  authStyle: z.enum(['body', 'basic']).default('body'),
  /** Where the refresh token is kept once the user has authorised (written by the runtime). */
  refreshTokenSecret: secretRefSchema,
});

export const connectionAuthSchema = z.discriminatedUnion('type', [
  noAuthSchema,
  basicAuthSchema,
  bearerAuthSchema,
  apiKeyAuthSchema,
  headersAuthSchema,
  requestorAuthSchema,
  oauth2ClientCredentialsSchema,
  oauth2AuthCodeSchema,
]);

export const clientCertSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('pfx'),
    /** Secret holding the PFX/P12 file as base64. */
    pfxSecret: secretRefSchema,
    passphraseSecret: secretRefSchema.optional(),
  }),
  z.object({
    kind: z.literal('pem'),
    certSecret: secretRefSchema,
    keySecret: secretRefSchema,
    passphraseSecret: secretRefSchema.optional(),
  }),
]);

export const tlsOptionsSchema = z.object({
  clientCert: clientCertSchema.optional(),
  /** Secret holding a PEM bundle of extra trusted CAs (added to, not replacing, the system roots). */
  caSecret: secretRefSchema.optional(),
  /** Turning verification off is explicit and warned about on every request. */
  rejectUnauthorized: z.boolean().default(true),
});

export const connectionSchema = z.object({
  id: idSchema,
  name: z.string().min(1).max(200),
  description: z.string().optional(),
  auth: connectionAuthSchema.default({ type: 'none' }),
  tls: tlsOptionsSchema.optional(),
  /**
   * Explicit proxy (`http://user@proxy:3128`); otherwise HTTP(S)_PROXY / NO_PROXY apply. The proxy's password is a
   * secret (`passwordSecret`), put into the URL when the request is made; one written in the URL itself is kept
   * in the connection file and its exports.
   */
  proxy: z.object({ url: urlSchema, passwordSecret: secretRefSchema.optional() }).optional(),
  /** Base URL that relative node URLs resolve against (the seed's "Server URL"). */
  baseUrl: urlSchema.optional(),
  timeoutMs: z.number().int().positive().max(600_000).default(30_000),
  connectTimeoutMs: z.number().int().positive().max(600_000).default(10_000),
  /** Text of the error (and of a waiting caller's response) when the timeout elapses. */
  timeoutMessage: z.string().max(2000).optional(),
});

export type ConnectionAuth = z.infer<typeof connectionAuthSchema>;
export type ConnectionAuthType = ConnectionAuth['type'];
export type ClientCertConfig = z.infer<typeof clientCertSchema>;
export type TlsOptions = z.infer<typeof tlsOptionsSchema>;
export type Connection = z.infer<typeof connectionSchema>;
/** A connection as a user may write it: defaults not yet filled in. */
export type ConnectionInput = z.input<typeof connectionSchema>;

export const CONNECTION_AUTH_TYPES: ReadonlyArray<{ value: ConnectionAuthType; label: string }> = [
  { value: 'none', label: 'None' },
  { value: 'basic', label: 'Basic (username / password)' },
  { value: 'bearer', label: 'Bearer token' },
  { value: 'apiKey', label: 'API key (header or query)' },
  { value: 'headers', label: 'Custom headers' },
  { value: 'requestor', label: 'Requestor / username / password' },
  { value: 'oauth2ClientCredentials', label: 'OAuth2 client credentials' },
  { value: 'oauth2AuthCode', label: 'OAuth2 authorization code (PKCE)' },
];

/**
 * Every secret name a connection refers to, so the studio can show which are missing and the masker
 * knows which values to hide.
 *
 * @example
 * connectionSecretNames(connectionSchema.parse({ id: 'c', name: 'c', auth: { type: 'bearer', tokenSecret: 'TOKEN' } }))
 * // ['TOKEN']
 */
export function connectionSecretNames(c: Connection): string[] {
  const names: Array<string | undefined> = [];
  const a = c.auth;
  switch (a.type) {
    case 'basic':
    case 'requestor':
      names.push(a.passwordSecret);
      break;
    case 'bearer':
      names.push(a.tokenSecret);
      break;
    case 'apiKey':
      names.push(a.valueSecret);
      break;
    case 'headers':
      for (const h of a.headers) names.push(h.valueSecret);
      break;
    case 'oauth2ClientCredentials':
      names.push(a.clientSecretSecret);
      break;
    case 'oauth2AuthCode':
      names.push(a.clientSecretSecret, a.refreshTokenSecret);
      break;
    case 'none':
      break;
  }
  const cert = c.tls?.clientCert;
  if (cert?.kind === 'pfx') names.push(cert.pfxSecret, cert.passphraseSecret);
  if (cert?.kind === 'pem') names.push(cert.certSecret, cert.keySecret, cert.passphraseSecret);
  names.push(c.tls?.caSecret, c.proxy?.passwordSecret);
  return [...new Set(names.filter((n): n is string => !!n))];
}

/** Header names that carry this connection's credentials (dropped on cross-origin redirects, masked in records). */
export function connectionAuthHeaderNames(c: Pick<Connection, 'auth'>): string[] {
  const a = c.auth;
  switch (a.type) {
    case 'basic':
    case 'bearer':
    case 'oauth2ClientCredentials':
    case 'oauth2AuthCode':
      return ['authorization'];
    case 'apiKey':
      return a.in === 'header' ? [a.name.toLowerCase()] : [];
    case 'headers':
      return a.headers.map((h) => h.name.toLowerCase());
    case 'requestor':
      return [...(a.sendAs === 'basic' ? ['authorization'] : []), ...(a.requestorHeader ? [a.requestorHeader.toLowerCase()] : [])];
    case 'none':
      return [];
  }
}

/**
 * The credential headers whose value comes from a secret: masked by name in execution records and test results.
 * A value typed in plain text (a custom header's `value`, the requestor header) is shown as sent; it is still
 * dropped on cross-origin redirects (connectionAuthHeaderNames), and a secret value is masked wherever it appears.
 */
export function connectionMaskedHeaderNames(c: Pick<Connection, 'auth'>): string[] {
  const a = c.auth;
  if (a.type === 'headers') return a.headers.filter((h) => h.valueSecret !== undefined).map((h) => h.name.toLowerCase());
  if (a.type === 'requestor') return a.sendAs === 'basic' ? ['authorization'] : [];
  return connectionAuthHeaderNames(c);
}


/**
 * Replaces `{{ $env.NAME }}` placeholders in every text field and validates the result. Throws an error naming
 * the connection, the field and the variable when one is not set.
 *
 * @example
 * substituteConnectionEnv(conn, { TOKEN_URL: 'https://idp.example/token' });
 */
export function substituteConnectionEnv(conn: Connection, env: Record<string, string | undefined>): Connection {
  const missing: string[] = [];
  const walk = (v: unknown, path: string): unknown => {
    if (typeof v === 'string')
      return v.replace(ENV_PLACEHOLDER_RE, (_m, name: string) => {
        const value = env[name];
        if (value === undefined || value === '') {
          missing.push(`${path}: variable ${name} is not set`);
          return '';
        }
        return value;
      });
    if (Array.isArray(v)) return v.map((x, i) => walk(x, `${path}[${i}]`));
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x, path ? `${path}.${k}` : k)]));
    return v;
  };
  const out = walk(conn, '');
  if (missing.length) throw new Error(`connection "${conn.id}": ${missing.join('; ')}`);
  const parsed = connectionSchema.safeParse(out);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    throw new Error(`connection "${conn.id}": ${first.path.join('.')}: ${first.message} (after filling in environment variables)`);
  }
  return parsed.data;
}
