import { curlCommand } from '../inspector/curl';

/**
 * How a recorded step message is shown: `data` and `vars` first (what processing nodes change), then the trigger,
 * which every step carries unchanged; and the text a node produced (an XML or text template, Build XML) as it
 * reads, since JSON would put it on one line with every quote and line break escaped.
 */
export interface StepView {
  json: string;
  texts: Array<{ label: string; text: string }>;
}

const isText = (v: unknown): v is string => typeof v === 'string' && (v.includes('\n') || v.trimStart().startsWith('<'));

/**
 * @example
 * stepView({ trigger: {}, data: '<a>\n</a>', vars: {} }); // { json: '{\n  "data": "<a>\\n</a>", …', texts: [{ label: 'data', text: '<a>\n</a>' }] }
 */
export function stepView(value: unknown): StepView {
  if (value === null || typeof value !== 'object' || Array.isArray(value) || !('data' in value)) return { json: JSON.stringify(value, null, 2) ?? '', texts: [] };
  const { data, vars, ...rest } = value as { data: unknown; vars?: unknown };
  const texts: StepView['texts'] = [];
  if (isText(data)) texts.push({ label: 'data', text: data });
  if (vars !== null && typeof vars === 'object')
    for (const [k, v] of Object.entries(vars)) if (isText(v)) texts.push({ label: `vars.${k}`, text: v });
  return { json: JSON.stringify({ data, ...(vars === undefined ? {} : { vars }), ...rest }, null, 2), texts };
}

type Step = { status: string; output?: unknown; error?: { details?: unknown }; attempts?: unknown[] };

/**
 * The step an execution opens on: the failed one (what a user debugging a failure looks for first); in a run that
 * timed out (its caller gave up; the steps may all have succeeded, late), the slowest; else the first.
 *
 * @example
 * firstStepToShow([{ status: 'succeeded' }, { status: 'failed' }]); // 1
 */
export function firstStepToShow(steps: ReadonlyArray<{ status: string; durationMs?: number }>, executionStatus?: string): number {
  const i = steps.findIndex((s) => s.status === 'failed');
  if (i >= 0) return i;
  if (executionStatus !== 'timed-out') return 0;
  return steps.reduce((slowest, s, j) => ((s.durationMs ?? 0) > (steps[slowest].durationMs ?? 0) ? j : slowest), 0);
}

export type StepTab = 'data' | 'http';

/** The tab a step opens on: a failed outbound call opens on its HTTP traffic, everything else on input and output. */
export function defaultStepTab(step: Step | undefined): StepTab {
  return step?.status === 'failed' && (step.attempts?.length ?? 0) > 0 ? 'http' : 'data';
}

/**
 * The body of the last answer of a Web Integration step, which the HTTP traffic does not keep itself: the partner's
 * body in a failed step's error details, or the step's output data (`{ status, headers, body }` or the body alone).
 * `undefined` when there was no answer (a refused connection, a timeout).
 */
export function lastResponseBody(step: Step): unknown {
  if (step.status === 'failed') {
    const d = step.error?.details;
    return d !== null && typeof d === 'object' && 'body' in d ? (d as { body: unknown }).body : undefined;
  }
  const data = (step.output as { data?: unknown } | undefined)?.data;
  if (data !== null && typeof data === 'object' && typeof (data as { status?: unknown }).status === 'number' && 'headers' in data && 'body' in data)
    return (data as { body: unknown }).body;
  return data;
}

/** Headers one per line, `Name: value`, as an HTTP message shows them. */
export const headerLines = (h: Record<string, string>): string =>
  Object.entries(h)
    .map(([k, v]) => `${k}: ${v}`)
    .join('\n');

/**
 * A request as it went out: request line, headers, and the body byte for byte (compact JSON stays compact, so it
 * matches the Content-Length above it; the response, read rather than checked, is shown pretty).
 */
export function requestAsSent(r: { method: string; url: string; headers: Record<string, string>; body?: string }): string {
  return `${r.method} ${r.url}\n${headerLines(r.headers)}${r.body ? `\n\n${r.body}` : ''}`;
}

/** A body as it reads: JSON indented (also JSON sent as text), anything else as it is. */
export function prettyBody(body: unknown): string {
  if (typeof body !== 'string') return JSON.stringify(body, null, 2) ?? '';
  const t = body.trimStart();
  if (t.startsWith('{') || t.startsWith('[')) {
    try {
      return JSON.stringify(JSON.parse(body), null, 2);
    } catch {
      /* not JSON after all: shown as it is */
    }
  }
  return body;
}

/**
 * An attempt's error or retry reason without the `METHOD url: ` the runtime puts in front (the attempt's line
 * already names the request), so three refused attempts read as three short lines.
 *
 * @example
 * withoutTarget('network: POST http://h/o: ECONNREFUSED', 'POST', 'http://h/o'); // 'network: ECONNREFUSED'
 */
export function withoutTarget(text: string, method: string, url: string): string {
  const bare = url.split(/[?#]/)[0];
  let out = text;
  for (const target of new Set([url, bare])) out = out.split(`${method} ${target}: `).join('');
  return out;
}

/**
 * What a retry changed, step by step: for each step of the retry whose node ended differently in the run it
 * retried (same position, same node), the status it had there; a step the original never reached is `not reached`.
 *
 * @example
 * stepChanges([{ nodeId: 'a', status: 'succeeded' }], [{ nodeId: 'a', status: 'failed' }]); // { 0: 'failed' }
 */
export function stepChanges(steps: ReadonlyArray<{ nodeId: string; status: string }>, original: ReadonlyArray<{ nodeId: string; status: string }>): Record<number, string> {
  const out: Record<number, string> = {};
  steps.forEach((s, i) => {
    const was = original[i];
    if (!was || was.nodeId !== s.nodeId) out[i] = 'not reached';
    else if (was.status !== s.status) out[i] = was.status;
  });
  return out;
}

const TIME: Intl.DateTimeFormatOptions = { hour: '2-digit', minute: '2-digit', second: '2-digit' };

/**
 * When a run started, as the list shows it: the time of day for today's runs, with the date before it for older
 * ones (yesterday's 14:03 failure is not today's).
 */
export function runTime(iso: string | undefined, now = new Date()): string {
  if (!iso) return '';
  const d = new Date(iso);
  const time = d.toLocaleTimeString(undefined, TIME);
  return d.toDateString() === now.toDateString() ? time : `${d.toLocaleDateString(undefined, { month: 'short', day: 'numeric' })} ${time}`;
}

/** Headers curl sets itself, or that would make it print compressed bytes. */
const CURL_SKIP = new Set(['content-length', 'host', 'accept-encoding', 'connection']);

/**
 * The request as sent, as a cURL command to replay it from a terminal (Postman's "Copy as cURL"). Credentials stay
 * masked (`***`) as recorded: they have to be put back by hand.
 *
 * @example
 * replayCurl('POST', 'https://p/o', { Authorization: '***', 'Content-Length': '2' }, '{}'); // "curl -X POST 'https://p/o' \\\n  -H 'Authorization: ***' \\\n  --data '{}'"
 */
export function replayCurl(method: string, url: string, headers: Record<string, string>, body?: string): string {
  const kept = Object.fromEntries(Object.entries(headers).filter(([k]) => !CURL_SKIP.has(k.toLowerCase())));
  return curlCommand({ method, url, headers: kept, ...(body !== undefined ? { body } : {}) });
}
