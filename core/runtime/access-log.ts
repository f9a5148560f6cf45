import type http from 'node:http';
import { performance } from 'node:perf_hooks';
import type { Logger } from '../nodes/runner-types';

/**
 * The access log: at debug level, one `request` line per request the runtime's listener answers (webhooks and
 * /healthz, /readyz, /metrics alike), written when the response is done or the caller went away. The path is
 * logged without its query string, which may carry a webhook's API key; what the flow did is in the
 * `step finished`, `http attempt` and `execution finished` lines.
 */
export function logRequest(logger: Logger, req: http.IncomingMessage, res: http.ServerResponse): void {
  const t0 = performance.now();
  // Read now: once the caller has gone, the socket no longer knows its address.
  const from = req.socket.remoteAddress;
  res.once('close', () => {
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const finished = res.writableFinished;
    logger.debug('request', {
      method: req.method,
      path: q === -1 ? url : url.slice(0, q),
      status: finished ? res.statusCode : undefined,
      ...(finished ? {} : { aborted: true }),
      durationMs: Math.round((performance.now() - t0) * 100) / 100,
      from,
    });
  });
}
