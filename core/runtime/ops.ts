import type { Runtime } from './runtime';
import { Metrics, type WaitingForMissingFlow } from './metrics';

/**
 * `/healthz` (the process answers), `/readyz` (flows deployed and the database writable) and `/metrics`
 * (Prometheus text) on the runtime's listener, for servers and orchestrators. `waiting`: accepted messages found
 * at start-up for flows this process will not deploy (see core/cli/waiting-work.ts), reported by both.
 */
export function installOpsEndpoints(rt: Runtime, opts: { expectedFlows: () => string[]; waiting?: WaitingForMissingFlow[] }): Metrics {
  const waiting = opts.waiting ?? [];
  const metrics = new Metrics(() => rt.queueDepths(), waiting);
  rt.onEvent(metrics.onEvent);
  const text = (res: import('node:http').ServerResponse, status: number, body: string, type = 'text/plain; charset=utf-8') => {
    res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
    res.end(body);
  };
  rt.setInternalRoute('/healthz', (_req, res) => text(res, 200, 'ok\n'));
  rt.setInternalRoute('/readyz', async (_req, res) => {
    const missing = opts.expectedFlows().filter((id) => !rt.isDeployed(id));
    let dbOk = true;
    let dbError = '';
    try {
      await rt.store.ping();
    } catch (err) {
      dbOk = false;
      dbError = String((err as Error).message);
    }
    const ready = missing.length === 0 && dbOk;
    // Reported, not a reason to be taken out of rotation: the other lines and flows still serve, and a restart
    // would not release a halted line (see hookline_blocked_lanes in /metrics).
    const blockedLanes = rt.queueDepths().reduce((n, q) => n + q.blocked, 0);
    // Also reported only: accepted messages for flows this process does not run (a bundle without them) wait on
    // disk until a flow with that id is deployed here again; the flows it does run serve.
    const body = { ready, flowsNotDeployed: missing, database: dbOk ? 'writable' : `not writable: ${dbError}`, blockedLanes, waitingForMissingFlows: waiting };
    text(res, ready ? 200 : 503, JSON.stringify(body), 'application/json');
  });
  rt.setInternalRoute('/metrics', (_req, res) => text(res, 200, metrics.render(), 'text/plain; version=0.0.4; charset=utf-8'));
  return metrics;
}
