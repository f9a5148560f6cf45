import type { HttpAttempt } from '../../core/host/api';
import { fmtMs } from '../connections/shared';

/** An attempt as the runtime records it (core/http/client.ts AttemptRecord), read from the step. */
type Attempt = HttpAttempt;

const lines = (h: Record<string, string>) =>
  Object.entries(h)
    .map(([k, v]) => `${k}: ${v}`)
    .join('\n');

function timingText(t: Attempt['timings']): string {
  if (!t) return '';
  const parts = [t.connectMs !== undefined && `connect ${fmtMs(t.connectMs)}`, t.tlsMs !== undefined && `TLS ${fmtMs(t.tlsMs)}`, t.firstByteMs !== undefined && `first byte ${fmtMs(t.firstByteMs)}`, t.reusedSocket && 'reused connection'];
  const shown = parts.filter(Boolean);
  return shown.length ? ` (${shown.join(', ')})` : '';
}

/**
 * The HTTP traffic of a Web Integration step, attempt by attempt: the request as sent (with full diagnostics;
 * credentials masked by the runtime), each answer's status and headers, redirects, retries and their reasons.
 * The response body is the step's output (or its error details).
 */
export function HttpTraffic({ attempts, inputData }: { attempts: unknown[]; inputData: unknown }) {
  const list = attempts as Attempt[];
  const sent = list.find((a) => a.request)?.request;
  const body = sent?.bodyIsInputData ? (typeof inputData === 'string' ? inputData : JSON.stringify(inputData, null, 2)) : sent?.body;
  return (
    <div className="hl-span2 hl-traffic" data-testid="step-http">
      <h5>HTTP traffic</h5>
      {list.map((a) => (
        <div key={a.attempt} className="hl-attempt" data-testid={`step-http-attempt-${a.attempt}`}>
          <div className="mono">
            <b>#{a.attempt}</b> {a.method} {a.url} →{' '}
            <span className={a.status !== undefined && a.status < 400 ? 'hl-ok' : 'hl-bad'}>{a.status !== undefined ? `${a.status} ${a.response?.statusText ?? ''}`.trim() : a.error ?? 'no response'}</span>
            <span className="hl-muted"> · {fmtMs(a.durationMs)}{timingText(a.timings)}</span>
          </div>
          {a.redirects?.map((r, i) => (
            <div key={i} className="hl-muted mono">
              ↳ {r.status} to {r.to}
              {r.droppedHeaders.length ? ` (dropped ${r.droppedHeaders.join(', ')})` : ''}
            </div>
          ))}
          {a.retryReason && (
            <div className="hl-muted">
              retried after {fmtMs(a.delayMs ?? 0)}: {a.retryReason}
            </div>
          )}
          {a.response && <pre className="hl-headers" data-testid={`step-http-response-${a.attempt}`}>{lines(a.response.headers)}</pre>}
        </div>
      ))}
      {sent ? (
        <>
          <h5>Request as sent</h5>
          <pre className="hl-headers" data-testid="step-http-request">{lines(sent.headers)}</pre>
          {body !== undefined && (
            <pre data-testid="step-http-request-body">
              {body}
              {sent.bodyTruncated ? '\n… (truncated)' : ''}
            </pre>
          )}
        </>
      ) : (
        <div className="hl-hint">Request and response headers are kept with full diagnostics (flow settings).</div>
      )}
    </div>
  );
}
