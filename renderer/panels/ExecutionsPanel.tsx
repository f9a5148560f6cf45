import { useEffect, useRef, useState, type KeyboardEvent as ReactKeyboardEvent } from 'react';
import type { ExecutionDetail, ExecutionSummary } from '../../core/host/api';
import type { ExecutionStatus } from '../../core/runtime/events';
import { nodeSpecs } from '../../core/nodes/catalogue';
import { useApp, useFlow, useLive, useView } from '../app-context';
import { fmtMs } from '../connections/shared';
import { STATUS_LABEL } from '../state/live-store';
import { CopyButton, HttpTraffic } from './HttpTraffic';
import { defaultStepTab, firstStepToShow, lastResponseBody, prettyBody, runTime, stepChanges, stepView, type StepTab } from './step-view';


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
type Step = ExecutionDetail['steps'][number];
/** Executions per page of the list. */
const PAGE = 100;

/** The open flow's executions (search by business key or id, filter by status) and the chosen one step by step. */
export function Executions() {
  const flow = useFlow();
  // A flow of its own: nothing of the previous flow's list, search or open execution carries over.
  return <ExecutionsOf key={flow.id} />;
}

/** The open execution, its retries and the run it retried; refetched while the runtime reports on it. */
interface Opened {
  detail: ExecutionDetail;
  retries: ExecutionSummary[];
  original?: ExecutionSummary;
  /** Per step of this run (a retry): how the same step ended in the run it retried, where that differs. */
  changes: Record<number, string>;
}

function ExecutionsOf() {
  const { host, live, view } = useApp();
  const flow = useFlow();
  const list = useLive((s) => s.executions[flow.id]) ?? [];
  const [q, setQ] = useState('');
  const [status, setStatus] = useState<ExecutionStatus | ''>('');
  const [opened, setOpened] = useState<Opened | null>(null);
  const [step, setStep] = useState(0);
  const [tab, setTab] = useState<StepTab>('data');
  const detail = opened?.detail ?? null;
  const query = useRef({ q, status });
  query.current = { q, status };

  // The newest page lives in the live store (events keep it current); older pages, loaded on request, here.
  const [page, setPage] = useState<{ total: number; cursor?: string; older: ExecutionSummary[] }>({ total: 0, older: [] });
  const filter = () => ({ flowId: flow.id, ...(query.current.q.trim() ? { search: query.current.q.trim() } : {}), ...(query.current.status ? { status: [query.current.status] } : {}) });
  /** The newest page again; `keepOlder` (a refresh on events) keeps the older pages the user loaded. */
  const reload = (alive: () => boolean = () => true, keepOlder = false) =>
    host
      .listExecutions({ ...filter(), limit: PAGE })
      .then((p) => {
        if (!alive()) return;
        live.getState().setExecutions(flow.id, p.items);
        setPage((pg) => (keepOlder && pg.older.length ? { ...pg, total: p.total } : { total: p.total, cursor: p.nextCursor, older: [] }));
      })
      .catch(() => {});
  const loadOlder = () =>
    host
      .listExecutions({ ...filter(), limit: PAGE, cursor: page.cursor })
      .then((p) => setPage((pg) => ({ total: p.total, cursor: p.nextCursor, older: [...pg.older, ...p.items] })))
      .catch((e: any) => view.getState().showToast(`Could not load older executions: ${e?.message ?? e}`));
  useEffect(() => {
    let alive = true;
    const t = setTimeout(() => void reload(() => alive), 200);
    return () => {
      alive = false;
      clearTimeout(t);
    };
  }, [host, live, flow.id, q, status]);

  /** Loads an execution with its retries (and the run it retried); `fresh` opens it on its failed step. */
  const load = async (id: string, fresh: boolean) => {
    const d = await host.getExecution(id);
    if (!d) throw new Error('it no longer exists (removed by retention?)');
    const [retries, original] = await Promise.all([
      host.listExecutions({ retryOf: id, limit: 20 }).then((p) => p.items, () => []),
      d.retryOf ? host.getExecution(d.retryOf).catch(() => null) : Promise.resolve(null),
    ]);
    const { steps: origSteps, input: _i, output: _o, ...orig } = original ?? ({ steps: [] } as unknown as ExecutionDetail);
    setOpened({ detail: d, retries, changes: original ? stepChanges(d.steps, origSteps) : {}, ...(original ? { original: orig as ExecutionSummary } : {}) });
    if (fresh) {
      // The canvas shows the opened run: which nodes ran, how they ended, what went along each edge.
      live.getState().seedFromExecution(d, { replace: true });
      const i = firstStepToShow(d.steps, d.status);
      setStep(i);
      setTab(defaultStepTab(d.steps[i]));
    }
  };
  const open = async (id: string) => {
    try {
      await load(id, true);
    } catch (e: any) {
      view.getState().showToast(`Could not open execution ${shortId(id)}: ${e?.message ?? e}`);
    }
  };
  // The open step's node is outlined on the canvas (and brought into view) while the step is shown.
  const stepNode = detail && detail.flowId === flow.id ? (detail.steps[step]?.nodeId ?? null) : null;
  useEffect(() => {
    view.getState().inspectNode(stepNode);
    return () => view.getState().inspectNode(null);
  }, [stepNode]);

  const wanted = useView((s) => s.openExecution);
  useEffect(() => {
    if (!wanted) return;
    view.getState().showExecution(null);
    void open(wanted);
  }, [wanted]);

  // Live: the open execution gets its steps as they finish (and its retries' outcome); the list is read again when a
  // run finishes (at most every 400 ms), for the count under the search and status filter ("100 of N").
  const openId = useRef<string | null>(null);
  openId.current = detail?.id ?? null;
  const retryIds = useRef<string[]>([]);
  retryIds.current = opened?.retries.map((r) => r.id) ?? [];
  useEffect(() => {
    let detailTimer: ReturnType<typeof setTimeout> | undefined;
    let listTimer: ReturnType<typeof setTimeout> | undefined;
    const unsubscribe = live.subscribe((s, prev) => {
      const e = s.recent[0];
      if (!e || e === prev.recent[0] || !('executionId' in e) || !e.executionId) return;
      const id = openId.current;
      const mine = e.executionId === id || retryIds.current.includes(e.executionId);
      if (id && mine && (e.type === 'step.finished' || e.type === 'execution.finished')) {
        clearTimeout(detailTimer);
        detailTimer = setTimeout(() => void load(id, false).catch(() => {}), 150);
      }
      if (e.type === 'execution.finished' && e.flowId === flow.id && !listTimer) listTimer = setTimeout(() => ((listTimer = undefined), void reload(undefined, true)), 400);
    });
    return () => {
      unsubscribe();
      clearTimeout(detailTimer);
      clearTimeout(listTimer);
    };
  }, [live, flow.id]);

  const act = async (what: 'retry' | 'skip', ex: ExecutionDetail) => {
    try {
      if (what === 'skip') {
        await host.skipExecution(ex.id);
        view.getState().showToast(`Skipped execution ${shortId(ex.id)}: the ordered line moves on`);
        await load(ex.id, false).catch(() => {});
        return;
      }
      const { executionId } = await host.retryExecution(ex.id);
      view.getState().showToast(`Retry of ${shortId(ex.id)} started as ${shortId(executionId)}`, { label: 'Open', run: () => view.getState().showExecution(executionId) });
      await load(ex.id, false).catch(() => {});
    } catch (e: any) {
      view.getState().showToast(`${what === 'retry' ? 'Retry' : 'Skip'} failed: ${e?.message ?? e}`);
    }
  };

  const needle = q.trim().toLowerCase();
  const all = page.older.length ? [...list, ...page.older.filter((o) => !list.some((x) => x.id === o.id))] : list;
  const shown = all.filter((x) => (!status || x.status === status) && (!needle || (x.businessKey ?? '').toLowerCase().includes(needle) || x.id.includes(needle)));
  // A retry's live status (the list hears about it first).
  const liveOf = (x: ExecutionSummary) => list.find((y) => y.id === x.id) ?? x;
  const current = detail ? detail.steps[step] : undefined;
  return (
    <div className={`hl-executions${detail ? ' has-detail' : ''}`} data-testid="executions">
      <div className="hl-exec-list">
        <div className="hl-exec-filters">
          <input className="hl-input" placeholder="Business key or id" value={q} data-testid="executions-search" onChange={(e) => setQ(e.target.value)} />
          <select className="hl-input" value={status} data-testid="executions-status" onChange={(e) => setStatus(e.target.value as ExecutionStatus | '')}>
            <option value="">All</option>
            {Object.entries(STATUS_LABEL).map(([k, v]) => (
              <option key={k} value={k}>{v}</option>
            ))}
          </select>
        </div>
        <ul role="listbox" aria-label="Executions" onKeyDown={(e) => onListKey(e, shown, (id) => void open(id))}>
          {shown.map((x, i) => (
            <ExecutionRow key={x.id} x={x} active={detail?.id === x.id} focusable={detail ? detail.id === x.id : i === 0} onOpen={() => void open(x.id)} />
          ))}
          {shown.length === 0 && <li className="hl-muted">{q || status ? 'No execution matches.' : 'No executions yet. Deploy and send a request.'}</li>}
          {page.total > all.length && (
            <li className="hl-exec-more" data-testid="executions-more">
              <span className="hl-muted">
                {all.length} of {page.total}
              </span>
              {page.cursor && (
                <button className="hl-link-btn" data-testid="executions-load-older" onClick={() => void loadOlder()}>
                  Load older
                </button>
              )}
            </li>
          )}
        </ul>
      </div>
      <div className="hl-exec-detail">
        {!detail || !opened ? (
          <div className="hl-muted pad">Select an execution to see each step's input and output.</div>
        ) : (
          <>
            <div className="hl-steps">
              <button className="hl-link-btn hl-exec-back" data-testid="execution-back" onClick={() => setOpened(null)}>
                ← All executions
              </button>
              <div className="hl-exec-head">
                <span className={`hl-status ${detail.status}`} data-testid="execution-status">{STATUS_LABEL[detail.status]}</span>
                {detail.businessKey && <span className="mono ellipsis" title="Business key">{detail.businessKey}</span>}
              </div>
              <div className="hl-exec-id mono" title="Execution id" data-testid="execution-id">{detail.id}</div>
              {detail.retryOf && (
                <button className="hl-link-btn hl-exec-link" data-testid="execution-retry-of" title="Open the run this one retried" onClick={() => void open(detail.retryOf!)}>
                  ↩ retry of {shortId(detail.retryOf)}
                  {opened.original && <span className={`hl-status ${opened.original.status}`}>{STATUS_LABEL[opened.original.status]}</span>}
                </button>
              )}
              {opened.original?.error && <div className="hl-muted hl-exec-was hl-clamp2" data-testid="execution-original-error" title={opened.original.error.message}>was: {opened.original.error.message}</div>}
              {opened.original && opened.original.flowRevision !== detail.flowRevision && (
                <div className="hl-muted hl-exec-was" data-testid="execution-revision-change">
                  ran on flow revision {detail.flowRevision} (the original on {opened.original.flowRevision})
                </div>
              )}
              {opened.retries.map((r) => (
                <button key={r.id} className="hl-link-btn hl-exec-link" data-testid="execution-retried-as" title="Open the retry" onClick={() => void open(r.id)}>
                  ↪ retried as {shortId(r.id)} <span className={`hl-status ${liveOf(r).status}`}>{STATUS_LABEL[liveOf(r).status]}</span>
                </button>
              ))}
              {detail.steps.map((st, i) => (
                <button key={i} className={`hl-step ${st.status}${i === step ? ' active' : ''}`} data-testid={`step-${i}`} onClick={() => setStep(i)}>
                  <span className={`hl-dot ${st.status === 'failed' ? 'bad' : 'on'}`} />
                  <span className="ellipsis" title={st.nodeId}>{stepName(flow.nodes, st.nodeId, st.nodeType)}</span>
                  {opened.changes[i] && (
                    <span className="hl-step-was" title={`In the run this one retried, this step ${opened.changes[i] === 'not reached' ? 'was not reached' : opened.changes[i]}`}>
                      was {opened.changes[i]}
                    </span>
                  )}
                  <span className="hl-muted">{fmtMs(st.durationMs)}</span>
                </button>
              ))}
              {detail.status === 'running' && <div className="hl-muted hl-exec-was">running…</div>}
              {detail.error && <div className="hl-field-error" data-testid="execution-error">{detail.error.message}</div>}
              {detail.status === 'timed-out' && <TimeoutHint steps={detail.steps} nodes={flow.nodes} />}
              {RETRYABLE.includes(detail.status) && (
                <div className="hl-btn-row">
                  <button className="hl-btn sm" data-testid="execution-retry" title="Run the same message again on the flow as it is deployed now" onClick={() => void act('retry', detail)}>Retry</button>
                  {detail.blocking && (
                    <button className="hl-btn ghost sm" data-testid="execution-skip" title="Release the halted ordered line without running this message again: the messages behind it run" onClick={() => void act('skip', detail)}>
                      Skip
                    </button>
                  )}
                </div>
              )}
            </div>
            {current && <StepPane step={current} name={stepName(flow.nodes, current.nodeId, current.nodeType)} tab={tab} onTab={setTab} />}
          </>
        )}
      </div>
    </div>
  );
}

/** A run whose caller gave up waiting: it went on and was recorded; the slowest step is the likely cause. */
function TimeoutHint({ steps, nodes }: { steps: Step[]; nodes: ReadonlyArray<{ id: string; name?: string; type: string }> }) {
  const slow = steps[firstStepToShow(steps, 'timed-out')];
  return (
    <div className="hl-muted hl-exec-was" data-testid="execution-timeout-hint">
      The caller got the timeout answer; the run went on and is recorded to its end.
      {slow && ` Slowest step: ${stepName(nodes, slow.nodeId, slow.nodeType)}, ${fmtMs(slow.durationMs)}.`}
    </div>
  );
}

/** The list by keyboard: ↑/↓ open the previous/next run (as in a mail client), Enter or Space the focused one. */
function onListKey(e: ReactKeyboardEvent<HTMLUListElement>, rows: ExecutionSummary[], open: (id: string) => void) {
  const li = (e.target as HTMLElement).closest('li[data-id]') as HTMLElement | null;
  const i = rows.findIndex((x) => x.id === li?.dataset.id);
  if (i < 0) return;
  if (e.key === 'Enter' || e.key === ' ') {
    e.preventDefault();
    open(rows[i].id);
    return;
  }
  const next = e.key === 'ArrowDown' ? i + 1 : e.key === 'ArrowUp' ? i - 1 : -1;
  if (next < 0 || next >= rows.length) return;
  e.preventDefault();
  const target = e.currentTarget.querySelector<HTMLElement>(`li[data-id="${rows[next].id}"]`);
  target?.focus();
  target?.scrollIntoView({ block: 'nearest' });
  open(rows[next].id);
}

function ExecutionRow({ x, active, focusable, onOpen }: { x: ExecutionSummary; active: boolean; focusable: boolean; onOpen: () => void }) {
  return (
    <li className={active ? 'active' : ''} role="option" aria-selected={active} tabIndex={focusable ? 0 : -1} data-id={x.id} data-testid={`execution-${x.id}`} title={x.id} onClick={onOpen}>
      <span className={`hl-status ${x.status}`}>{STATUS_LABEL[x.status]}</span>
      <span className="mono" title={new Date(x.startedAt ?? x.queuedAt).toLocaleString()} data-testid="execution-time">{runTime(x.startedAt ?? x.queuedAt)}</span>
      <span className="hl-grow mono ellipsis">
        {x.businessKey ?? shortId(x.id)}
        {x.retryOf ? <span className="hl-muted"> ↻ retry</span> : null}
      </span>
      {x.durationMs !== undefined && <span className="hl-muted">{fmtMs(x.durationMs)}</span>}
    </li>
  );
}

/** One step: a header with its outcome and two tabs, its input and output side by side, and its HTTP traffic. */
function StepPane({ step: s, name, tab, onTab }: { step: Step; name: string; tab: StepTab; onTab: (t: StepTab) => void }) {
  const attempts = s.attempts ?? [];
  const shown: StepTab = tab === 'http' && attempts.length > 0 ? 'http' : 'data';
  return (
    <div className="hl-step-pane" data-testid="step-pane">
      <div className="hl-step-head">
        <b className="ellipsis hl-step-name" title={name}>{name}</b>
        <span className={s.status === 'failed' ? 'hl-bad' : 'hl-muted'}>{s.status}</span>
        <span className="hl-muted">{fmtMs(s.durationMs)}</span>
        <button className={`hl-step-tab${shown === 'data' ? ' active' : ''}`} data-testid="step-tab-data" onClick={() => onTab('data')}>
          Input &amp; output
        </button>
        {attempts.length > 0 && (
          <button className={`hl-step-tab${shown === 'http' ? ' active' : ''}`} data-testid="step-tab-http" onClick={() => onTab('http')}>
            HTTP · {attempts.length} attempt{attempts.length === 1 ? '' : 's'}
          </button>
        )}
      </div>
      <div className="hl-step-body">
        {shown === 'http' ? (
          <HttpTraffic attempts={attempts} inputData={(s.input as { data?: unknown } | undefined)?.data} responseBody={lastResponseBody(s)} />
        ) : (
          <StepIo step={s} />
        )}
      </div>
    </div>
  );
}

function StepIo({ step: s }: { step: Step }) {
  const input = stepView(s.input).json;
  const out = stepView(s.output);
  const partner = s.error?.details as { status?: unknown; body?: unknown } | undefined;
  return (
    <div className="hl-io">
      <div>
        <h5>
          Input <CopyButton testId="step-copy-input" text={() => input} />
        </h5>
        <pre data-testid="step-input">{input}</pre>
      </div>
      <div>
        {s.error ? (
          <>
            <h5 className="hl-bad">Error{s.error.code ? ` · ${s.error.code}` : ''}</h5>
            <div className="hl-step-error" data-testid="step-error">{s.error.message}</div>
            {partner && typeof partner === 'object' && typeof partner.status === 'number' && (
              <>
                <div className="hl-muted">The partner answered {partner.status}:</div>
                <pre data-testid="step-error-body">{prettyBody(partner.body)}</pre>
              </>
            )}
            <details className="hl-step-error-details">
              <summary className="hl-muted">error as recorded</summary>
              <pre data-testid="step-output">{JSON.stringify(s.error, null, 2)}</pre>
            </details>
          </>
        ) : (
          <>
            <h5>
              Output{s.port ? ` → ${s.port}` : ''} <CopyButton testId="step-copy-output" text={() => out.json} />
            </h5>
            {out.texts.map((t) => (
              <div className="hl-step-text" key={t.label}>
                <div className="hl-muted mono">{t.label} (text)</div>
                <pre data-testid={`step-output-text-${t.label}`}>{t.text}</pre>
              </div>
            ))}
            <pre data-testid="step-output">{out.json}</pre>
          </>
        )}
      </div>
    </div>
  );
}
