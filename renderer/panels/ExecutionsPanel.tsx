import { useEffect, useState } from 'react';
import type { ExecutionDetail, ExecutionSummary } from '../../core/host/api';
import type { ExecutionStatus } from '../../core/runtime/events';
import { nodeSpecs } from '../../core/nodes/catalogue';
import { useApp, useFlow, useLive, useView } from '../app-context';
import { fmtMs } from '../connections/shared';
import { STATUS_LABEL } from '../state/live-store';
import { HttpTraffic } from './HttpTraffic';
import { stepView } from './step-view';

const fmtTime = (iso?: string) => (iso ? new Date(iso).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' }) : '');

/**
 * How an execution is named in lists: execution ids are UUID v7, whose first characters are the time (the same
 * for every run within a minute), so the list shows their random end instead.
 */
export const shortId = (id: string) => `…${id.slice(-8)}`;

/** A step as the canvas names its node: the node's own name, else its type's title (never a bare id). */
function stepName(nodes: ReadonlyArray<{ id: string; name?: string; type: string }>, nodeId: string, nodeType: string): string {
  const node = nodes.find((n) => n.id === nodeId);
  return node?.name || nodeSpecs.find((x) => x.type === (node?.type ?? nodeType))?.title || nodeId;
}

const RETRYABLE: ExecutionStatus[] = ['failed', 'timed-out', 'parked', 'interrupted'];

/** The open flow's executions (search by business key or id, filter by status) and the chosen one step by step. */
export function Executions() {
  const flow = useFlow();
  // A flow of its own: nothing of the previous flow's list, search or open execution carries over.
  return <ExecutionsOf key={flow.id} />;
}

function ExecutionsOf() {
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
        .listExecutions({ flowId: flow.id, limit: 100, ...(q ? { search: q.trim() } : {}), ...(status ? { status: [status] } : {}) })
        .then((p) => alive && live.getState().setExecutions(flow.id, p.items))
        .catch(() => {});
    }, 200);
    return () => {
      alive = false;
      clearTimeout(t);
    };
  }, [host, live, flow.id, q, status]);

  const open = async (id: string) => {
    try {
      setDetail(await host.getExecution(id));
      setStep(0);
    } catch (e: any) {
      view.getState().showToast(`Could not open execution ${shortId(id)}: ${e?.message ?? e}`);
    }
  };
  const wanted = useView((s) => s.openExecution);
  useEffect(() => {
    if (!wanted) return;
    view.getState().showExecution(null);
    void open(wanted);
  }, [wanted]);

  const act = async (what: 'retry' | 'skip', ex: ExecutionDetail) => {
    try {
      if (what === 'skip') {
        await host.skipExecution(ex.id);
        view.getState().showToast(`Skipped execution ${shortId(ex.id)}: the ordered line moves on`);
        return;
      }
      const { executionId } = await host.retryExecution(ex.id);
      view.getState().showToast(`Retry of ${shortId(ex.id)} started as ${shortId(executionId)}`, { label: 'Open', run: () => view.getState().showExecution(executionId) });
    } catch (e: any) {
      view.getState().showToast(`${what === 'retry' ? 'Retry' : 'Skip'} failed: ${e?.message ?? e}`);
    }
  };

  const needle = q.trim().toLowerCase();
  const shown = list.filter((x) => (!status || x.status === status) && (!needle || (x.businessKey ?? '').toLowerCase().includes(needle) || x.id.includes(needle)));
  return (
    <div className="hl-executions" data-testid="executions">
      <div className="hl-exec-list">
        <div className="hl-exec-filters">
          <input className="hl-input" placeholder="Search business key or id" value={q} data-testid="executions-search" onChange={(e) => setQ(e.target.value)} />
          <select className="hl-input" value={status} data-testid="executions-status" onChange={(e) => setStatus(e.target.value as ExecutionStatus | '')}>
            <option value="">All</option>
            {Object.entries(STATUS_LABEL).map(([k, v]) => (
              <option key={k} value={k}>{v}</option>
            ))}
          </select>
        </div>
        <ul>
          {shown.map((x) => (
            <ExecutionRow key={x.id} x={x} active={detail?.id === x.id} onOpen={() => void open(x.id)} />
          ))}
          {shown.length === 0 && <li className="hl-muted">{q || status ? 'No execution matches.' : 'No executions yet. Deploy and send a request.'}</li>}
        </ul>
      </div>
      <div className="hl-exec-detail">
        {!detail ? (
          <div className="hl-muted pad">Select an execution to see each step's input and output.</div>
        ) : (
          <>
            <div className="hl-steps">
              <div className="hl-exec-id mono" title="Execution id" data-testid="execution-id">{detail.id}</div>
              {detail.retryOf && (
                <button className="hl-link-btn" data-testid="execution-retry-of" onClick={() => void open(detail.retryOf!)}>
                  retry of {shortId(detail.retryOf)}
                </button>
              )}
              {detail.steps.map((st, i) => (
                <button key={i} className={`hl-step ${st.status}${i === step ? ' active' : ''}`} data-testid={`step-${i}`} onClick={() => setStep(i)}>
                  <span className={`hl-dot ${st.status === 'failed' ? 'bad' : 'on'}`} />
                  <span className="ellipsis" title={st.nodeId}>{stepName(flow.nodes, st.nodeId, st.nodeType)}</span>
                  <span className="hl-muted">{fmtMs(st.durationMs)}</span>
                </button>
              ))}
              {detail.error && <div className="hl-field-error">{detail.error.message}</div>}
              {RETRYABLE.includes(detail.status) && (
                <div className="hl-btn-row">
                  <button className="hl-btn sm" data-testid="execution-retry" onClick={() => void act('retry', detail)}>Retry</button>
                  {detail.status === 'parked' && <button className="hl-btn ghost sm" onClick={() => void act('skip', detail)}>Skip</button>}
                </div>
              )}
            </div>
            <StepIo step={detail.steps[step]} />
          </>
        )}
      </div>
    </div>
  );
}

function ExecutionRow({ x, active, onOpen }: { x: ExecutionSummary; active: boolean; onOpen: () => void }) {
  return (
    <li className={active ? 'active' : ''} data-testid={`execution-${x.id}`} title={x.id} onClick={onOpen}>
      <span className={`hl-status ${x.status}`}>{STATUS_LABEL[x.status]}</span>
      <span className="mono">{fmtTime(x.startedAt ?? x.queuedAt)}</span>
      <span className="hl-grow mono ellipsis">
        {x.businessKey ?? shortId(x.id)}
        {x.retryOf ? <span className="hl-muted"> ↻ retry</span> : null}
      </span>
      {x.durationMs !== undefined && <span className="hl-muted">{fmtMs(x.durationMs)}</span>}
    </li>
  );
}

function StepIo({ step: s }: { step?: ExecutionDetail['steps'][number] }) {
  if (!s) return null;
  const out = stepView(s.output);
  return (
    <div className="hl-io">
      <div>
        <h5>Input</h5>
        <pre data-testid="step-input">{stepView(s.input).json}</pre>
      </div>
      <div>
        <h5>Output{s.port ? ` → ${s.port}` : ''}</h5>
        {!s.error && out.texts.map((t) => (
          <div className="hl-step-text" key={t.label}>
            <div className="hl-muted mono">{t.label} (text)</div>
            <pre data-testid={`step-output-text-${t.label}`}>{t.text}</pre>
          </div>
        ))}
        <pre data-testid="step-output">{s.error ? JSON.stringify(s.error, null, 2) : out.json}</pre>
      </div>
      {s.attempts && s.attempts.length > 0 && <HttpTraffic attempts={s.attempts} inputData={(s.input as { data?: unknown } | undefined)?.data} />}
    </div>
  );
}
