import { createStore } from 'zustand/vanilla';
import type { DeploymentInfo, ExecutionDetail, ExecutionSummary } from '../../core/host/api';
import type { ExecutionStatus, RunEvent } from '../../core/runtime/events';

export type NodeRunState = { status: 'succeeded' | 'failed' | 'skipped' | 'running'; executionId: string; port?: string; error?: string };

/** Live runtime state: deployments and executions as the host reports them; never saved, never undone. */
export interface LiveState {
  deployments: Record<string, DeploymentInfo>;
  /** Recent executions per flow, newest first (bounded). */
  executions: Record<string, ExecutionSummary[]>;
  /** Per flow, per node: what happened to the node in the latest execution (canvas badges). */
  lastRun: Record<string, Record<string, NodeRunState>>;
  /** Per flow, per edge key `source:port`: items that passed in the latest execution. */
  edgeCounts: Record<string, Record<string, number>>;
  /** Bumped on every event, so panels can refetch on change. */
  tick: number;
  recent: RunEvent[];
}

export interface LiveActions {
  handleEvent(e: RunEvent): void;
  setDeployments(list: DeploymentInfo[]): void;
  setExecutions(flowId: string, list: ExecutionSummary[]): void;
  /** Canvas marks from a stored execution (after a reload the last run still shows). */
  /**
   * Shows an execution's step marks and edge counts on the canvas: only when the flow has none yet (the latest run
   * at start-up), or always with `replace` (the run the user opened in the Executions panel).
   */
  seedFromExecution(detail: ExecutionDetail, opts?: { replace?: boolean }): void;
}

const MAX_EXECUTIONS = 200;
const MAX_RECENT = 100;

export function createLiveStore() {
  return createStore<LiveState & LiveActions>((set, get) => ({
    deployments: {},
    executions: {},
    lastRun: {},
    edgeCounts: {},
    tick: 0,
    recent: [],
    setDeployments(list) {
      set({ deployments: Object.fromEntries(list.map((d) => [d.flowId, d])) });
    },
    setExecutions(flowId, list) {
      set({ executions: { ...get().executions, [flowId]: list.slice(0, MAX_EXECUTIONS) } });
    },
    seedFromExecution(d, opts) {
      const s = get();
      if (!opts?.replace && s.lastRun[d.flowId] && Object.keys(s.lastRun[d.flowId]).length) return;
      const runs: Record<string, NodeRunState> = {};
      const counts: Record<string, number> = {};
      for (const st of d.steps) {
        runs[st.nodeId] = { status: st.status, executionId: d.id, port: st.port, error: st.error?.message };
        if (st.port) counts[`${st.nodeId}:${st.port}`] = (counts[`${st.nodeId}:${st.port}`] ?? 0) + 1;
      }
      set({ lastRun: { ...s.lastRun, [d.flowId]: runs }, edgeCounts: { ...s.edgeCounts, [d.flowId]: counts } });
    },
    handleEvent(e) {
      const s = get();
      const patch: Partial<LiveState> = { tick: s.tick + 1, recent: [e, ...s.recent].slice(0, MAX_RECENT) };
      const upsert = (flowId: string, id: string, fn: (x: ExecutionSummary | undefined) => ExecutionSummary) => {
        const list = s.executions[flowId] ?? [];
        const i = list.findIndex((x) => x.id === id);
        const next = i >= 0 ? list.map((x, j) => (j === i ? fn(x) : x)) : [fn(undefined), ...list];
        patch.executions = { ...s.executions, [flowId]: next.slice(0, MAX_EXECUTIONS) };
      };
      switch (e.type) {
        case 'execution.queued':
          upsert(e.flowId, e.executionId, (x) => x ?? { id: e.executionId, flowId: e.flowId, flowRevision: 0, triggerNodeId: e.nodeId, status: 'queued', queuedAt: e.at, ...links(e) });
          break;
        case 'execution.started':
          upsert(e.flowId, e.executionId, (x) => ({ ...(x ?? { id: e.executionId, flowId: e.flowId, flowRevision: 0, triggerNodeId: '', queuedAt: e.at }), ...links(e), status: 'running', startedAt: e.at }));
          // A new run replaces the previous run's marks on the canvas.
          patch.lastRun = { ...s.lastRun, [e.flowId]: {} };
          patch.edgeCounts = { ...s.edgeCounts, [e.flowId]: {} };
          break;
        case 'step.finished': {
          const flowRuns = { ...((patch.lastRun ?? s.lastRun)[e.flowId] ?? {}) };
          flowRuns[e.step.nodeId] = { status: e.step.status, executionId: e.executionId, port: e.step.port, error: e.step.error?.message };
          patch.lastRun = { ...s.lastRun, [e.flowId]: flowRuns };
          if (e.step.port) {
            const counts = { ...(s.edgeCounts[e.flowId] ?? {}) };
            const key = `${e.step.nodeId}:${e.step.port}`;
            counts[key] = (counts[key] ?? 0) + 1;
            patch.edgeCounts = { ...s.edgeCounts, [e.flowId]: counts };
          }
          break;
        }
        case 'execution.finished':
          upsert(e.flowId, e.executionId, (x) => ({
            ...(x ?? { id: e.executionId, flowId: e.flowId, flowRevision: 0, triggerNodeId: '', queuedAt: e.at }),
            status: e.status,
            finishedAt: e.at,
            durationMs: e.durationMs,
            ...(e.error ? { error: e.error } : {}),
          }));
          break;
        case 'flow.deployed': {
          const prev = s.deployments[e.flowId];
          patch.deployments = { ...s.deployments, [e.flowId]: { flowId: e.flowId, revision: e.revision, deployedAt: e.at, endpoints: prev?.endpoints ?? [] } };
          break;
        }
        case 'flow.undeployed': {
          const { [e.flowId]: _gone, ...rest } = s.deployments;
          patch.deployments = rest;
          break;
        }
      }
      set(patch);
    },
  }));
}
export type LiveStore = ReturnType<typeof createLiveStore>;

export const STATUS_LABEL: Record<ExecutionStatus, string> = {
  queued: 'Queued',
  running: 'Running',
  succeeded: 'Succeeded',
  failed: 'Failed',
  'timed-out': 'Timed out',
  interrupted: 'Interrupted',
  parked: 'Parked',
};

/** The business key and retried run an event carries, as list fields (only those set). */
function links(e: { businessKey?: string; retryOf?: string }): Pick<ExecutionSummary, 'businessKey' | 'retryOf'> {
  return { ...(e.businessKey !== undefined ? { businessKey: e.businessKey } : {}), ...(e.retryOf !== undefined ? { retryOf: e.retryOf } : {}) };
}
