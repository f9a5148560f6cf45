import type { ClientCertConfig } from './connection';

/**
 * How the studio names the secrets it creates. Browser-safe: the forms name secrets with these functions and the
 * host reads the same names to tell which stored secrets a connection owns (and may delete once unused).
 */

/**
 * Secret names are environment-variable-like: uppercase letters, digits and "_", not starting with a digit.
 *
 * @example
 * secretName('CONN', 'partner-erp', 'cert') // 'CONN_PARTNER_ERP_CERT'
 */
export function secretName(...parts: string[]): string {
  const s = parts
    .join('_')
    .toUpperCase()
    .replace(/[^A-Z0-9_]+/g, '_')
    .replace(/_+/g, '_')
    .replace(/^_|_$/g, '');
  return /^[0-9]/.test(s) ? `S_${s}` : s || 'SECRET';
}

/**
 * The secret name a connection field gets by default: `CONN_<ID>_<FIELD>` (upper-case, env-like). Different ids
 * can give the same name (`a-b` and `a_b`), so owning a name by this convention does not mean nobody else uses it.
 *
 * @example
 * connectionSecretName('partner-erp', 'tokenSecret') // 'CONN_PARTNER_ERP_TOKEN'
 */
export function connectionSecretName(connectionId: string, key: string): string {
  return secretName('CONN', connectionId || 'NEW', key.replace(/Secret$/, '') || key);
}

/** The id an inline connection (a Web Integration node's own) names its secrets after: `<flowId>_<nodeId>`. */
export function inlineConnectionOwner(flowId: string, nodeId: string): string {
  return `${flowId}_${nodeId}`;
}

/** The keys a client certificate's secrets are named with (`connectionSecretName(owner, key)`), PFX and PEM. */
export const CLIENT_CERT_SECRET_KEYS = ['pfx', 'pfx_passphrase', 'cert', 'key', 'key_passphrase'] as const;

/**
 * Every secret a client certificate config refers to.
 *
 * @example
 * clientCertSecretNames({ kind: 'pfx', pfxSecret: 'CONN_X_PFX', passphraseSecret: 'CONN_X_PFX_PASSPHRASE' })
 * // ['CONN_X_PFX', 'CONN_X_PFX_PASSPHRASE']
 */
export function clientCertSecretNames(c: ClientCertConfig | undefined): string[] {
  if (!c) return [];
  const names = c.kind === 'pfx' ? [c.pfxSecret, c.passphraseSecret] : [c.certSecret, c.keySecret, c.passphraseSecret];
  return names.filter((n): n is string => !!n);
}
