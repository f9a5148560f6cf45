import type { Flow } from '../../core/model/flow';
import { isWholeMessage } from '../../core/model/message';
import { pinnedRunInput, runStart } from '../../core/nodes/start-input';

export const NOTHING_TO_RUN = 'Nothing to run with yet: pin a request body under Sample data, or send a Test request first.';

/**
 * What "Run with sample" starts a run with. Whatever the runtime takes by itself (a Schedule's tick, a Manual
 * trigger's sample, the flow's pinned sample): nothing to send. Else, at a webhook, the latest run's request at
 * that webhook, as the previews use it; with neither, the user is told (`missing`) instead of the flow running on
 * null. A Manual trigger without a sample runs on null, as `hookline exec` does.
 */
export function runInputFor(flow: Flow, triggerNodeId: string | undefined, latest: unknown): { input?: unknown; missing?: string } {
  if (pinnedRunInput(flow, triggerNodeId) !== undefined) return {};
  const start = runStart(flow, triggerNodeId);
  if (start?.type !== 'webhook') return {};
  if (isWholeMessage(latest) && latest.trigger?.nodeId === start.id) return { input: latest };
  return { missing: NOTHING_TO_RUN };
}
