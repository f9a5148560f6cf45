import { findRequirements } from '../bundle/requirements';
import type { ClientCertConfig, Connection } from '../model/connection';
import type { Flow } from '../model/flow';
import { CLIENT_CERT_SECRET_KEYS, clientCertSecretNames, connectionSecretName, inlineConnectionOwner, secretName } from '../model/secret-names';
import type { SecretStore } from '../secrets/secret-store';
import type { ConnectionRepository } from './connection-repo';
import type { FlowRepository } from './flow-repo';
import type { SubscriptionRepository } from './subscription-repo';

/**
 * Client-certificate secrets `before` referred to that `after` no longer does (PFX -> PEM drops the PFX file and its
 * passphrase; removing the certificate drops them all), limited to the names the studio gave them for `ownerId`
 * (`CONN_<OWNER>_PFX`, `..._CERT`, ...): a name the user typed or shares on purpose is never a candidate.
 *
 * @example
 * staleCertificateSecrets('erp', { kind: 'pfx', pfxSecret: 'CONN_ERP_PFX' }, { kind: 'pem', certSecret: 'CONN_ERP_CERT', keySecret: 'CONN_ERP_KEY' })
 * // ['CONN_ERP_PFX']
 */
export function staleCertificateSecrets(ownerId: string, before: ClientCertConfig | undefined, after: ClientCertConfig | undefined): string[] {
  const keep = new Set(clientCertSecretNames(after));
  const owned = new Set(CLIENT_CERT_SECRET_KEYS.map((k) => connectionSecretName(ownerId, k)));
  return clientCertSecretNames(before).filter((n) => !keep.has(n) && owned.has(n));
}

type Settings = { connection?: { tls?: { clientCert?: ClientCertConfig } } } | undefined;
const inlineCert = (settings: unknown) => (settings as Settings)?.connection?.tls?.clientCert;

/**
 * The same for the inline connections of a flow's nodes, node by node. A node that is gone is left alone: it may
 * have been cut to be pasted into another flow, with its settings and secret names.
 */
export function staleInlineCertificateSecrets(prev: Flow | undefined, next: Flow): string[] {
  if (!prev) return [];
  const nextNodes = new Map(next.nodes.map((n) => [n.id, n]));
  return prev.nodes.flatMap((n) => {
    const now = nextNodes.get(n.id);
    return now ? staleCertificateSecrets(inlineConnectionOwner(next.id, n.id), inlineCert(n.settings), inlineCert(now.settings)) : [];
  });
}

export interface SecretCleanupDeps {
  secrets: SecretStore;
  flows: FlowRepository;
  connections: ConnectionRepository;
  subscriptions: SubscriptionRepository;
  /** A deployed flow runs the revision it was deployed with, which may still use the old certificate. */
  isDeployed(flowId: string): boolean;
  /** How long a deleted flow's own secrets wait for the studio's Undo (default DELETED_FLOW_UNDO_MS). */
  undoMs?: number;
}

/** The studio's Undo of a deletion saves the flow again, secret names and all: its secrets wait this long for it. */
export const DELETED_FLOW_UNDO_MS = 60_000;

export interface SecretCleanup {
  /** After a connection was saved: deletes the certificate secrets it dropped. Returns the names deleted. */
  connectionSaved(prev: Connection | undefined, next: Connection): string[];
  /**
   * After a connection was deleted: deletes the secrets it referred to that the studio named after it
   * (`CONN_<ID>_…`: password, token, client secret, certificate, ...) and nothing else uses. Secrets the user named
   * (from the Secrets page) stay. A connection made later with the same id starts without stale values.
   */
  connectionDeleted(deleted: Connection): string[];
  /** After a flow was saved: notes the certificate secrets its nodes' inline connections dropped, for flowSettled. */
  flowSaved(prev: Flow | undefined, next: Flow): string[];
  /**
   * After a flow was deployed, undeployed or deleted: deletes what its saves dropped and nothing saved uses any more
   * (an Undo that brought the old certificate back keeps it). Kept in memory only: after a restart those secrets
   * stay, unused, as every secret did before.
   */
  flowSettled(flowId: string): string[];
  /**
   * After a flow was deleted: the secrets its nodes' inline connections refer to that the studio named after them
   * (`CONN_<FLOW>_<NODE>_…`: certificate, key, passphrase, password, token, ...) are deleted once nothing saved uses
   * them, after the Undo window (undoMs): an Undo in time saves the flow again and keeps them. Names the user chose
   * stay, as for a deleted connection.
   */
  flowDeleted(deleted: Flow): void;
  /** Deletes now what deleted flows left waiting for an Undo (the host is closing). Returns the names deleted. */
  flushDeleted(): string[];
}

/**
 * Deletes the stored secrets of a client certificate once no saved connection, flow or event subscription refers
 * to them any more, so switching a certificate between PFX and PEM (or removing it) leaves no key material behind.
 *
 * @example
 * const cleanup = createSecretCleanup({ secrets, flows, connections, subscriptions, isDeployed: (id) => runtime.isDeployed(id) });
 * const prev = connections.get(input.id);
 * cleanup.connectionSaved(prev, connections.save(input));
 */
export function createSecretCleanup(d: SecretCleanupDeps): SecretCleanup {
  const waiting = new Map<string, Set<string>>();
  const deletedFlows = new Map<string, { names: string[]; timer: NodeJS.Timeout }>();

  /** Deletes the names nothing saved refers to (any secret-name field of any flow node, connection or subscription). */
  const deleteUnused = (names: string[]): string[] => {
    if (!names.length) return [];
    const subs = d.subscriptions.getState();
    const others = [...d.connections.list(), ...subs.draft.subscriptions, ...subs.applied.subscriptions] as unknown as Array<Record<string, unknown>>;
    const used = new Set(findRequirements(d.flows.list(), others).secrets.map((s) => s.name));
    const gone = [...new Set(names)].filter((n) => !used.has(n) && d.secrets.has(n));
    for (const n of gone) d.secrets.delete(n);
    return gone;
  };

  return {
    connectionSaved(prev, next) {
      // Nodes look a saved connection up on every run, so the running flows already use `next`.
      return deleteUnused(prev?.id === next.id ? staleCertificateSecrets(next.id, prev.tls?.clientCert, next.tls?.clientCert) : []);
    },
    connectionDeleted(deleted) {
      const prefix = `${secretName('CONN', deleted.id)}_`;
      const own = findRequirements([], [deleted as unknown as Record<string, unknown>]).secrets.map((r) => r.name);
      return deleteUnused(own.filter((n) => n.startsWith(prefix)));
    },
    flowSaved(prev, next) {
      // Never at once: a deployed flow still runs the old certificate, and the studio saves every edit, so an
      // Undo right after switching PFX <-> PEM must find the old secrets. They go when the flow settles.
      const stale = staleInlineCertificateSecrets(prev, next);
      if (stale.length) waiting.set(next.id, new Set([...(waiting.get(next.id) ?? []), ...stale]));
      return [];
    },
    flowSettled(flowId) {
      const names = [...(waiting.get(flowId) ?? [])];
      waiting.delete(flowId);
      return deleteUnused(names);
    },
    flowDeleted(deleted) {
      const prefixes = deleted.nodes.map((n) => `${secretName('CONN', inlineConnectionOwner(deleted.id, n.id))}_`);
      const own = findRequirements([deleted], []).secrets.map((r) => r.name).filter((n) => prefixes.some((p) => n.startsWith(p)));
      const names = [...new Set([...(waiting.get(deleted.id) ?? []), ...own, ...(deletedFlows.get(deleted.id)?.names ?? [])])];
      waiting.delete(deleted.id);
      clearTimeout(deletedFlows.get(deleted.id)?.timer);
      deletedFlows.delete(deleted.id);
      if (!names.length) return;
      const timer = setTimeout(() => {
        deletedFlows.delete(deleted.id);
        deleteUnused(names);
      }, d.undoMs ?? DELETED_FLOW_UNDO_MS);
      timer.unref();
      deletedFlows.set(deleted.id, { names, timer });
    },
    flushDeleted() {
      const all = [...deletedFlows.values()];
      deletedFlows.clear();
      for (const p of all) clearTimeout(p.timer);
      return deleteUnused(all.flatMap((p) => p.names));
    },
  };
}
