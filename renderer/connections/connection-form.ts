import { CONNECTION_AUTH_TYPES, connectionSchema, connectionSecretNames, type ConnectionAuthType, type ConnectionInput } from '../../core/model/connection';
import { idSchema } from '../../core/model/flow';
import { zodProblems } from '../../core/model/zod-problems';
import { connectionSecretName } from '../../core/model/secret-names';

/**
 * The connection form is generated from these descriptions of each auth type (the same fields the core
 * schema in core/model/connection.ts validates); secret fields hold a secret NAME in the document and
 * take their value through a write-only input.
 */
export interface AuthField {
  key: string;
  label: string;
  kind: 'text' | 'secret' | 'select' | 'headers';
  options?: ReadonlyArray<{ value: string; label: string }>;
  placeholder?: string;
  help?: string;
  optional?: boolean;
}

const style = [
  { value: 'body', label: 'client id / secret in the form body' },
  { value: 'basic', label: 'HTTP Basic on the token request' },
];

export const AUTH_FIELDS: Record<ConnectionAuthType, AuthField[]> = {
  none: [],
  basic: [
    { key: 'username', label: 'Username', kind: 'text' },
    { key: 'passwordSecret', label: 'Password', kind: 'secret' },
  ],
  bearer: [{ key: 'tokenSecret', label: 'Token', kind: 'secret' }],
  apiKey: [
    { key: 'in', label: 'Send key in', kind: 'select', options: [{ value: 'header', label: 'Header' }, { value: 'query', label: 'Query parameter' }] },
    { key: 'name', label: 'Key name', kind: 'text', placeholder: 'X-API-Key' },
    { key: 'valueSecret', label: 'Key value', kind: 'secret' },
  ],
  headers: [{ key: 'headers', label: 'Headers', kind: 'headers', help: 'Each header has a literal value or a write-only secret value.' }],
  requestor: [
    { key: 'requestor', label: 'Requestor', kind: 'text', help: 'Identifier the partner gave you; no spaces or special characters.' },
    { key: 'username', label: 'Username', kind: 'text' },
    { key: 'passwordSecret', label: 'Password', kind: 'secret' },
    { key: 'sendAs', label: 'Send as', kind: 'select', options: [{ value: 'basic', label: 'Basic auth + requestor header' }, { value: 'none', label: 'Only to templates ($connection)' }] },
    { key: 'requestorHeader', label: 'Requestor header', kind: 'text', placeholder: 'X-Requestor', optional: true },
  ],
  oauth2ClientCredentials: [
    { key: 'tokenUrl', label: 'Token URL', kind: 'text', placeholder: 'https://idp.example/oauth/token' },
    { key: 'clientId', label: 'Client id', kind: 'text' },
    { key: 'clientSecretSecret', label: 'Client secret', kind: 'secret' },
    { key: 'scope', label: 'Scope', kind: 'text', optional: true },
    { key: 'audience', label: 'Audience', kind: 'text', optional: true },
    { key: 'authStyle', label: 'Client authentication', kind: 'select', options: style },
  ],
  oauth2AuthCode: [
    { key: 'authUrl', label: 'Authorization URL', kind: 'text', placeholder: 'https://idp.example/authorize' },
    { key: 'tokenUrl', label: 'Token URL', kind: 'text', placeholder: 'https://idp.example/oauth/token' },
    { key: 'clientId', label: 'Client id', kind: 'text' },
    { key: 'clientSecretSecret', label: 'Client secret', kind: 'secret', optional: true },
    { key: 'scope', label: 'Scope', kind: 'text', optional: true },
    { key: 'redirectUrl', label: 'Redirect URL', kind: 'text', optional: true, help: 'Loopback URL served by the runtime; leave empty for the default.' },
    { key: 'authStyle', label: 'Client authentication', kind: 'select', options: style },
    { key: 'refreshTokenSecret', label: 'Refresh token', kind: 'secret', help: 'Written by "Sign in"; you normally do not type it.' },
  ],
};

export const AUTH_TYPE_OPTIONS = CONNECTION_AUTH_TYPES;

/** The secret name a connection field gets by default: `CONN_<ID>_<FIELD>`; the host reads the same convention. */
export { connectionSecretName };

/** A fresh auth object of a type: selects at their first option, secret fields named after the connection. */
export function defaultAuth(type: ConnectionAuthType, connectionId: string, prev?: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { type };
  for (const f of AUTH_FIELDS[type]) {
    // Values the user typed for a field both types share (username, client id) survive the switch.
    const kept = prev?.[f.key];
    if (kept !== undefined && f.kind !== 'headers') out[f.key] = kept;
    else if (f.kind === 'select') out[f.key] = f.options![0].value;
    else if (f.kind === 'secret' && !f.optional) out[f.key] = connectionSecretName(connectionId, f.key);
    else if (f.kind === 'headers') out[f.key] = [{ name: '', value: '' }];
  }
  if (type === 'requestor' && out.requestorHeader === undefined) out.requestorHeader = 'X-Requestor';
  return out;
}

/** A slug id from a name: `Partner ERP (prod)` -> `partner-erp-prod`, `Ünïcode Straße` -> `unicode-strasse`. */
export function connectionIdFromName(name: string): string {
  const s = name
    .replace(/ß/g, 'ss')
    .normalize('NFKD') // letters with accents become the letter and the accent, which is dropped below
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60);
  return s && idSchema.safeParse(s).success ? s : `conn-${s || 'new'}`.replace(/-+$/, '');
}

export function blankConnection(): ConnectionInput {
  return { id: '', name: '', auth: { type: 'none' } };
}

/** Drops empty optional text so the schema sees "not set" rather than an empty URL. */
export function cleanConnection(c: ConnectionInput): ConnectionInput {
  const auth = Object.fromEntries(Object.entries(c.auth ?? { type: 'none' }).filter(([k, v]) => v !== '' || k === 'requestorHeader')) as ConnectionInput['auth'];
  const out: Record<string, unknown> = { ...c, auth };
  for (const k of ['description', 'baseUrl', 'timeoutMessage'] as const) if (out[k] === '') delete out[k];
  if ((c.proxy?.url ?? '') === '') delete out.proxy;
  return out as ConnectionInput;
}

/** Field errors by path (`auth.tokenUrl` -> ['must be an absolute http:// or https:// URL']) from the core schema. */
export function connectionErrors(c: ConnectionInput): Map<string, string[]> {
  const m = new Map<string, string[]>();
  const r = connectionSchema.safeParse(cleanConnection(c));
  if (!r.success) for (const p of zodProblems(r.error)) m.set(p.path, [...(m.get(p.path) ?? []), p.message]);
  return m;
}

/** Secret names this draft refers to (valid drafts only; used to show "not set" for each). */
export function draftSecretNames(c: ConnectionInput): string[] {
  const r = connectionSchema.safeParse(cleanConnection(c));
  return r.success ? connectionSecretNames(r.data) : [];
}

/** "expires 2027-01-31 (70 days)", or "expired 3 days ago". */
export function expiryText(validTo: string, daysLeft: number): string {
  const date = validTo.slice(0, 10);
  if (daysLeft < 0) return `expired ${date} (${-daysLeft} day${daysLeft === -1 ? '' : 's'} ago)`;
  return `expires ${date} (${daysLeft} day${daysLeft === 1 ? '' : 's'})`;
}

/** Base64 of a file's bytes (a PFX upload), in chunks so large files do not overflow the call stack. */
export function bytesToBase64(bytes: Uint8Array): string {
  let bin = '';
  for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(bin);
}

/** The form's own labels for the connection's top-level and TLS fields (auth fields come from AUTH_FIELDS). */
const FORM_LABELS: Record<string, string> = {
  name: 'Name',
  id: 'Id',
  baseUrl: 'Server URL',
  description: 'Description',
  'auth.type': 'Authorisation type',
  timeoutMs: 'Timeout (ms)',
  connectTimeoutMs: 'Connect timeout (ms)',
  timeoutMessage: 'Timeout message',
  'proxy.url': 'Proxy URL',
  'tls.caSecret': 'Extra CA bundle (PEM)',
  'tls.rejectUnauthorized': 'Verify TLS certificates',
  'tls.clientCert': 'Client certificate',
};

/**
 * A problem of a connection in the form's words: `auth.tokenUrl: must be an absolute URL` reads "Token URL: must be
 * an absolute URL"; a path the form has no label for stays as it is.
 *
 * @example
 * problemText({ path: 'auth.tokenUrl', message: 'must be an absolute http:// or https:// URL' }, 'oauth2ClientCredentials')
 */
export function problemText(p: { path: string; message: string }, authType: ConnectionAuthType | undefined): string {
  const auth = /^auth\.([^.[]+)/.exec(p.path);
  const authLabel = auth && authType ? AUTH_FIELDS[authType]?.find((f) => f.key === auth[1])?.label : undefined;
  const label = authLabel ?? FORM_LABELS[p.path] ?? Object.entries(FORM_LABELS).find(([k]) => p.path.startsWith(`${k}.`))?.[1];
  return label ? `${label}: ${p.message}` : p.path ? `${p.path}: ${p.message}` : p.message;
}

