import http from 'node:http';
import path from 'node:path';
import { uuidv7 } from './ids';
import { isoAt } from '../model/iso-time';
import type { AddressInfo } from 'node:net';
import type { Endpoint, DeploymentInfo } from '../host/api';
import type { Message } from '../model/message';
import { startOf } from './start-message';
import { previewFlow, type FlowPreview } from './preview';
import { ProblemsError, type Problem } from '../model/problems';
import type { ConnectionLookup, Logger } from '../nodes/runner-types';
import { substituteConnectionEnv, type Connection } from '../model/connection';
import { webhookSettingsSchema, type WebhookSettings } from '../nodes/webhook/spec';
import type { ExecutionDetail } from '../host/api';
import type { SecretStore } from '../secrets/secret-store';
import type { SubscriptionLookup } from '../model/subscription';
import { openSqliteStore } from '../store/sqlite-store';
import type { ExecutionStore, PendingExecution } from '../store/types';
import { createAuthVerifier } from '../webhook';
import { compileFlow, compileSetting, type CompiledFlow } from './compile';
import { EventBus } from './event-bus';
import type { RunEvent } from './events';
import { createIngestHandler, type WebhookTarget } from './ingest';
import { silentLogger } from './logger';
import { logRequest } from './access-log';
import { markSecretEnv, secretEnvNames } from '../model/secret-env';
import { masked, recordMasker } from './record-mask';
import { Router } from './router';
import { TriggerQueue } from './trigger-queue';
import { Dispatcher } from './dispatcher';
import { compileJsonSchema } from '../nodes/validate/run';
import { executeFlow } from './executor';
import { lockDataDir, warnTakeOver, type DataDirLock } from './data-dir-lock';
import { listen } from './listen';
import { VERSION } from '../version';
import { logRecovered } from './recovery-log';
import { parseAllowedOrigins } from '../webhook/cors';

export interface RuntimeOptions {
  dataDir: string;
  host?: string;
  port?: number;
  secrets: SecretStore;
  logger?: Logger;
  env?: Record<string, string>;
  /** Durability of the execution store; see README "Durability". */
  synchronous?: 'FULL' | 'NORMAL';
  /** Saved connections nodes may reference by id (default: none). */
  connections?: ConnectionLookup;
  /** Applied event subscriptions for Publish Event nodes (default: none). */
  subscriptions?: SubscriptionLookup;
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
  /** What flows read as `$env` (and connections as `{{ $env.NAME }}`). */
  readonly env: Readonly<Record<string, string>>;
  /**
   * Locks the data directory, binds the listener, then recovers the queue. A failed start (StartupError: directory
   * in use, port taken) has changed no record and leaves nothing running.
   */
  start(): Promise<void>;
  /** Validates, compiles and swaps in a flow; on any problem throws ProblemsError and the previous version keeps running. */
  deploy(flow: unknown): Promise<DeploymentInfo>;
  undeploy(flowId: string): Promise<void>;
  deployments(): DeploymentInfo[];
  isDeployed(flowId: string): boolean;
  retryExecution(id: string): Promise<{ executionId: string }>;
  /** Releases an ordered line halted on this execution without running it again. */
  skipExecution(id: string): Promise<void>;
  /**
   * Runs a flow once, now, with a sample input (manual trigger, `hookline exec`, test runs from the studio),
   * without deploying it. The execution is recorded like any other; returns it with every step.
   */
  runOnce(flow: unknown, input: unknown, opts?: { triggerNodeId?: string }): Promise<ExecutionDetail & { reply?: { status: number; headers: Record<string, string>; body: unknown } }>;
  /** What each node would receive from `input` with the flow as it is (a draft too), calling nothing outside (see preview.ts). */
  preview(flow: unknown, input: unknown, opts?: { triggerNodeId?: string; recorded?: Record<string, Message> }): Promise<FlowPreview>;
  /**
   * Serves a fixed path on the runtime's listener ahead of the webhooks (OAuth loopback callback, /healthz,
   * /readyz, /metrics). A webhook on the same path is refused at deploy.
   */
  setInternalRoute(path: string, handler: (req: http.IncomingMessage, res: http.ServerResponse) => void | Promise<void>): void;
  queueDepths(): Array<{ flowId: string; nodeId: string; depth: number; active: number; blocked: number }>;
  onEvent(cb: (e: RunEvent) => void): () => void;
  /**
   * Replaces what flows read as `$env` (the studio's active environment changed) and deploys every deployed flow
   * again, since settings and connections are prepared with it. A flow the new values break keeps running as it was.
   */
  setEnv(next: Record<string, string>): Promise<{ redeployed: string[]; failed: Array<{ flowId: string; message: string }> }>;
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
  // A copy: setEnv changes it in place (every part holds this object), and the caller's (process.env) stays as it is.
  const env: Record<string, string> = markSecretEnv({ ...opts.env }, secretEnvNames(opts.env ?? {}));
  const connections = withEnv(opts.connections ?? { get: () => undefined }, env);
  const bus = new EventBus();
  const store = openSqliteStore(path.join(opts.dataDir, 'executions.db'), {
    synchronous: opts.synchronous,
    onWriteError: (err) => logger.error('execution store write failed', { error: String(err) }),
    onInlineWriter: (reason) => logger.warn('execution store: no writer thread', { reason }),
  });
  const deployments = new Map<string, Deployment>();
  const queues = new Map<string, TriggerQueue>();
  let router = new Router<WebhookTarget>();
  let recovered: { queued: PendingExecution[]; interrupted: PendingExecution[]; blocked: PendingExecution[] } | undefined;
  const activations = new Map<string, Array<() => void>>();
  const dispatcher = new Dispatcher({ store, bus, logger, env, secrets: opts.secrets, connections, subscriptions: opts.subscriptions, queues, deployments });

  const ingest = createIngestHandler({
    router: () => router,
    rejected: (t, reason, from) => {
      store.countRejection(t.flowId, t.nodeId);
      bus.emit({ type: 'auth.rejected', flowId: t.flowId, nodeId: t.nodeId, reason, at: new Date().toISOString() });
      logger.warn('webhook authentication failed', { flowId: t.flowId, nodeId: t.nodeId, reason, from });
    },
    keyUsed: (t, keyId) => store.touchApiKey(t.flowId, t.nodeId, keyId, Date.now()),
    accept: (t, message, res, keys) => dispatcher.accept(t, message, res, keys),
    onError: (err) => logger.error('request handling failed', { error: String((err as Error)?.stack ?? err) }),
  });
  const internal = new Map<string, (req: http.IncomingMessage, res: http.ServerResponse) => void | Promise<void>>();
  const accessLog = logger.level === 'debug';
  const server = http.createServer({ keepAliveTimeout: 5000 }, (req, res) => {
    if (accessLog) logRequest(logger, req, res);
    if (internal.size) {
      const url = req.url ?? '/';
      const q = url.indexOf('?');
      const handler = internal.get(q === -1 ? url : url.slice(0, q));
      if (handler) {
        Promise.resolve(handler(req, res)).catch((err) => {
          logger.error('internal route failed', { path: url, error: String(err) });
          if (!res.headersSent) res.writeHead(500).end();
        });
        return;
      }
    }
    void ingest(req, res);
  });
  let address: AddressInfo | undefined;
  let lock: DataDirLock | undefined;
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
        if (internal.has(t.settings.path)) {
          const i = d.compiled.flow.nodes.findIndex((n) => n.id === t.nodeId);
          problems.push({ path: `nodes[${i}].settings.path`, code: 'route_conflict', message: `${t.settings.path} is reserved by the runtime`, nodeId: t.nodeId });
        }
        for (const m of t.settings.methods) {
          const clash = r.add(m, t.settings.path, t);
          if (clash) {
            const i = d.compiled.flow.nodes.findIndex((n) => n.id === t.nodeId);
            problems.push({
              path: `nodes[${i}].settings.path`,
              code: 'route_conflict',
              message: `${m} ${t.settings.path} is already served by flow "${next.get(clash.flowId)?.compiled.flow.name ?? clash.flowId}" (${clash.flowId}, node "${clash.nodeId}")`,
              nodeId: t.nodeId,
            });
          }
        }
      }
    }
    return { router: r, problems };
  }

  const rt: Runtime = {
    store,
    env,
    get baseUrl() {
      return baseUrl();
    },
    get port() {
      return address?.port ?? opts.port ?? 0;
    },
    host,
    async start() {
      try {
        // Before recovery touches a record: another process on this directory would have its running work
        // marked interrupted and run twice.
        lock = lockDataDir(opts.dataDir, { onTakeOver: warnTakeOver(logger, opts.dataDir) });
        // Bound before recovery too, so a start that fails on a taken port has changed no record.
        address = await listen(server, opts.port ?? 0, host);
        recovered = await store.recover();
      } catch (err) {
        // Nothing may keep the process alive after a failed start (the writer thread, the listener).
        if (server.listening) await new Promise((r) => server.close(r));
        await store.close();
        lock?.release();
        lock = undefined;
        throw err;
      }
      logRecovered(logger, opts.dataDir, recovered);
      // The address it is bound to (0.0.0.0 on a server), not only the loopback URL it is reached at from here.
      logger.info('runtime listening', { url: baseUrl(), listen: `${host.includes(':') ? `[${host}]` : host}:${address.port}`, hookline: VERSION });
    },
    async deploy(raw) {
      const compiled = await compileFlow(raw, { env, secrets: opts.secrets, connections, subscriptions: opts.subscriptions, logger });
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
            origins: parseAllowedOrigins(settings.allowedOrigins),
            bodyCheck: settings.bodySchema === undefined ? undefined : compileJsonSchema(settings.bodySchema, { at: `nodes[${i}].settings.bodySchema`, nodeId: n.id }),
          });
        } catch (err) {
          if (err instanceof ProblemsError) problems.push(...err.problems);
          else problems.push({ path: `nodes[${i}].settings`, code: 'invalid_value', message: (err as Error).message, nodeId: n.id });
        }
      });
      // Other triggers (schedule, ...) get a queue like an async webhook and are activated after the swap.
      const others = [...compiled.nodes.values()].filter((cn) => cn.type.spec.category === 'trigger' && cn.node.type !== 'webhook' && cn.type.runner.activate);
      const otherTargets: WebhookTarget[] = others.map((cn) => ({
        flowId,
        nodeId: cn.node.id,
        settings: webhookSettingsSchema.parse({ path: `/_${cn.node.type}/${cn.node.id}`, maxConcurrency: 4 }),
        verify: () => ({ ok: true }),
      }));
      const d: Deployment = { compiled, targets, deployedAt: new Date().toISOString() };
      // The flow being deployed goes in last, so a clash is reported on its node and names the flow already live.
      const next = new Map(deployments);
      next.delete(flowId);
      next.set(flowId, d);
      const built = buildRouter(next);
      problems.push(...built.problems);
      if (problems.length) throw new ProblemsError(problems);
      // Swap: queues first (so a message routed by the new table finds its queue), then the route table.
      deployments.set(flowId, d);
      for (const t of [...targets, ...otherTargets]) dispatcher.ensureQueue(t, d, takeRecovered(t));
      router = built.router;
      deactivate(flowId);
      const stops: Array<() => void> = [];
      for (const [i, cn] of others.entries()) {
        const t = otherTargets[i];
        try {
          stops.push(
            await cn.type.runner.activate!({
              settings: cn.settings,
              prepared: cn.prepared,
              node: cn.node,
              flow: compiled.flow,
              env,
              logger,
              emit: (e) => bus.emit(e),
              fire: (message) => dispatcher.fire(t, message),
            }),
          );
        } catch (err) {
          logger.error('trigger could not start', { flowId, nodeId: cn.node.id, error: String((err as Error).message) });
          bus.emit({ type: 'warning', code: 'trigger_failed', message: `trigger "${cn.node.id}" could not start: ${(err as Error).message}`, flowId, nodeId: cn.node.id });
        }
      }
      activations.set(flowId, stops);
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
      deactivate(flowId);
      // Accepted messages are not dropped: the queues keep draining with the last deployed version.
      bus.emit({ type: 'flow.undeployed', flowId, at: new Date().toISOString() });
    },
    deployments: () => [...deployments.values()].map(info),
    isDeployed: (id) => deployments.has(id),
    retryExecution: (id) => dispatcher.retry(id),
    skipExecution: (id) => dispatcher.skip(id),
    queueDepths: () => dispatcher.depths(),
    setInternalRoute(p, handler) {
      internal.set(p, handler);
    },
    preview(raw, input, p = {}) {
      return previewFlow(raw, input, { ...p, env });
    },
    async runOnce(raw, input, runOpts = {}) {
      const compiled = await compileFlow(raw, { env, secrets: opts.secrets, connections, subscriptions: opts.subscriptions, logger });
      const start = startOf([...compiled.nodes.values()].map((cn) => cn.node), (id) => compiled.nodes.get(id)?.settings, input, runOpts.triggerNodeId);
      if (!start) throw new ProblemsError([{ path: 'nodes', code: 'no_trigger', message: runOpts.triggerNodeId ? `no node "${runOpts.triggerNodeId}"` : 'the flow has no trigger node to start from' }]);
      const { trigger, message } = start;
      const id = newExecutionId();
      const diagnostics = compiled.flow.settings.diagnostics;
      const started = Date.now();
      store.record({ id, flowId: compiled.flow.id, flowRevision: compiled.flow.revision, triggerNodeId: trigger.id, status: 'running', queuedAt: started, diagnostics, input: message });
      // As for a triggered run: the studio lists it at once and clears the previous run's marks (edge item counts).
      if (bus.active) bus.emit({ type: 'execution.started', executionId: id, flowId: compiled.flow.id, at: isoAt(started) });
      let reply: { status: number; headers: Record<string, string>; body: unknown } | undefined;
      const outcome = await executeFlow(compiled, {
        executionId: id,
        triggerNodeId: trigger.id,
        message,
        diagnostics,
        bus,
        store,
        env,
        secrets: opts.secrets,
        connections,
        subscriptions: opts.subscriptions,
        logger,
        signal: new AbortController().signal,
        respond: (r) => (reply = r),
      });
      const error = outcome.error ? { message: outcome.error.message, code: outcome.error.code, nodeId: outcome.error.nodeId } : undefined;
      const m = recordMasker(env);
      store.finish(id, { status: outcome.status, finishedAt: Date.now(), output: masked(m, outcome.output), error: masked(m, error) }, diagnostics);
      bus.emit({ type: 'execution.finished', executionId: id, flowId: compiled.flow.id, status: outcome.status, at: new Date().toISOString(), durationMs: Date.now() - started, error });
      const detail = (await store.getExecution(id))!;
      return { ...detail, ...(reply ? { reply } : {}) };
    },
    onEvent: (cb) => bus.on(cb),
    async stop(graceMs = 10_000) {
      for (const id of [...activations.keys()]) deactivate(id);
      const closed = new Promise<void>((r) => server.close(() => r()));
      server.closeIdleConnections();
      await dispatcher.drain(graceMs);
      // Replies of the last executions are written at the end of a turn (core/http/end-of-turn.ts): let them go out.
      await new Promise((r) => setImmediate(r));
      server.closeAllConnections();
      await closed;
      await store.close();
      lock?.release();
      lock = undefined;
    },
    async setEnv(next) {
      for (const k of Object.keys(env)) delete env[k];
      Object.assign(env, next);
      markSecretEnv(env, secretEnvNames(next));
      connections.reset();
      // Settings are prepared (and connections filled in) at deploy: each deployed flow is deployed again.
      const redeployed: string[] = [];
      const failed: Array<{ flowId: string; message: string }> = [];
      for (const [flowId, d] of [...deployments]) {
        try {
          await rt.deploy(d.compiled.flow);
          redeployed.push(flowId);
        } catch (err) {
          const problems = err instanceof ProblemsError ? err.problems.map((p) => `${p.path}: ${p.message}`).join('; ') : (err as Error).message;
          failed.push({ flowId, message: problems });
        }
      }
      return { redeployed, failed };
    },
  };
  return rt;

  function deactivate(flowId: string) {
    for (const stop of activations.get(flowId) ?? []) {
      try {
        stop();
      } catch {}
    }
    activations.delete(flowId);
  }

  function takeRecovered(t: WebhookTarget): PendingExecution[] {
    if (!recovered) return [];
    const mine = (p: PendingExecution) => p.flowId === t.flowId && p.triggerNodeId === t.nodeId;
    const out = [
      ...recovered.queued.filter(mine),
      // Acknowledged work (ordered, async, fired by a schedule) runs again; a request-response caller had its answer.
      ...(durable(t) ? recovered.interrupted.filter(mine) : []),
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

/** Messages of this trigger are committed and acknowledged before they run (see README "Delivery"). */
const durable = (t: WebhookTarget) => t.settings.ordered || t.settings.responseMode === 'async';

export const newExecutionId = (): string => uuidv7();

/** Connections as nodes see them: `{{ $env.NAME }}` placeholders filled in (once per connection object). */
function withEnv(inner: ConnectionLookup, env: Record<string, string>): ConnectionLookup & { reset(): void } {
  let done = new WeakMap<object, Connection>();
  return {
    reset: () => (done = new WeakMap()),
    get(id) {
      const c = inner.get(id);
      if (!c) return undefined;
      let r = done.get(c);
      if (!r) done.set(c, (r = substituteConnectionEnv(c, env)));
      return r;
    },
  };
}

export type { Message };
