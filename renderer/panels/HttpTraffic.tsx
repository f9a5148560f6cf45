import { useState } from 'react';
import type { HttpAttempt } from '../../core/host/api';
import { fmtMs } from '../connections/shared';
import { timingPhases } from '../connections/timing-phases';
import { headerLines, prettyBody, replayCurl, withoutTarget } from './step-view';

/** A small "Copy" next to a block of recorded data; says "Copied" for a moment. */
export function CopyButton({ text, testId, label = 'Copy', title }: { text: () => string; testId: string; label?: string; title?: string }) {
  const [done, setDone] = useState(false);
  const copy = () =>
    navigator.clipboard
      ?.writeText(text())
      .then(() => {
        setDone(true);
        setTimeout(() => setDone(false), 1200);
      })
      .catch(() => {});
  return (
    <button className="hl-link-btn hl-copy" data-testid={testId} title={title ?? 'Copy to the clipboard'} onClick={() => void copy()}>
      {done ? 'Copied' : label}
    </button>
  );
}

/** An attempt as the runtime records it (core/http/client.ts AttemptRecord), read from the step. */
type Attempt = HttpAttempt;

/** The attempt's phases, each its own duration (the attempt's total is shown beside it). */
function timingText(t: Attempt['timings']): string {
  if (!t) return '';
  const parts = timingPhases(t)
    .filter((p) => p.label !== 'total' && p.label !== 'download')
    .map((p) => `${p.label} ${fmtMs(p.ms)}`);
  if (t.reusedSocket) parts.push('reused connection');
  return parts.length ? ` (${parts.join(', ')})` : '';
}

const outcome = (a: Attempt) => (a.status !== undefined ? `${a.status} ${a.response?.statusText ?? ''}`.trim() : a.error ? withoutTarget(a.error, a.method, a.url) : 'no response');

/**
 * The HTTP traffic of a Web Integration step, in the order it happened (as Postman's console shows it): the request
 * as sent (with full diagnostics; credentials masked by the runtime), then each attempt with its answer, timings and
 * the reason it was retried, then the body of the last answer (the step's output, or its error details).
 */
export function HttpTraffic({ attempts, inputData, responseBody }: { attempts: unknown[]; inputData: unknown; responseBody?: unknown }) {
  const list = attempts as Attempt[];
  const first = list[0];
  const last = list[list.length - 1];
  const sent = list.find((a) => a.request)?.request;
  const body = sent?.bodyIsInputData ? (typeof inputData === 'string' ? inputData : JSON.stringify(inputData, null, 2)) : sent?.body;
  const total = list.reduce((t, a) => t + a.durationMs + (a.delayMs ?? 0), 0);
  return (
    <div className="hl-traffic" data-testid="step-http">
      <div className="hl-traffic-summary" data-testid="step-http-summary">
        {list.length} attempt{list.length === 1 ? '' : 's'} · last:{' '}
        <span className={last && last.status !== undefined && last.status < 400 ? 'hl-ok' : 'hl-bad'}>{last ? outcome(last) : '–'}</span>
        <span className="hl-muted"> · {fmtMs(total)} in all</span>
      </div>
      <h5>
        Request
        {sent && (
          <CopyButton
            testId="step-http-copy-curl"
            label="Copy as cURL"
            title="The request as sent, as a cURL command; credentials stay masked (***): put them back before running it"
            text={() => replayCurl(first.method, first.url, sent.headers, body)}
          />
        )}
      </h5>
      <div className="mono hl-traffic-line">
        {first?.method} {first?.url}
      </div>
      {sent ? (
        <>
          <pre className="hl-headers" data-testid="step-http-request">{headerLines(sent.headers)}</pre>
          {body !== undefined && (
            <pre className="hl-traffic-body" data-testid="step-http-request-body">
              {prettyBody(body)}
              {sent.bodyTruncated ? '\n… (truncated)' : ''}
            </pre>
          )}
        </>
      ) : (
        <div className="hl-hint">Request and response headers are kept with full diagnostics (flow settings).</div>
      )}
      <h5>Attempts</h5>
      {list.map((a) => (
        <div key={a.attempt} className="hl-attempt" data-testid={`step-http-attempt-${a.attempt}`}>
          <div className="mono">
            <b>#{a.attempt}</b> → <span className={a.status !== undefined && a.status < 400 ? 'hl-ok' : 'hl-bad'}>{outcome(a)}</span>
            <span className="hl-muted"> · {fmtMs(a.durationMs)}{timingText(a.timings)}</span>
          </div>
          {a.redirects?.map((r, i) => (
            <div key={i} className="hl-muted mono">
              ↳ {r.status} to {r.to}
              {r.droppedHeaders.length ? ` (dropped ${r.droppedHeaders.join(', ')})` : ''}
            </div>
          ))}
          {a.retryReason && (
            <div className="hl-muted" data-testid={`step-http-retry-${a.attempt}`}>
              retried after {fmtMs(a.delayMs ?? 0)}: {withoutTarget(a.retryReason, a.method, a.url)}
            </div>
          )}
          {a.response && (
            <details className="hl-attempt-headers" open={a === last}>
              <summary className="hl-muted">response headers</summary>
              <pre className="hl-headers" data-testid={`step-http-response-${a.attempt}`}>{headerLines(a.response.headers)}</pre>
            </details>
          )}
        </div>
      ))}
      {responseBody !== undefined && (
        <>
          <h5>
            Response body{list.length > 1 ? ` (attempt #${last.attempt})` : ''}
            <CopyButton testId="step-http-copy-response" text={() => prettyBody(responseBody)} />
          </h5>
          <pre className="hl-traffic-body" data-testid="step-http-response-body">{prettyBody(responseBody)}</pre>
        </>
      )}
    </div>
  );
}
