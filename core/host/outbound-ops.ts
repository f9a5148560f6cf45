import type { HostApi, ConnectionInfo, SecretOverrides } from './api';
import { connectionSecretNames, connectionSchema, substituteConnectionEnv, type Connection } from '../model/connection';
import { ProblemsError } from '../model/problems';
import { zodProblems } from '../model/zod-problems';
import { deliverEvent, testEnvelope } from '../http/event-delivery';
import { OAUTH_CALLBACK_PATH, OAuthSignIn } from '../http/oauth-signin';
import { testConnection } from '../http/test-connection';
import { CertificateError, certificateInfo, parsePemClientCert, parsePfx } from '../http/tls';
import { curlToSettings, settingsToCurl } from '../nodes/http-request/curl';
import { httpRequestSettingsSchema } from '../nodes/http-request/spec';
import { testNodeRequest } from '../nodes/http-request/test-request';
import type { Runtime } from '../runtime/runtime';
import type { SecretStore } from '../secrets/secret-store';
import type { ConnectionRepository } from './connection-repo';
import type { FlowRepository } from './flow-repo';
import type { SubscriptionRepository } from './subscription-repo';
import type { SecretCleanup } from './secret-cleanup';

export interface OutboundDeps {
  runtime: Runtime;
  flows: FlowRepository;
  secrets: SecretStore;
  connections: ConnectionRepository;
  subscriptions: SubscriptionRepository;
  /** Deletes the certificate secrets a saved connection no longer refers to. */
  cleanup?: Pick<SecretCleanup, 'connectionSaved' | 'connectionDeleted'>;
}

type OutboundMethods =
  | 'listConnections'
  | 'getConnection'
  | 'saveConnection'
  | 'deleteConnection'
  | 'testConnection'
  | 'sendNodeTestRequest'
  | 'cancelTest'
  | 'certificateInfo'
  | 'importCurl'
  | 'toCurl'
  | 'startOAuthSignIn'
  | 'getSubscriptions'
  | 'saveSubscriptions'
  | 'applySubscriptions'
  | 'sendTestEvent';

/**
 * The secret store as one call sees it: `overrides` (unsaved values from a form) win over stored values
 * and are never written anywhere; writes during the call (e.g. a rotated OAuth2 token) go to the store
 * unless they name an overridden secret. Blank overrides mean "keep the stored value", as on save.
 */
export function withOverrides(store: SecretStore, overrides: SecretOverrides | undefined): SecretStore {
  const own = new Map(Object.entries(overrides ?? {}).filter(([, v]) => v !== ''));
  if (own.size === 0) return store;
  return {
    get: (n) => (own.has(n) ? own.get(n) : store.get(n)),
    has: (n) => own.has(n) || store.has(n),
    set: (n, v) => (own.has(n) ? void (v !== '' && own.set(n, v)) : store.set(n, v)),
    delete: (n) => (own.has(n) ? void own.delete(n) : store.delete(n)),
    list: () => [...new Set([...store.list(), ...own.keys()])].sort(),
  };
}

function fail(e: Error): never {
  throw e;
}

/** An error with a stable code the transports pass on (`not_found`, `in_use`). */
function coded(message: string, code: string): Error {
  return Object.assign(new Error(message), { code });
}

/**
 * The HostApi operations for connections, OAuth2 sign-in and event subscriptions. Registers the OAuth2
 * loopback redirect on the runtime's listener (`/_hookline/oauth/callback`).
 *
 * @example
 * const api = { ...createHostApi(deps), ...createOutboundOps({ runtime, flows, secrets, connections, subscriptions }) };
 */
export function createOutboundOps(d: OutboundDeps): Pick<HostApi, OutboundMethods> {
  const { runtime, flows, secrets, connections, subscriptions } = d;
  const signIn: OAuthSignIn = new OAuthSignIn({
    connections,
    secrets,
    baseUrl: () => runtime.baseUrl,
    registerPath: (p) => runtime.setInternalRoute(p, signIn.handle),
  });
  runtime.setInternalRoute(OAUTH_CALLBACK_PATH, signIn.handle);

  /** Test requests in flight by their caller's testId, so cancelTest can stop them. */
  const running = new Map<string, AbortController>();
  const cancellable = async <T>(testId: string | undefined, run: (signal?: AbortSignal) => Promise<T>): Promise<T> => {
    if (!testId) return run();
    if (running.has(testId)) throw coded(`a test with id "${testId}" is already running`, 'in_use');
    const controller = new AbortController();
    running.set(testId, controller);
    try {
      return await run(controller.signal);
    } finally {
      running.delete(testId);
    }
  };

  const info = (c: Connection): ConnectionInfo => ({ ...c, missingSecrets: connectionSecretNames(c).filter((n) => !secrets.has(n)) });
  const mustGet = (id: string): Connection => {
    const c = connections.get(id);
    if (!c) throw coded(`connection "${id}" was not found`, 'not_found');
    return c;
  };
  const inline = (raw: unknown): Connection => {
    const parsed = connectionSchema.safeParse({ id: 'inline', name: 'inline connection', ...(raw as object) });
    if (!parsed.success) throw new ProblemsError(zodProblems(parsed.error, 'connection'));
    return parsed.data;
  };

  return {
    async listConnections() {
      return connections.list().map(info);
    },
    async getConnection(id) {
      return info(mustGet(id));
    },
    async saveConnection(input) {
      const id = (input as { id?: unknown } | null)?.id;
      const prev = typeof id === 'string' ? connections.get(id) : undefined;
      const saved = connections.save(input);
      d.cleanup?.connectionSaved(prev, saved);
      return info(saved);
    },
    async deleteConnection(id) {
      // Named as the studio shows them (flow and node names; the id only where a node has no name of its own).
      const users = flows.list().flatMap((f) => f.nodes.filter((n) => n.settings?.connectionId === id).map((n) => `node "${n.name || n.id}" in flow "${f.name || f.id}"`));
      const name = connections.get(id)?.name ?? id;
      if (users.length) throw coded(`connection "${name}" is used by ${users.join(', ')}; point those nodes elsewhere first`, 'in_use');
      const deleted = connections.get(id);
      connections.delete(id);
      if (deleted) d.cleanup?.connectionDeleted(deleted);
    },
    async testConnection(target, request, overrides, testId) {
      const raw = 'connectionId' in target ? mustGet(target.connectionId) : inline(target.connection);
      // As the runtime sees it: `{{ $env.NAME }}` in its fields filled in (a missing variable is the test's answer).
      let connection: Connection;
      try {
        connection = substituteConnectionEnv(raw, runtime.env);
      } catch (e) {
        return { ok: false, error: { code: 'invalid_connection', message: (e as Error).message }, warnings: [] };
      }
      // A typed path or URL with a space was joined to the Server URL as a path (`/ht%20tp://x%20y`): say so instead.
      if (/\s/.test(request.url.trim())) return { ok: false, error: { code: 'invalid_request', message: `path: ${JSON.stringify(request.url)} must not contain spaces (encode them as %20)` }, warnings: [] };
      const req = {
        method: request.method.toUpperCase() as never,
        url: request.url,
        headers: Object.entries(request.headers ?? {}),
        query: Object.entries(request.query ?? {}),
        body: request.body,
        contentType: request.contentType,
      };
      return cancellable(testId, (signal) => testConnection(req, { connection, secrets: withOverrides(secrets, overrides), signal }));
    },
    async sendNodeTestRequest(nodeSettings, sample, overrides, testId) {
      return cancellable(testId, (signal) => testNodeRequest(nodeSettings, sample, { connections, secrets: withOverrides(secrets, overrides), env: runtime.env, signal }));
    },
    async cancelTest(testId) {
      const c = running.get(testId);
      c?.abort();
      return !!c;
    },
    async certificateInfo(secretName, passphraseSecret, overrides, keySecret) {
      const store = withOverrides(secrets, overrides);
      const need = (name: string) => store.get(name) || fail(coded(`secret ${name} is not set`, 'missing_secret'));
      const value = need(secretName);
      const passphrase = passphraseSecret ? store.get(passphraseSecret) : undefined;
      // Errors name the secret they are about: the certificate, or (for a PEM pair) the key and its passphrase.
      const named = <T>(name: string, read: () => T): T => {
        try {
          return read();
        } catch (e) {
          if (e instanceof CertificateError) throw coded(`${name}: ${e.message}`, e.code);
          throw e;
        }
      };
      if (!keySecret && !value.includes('-----BEGIN CERTIFICATE-----')) return named(secretName, () => parsePfx(value, passphrase).info);
      const info = named(secretName, () => certificateInfo(value));
      return keySecret ? named(keySecret, () => parsePemClientCert(value, need(keySecret), passphrase).info) : info;
    },
    async importCurl(text) {
      let r: ReturnType<typeof curlToSettings>;
      try {
        r = curlToSettings(text, (n) => secrets.has(n), (n, v) => secrets.get(n) === v);
      } catch (e) {
        throw coded((e as Error).message, 'invalid_curl'); // the user's text, not the studio, is wrong
      }
      for (const s of r.secrets) secrets.set(s.name, s.value);
      return { settings: r.settings as Record<string, unknown>, secrets: r.secrets.map((s) => s.name), notes: r.notes };
    },
    async toCurl(nodeSettings) {
      const parsed = httpRequestSettingsSchema.safeParse(nodeSettings);
      if (!parsed.success) throw new ProblemsError(zodProblems(parsed.error, 'settings'));
      const s = parsed.data;
      return settingsToCurl(s, s.connectionId ? mustGet(s.connectionId) : s.connection);
    },
    async startOAuthSignIn(connectionId) {
      mustGet(connectionId);
      return signIn.start(connectionId);
    },
    async getSubscriptions() {
      return subscriptions.getState();
    },
    async saveSubscriptions(set, secretValues) {
      return subscriptions.saveDraft(set, secretValues);
    },
    async applySubscriptions() {
      return subscriptions.apply();
    },
    async sendTestEvent(eventTypeOrId) {
      const sub = subscriptions.find(eventTypeOrId);
      if (!sub) throw coded(`no subscription with id or event type "${eventTypeOrId}" (save it first)`, 'not_found');
      // The draft's secrets: a password or signing secret saved but not applied yet is the one tested.
      const [result] = await deliverEvent(testEnvelope(sub.eventType), [sub], { secrets: subscriptions.draftSecrets(), retry: { retryCount: 0 }, keepExchange: true });
      return result;
    },
  };
}
