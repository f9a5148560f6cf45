import type { Logger } from '../nodes/runner-types';
import { isoAt } from '../model/iso-time';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

/**
 * Structured JSON logs, one object per line. `redact` replaces secret values wherever they appear, so a
 * secret that slips into a log field never reaches the output.
 */
export function createJsonLogger(opts: { level?: LogLevel; write?: (line: string) => void; redact?: (s: string) => string; base?: Record<string, unknown> } = {}): Logger {
  const min = ORDER[opts.level ?? 'info'];
  const write = opts.write ?? ((l: string) => process.stdout.write(l + '\n'));
  const log = (level: LogLevel) => (msg: string, fields?: Record<string, unknown>) => {
    if (ORDER[level] < min) return;
    let line = JSON.stringify({ time: isoAt(Date.now()), level, msg, ...opts.base, ...fields });
    if (opts.redact) line = opts.redact(line);
    write(line);
  };
  return { level: opts.level ?? 'info', debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') };
}

export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} };

/**
 * Writes run events worth a line in a server log (finished executions, retries, halted lines, warnings), so
 * the logs are fed by the same typed events as the studio and the store. At debug level also each step and each
 * outbound HTTP attempt (names, status and timing; payloads stay in the execution record).
 */
export function logRunEvents(logger: Logger): (e: import('./events').RunEvent) => void {
  const debug = logger.level === 'debug';
  return (e) => {
    switch (e.type) {
      case 'step.finished':
        if (debug) {
          const s = e.step;
          logger.debug('step finished', { executionId: e.executionId, flowId: e.flowId, nodeId: s.nodeId, nodeType: s.nodeType, status: s.status, port: s.port, durationMs: s.durationMs, ...(s.error ? { error: s.error.message } : {}) });
        }
        break;
      case 'http.attempt':
        if (debug) logger.debug('http attempt', { executionId: e.executionId, nodeId: e.nodeId, attempt: e.attempt, method: e.method, url: e.url, status: e.status, durationMs: e.durationMs, ...(e.error ? { error: e.error } : {}) });
        break;
      case 'execution.finished':
        (e.status === 'succeeded' ? logger.info : logger.warn)('execution finished', { executionId: e.executionId, flowId: e.flowId, status: e.status, durationMs: e.durationMs, ...(e.error ? { error: e.error } : {}) });
        break;
      case 'retry.scheduled':
        logger.info('retry scheduled', { executionId: e.executionId, nodeId: e.nodeId, attempt: e.attempt, delayMs: e.delayMs, reason: e.reason });
        break;
      case 'lane.blocked':
        logger.warn('ordered line halted on a failed message (retry or skip it)', { flowId: e.flowId, nodeId: e.nodeId, partition: e.partition, executionId: e.executionId });
        break;
      case 'warning':
        logger.warn(e.message, { code: e.code, flowId: e.flowId, nodeId: e.nodeId, executionId: e.executionId });
        break;
    }
  };
}
