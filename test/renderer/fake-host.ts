import type { DeploymentInfo, HostApi } from '../../core/host/api';
import { connectionSchema, connectionSecretNames, type Connection } from '../../core/model/connection';
import { flowSchema, type Flow } from '../../core/model/flow';
import type { RunEvent } from '../../core/runtime/events';

/** In-memory HostApi for store tests: records calls, keeps flows, lets a test push run events. */
export function createFakeHost() {
  const flows = new Map<string, Flow>();
  const secrets = new Map<string, string>();
  const deployments = new Map<string, DeploymentInfo>();
  const connections = new Map<string, Connection>();
  const listeners = new Set<(e: RunEvent) => void>();
  const calls: string[] = [];
  let saveGate: Promise<void> | null = null;
  // Partial + Proxy: methods added to HostApi later fail loudly when called instead of breaking the type.
  const impl: Partial<HostApi> = {
    async getRuntimeInfo() {
      calls.push('getRuntimeInfo');
      return { version: 'test', baseUrl: 'http://127.0.0.1:9999', host: '127.0.0.1', port: 9999, dataDir: '/tmp/x' };
    },
    async listFlows() {
      calls.push('listFlows');
      return [...flows.values()].map((f) => ({ id: f.id, name: f.name, revision: f.revision, nodeCount: f.nodes.length, deployed: deployments.has(f.id), problems: 0 }));
    },
    async getFlow(id) {
      calls.push(`getFlow:${id}`);
      const f = flows.get(id);
      if (!f) throw new Error(`flow ${id} not found`);
      return structuredClone(f);
    },
    async saveFlow(input) {
      calls.push(`saveFlow:${input.id}`);
      if (saveGate) await saveGate;
      const prev = flows.get(input.id);
      const flow = flowSchema.parse({ ...input, revision: (prev?.revision ?? 0) + 1, updatedAt: new Date().toISOString() });
      flows.set(flow.id, flow);
      return { flow: structuredClone(flow), problems: [] };
    },
    async deleteFlow(id) {
      calls.push(`deleteFlow:${id}`);
      flows.delete(id);
    },
    async validateFlow() {
      return [];
    },
    async getNodeCatalogue() {
      return [];
    },
    async deploy(flowId) {
      calls.push(`deploy:${flowId}`);
      const f = flows.get(flowId)!;
      const d = { flowId, revision: f.revision, deployedAt: new Date().toISOString(), endpoints: [] };
      deployments.set(flowId, d);
      return { ok: true, problems: [], endpoints: [], revision: f.revision };
    },
    async undeploy(flowId) {
      calls.push(`undeploy:${flowId}`);
      deployments.delete(flowId);
    },
    async listDeployments() {
      return [...deployments.values()];
    },
    async listExecutions() {
      return { items: [], total: 0 };
    },
    async getExecution() {
      return null;
    },
    async skipExecution() {},
    async getTriggerStats(flowId, nodeId) {
      return { flowId, nodeId, rejections: 0, apiKeysLastUsed: {}, queueDepth: 0, running: 0, blockedLanes: 0 };
    },
    async retryExecution() {
      return { executionId: 'x' };
    },
    async sendTestRequest() {
      return { status: 200, headers: {}, body: '', durationMs: 1 };
    },
    async listSecrets() {
      return [...secrets.keys()].map((name) => ({ name, set: true }));
    },
    async setSecret(name, value) {
      if (value) secrets.set(name, value);
      return { name, set: secrets.has(name) };
    },
    async deleteSecret(name) {
      secrets.delete(name);
    },
    async listConnections() {
      calls.push('listConnections');
      return [...connections.values()].map((c) => ({ ...structuredClone(c), missingSecrets: connectionSecretNames(c).filter((n) => !secrets.has(n)) }));
    },
    async saveConnection(input) {
      calls.push(`saveConnection:${input.id}`);
      const c = connectionSchema.parse(input);
      connections.set(c.id, c);
      return { ...structuredClone(c), missingSecrets: connectionSecretNames(c).filter((n) => !secrets.has(n)) };
    },
    async generateApiKey() {
      return 'k_' + Math.random().toString(36).slice(2);
    },
    onEvent(cb) {
      listeners.add(cb);
      return () => listeners.delete(cb);
    },
  };
  const host = new Proxy(impl, {
    get: (t, k) => (t as any)[k] ?? (() => Promise.reject(new Error(`fake host: ${String(k)} is not faked`))),
  }) as HostApi;
  return {
    host,
    flows,
    secrets,
    connections,
    calls,
    emit: (e: RunEvent) => listeners.forEach((l) => l(e)),
    /** Holds every saveFlow until the returned release function is called. */
    holdSaves() {
      let release!: () => void;
      saveGate = new Promise((r) => (release = r));
      return () => {
        saveGate = null;
        release();
      };
    },
  };
}
