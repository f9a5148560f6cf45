import type { RunEvent } from './events';

/** Accepted messages for a flow the process does not deploy: queued, and cut off by the last stop. */
export interface WaitingForMissingFlow {
  flowId: string;
  queued: number;
  cutOff: number;
}

const BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

interface Histogram {
  counts: number[];
  sum: number;
  count: number;
}

/**
 * Prometheus metrics fed by the run-event stream (the same events the studio and the store see):
 * executions by flow and status, execution duration histogram, outbound attempts and retries, auth
 * rejections; queue depth per trigger is read at scrape time.
 */
export class Metrics {
  private executions = new Map<string, number>();
  private durations = new Map<string, Histogram>();
  private attempts = new Map<string, number>();
  private retries = new Map<string, number>();
  private rejections = new Map<string, number>();

  constructor(
    private readonly queues: () => Array<{ flowId: string; nodeId: string; depth: number; active: number; blocked: number }>,
    private readonly waiting: WaitingForMissingFlow[] = [],
  ) {}

  readonly onEvent = (e: RunEvent): void => {
    switch (e.type) {
      case 'execution.finished': {
        inc(this.executions, labels({ flow: e.flowId, status: e.status }));
        const key = labels({ flow: e.flowId });
        let h = this.durations.get(key);
        if (!h) this.durations.set(key, (h = { counts: BUCKETS.map(() => 0), sum: 0, count: 0 }));
        const s = e.durationMs / 1000;
        BUCKETS.forEach((b, i) => {
          if (s <= b) h!.counts[i]++;
        });
        h.sum += s;
        h.count++;
        break;
      }
      case 'http.attempt':
        inc(this.attempts, labels({ node: e.nodeId, outcome: e.error ? 'error' : e.status && e.status < 400 ? 'success' : 'http_error' }));
        break;
      case 'retry.scheduled':
        inc(this.retries, labels({ node: e.nodeId }));
        break;
      case 'auth.rejected':
        inc(this.rejections, labels({ flow: e.flowId, node: e.nodeId }));
        break;
    }
  };

  render(): string {
    const out: string[] = [];
    const counter = (name: string, help: string, m: Map<string, number>) => {
      out.push(`# HELP ${name} ${help}`, `# TYPE ${name} counter`);
      for (const [l, v] of m) out.push(`${name}{${l}} ${v}`);
    };
    counter('hookline_executions_total', 'Finished executions by flow and status.', this.executions);
    out.push('# HELP hookline_execution_duration_seconds Execution duration by flow.', '# TYPE hookline_execution_duration_seconds histogram');
    for (const [l, h] of this.durations) {
      BUCKETS.forEach((b, i) => out.push(`hookline_execution_duration_seconds_bucket{${l},le="${b}"} ${h.counts[i]}`));
      out.push(`hookline_execution_duration_seconds_bucket{${l},le="+Inf"} ${h.count}`);
      out.push(`hookline_execution_duration_seconds_sum{${l}} ${round(h.sum)}`, `hookline_execution_duration_seconds_count{${l}} ${h.count}`);
    }
    counter('hookline_outbound_attempts_total', 'Outbound HTTP attempts by node and outcome.', this.attempts);
    counter('hookline_outbound_retries_total', 'Outbound HTTP retries scheduled, by node.', this.retries);
    counter('hookline_auth_rejections_total', 'Webhook requests refused by authentication.', this.rejections);
    const qs = this.queues();
    out.push('# HELP hookline_queue_depth Messages waiting per trigger.', '# TYPE hookline_queue_depth gauge');
    for (const q of qs) out.push(`hookline_queue_depth{${labels({ flow: q.flowId, node: q.nodeId })}} ${q.depth}`);
    out.push('# HELP hookline_executions_running Executions running per trigger.', '# TYPE hookline_executions_running gauge');
    for (const q of qs) out.push(`hookline_executions_running{${labels({ flow: q.flowId, node: q.nodeId })}} ${q.active}`);
    out.push('# HELP hookline_blocked_lanes Ordered lines halted on a failed message.', '# TYPE hookline_blocked_lanes gauge');
    for (const q of qs) out.push(`hookline_blocked_lanes{${labels({ flow: q.flowId, node: q.nodeId })}} ${q.blocked}`);
    out.push('# HELP hookline_waiting_for_missing_flow Accepted messages waiting for a flow this process does not run (found at start-up).', '# TYPE hookline_waiting_for_missing_flow gauge');
    for (const w of this.waiting) out.push(`hookline_waiting_for_missing_flow{${labels({ flow: w.flowId })}} ${w.queued + w.cutOff}`);
    return out.join('\n') + '\n';
  }
}

function inc(m: Map<string, number>, k: string) {
  m.set(k, (m.get(k) ?? 0) + 1);
}

function labels(l: Record<string, string>): string {
  return Object.entries(l)
    .map(([k, v]) => `${k}="${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`)
    .join(',');
}

function round(n: number) {
  return Math.round(n * 1e6) / 1e6;
}
