import http from 'node:http';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { Endpoint, DeploymentInfo } from '../host/api';
import type { Message } from '../model/message';
import { ProblemsError, type Problem } from '../model/problems';
import type { Logger } from '../nodes/runner-types';
import type { WebhookSettings } from '../nodes/webhook/spec';
import type { SecretStore } from '../secrets/secret-store';
import { openSqliteStore } from '../store/sqlite-store';
import type { ExecutionStore, PendingExecution } from '../store/types';
import { createAuthVerifier } from '../webhook';
import { compileFlow, compileSetting, type CompiledFlow } from './compile';
import { EventBus } from './event-bus';
import type { RunEvent } from './events';
import { createIngestHandler, type WebhookTarget } from './ingest';
import { silentLogger } from './logger';
import { Router } from './router';
import { TriggerQueue } from './trigger-queue';
import { Dispatcher } from './dispatcher';

export interface RuntimeOptions {
  dataDir: string;
  host?: string;
  port?: number;
  secrets: SecretStore;
  logger?: Logger;
  env?: Record<string, string>;
  /** Durability of the execution store; see README "Durability". */
  synchronous?: 'FULL' | 'NORMAL';
  /** Base URL shown for endpoints when the listener sits behind a proxy. */
  publicUrl?: string;
}

export interface Deployment {
  compiled: CompiledFlow;
  targets: WebhookTarget[];
  deployedAt: string;
}

export interface Runtime {
  readonly store: ExecutionStore;
  readonly baseUrl: string;
  readonly port: number;
  readonly host: string;
  start(): Promise<void>;
  /** Validates, compiles and swaps in a flow; on any problem throws ProblemsError and the previous version keeps running. */
  deploy(flow: unknown): Promise<DeploymentInfo>;
  undeploy(flowId: string): Promise<void>;
  deployments(): DeploymentInfo[];
  isDeployed(flowId: string): boolean;
  retryExecution(id: string): Promise<{ executionId: string }>;
  /** Releases an ordered line halted on this execution without running it again. */
  skipExecution(id: string): Promise<void>;
  queueDepths(): Array<{ flowId: string; nodeId: string; depth: number; active: number; blocked: number }>;
  onEvent(cb: (e: RunEvent) => void): () => void;
  /** Graceful stop: stop accepting, let running executions finish within `graceMs`, keep the queue. */
  stop(graceMs?: number): Promise<void>;
}

/**
 * Creates the embedded runtime: one HTTP listener for every deployed webhook trigger, durable queues,
 * the executor and the execution store. The same runtime runs in Electron, the browser-studio host and
 * the CLI.
 *
 * @example
 * const rt = createRuntime({ dataDir: '.data', port: 8080, secrets: new MemorySecretStore() });
 * await rt.start();
 * await rt.deploy(flowJson);
 */
export function createRuntime(opts: RuntimeOptions): Runtime {
  const logger = opts.logger ?? silentLogger;
  const env = opts.env ?? {};
  const bus = new EventBus();
  const store = openSqliteStore(path.join(opts.dataDir, 'executions.db'), {
    synchronous: opts.synchronous,
    onWriteError: (err) => logger.error('execution store write failed', { error: String(err) }),
  });
  const deployments = new Map<string, Deployment>();
  const queues = new Map<string, TriggerQueue>();
  let router = new Router<WebhookTarget>();
  let recovered: { queued: PendingExecution[]; interrupted: PendingExecution[]; blocked: PendingExecution[] } | undefined;
  const dispatcher = new Dispatcher({ store, bus, logger, env, secrets: opts.secrets, queues, deployments });

  const ingest = createIngestHandler({
    router: () => router,
    rejected: (t, reason) => {
      store.countRejection(t.flowId, t.nodeId);
      bus.emit({ type: 'auth.rejected', flowId: t.flowId, nodeId: t.nodeId, reason, at: new Date().toISOString() });
      logger.warn('webhook authentication failed', { flowId: t.flowId, nodeId: t.nodeId, reason });
    },
    keyUsed: (t, keyId) => store.touchApiKey(t.flowId, t.nodeId, keyId, Date.now()),
    accept: (t, message, res, keys) => dispatcher.accept(t, message, res, keys),
    onError: (err) => logger.error('request handling failed', { error: String((err as Error)?.stack ?? err) }),
  });
  const server = http.createServer({ keepAliveTimeout: 5000 }, (req, res) => void ingest(req, res));
  let address: AddressInfo | undefined;
  const host = opts.host ?? '127.0.0.1';

  const baseUrl = () => {
    if (opts.publicUrl) return opts.publicUrl.replace(/\/$/, '');
    const h = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
    return `http://${h}:${address?.port ?? opts.port ?? 0}`;
  };

  const endpoints = (d: Deployment): Endpoint[] =>
    d.targets.map((t) => ({
      flowId: t.flowId,
      nodeId: t.nodeId,
      methods: [...t.settings.methods],
      path: t.settings.path,
      url: baseUrl() + t.settings.path,
      auth: t.settings.auth.type,
      responseMode: t.settings.responseMode,
    }));
  const info = (d: Deployment): DeploymentInfo => ({ flowId: d.compiled.flow.id, revision: d.compiled.flow.revision, deployedAt: d.deployedAt, endpoints: endpoints(d) });

  function buildRouter(next: Map<string, Deployment>): { router: Router<WebhookTarget>; problems: Problem[] } {
    const r = new Router<WebhookTarget>();
    const problems: Problem[] = [];
    for (const d of next.values()) {
      for (const t of d.targets) {
        for (const m of t.settings.methods) {
          const clash = r.add(m, t.settings.path, t);
          if (clash) {
            const i = d.compiled.flow.nodes.findIndex((n) => n.id === t.nodeId);
            problems.push({
              path: `nodes[${i}].settings.path`,
              code: 'route_conflict',
              message: `${m} ${t.settings.path} is already served by flow "${clash.flowId}" (node "${clash.nodeId}")`,
              nodeId: t.nodeId,
            });
          }
        }
      }
    }
    return { router: r, problems };
  }

  return {
    store,
    get baseUrl() {
      return baseUrl();
    },
    get port() {
      return address?.port ?? opts.port ?? 0;
    },
    host,
    async start() {
      recovered = await store.recover();
      for (const r of recovered.interrupted)
        logger.warn('execution was interrupted by a stop or crash', { executionId: r.id, flowId: r.flowId, willRerun: !!r.lane });
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(opts.port ?? 0, host, () => {
          server.off('error', reject);
          address = server.address() as AddressInfo;
          resolve();
        });
      });
      logger.info('runtime listening', { url: baseUrl() });
    },
    async deploy(raw) {
      const compiled = await compileFlow(raw, { env, secrets: opts.secrets, logger });
      const flowId = compiled.flow.id;
      const targets: WebhookTarget[] = [];
      const problems: Problem[] = [];
      compiled.flow.nodes.forEach((n, i) => {
        if (n.type !== 'webhook' || n.disabled) return;
        const settings = compiled.nodes.get(n.id)!.settings as WebhookSettings;
        try {
          targets.push({
            flowId,
            nodeId: n.id,
            settings,
            verify: createAuthVerifier(settings.auth, opts.secrets),
            partition: compileSetting(settings.partitionKey, `nodes[${i}].settings.partitionKey`, n.id),
            idempotency: compileSetting(settings.idempotencyKey, `nodes[${i}].settings.idempotencyKey`, n.id),
          });
        } catch (err) {
          if (err instanceof ProblemsError) problems.push(...err.problems);
          else problems.push({ path: `nodes[${i}].settings`, code: 'invalid_value', message: (err as Error).message, nodeId: n.id });
        }
      });
      const d: Deployment = { compiled, targets, deployedAt: new Date().toISOString() };
      const next = new Map(deployments);
      next.set(flowId, d);
      const built = buildRouter(next);
      problems.push(...built.problems);
      if (problems.length) throw new ProblemsError(problems);
      // Swap: queues first (so a message routed by the new table finds its queue), then the route table.
      deployments.set(flowId, d);
      for (const t of targets) dispatcher.ensureQueue(t, d, takeRecovered(t));
      router = built.router;
      bus.emit({ type: 'flow.deployed', flowId, revision: compiled.flow.revision, at: d.deployedAt });
      logger.info('flow deployed', { flowId, revision: compiled.flow.revision, endpoints: endpoints(d).map((e) => `${e.methods.join(',')} ${e.url}`) });
      return info(d);
    },
    async undeploy(flowId) {
      if (!deployments.has(flowId)) return;
      const next = new Map(deployments);
      next.delete(flowId);
      router = buildRouter(next).router;
      deployments.delete(flowId);
      // Accepted messages are not dropped: the queues keep draining with the last deployed version.
      bus.emit({ type: 'flow.undeployed', flowId, at: new Date().toISOString() });
    },
    deployments: () => [...deployments.values()].map(info),
    isDeployed: (id) => deployments.has(id),
    retryExecution: (id) => dispatcher.retry(id),
    skipExecution: (id) => dispatcher.skip(id),
    queueDepths: () => dispatcher.depths(),
    onEvent: (cb) => bus.on(cb),
    async stop(graceMs = 10_000) {
      const closed = new Promise<void>((r) => server.close(() => r()));
      server.closeIdleConnections();
      await dispatcher.drain(graceMs);
      server.closeAllConnections();
      await closed;
      store.close();
    },
  };

  function takeRecovered(t: WebhookTarget): PendingExecution[] {
    if (!recovered) return [];
    const mine = (p: PendingExecution) => p.flowId === t.flowId && p.triggerNodeId === t.nodeId;
    const out = [
      ...recovered.queued.filter(mine),
      ...recovered.interrupted.filter((p) => mine(p) && p.lane),
      ...recovered.blocked.filter(mine),
    ];
    recovered = {
      queued: recovered.queued.filter((p) => !mine(p)),
      interrupted: recovered.interrupted.filter((p) => !mine(p)),
      blocked: recovered.blocked.filter((p) => !mine(p)),
    };
    return out;
  }
}

export const newExecutionId = (): string => randomUUID();
export type { Message };
