import { useApp, useFlow, useLive, useView } from '../app-context';
import { useFieldIds } from '../forms/FormField';
import { Icon } from '../icons';
import { fmtMs } from '../connections/shared';
import type { TestDraft, TestResult } from '../state/view-store';
import { prettyBody } from './step-view';
import { defaultDraft, executionOf, KEY_PLACEHOLDER, parseHeaders } from './test-draft';

/**
 * Sends a request to the runtime's listener, as a partner would. The request is kept per flow in the view store,
 * so switching tabs or flows keeps what the user typed (Reset goes back to the trigger's settings); an API key the
 * page has not seen is a visible placeholder with a hint, not an empty header that only earns a 401.
 */
export function TestRequestPanel() {
  const fid = useFieldIds();
  const { host, view } = useApp();
  const flow = useFlow();
  const revealed = useView((s) => s.revealed);
  const saved = useView((s) => s.testDrafts[flow.id]);
  const initial = defaultDraft(flow, revealed);
  const draft = saved ?? initial.draft;
  const edit = (patch: Partial<TestDraft>) => view.getState().setTestDraft(flow.id, { ...draft, ...patch });
  const runs = useLive((s) => s.executions[flow.id]);
  const result = useView((s) => s.testResults[flow.id]);
  const sending = !!result?.sending;
  const missingKey = initial.keyHeader && parseHeaders(draft.headers)[initial.keyHeader] === KEY_PLACEHOLDER ? initial.keyHeader : undefined;
  const send = async () => {
    const flowId = flow.id;
    const sentAt = new Date().toISOString();
    const record = (r: Omit<TestResult, 'sentAt'>) => view.getState().setTestResult(flowId, { sentAt, ...r });
    // The last answer stays shown while the next request is on its way.
    const prev = view.getState().testResults[flowId];
    record({ sending: true, value: prev?.value, receivedAt: prev?.receivedAt });
    try {
      const value = await host.sendTestRequest({ method: draft.method, url: draft.path, headers: parseHeaders(draft.headers), body: draft.method === 'GET' ? undefined : draft.body });
      record({ sending: false, value, receivedAt: new Date().toISOString() });
    } catch (e: any) {
      record({ sending: false, error: e?.message ?? String(e) });
    }
  };
  const shown = result?.value ?? null;
  const error = result?.error ?? null;
  const res = result?.receivedAt && !result.sending ? { sentAt: result.sentAt, receivedAt: result.receivedAt } : undefined;
  // Found once the runtime's events about it are in (they may come after the answer).
  const executionId = shown && res ? executionOf(shown.body, runs ?? [], res.sentAt, res.receivedAt) : undefined;
  return (
    <div className="hl-test" data-testid="test-request">
      <div className="hl-test-req">
        <div className="hl-row">
          <select className="hl-input method" value={draft.method} data-testid="test-method" onChange={(e) => edit({ method: e.target.value })}>
            {['GET', 'POST', 'PUT', 'PATCH', 'DELETE'].map((m) => (
              <option key={m}>{m}</option>
            ))}
          </select>
          <input className="hl-input mono" value={draft.path} data-testid="test-path" onChange={(e) => edit({ path: e.target.value })} />
          <button className="hl-btn primary" disabled={sending} data-testid="test-send" onClick={() => void send()}>
            <Icon name="play" size={13} /> Send
          </button>
          {saved && (
            <button className="hl-btn ghost sm" title="Back to the trigger's method, path, headers and sample" data-testid="test-reset" onClick={() => view.getState().setTestDraft(flow.id, null)}>
              Reset
            </button>
          )}
        </div>
        <label className="hl-label" htmlFor={fid('headers')}>Headers (one per line)</label>
        <textarea id={fid('headers')} className="hl-input mono" rows={3} value={draft.headers} data-testid="test-headers" onChange={(e) => edit({ headers: e.target.value })} />
        {missingKey && (
          <div className="hl-hint" data-testid="test-key-hint">
            This webhook requires an API key in <code>{missingKey}</code>. Its value is shown only once, when generated: paste it in place of <code>{KEY_PLACEHOLDER}</code>.
          </div>
        )}
        <label className="hl-label" htmlFor={fid('body')}>Body</label>
        <textarea id={fid('body')} className="hl-input mono" rows={5} value={draft.body} data-testid="test-body" onChange={(e) => edit({ body: e.target.value })} />
      </div>
      <div className="hl-test-res" data-testid="test-response">
        {error && <div className="hl-field-error">{error}</div>}
        {shown ? (
          <>
            <div className="hl-row">
              <span className={`hl-status ${shown.status < 400 ? 'succeeded' : 'failed'}`} data-testid="test-status">{shown.status}</span>
              <span className="hl-muted">{fmtMs(shown.durationMs)}</span>
              {executionId && (
                <button className="hl-link-btn" data-testid="test-open-execution" title="Open the execution this request started, step by step" onClick={() => view.getState().showExecution(executionId)}>
                  Open execution …{executionId.slice(-8)}
                </button>
              )}
            </div>
            <details className="hl-test-headers">
              <summary className="hl-muted">{Object.keys(shown.headers).length} response headers</summary>
              <pre className="hl-headers">{Object.entries(shown.headers).map(([k, v]) => `${k}: ${v}`).join('\n')}</pre>
            </details>
            {/* Indented for reading (as Postman's Pretty view); the body as received stays one click away. */}
            <pre data-testid="test-response-pretty">{prettyBody(shown.body)}</pre>
            <details className="hl-test-headers">
              <summary className="hl-muted">raw body as received</summary>
              <pre data-testid="test-response-body">{shown.body}</pre>
            </details>
          </>
        ) : (
          !error && <div className="hl-muted pad">Send a request to the runtime listener to see the response here.</div>
        )}
      </div>
    </div>
  );
}
