import { useEffect, useState } from 'react';
import type { ExecutionDetail, TestResponse } from '../../core/host/api';
import type { ExecutionStatus } from '../../core/runtime/events';
import { useApp, useFlow, useLive, useView } from '../app-context';
import { Icon } from '../icons';
import { STATUS_LABEL } from '../state/live-store';

export function BottomPanel() {
  const { view } = useApp();
  const open = useView((s) => s.bottomOpen);
  const tab = useView((s) => s.bottomTab);
  return (
    <section className={`hl-bottom${open ? ' open' : ''}`} data-testid="bottom-panel">
      <header className="hl-tabs">
        {(['executions', 'test'] as const).map((t) => (
          <button key={t} className={`hl-tab${open && tab === t ? ' active' : ''}`} data-testid={`tab-${t}`} onClick={() => (open && tab === t ? view.getState().toggle('bottomOpen', false) : view.getState().showBottom(t))}>
            {t === 'executions' ? 'Executions' : 'Test request'}
          </button>
        ))}
        <div className="hl-grow" />
        <button className="hl-icon-btn sm" title="Toggle panel (Ctrl+J)" data-testid="toggle-bottom" onClick={() => view.getState().toggle('bottomOpen')}>
          <Icon name="chevron" size={13} className={open ? 'rot-90' : 'rot--90'} />
        </button>
      </header>
      {open && <div className="hl-bottom-body">{tab === 'executions' ? <Executions /> : <TestRequestPanel />}</div>}
    </section>
  );
}

const fmtMs = (ms: number) => (ms < 10 ? `${ms.toFixed(1)} ms` : ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(2)} s`);
const fmtTime = (iso?: string) => (iso ? new Date(iso).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' }) : '');

function Executions() {
  const { host, live, view } = useApp();
  const flow = useFlow();
  const list = useLive((s) => s.executions[flow.id]) ?? [];
  const [q, setQ] = useState('');
  const [status, setStatus] = useState<ExecutionStatus | ''>('');
  const [detail, setDetail] = useState<ExecutionDetail | null>(null);
  const [step, setStep] = useState(0);

  useEffect(() => {
    let alive = true;
    const t = setTimeout(() => {
      host
        .listExecutions({ flowId: flow.id, limit: 100, ...(q ? { businessKey: q } : {}), ...(status ? { status: [status] } : {}) })
        .then((p) => alive && live.getState().setExecutions(flow.id, p.items))
        .catch(() => {});
    }, 200);
    return () => {
      alive = false;
      clearTimeout(t);
    };
  }, [host, live, flow.id, q, status]);

  const open = async (id: string) => {
    setDetail(await host.getExecution(id));
    setStep(0);
  };
  const wanted = useView((s) => s.openExecution);
  useEffect(() => {
    if (!wanted) return;
    view.getState().showExecution(null);
    void open(wanted);
  }, [wanted]);
  const shown = list.filter((x) => (!status || x.status === status) && (!q || (x.businessKey ?? '').includes(q) || x.id.includes(q)));
  const s = detail?.steps[step];
  return (
    <div className="hl-executions" data-testid="executions">
      <div className="hl-exec-list">
        <div className="hl-exec-filters">
          <input className="hl-input" placeholder="Search business key or id" value={q} data-testid="executions-search" onChange={(e) => setQ(e.target.value)} />
          <select className="hl-input" value={status} onChange={(e) => setStatus(e.target.value as ExecutionStatus | '')}>
            <option value="">All</option>
            {Object.entries(STATUS_LABEL).map(([k, v]) => (
              <option key={k} value={k}>{v}</option>
            ))}
          </select>
        </div>
        <ul>
          {shown.map((x) => (
            <li key={x.id} className={detail?.id === x.id ? 'active' : ''} data-testid={`execution-${x.id}`} onClick={() => void open(x.id)}>
              <span className={`hl-status ${x.status}`}>{STATUS_LABEL[x.status]}</span>
              <span className="mono">{fmtTime(x.startedAt ?? x.queuedAt)}</span>
              <span className="hl-grow mono ellipsis">{x.businessKey ?? x.id.slice(0, 8)}</span>
              {x.durationMs !== undefined && <span className="hl-muted">{fmtMs(x.durationMs)}</span>}
            </li>
          ))}
          {shown.length === 0 && <li className="hl-muted">No executions yet. Deploy and send a request.</li>}
        </ul>
      </div>
      <div className="hl-exec-detail">
        {!detail ? (
          <div className="hl-muted pad">Select an execution to see each step's input and output.</div>
        ) : (
          <>
            <div className="hl-steps">
              {detail.steps.map((st, i) => (
                <button key={i} className={`hl-step ${st.status}${i === step ? ' active' : ''}`} data-testid={`step-${i}`} onClick={() => setStep(i)}>
                  <span className={`hl-dot ${st.status === 'failed' ? 'bad' : 'on'}`} />
                  <span className="ellipsis">{flow.nodes.find((n) => n.id === st.nodeId)?.name ?? st.nodeId}</span>
                  <span className="hl-muted">{fmtMs(st.durationMs)}</span>
                </button>
              ))}
              {detail.error && <div className="hl-field-error">{detail.error.message}</div>}
              {(detail.status === 'failed' || detail.status === 'timed-out' || detail.status === 'parked' || detail.status === 'interrupted') && (
                <div className="hl-btn-row">
                  <button className="hl-btn sm" data-testid="execution-retry" onClick={() => void host.retryExecution(detail.id).catch(() => {})}>Retry</button>
                  {detail.status === 'parked' && <button className="hl-btn ghost sm" onClick={() => void host.skipExecution(detail.id).catch(() => {})}>Skip</button>}
                </div>
              )}
            </div>
            {s && (
              <div className="hl-io">
                <div>
                  <h5>Input</h5>
                  <pre data-testid="step-input">{JSON.stringify(s.input, null, 2)}</pre>
                </div>
                <div>
                  <h5>Output{s.port ? ` → ${s.port}` : ''}</h5>
                  <pre data-testid="step-output">{s.error ? JSON.stringify(s.error, null, 2) : JSON.stringify(s.output, null, 2)}</pre>
                </div>
                {s.attempts && s.attempts.length > 0 && (
                  <div className="hl-span2">
                    <h5>HTTP attempts</h5>
                    <pre>{JSON.stringify(s.attempts, null, 2)}</pre>
                  </div>
                )}
              </div>
            )}
          </>
        )}
      </div>
    </div>
  );
}

function parseHeaders(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const i = line.indexOf(':');
    if (i > 0) out[line.slice(0, i).trim()] = line.slice(i + 1).trim();
  }
  return out;
}

function TestRequestPanel() {
  const { host } = useApp();
  const flow = useFlow();
  const revealed = useView((s) => s.revealed);
  const trigger = flow.nodes.find((n) => n.type === 'webhook');
  const ts = trigger?.settings as Record<string, any> | undefined;
  const key = ts?.auth?.type === 'apiKey' ? ts.auth.keys?.[0] : undefined;
  const [method, setMethod] = useState<string>(ts?.methods?.[0] ?? 'POST');
  const [path, setPath] = useState<string>(ts?.path ?? '/webhook');
  const [headers, setHeaders] = useState(() => ['Content-Type: application/json', ...(key ? [`${ts!.auth.header || 'X-API-Key'}: ${revealed[key.secret] ?? ''}`] : [])].join('\n'));
  const [body, setBody] = useState(() => JSON.stringify((flow.sample as any)?.trigger?.body ?? { hello: 'world' }, null, 2));
  const [res, setRes] = useState<TestResponse | null>(null);
  const [err, setErr] = useState<string | null>(null);
  const [sending, setSending] = useState(false);
  const send = async () => {
    setSending(true);
    setErr(null);
    try {
      setRes(await host.sendTestRequest({ method, url: path, headers: parseHeaders(headers), body: method === 'GET' ? undefined : body }));
    } catch (e: any) {
      setErr(e?.message ?? String(e));
    } finally {
      setSending(false);
    }
  };
  return (
    <div className="hl-test" data-testid="test-request">
      <div className="hl-test-req">
        <div className="hl-row">
          <select className="hl-input method" value={method} data-testid="test-method" onChange={(e) => setMethod(e.target.value)}>
            {['GET', 'POST', 'PUT', 'PATCH', 'DELETE'].map((m) => (
              <option key={m}>{m}</option>
            ))}
          </select>
          <input className="hl-input mono" value={path} data-testid="test-path" onChange={(e) => setPath(e.target.value)} />
          <button className="hl-btn primary" disabled={sending} data-testid="test-send" onClick={() => void send()}>
            <Icon name="play" size={13} /> Send
          </button>
        </div>
        <label className="hl-label">Headers (one per line)</label>
        <textarea className="hl-input mono" rows={3} value={headers} data-testid="test-headers" onChange={(e) => setHeaders(e.target.value)} />
        <label className="hl-label">Body</label>
        <textarea className="hl-input mono" rows={5} value={body} data-testid="test-body" onChange={(e) => setBody(e.target.value)} />
      </div>
      <div className="hl-test-res" data-testid="test-response">
        {err && <div className="hl-field-error">{err}</div>}
        {res ? (
          <>
            <div className="hl-row">
              <span className={`hl-status ${res.status < 400 ? 'succeeded' : 'failed'}`} data-testid="test-status">{res.status}</span>
              <span className="hl-muted">{fmtMs(res.durationMs)}</span>
            </div>
            <pre className="hl-headers">{Object.entries(res.headers).map(([k, v]) => `${k}: ${v}`).join('\n')}</pre>
            <pre data-testid="test-response-body">{res.body}</pre>
          </>
        ) : (
          !err && <div className="hl-muted pad">Send a request to the runtime listener to see the response here.</div>
        )}
      </div>
    </div>
  );
}
