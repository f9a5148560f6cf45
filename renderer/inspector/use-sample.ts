import { useEffect, useMemo, useState } from 'react';
import type { FlowPreview, NodePreview } from '../../core/host/api';
import type { Flow } from '../../core/model/flow';
import { isWholeMessage } from '../../core/model/message';
import { pinnedRunInput } from '../../core/nodes/start-input';
import { useApp, useFlow, useLive } from '../app-context';
import { sampleFromBody } from './sample-request';
import { previewNow, useFlowPreview, whyNotReached } from './use-preview';

export interface SampleContext {
  context: unknown;
  /** `preview`: the sample run through the flow as it is now (see use-preview.ts). */
  source: 'preview' | 'sample' | 'execution' | 'none';
  /** Why a node's input is not the previewed one (shown above its fields). */
  note?: string;
  /** This node on the sample, when the preview reached it. */
  outcome?: NodePreview;
}

/**
 * The data completion, hover and previews read. For a node: what it would receive from the sample with the flow
 * as it is now (the nodes before it run in a preview; those that call out hand on their answer from the latest
 * run), else its input in the latest execution, else the trigger's sample with a note why. The sample is the
 * flow's pinned one, else the latest execution's trigger input (fetched once per execution id).
 */
export function useSampleContext(nodeId?: string): SampleContext & { latest(): Promise<SampleContext> } {
  const { host } = useApp();
  const flow = useFlow();
  const latestId = useLive((s) => s.executions[flow.id]?.find((x) => x.status !== 'queued' && x.status !== 'running')?.id);
  const [input, setInput] = useState<LatestInput | null>(null);
  useEffect(() => {
    if (!latestId || input?.id === latestId) return;
    let live = true;
    host
      .getExecution(latestId)
      .then((d) => live && d && setInput({ id: latestId, value: d.input ?? d.steps[0]?.input, steps: Object.fromEntries(d.steps.map((s) => [s.nodeId, s.input])) }))
      .catch(() => {});
    return () => {
      live = false;
    };
  }, [host, latestId, input?.id]);
  // What "Run with sample" starts with (a Schedule's tick made now, a Manual trigger's sample, the pinned one), read
  // as a manual run reads it: a sample that is not a whole message is the request body.
  const sample = useMemo(() => {
    const pinned = pinnedRunInput(flow);
    return pinned === undefined ? undefined : isWholeMessage(pinned) ? pinned : sampleFromBody(pinned);
  }, [flow.sample, flow.nodes]);
  const base = sample ?? input?.value;
  const preview = useFlowPreview(flow, base, input?.id);
  const now = contextOf(preview, flow, nodeId, sample, input);
  // The preview of the flow as it is at this render, waited for when it is still being computed (just opened or
  // just edited): what "Send test request" must send.
  const latest = async () => (base === undefined ? now : contextOf(await previewNow(host, flow, base, input?.id), flow, nodeId, sample, input));
  return { ...now, latest };
}

interface LatestInput {
  id: string;
  value: unknown;
  steps: Record<string, unknown>;
}

function contextOf(preview: FlowPreview | null, flow: Flow, nodeId: string | undefined, sample: unknown, input: LatestInput | null): SampleContext {
  const outcome = nodeId ? preview?.nodes[nodeId] : undefined;
  if (outcome) return { context: outcome.input, source: 'preview', outcome };
  const why = nodeId && preview ? whyNotReached(preview, flow, nodeId) : undefined;
  // What this node really received last time beats the trigger sample (data may have been mapped).
  if (nodeId && input && input.steps[nodeId] !== undefined) return { context: input.steps[nodeId], source: 'execution', note: why && `${why} Fields here are checked against its input in the latest run instead.` };
  const note = why && `${why} Fields here are checked against the trigger's sample instead.`;
  if (sample !== undefined) return { context: sample, source: 'sample', note };
  if (input) return { context: input.value, source: 'execution', note };
  return { context: undefined, source: 'none' };
}

/** The request body a pinned sample stands for (what the sample editor shows). */
export function sampleBody(sample: unknown): unknown {
  return isWholeMessage(sample) ? (sample.trigger?.body ?? sample.data) : sample;
}
