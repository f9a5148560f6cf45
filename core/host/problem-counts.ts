import { HOST_METHODS, type HostApi } from './api';

/**
 * The flow list's error counts, kept per flow revision. Counting checks a flow as deploy would (templates compiled,
 * connections and secrets looked up, ~1 ms a flow), and the studio lists the flows after every autosave: with 50
 * flows that was 30-50 ms on the runtime's thread per save. A count is made again when its flow changed, after any
 * host call that may change what flows are checked against (a secret, a connection, a deploy, an environment), and
 * after MAX_AGE_MS for what changes outside the API (an OAuth sign-in storing its refresh token).
 */
const MAX_AGE_MS = 10_000;

/** Host calls that change nothing a flow's problems are checked against (saveFlow changes only its own flow). */
const KEEPS_COUNTS = new Set<string>([
  'getRuntimeInfo', 'listFlows', 'getFlow', 'saveFlow', 'validateFlow', 'getNodeCatalogue', 'listDeployments', 'listExecutions', 'getExecution',
  'getTriggerStats', 'sendTestRequest', 'listSecrets', 'generateApiKey', 'runFlow', 'previewFlow', 'getNextRuns', 'exportBundle', 'listConnections',
  'getConnection', 'testConnection', 'sendNodeTestRequest', 'cancelTest', 'certificateInfo', 'importCurl', 'toCurl', 'getSubscriptions', 'sendTestEvent',
  'getEnvironments',
]);

export interface ProblemCounts {
  /** The flow's error count: remembered for its revision, or counted now. */
  of(flow: { id: string; revision: number }): Promise<number>;
  /** A count just made (by saveFlow), kept for the flow's revision. */
  remember(flow: { id: string; revision: number }, count: number): void;
  /** The host API, with every call that may change the counts forgetting them. */
  watch(api: HostApi): HostApi;
}

export function problemCounts<F extends { id: string; revision: number }>(count: (flow: F) => Promise<number>, now = Date.now): ProblemCounts {
  let generation = 0;
  const kept = new Map<string, { revision: number; generation: number; at: number; count: number }>();
  const remember = (flow: { id: string; revision: number }, n: number) => kept.set(flow.id, { revision: flow.revision, generation, at: now(), count: n });
  return {
    async of(flow) {
      const k = kept.get(flow.id);
      if (k && k.revision === flow.revision && k.generation === generation && now() - k.at < MAX_AGE_MS) return k.count;
      const n = await count(flow as F);
      remember(flow, n);
      return n;
    },
    remember,
    watch(api) {
      const out = { ...api } as Record<string, unknown>;
      for (const name of HOST_METHODS) {
        const fn = api[name];
        if (KEEPS_COUNTS.has(name)) continue;
        out[name] = async (...args: unknown[]) => {
          try {
            return await (fn as (...a: unknown[]) => Promise<unknown>)(...args);
          } finally {
            generation++;
          }
        };
      }
      return out as unknown as HostApi;
    },
  };
}
