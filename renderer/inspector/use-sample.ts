import { useEffect, useState } from 'react';
import { isWholeMessage } from '../../core/model/message';
import { useApp, useFlow, useLive } from '../app-context';

/**
 * The data completion, hover and previews read: this node's input in the latest execution, else the
 * flow's pinned sample, else the latest execution's trigger input (fetched once per execution id).
 */
export function useSampleContext(nodeId?: string): { context: unknown; source: 'sample' | 'execution' | 'none' } {
  const { host } = useApp();
  const flow = useFlow();
  const latestId = useLive((s) => s.executions[flow.id]?.find((x) => x.status !== 'queued' && x.status !== 'running')?.id);
  const [input, setInput] = useState<{ id: string; value: unknown; steps: Record<string, unknown> } | null>(null);
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
  // What this node really received last time beats the trigger sample (data may have been mapped).
  if (nodeId && input && input.steps[nodeId] !== undefined) return { context: input.steps[nodeId], source: 'execution' };
  // As a manual run reads it: a sample that is not a whole message is the request body.
  if (flow.sample !== undefined) return { context: isWholeMessage(flow.sample) ? flow.sample : sampleFromBody(flow.sample), source: 'sample' };
  if (input) return { context: input.value, source: 'execution' };
  return { context: undefined, source: 'none' };
}

/** A message-shaped sample from a request body, as a webhook trigger would produce it. */
export function sampleFromBody(body: unknown, method = 'POST', path = '/webhook') {
  return {
    trigger: { type: 'webhook', method, path, query: {}, headers: { 'content-type': 'application/json' }, body },
    data: body,
    vars: {},
  };
}

/** The request body a pinned sample stands for (what the sample editor shows). */
export function sampleBody(sample: unknown): unknown {
  return isWholeMessage(sample) ? (sample.trigger?.body ?? sample.data) : sample;
}
