import { randomBytes } from 'node:crypto';
import type { DeployResult, HostApi, NodeCatalogueEntry, TestResponse } from './api';
import { isEnvSecretName } from './environment-secrets';
import { validateFlow } from '../model/validate';
import { ProblemsError } from '../model/problems';
import { nodeSpecs } from '../nodes/catalogue';
import type { Runtime } from '../runtime/runtime';
import type { SecretStore } from '../secrets/secret-store';
import type { FlowRepository } from './flow-repo';
import { defaultRunInput } from '../nodes/start-input';
import { recordedOutputs } from '../runtime/preview';
import type { Message } from '../model/message';
import { nextRuns, scheduleAnchor } from '../nodes/schedule/run';
import { scheduleSettingsSchema } from '../nodes/schedule/spec';
import { zodProblems } from '../model/zod-problems';
import { exportWithWarnings, importIntoDataDir } from '../bundle/transfer';
import { serializeBundle } from '../bundle/bundle';
import { ConnectionRepository } from './connection-repo';
import { SubscriptionRepository, stagedSecretName } from './subscription-repo';
import { createOutboundOps } from './outbound-ops';
import { createEnvironmentOps } from './environment-ops';
import { EnvironmentRepository } from './environment-repo';
import { createSecretCleanup, type SecretCleanup } from './secret-cleanup';
import { routeClashes } from './route-check';
import { checkFlow } from '../bundle/check';
import { missingRequirementProblems } from './missing-requirements';
import { flowCredentialProblems } from '../bundle/credentials';
import type { Problem } from '../model/problems';
import type { Flow } from '../model/flow';
import { problemCounts } from './problem-counts';

export interface HostDeps {
  runtime: Runtime;
  flows: FlowRepository;
  secrets: SecretStore;
  version: string;
  dataDir: string;
  /** The runtime's connection lookup and subscriptions; default: repositories in dataDir. */
  connections?: ConnectionRepository;
  subscriptions?: SubscriptionRepository;
  /** Deletes the secrets saves and deletions leave unused; default: one made here (see secret-cleanup.ts). */
  cleanup?: SecretCleanup;
  /** The process environment under the active environment's variables (default: process.env; see environment-ops.ts). */
  processEnv?: Record<string, string | undefined>;
  /** The port asked for when it was taken and the runtime listens elsewhere (see RuntimeInfo). */
  requestedPort?: number;
}

/**
 * The one HostApi implementation. Electron IPC and the browser studio's HTTP transport both call this,
 * so the end-to-end tests in Chromium exercise the same code the desktop app runs.
 */
export function createHostApi(d: HostDeps): HostApi {
  const { runtime, flows, secrets } = d;
  const catalogue: NodeCatalogueEntry[] = nodeSpecs.map((s) => ({
    type: s.type,
    version: s.version,
    category: s.category,
    title: s.title,
    description: s.description,
    icon: s.icon,
    fields: [...s.fields],
    inputs: [...s.inputs],
  }));

  const connectionRepo = d.connections ?? new ConnectionRepository(d.dataDir);
  /**
   * Problems of a flow as saved or edited: what deploy would refuse it for (the schema, then templates,
   * expressions, cron patterns and connection references compiled as deploy compiles them, see checkFlow), and
   * routes another deployed flow already serves. So the problems badge is not "0" for a flow deploy refuses.
   */
  const problemsOf = async (flow: Parameters<typeof validateFlow>[0]) => {
    const own = await checkFlow(flow, connectionRepo);
    const nameOf = (id: string) => {
      try {
        return flows.get(id).name;
      } catch {
        return undefined;
      }
    };
    return [...own, ...routeClashes(flow as never, runtime.deployments(), nameOf), ...typedCredentials(flow), ...missingOf(flow)];
  };
  const missingOf = (flow: unknown) => missingRequirementProblems(flow, { connection: (id) => connectionRepo.get(id), secrets, env: runtime.env, subscriptions });

  const persistDeployed = () => flows.setDeployed(runtime.deployments().map((x) => x.flowId));

  const subscriptions = d.subscriptions ?? new SubscriptionRepository(d.dataDir, secrets);
  // Certificate secrets a saved connection or flow no longer refers to are deleted (see secret-cleanup.ts).
  const cleanup = d.cleanup ?? createSecretCleanup({ secrets, flows, connections: connectionRepo, subscriptions, isDeployed: (id) => runtime.isDeployed(id) });
  /** The outbound answers of the run the studio's previews last stood on. */
  let recorded: { id: string; flowId?: string; outputs: Record<string, Message> } | undefined;
  const outbound = createOutboundOps({ runtime, flows, secrets, connections: connectionRepo, subscriptions, cleanup });
  const { refresh: refreshEnv, ...environments } = createEnvironmentOps({ runtime, repo: new EnvironmentRepository(d.dataDir), secrets, processEnv: d.processEnv ?? process.env });
  // After a secret or an import: a broken environments.json must not fail those (getEnvironments names the file).
  const envAfter = () => refreshEnv().catch(() => undefined);

  const errorsOf = (problems: Problem[]) => problems.filter((p) => p.severity !== 'warning').length;
  const counts = problemCounts(async (f: Flow) => errorsOf(await problemsOf(f)));

  return counts.watch({
    ...outbound,
    ...environments,
    async getRuntimeInfo() {
      return { version: d.version, baseUrl: runtime.baseUrl, host: runtime.host, port: runtime.port, dataDir: d.dataDir, ...(d.requestedPort !== undefined ? { requestedPort: d.requestedPort } : {}) };
    },
    async listFlows() {
      const deployed = new Map(runtime.deployments().map((x) => [x.flowId, x.revision]));
      // The count is of the errors the flow's problems list shows and deploy refuses it for (templates, expressions,
      // connections, route clashes, missing secrets), not the schema's alone; kept per revision (problem-counts.ts).
      return Promise.all(
        flows.list().map(async (f) => ({
          id: f.id,
          name: f.name,
          revision: f.revision,
          updatedAt: f.updatedAt,
          nodeCount: f.nodes.length,
          deployed: deployed.has(f.id),
          deployedRevision: deployed.get(f.id),
          problems: await counts.of(f),
        })),
      );
    },
    async getFlow(id) {
      return flows.get(id);
    },
    async saveFlow(input) {
      const id = (input as { id?: unknown } | null)?.id;
      const prev = typeof id === 'string' ? flows.tryGet(id) : undefined;
      const flow = flows.save(input);
      cleanup.flowSaved(prev, flow);
      const problems = await problemsOf(flow);
      counts.remember(flow, errorsOf(problems));
      return { flow, problems };
    },
    async deleteFlow(id) {
      if (runtime.isDeployed(id)) {
        await runtime.undeploy(id);
        persistDeployed();
      }
      const deleted = flows.tryGet(id);
      flows.delete(id);
      cleanup.flowSettled(id);
      if (deleted) cleanup.flowDeleted(deleted);
    },
    async validateFlow(flow) {
      return await problemsOf(flow);
    },
    async getNodeCatalogue() {
      return catalogue;
    },
    async deploy(flowId): Promise<DeployResult> {
      const flow = flows.get(flowId);
      try {
        const info = await runtime.deploy(flow);
        persistDeployed();
        cleanup.flowSettled(flowId);
        return { ok: true, problems: [...validateFlow(flow).problems, ...missingOf(flow)], endpoints: info.endpoints, revision: info.revision };
      } catch (err) {
        // The runtime stops at the first stage that fails (the schema before templates): answer with everything the
        // problems list shows, so a refused deploy does not hide the other errors.
        if (err instanceof ProblemsError) return { ok: false, problems: uniqueProblems([...err.problems, ...(await problemsOf(flow))]), endpoints: [] };
        throw err;
      }
    },
    async undeploy(flowId) {
      await runtime.undeploy(flowId);
      persistDeployed();
      cleanup.flowSettled(flowId);
    },
    async listDeployments() {
      return runtime.deployments();
    },
    async listExecutions(q) {
      return runtime.store.listExecutions(q);
    },
    async getExecution(id) {
      return runtime.store.getExecution(id);
    },
    async retryExecution(id) {
      return runtime.retryExecution(id);
    },
    async skipExecution(id) {
      return runtime.skipExecution(id);
    },
    async getTriggerStats(flowId, nodeId) {
      const used = await runtime.store.apiKeyLastUsed(flowId, nodeId);
      const q = runtime.queueDepths().find((x) => x.flowId === flowId && x.nodeId === nodeId);
      return {
        flowId,
        nodeId,
        rejections: await runtime.store.rejections(flowId, nodeId),
        apiKeysLastUsed: Object.fromEntries(Object.entries(used).map(([k, v]) => [k, new Date(v).toISOString()])),
        queueDepth: q?.depth ?? 0,
        running: q?.active ?? 0,
        blockedLanes: q?.blocked ?? 0,
      };
    },
    async sendTestRequest(req): Promise<TestResponse> {
      const url = /^https?:\/\//.test(req.url) ? req.url : runtime.baseUrl + (req.url.startsWith('/') ? req.url : `/${req.url}`);
      const started = performance.now();
      const res = await fetch(url, {
        method: req.method,
        headers: req.headers,
        body: req.method === 'GET' || req.method === 'HEAD' ? undefined : req.body,
        signal: AbortSignal.timeout(120_000),
      });
      const body = await res.text();
      const headers: Record<string, string> = {};
      res.headers.forEach((v, k) => (headers[k] = v));
      return { status: res.status, headers, body, durationMs: Math.round(performance.now() - started) };
    },
    async listSecrets() {
      // A subscription secret saved with a draft but not applied is kept aside under its own name (see
      // subscription-repo.ts); it is shown as "saved, not applied" on its field, not as a secret of its own.
      // Secret variables' values are the Environments page's (see environment-secrets.ts).
      const staged = new Set((subscriptions.getState().stagedSecrets ?? []).map(stagedSecretName));
      return secrets
        .list()
        .filter((name) => !staged.has(name) && !isEnvSecretName(name))
        .map((name) => ({ name, set: secrets.has(name) }));
    },
    async setSecret(name, value) {
      secrets.set(name, value);
      await envAfter(); // a secret variable of the active environment
      return { name, set: secrets.has(name) };
    },
    async deleteSecret(name) {
      secrets.delete(name);
      await envAfter();
    },
    async generateApiKey() {
      return randomBytes(32).toString('base64url');
    },
    async runFlow(flowId, input, triggerNodeId) {
      const flow = flows.get(flowId);
      const result = await runtime.runOnce(flow, input === undefined ? defaultRunInput(flow, triggerNodeId) : input, { triggerNodeId });
      // A Buffer reply cannot cross IPC / JSON intact; the studio shows text.
      if (result.reply && Buffer.isBuffer(result.reply.body)) result.reply = { ...result.reply, body: result.reply.body.toString('utf8') };
      return result;
    },
    async previewFlow(flow, input, opts = {}) {
      let answers = opts.executionId && recorded?.id === opts.executionId ? recorded : undefined;
      if (opts.executionId && !answers) {
        const run = await runtime.store.getExecution(opts.executionId);
        answers = { id: opts.executionId, flowId: run?.flowId, outputs: run ? recordedOutputs(run.steps) : {} };
        // The studio previews again on every settled edit with the same run: a finished run is read once.
        if (run && run.status !== 'queued' && run.status !== 'running') recorded = answers;
      }
      // Only a run of this flow can stand in for its outbound nodes.
      const same = answers && flow && typeof flow === 'object' && answers.flowId === (flow as { id?: unknown }).id;
      return runtime.preview(flow, input, { triggerNodeId: opts.triggerNodeId, recorded: same ? answers!.outputs : undefined });
    },
    async getNextRuns(flowId, nodeId, count) {
      const flow = flows.get(flowId);
      const index = flow.nodes.findIndex((n) => n.id === nodeId);
      const node = flow.nodes[index];
      if (!node || node.type !== 'schedule')
        throw new ProblemsError([{ path: index < 0 ? 'nodes' : `nodes[${index}].type`, code: 'invalid_value', message: `"${nodeId}" is not a Schedule trigger in flow "${flowId}"`, nodeId }]);
      const parsed = scheduleSettingsSchema.safeParse(node.settings);
      if (!parsed.success) throw new ProblemsError(zodProblems(parsed.error, `nodes[${index}].settings`, nodeId));
      try {
        const anchor = runtime.isDeployed(flowId) ? scheduleAnchor(flowId, nodeId) : undefined;
        return nextRuns(parsed.data, new Date(), count, anchor).map((d) => d.toISOString());
      } catch (e) {
        throw new ProblemsError([{ path: `nodes[${index}].settings.cron`, code: 'invalid_value', message: `is not a valid cron pattern: ${(e as Error).message}`, nodeId }]);
      }
    },
    async exportBundle(opts) {
      const { bundle, warnings } = exportWithWarnings(d.dataDir, flows, opts);
      return { fileName: `${bundle.manifest.name.replace(/[^A-Za-z0-9_.-]+/g, '-')}.bundle.json`, text: serializeBundle(bundle), warnings };
    },
    async importBundle(text, opts) {
      let raw: unknown;
      try {
        raw = JSON.parse(text);
      } catch (e) {
        throw new ProblemsError([{ path: '', code: 'invalid_value', message: `the file is not valid JSON: ${(e as Error).message}` }]);
      }
      const result = importIntoDataDir(raw, d.dataDir, flows, secrets, { ...opts, subscriptions });
      await envAfter(); // the active environment may have gained variables
      return result;
    },
    onEvent(cb) {
      return runtime.onEvent(cb);
    },
  });
}

/**
 * A credential typed into a node (a plain `Authorization` header, a password in a URL, an inline connection's
 * plain secret field) as a warning while the flow is edited: it runs locally, but Export bundle refuses it, and the
 * designer should learn that here rather than at export.
 */
function typedCredentials(flow: unknown): Problem[] {
  const nodes = (flow as { nodes?: unknown } | null)?.nodes;
  if (!Array.isArray(nodes)) return [];
  // A draft may hold half-made nodes; the schema's problems name those (an empty stand-in keeps the indices).
  const checked = { ...(flow as object), nodes: nodes.map((n) => (n && typeof n === 'object' ? n : { settings: {} })) } as Parameters<typeof flowCredentialProblems>[0][number];
  return flowCredentialProblems([checked], '').map((p) => ({
    ...p,
    path: p.path.replace(/^\[0\]\./, ''),
    severity: 'warning' as const,
    message: `${p.message}; it runs here, but Export bundle refuses it`,
  }));
}

/** Problems without repeats (same path, code and message), in order. */
function uniqueProblems(list: Problem[]): Problem[] {
  const seen = new Set<string>();
  return list.filter((p) => {
    const k = `${p.path}\0${p.code}\0${p.message}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
