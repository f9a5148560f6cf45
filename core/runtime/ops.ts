import type { Runtime } from './runtime';
import { Metrics } from './metrics';

/**
 * `/healthz` (the process answers), `/readyz` (flows deployed and the database writable) and `/metrics`
 * (Prometheus text) on the runtime's listener, for servers and orchestrators.
 */
export function installOpsEndpoints(rt: Runtime, opts: { expectedFlows: () => string[] }): Metrics {
  const metrics = new Metrics(() => rt.queueDepths());
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
    text(res, ready ? 200 : 503, JSON.stringify({ ready, flowsNotDeployed: missing, database: dbOk ? 'writable' : `not writable: ${dbError}`, blockedLanes }), 'application/json');
  });
  rt.setInternalRoute('/metrics', (_req, res) => text(res, 200, metrics.render(), 'text/plain; version=0.0.4; charset=utf-8'));
  return metrics;
}
