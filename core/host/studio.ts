import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { HostApi } from './api';
import { createHostApi } from './impl';
import { createSecretCleanup } from './secret-cleanup';
import { FlowRepository } from './flow-repo';
import { ConnectionRepository } from './connection-repo';
import { SubscriptionRepository } from './subscription-repo';
import { createRuntime, type Runtime } from '../runtime/runtime';
import type { StartupError } from '../runtime/data-dir-lock';
import { silentLogger } from '../runtime/logger';
import { EnvSecretStore } from '../secrets/env-store';
import { EnvironmentRepository } from './environment-repo';
import { studioEnv } from './environment-ops';
import { EnvironmentSecrets } from './environment-secrets';
import type { Environment } from '../model/bundle';
import { readEnvironments } from '../bundle/transfer';
import type { SecretStore } from '../secrets/secret-store';
import type { Logger } from '../nodes/runner-types';
import { VERSION } from '../version';
import { startStudioServer } from './http-transport';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const EXAMPLE_FLOWS_DIR = path.join(ROOT, 'examples', 'flows');
export const EXAMPLE_ENVIRONMENTS = path.join(ROOT, 'examples', 'environments.json');

export interface HostedRuntimeOptions {
  dataDir: string;
  secrets?: SecretStore;
  host?: string;
  port?: number;
  logger?: Logger;
  /** The process environment flows read as `$env`, under the active environment's variables (default: this process's). */
  env?: Record<string, string>;
  /** Copy the example flows in when the data directory has no flows yet (first start). */
  seedExamples?: boolean;
  /**
   * When `port` is taken: fail (`'fail'`, the default: the CLI says so and exits), or serve the webhooks on a free
   * port this time and log a warning (`'any'`: the desktop app, which must open whatever else holds the port).
   */
  portInUse?: 'fail' | 'any';
  /** How long a deleted flow's own secrets wait for the studio's Undo (default 60 s; see secret-cleanup.ts). */
  deletedFlowUndoMs?: number;
}

export interface HostedRuntime {
  api: HostApi;
  runtime: Runtime;
  flows: FlowRepository;
  close(): Promise<void>;
}

/**
 * Starts the runtime with its flow repository and HostApi, redeploying the flows that were deployed
 * when it last stopped. Used by Electron's main process and the browser studio alike.
 */
export async function startHostedRuntime(o: HostedRuntimeOptions): Promise<HostedRuntime> {
  const logger = o.logger ?? silentLogger;
  // Secret variables of the active environment read as its own values (see environment-secrets.ts).
  const secrets = new EnvironmentSecrets(o.secrets ?? new EnvSecretStore());
  const flows = new FlowRepository(o.dataDir);
  const environments = new EnvironmentRepository(o.dataDir);
  const seeding = !!o.seedExamples && flows.isEmpty && fs.existsSync(EXAMPLE_FLOWS_DIR);
  if (seeding) {
    for (const f of fs.readdirSync(EXAMPLE_FLOWS_DIR).filter((x) => x.endsWith('.json')))
      flows.save(JSON.parse(fs.readFileSync(path.join(EXAMPLE_FLOWS_DIR, f), 'utf8')));
  }
  const connections = new ConnectionRepository(o.dataDir);
  const subscriptions = new SubscriptionRepository(o.dataDir, secrets);
  const processEnv = o.env ?? process.env;
  // Flows read the active environment's variables over the process environment (see environment-ops.ts).
  const activeEnvironment = (): Environment | undefined => {
    try {
      return environments.read().active;
    } catch (err) {
      logger.warn('the active environment could not be read: flows read the process environment only', { error: String((err as Error).message) });
      return undefined;
    }
  };
  let active = activeEnvironment();
  secrets.use(active);
  const start = async (port: number) => {
    const rt = createRuntime({ dataDir: o.dataDir, host: o.host, port, secrets, logger, env: studioEnv(processEnv, active, secrets), connections, subscriptions });
    await rt.start();
    return rt;
  };
  let runtime: Runtime;
  let requestedPort: number | undefined;
  try {
    runtime = await start(o.port ?? 0);
  } catch (err) {
    if (o.portInUse !== 'any' || (err as StartupError).code !== 'port_in_use') throw err;
    runtime = await start(0);
    requestedPort = o.port;
    logger.warn(`port ${o.port} is in use: webhooks are served on port ${runtime.port} this time`, { url: runtime.baseUrl });
  }
  // The examples' environment ("local": where Order to ERP posts), active, unless this studio has environments. Its
  // URLs name the Mock ERP on this very runtime, so they get the port it listens on (the file says 8080).
  if (seeding && fs.existsSync(EXAMPLE_ENVIRONMENTS) && environments.list().length === 0) {
    const seeded = onRuntime(readEnvironments(path.dirname(EXAMPLE_ENVIRONMENTS)), runtime.baseUrl);
    environments.write(seeded);
    environments.setActive(seeded[0]?.name ?? null);
    active = activeEnvironment();
    secrets.use(active);
    await runtime.setEnv(studioEnv(processEnv, active, secrets));
  }
  for (const id of flows.deployedIds()) {
    const flow = flows.tryGet(id);
    if (!flow) continue;
    try {
      await runtime.deploy(flow);
    } catch (err) {
      logger.warn('a previously deployed flow could not be redeployed', { flowId: id, error: String((err as Error).message) });
    }
  }
  const cleanup = createSecretCleanup({ secrets, flows, connections, subscriptions, isDeployed: (id) => runtime.isDeployed(id), undoMs: o.deletedFlowUndoMs });
  const api = createHostApi({ runtime, flows, secrets, version: VERSION, dataDir: o.dataDir, connections, subscriptions, cleanup, processEnv, requestedPort });
  return {
    api,
    runtime,
    flows,
    close: () => {
      // No Undo after the studio closes: a deleted flow's secrets go now instead of staying behind unused.
      cleanup.flushDeleted();
      return runtime.stop();
    },
  };
}

/** The example environments' URLs on this studio's own runtime: `http://127.0.0.1:8080/...` -> `<baseUrl>/...`. */
export function onRuntime(envs: Environment[], baseUrl: string): Environment[] {
  const origin = 'http://127.0.0.1:8080';
  return envs.map((e) => ({
    ...e,
    variables: e.variables.map((v) => (v.value?.startsWith(`${origin}/`) ? { ...v, value: baseUrl + v.value.slice(origin.length) } : v)),
  }));
}

export interface StudioOptions extends HostedRuntimeOptions {
  /** Port of the studio UI/API (the runtime listener has its own). */
  studioPort?: number;
  staticDir?: string;
  token?: string;
}

/** The browser studio: runtime + HostApi + the HTTP/WebSocket transport serving the built renderer. */
export async function startStudio(o: StudioOptions) {
  const hosted = await startHostedRuntime(o);
  let server: Awaited<ReturnType<typeof startStudioServer>>;
  try {
    server = await startStudioServer({
      api: hosted.api,
      staticDir: o.staticDir ?? path.join(ROOT, 'dist', 'renderer'),
      host: '127.0.0.1',
      port: o.studioPort ?? 0,
      token: o.token,
    });
  } catch (err) {
    // The studio port is taken (or similar): stop the runtime too, so nothing keeps serving webhooks or holding
    // the data directory's lock, and the process can exit with the start-up failure code.
    await hosted.close();
    const code = (err as NodeJS.ErrnoException).code;
    throw new Error(code === 'EADDRINUSE' ? `studio port ${o.studioPort} on 127.0.0.1 is already in use` : `the studio could not start: ${(err as Error).message}`);
  }
  return {
    ...hosted,
    url: server.url,
    token: server.token,
    async close() {
      await server.close();
      await hosted.close();
    },
  };
}
