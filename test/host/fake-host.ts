import type { HostApi } from '../../core/host/api';
import type { RunEvent } from '../../core/runtime/events';
import { ProblemsError } from '../../core/model/problems';

/** A HostApi double recording calls; `emit` pushes a run event to every subscriber. */
export function createFakeHost() {
  const calls: Array<{ method: string; args: unknown[] }> = [];
  const listeners = new Set<(e: RunEvent) => void>();
  const rec = (method: string, args: unknown[]) => calls.push({ method, args });
  const known: Partial<HostApi> = {
    async getRuntimeInfo() {
      rec('getRuntimeInfo', []);
      return { version: '0.1.0', baseUrl: 'http://127.0.0.1:8080', host: '127.0.0.1', port: 8080, dataDir: '/tmp/x' };
    },
    async listFlows() {
      rec('listFlows', []);
      return [{ id: 'orders', name: 'Orders', revision: 3, nodeCount: 2, deployed: false, problems: 0 }];
    },
    async getFlow(id) {
      rec('getFlow', [id]);
      throw Object.assign(new Error(`flow ${JSON.stringify(id)} not found`), { code: 'not_found' });
    },
    async saveFlow(flow) {
      rec('saveFlow', [flow]);
      return { flow: flow as any, problems: [] };
    },
    async deleteFlow(id) {
      rec('deleteFlow', [id]);
    },
    async runFlow(flowId, input, triggerNodeId) {
      rec('runFlow', [flowId, input, triggerNodeId]);
      return { executionId: 'e1', status: 'succeeded', steps: 1 } as any;
    },
    async validateFlow(flow) {
      rec('validateFlow', [flow]);
      return [];
    },
    async getNodeCatalogue() {
      return [];
    },
    async deploy(flowId) {
      rec('deploy', [flowId]);
      throw new ProblemsError([{ path: 'nodes[1].settings.path', code: 'route_conflict', message: 'is already used by flow "a"', nodeId: 'n1' }]);
    },
    async undeploy() {},
    async listDeployments() {
      return [];
    },
    async listExecutions(query) {
      rec('listExecutions', [query]);
      return { items: [], total: 0 };
    },
    async getExecution() {
      return null;
    },
    async retryExecution() {
      return { executionId: 'e2' };
    },
    async skipExecution(id) {
      rec('skipExecution', [id]);
    },
    async getTriggerStats(flowId, nodeId) {
      return { flowId, nodeId, rejections: 0, apiKeysLastUsed: {}, queueDepth: 0, running: 0, blockedLanes: 0 };
    },
    async sendTestRequest(req) {
      rec('sendTestRequest', [req]);
      return { status: 200, headers: {}, body: 'ok', durationMs: 1 };
    },
    async listSecrets() {
      return [];
    },
    async setSecret(name) {
      rec('setSecret', [name]);
      return { name, set: true };
    },
    async deleteSecret() {},
    async generateApiKey() {
      return 'k';
    },
    async exportBundle() {
      return { fileName: 'x.bundle.json', text: '{}' };
    },
    async importBundle() {
      return { flows: [], connections: [], missingSecrets: [], environments: [], subscriptions: [] };
    },
    onEvent(cb) {
      listeners.add(cb);
      return () => void listeners.delete(cb);
    },
  };
  // Methods added to HostApi later answer `undefined` after recording the call, so the double never lags the API.
  const api = new Proxy(known, {
    get: (target, key: string) => (target as any)[key] ?? (async (...args: unknown[]) => void rec(key, args)),
  }) as HostApi;
  return {
    api,
    calls,
    listeners,
    emit(e: RunEvent) {
      for (const l of [...listeners]) l(e);
    },
  };
}
