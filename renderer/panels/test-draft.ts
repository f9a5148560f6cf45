import type { Flow } from '../../core/model/flow';
import { webhookQuery } from '../inspector/curl';
import { sampleRequest } from '../inspector/sample-request';
import type { TestDraft } from '../state/view-store';

/** Shown in place of an API key whose value this session has not seen (it is shown once, when generated). */
export const KEY_PLACEHOLDER = '<paste the key value>';

export function parseHeaders(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const i = line.indexOf(':');
    if (i > 0) out[line.slice(0, i).trim()] = line.slice(i + 1).trim();
  }
  return out;
}

interface TriggerInfo {
  draft: TestDraft;
  /** The trigger wants an API key whose value the page does not know. */
  keyHeader?: string;
}

/** The request a flow's first webhook trigger expects, as the panel starts it: its method, path with query, key header, sample body. */
export function defaultDraft(flow: Flow, revealed: Record<string, string>): TriggerInfo {
  const trigger = flow.nodes.find((n) => n.type === 'webhook');
  const ts = trigger?.settings as Record<string, any> | undefined;
  const key = ts?.auth?.type === 'apiKey' ? ts.auth.keys?.[0] : undefined;
  const keyHeader = key ? String(ts!.auth.header || 'X-API-Key') : undefined;
  const keyValue = key ? revealed[key.secret] : undefined;
  const request = sampleRequest(flow.sample, true);
  const headers = [`Content-Type: ${request.contentType}`, ...(keyHeader ? [`${keyHeader}: ${keyValue ?? KEY_PLACEHOLDER}`] : [])].join('\n');
  const draft = {
    method: ts?.methods?.[0] ?? 'POST',
    path: (ts?.path ?? '/webhook') + webhookQuery(ts?.queryParams, (flow.sample as any)?.trigger?.query),
    headers,
    body: request.body,
  };
  return { draft, keyHeader: keyHeader && keyValue === undefined ? keyHeader : undefined };
}

/**
 * The execution a test request started: the `executionId` its answer names (an async trigger's 202, a failure, a
 * timeout), else the one execution of the flow queued while it was on its way (a request-response answer names
 * none). `undefined` when that is not one run (other traffic at the same time).
 *
 * @example
 * executionOf('{"executionId":"01a2"}', [], '2026-01-01T00:00:00Z', '2026-01-01T00:00:01Z'); // '01a2'
 */
export function executionOf(body: string, recent: ReadonlyArray<{ id: string; queuedAt: string }>, sentAt: string, answeredAt: string): string | undefined {
  try {
    const id = (JSON.parse(body) as { executionId?: unknown } | null)?.executionId;
    if (typeof id === 'string' && id) return id;
  } catch {
    /* not JSON: look at the runs instead */
  }
  const during = recent.filter((x) => x.queuedAt >= sentAt && x.queuedAt <= answeredAt);
  return during.length === 1 ? during[0].id : undefined;
}
