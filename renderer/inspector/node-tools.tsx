import { useEffect, useRef, useState } from 'react';
import type { ConnectionTestResult } from '../../core/host/api';
import type { FlowNode } from '../../core/model/flow';
import { useApp, useCurrentDoc, useFlow, useWorkspace } from '../app-context';
import { errText, ExchangeView } from '../connections/shared';
import { CancelTestButton, useCancellableTest } from '../connections/cancellable-test';
import { Icon } from '../icons';
import { defaultSettings } from '../state/document-store';
import { useSampleContext } from './use-sample';
import { runInputFor } from './run-input';
import { isStaleResult, settingsKey } from './stale-result';
import { plural } from '../plural';

/** "Copy as cURL" / "Import from cURL" for a Web Integration node; imported credentials become secrets. */
export function CurlTools({ node }: { node: FlowNode }) {
  const { host, view, workspace } = useApp();
  const doc = useCurrentDoc()!;
  // Once copied, the command stays on show and follows the node (typing, Import from cURL, undo).
  const [curlOpen, setCurlOpen] = useState(false);
  const [curl, setCurl] = useState<{ text?: string; error?: string } | null>(null);
  const [importing, setImporting] = useState(false);
  const [text, setText] = useState('');
  const [msg, setMsg] = useState<{ error?: string; notes?: string[] } | null>(null);
  // The settings a test was sent with: a result for older settings is marked as such, not passed off as current.
  const [test, setTest] = useState<{ result: ConnectionTestResult; key: string } | null>(null);
  const key = settingsKey(node.settings);
  const stale = !!test && isStaleResult(test.key, node.settings);

  useEffect(() => {
    if (!curlOpen) return;
    let alive = true;
    host.toCurl(node.settings).then(
      (c) => alive && setCurl({ text: c }),
      (e) => alive && setCurl({ error: errText(e) }),
    );
    return () => {
      alive = false;
    };
    // `key` changes exactly when the settings do (the object may be new on every render).
  }, [host, curlOpen, key]);

  const copy = async () => {
    setMsg(null);
    try {
      const c = await host.toCurl(node.settings);
      setCurl({ text: c });
      setCurlOpen(true);
      await navigator.clipboard?.writeText(c).catch(() => {});
      view.getState().showToast('cURL command copied');
    } catch (e) {
      setMsg({ error: errText(e) });
    }
  };
  const doImport = async () => {
    setMsg(null);
    try {
      const r = await host.importCurl(text);
      // A picked connection stays unless the command brought its own credentials.
      const keep = node.settings.connectionId && !r.settings.connection ? { connectionId: node.settings.connectionId } : {};
      doc.replaceNodeSettings(node.id, { ...defaultSettings(node.type), ...keep, ...r.settings });
      await workspace.getState().refreshSecrets();
      setImporting(false);
      setText('');
      // The host's notes already say which secrets the credentials went into.
      const replaced = node.settings.connectionId && r.settings.connection ? [`The command's credentials replace the connection "${node.settings.connectionId}" the node used: pick it again under Connection to use it instead.`] : [];
      setMsg({ notes: [...replaced, ...r.notes] });
    } catch (e) {
      setMsg({ error: errText(e) });
    }
  };
  return (
    <div className="hl-node-tools" data-testid="curl-tools">
      <div className="hl-btn-row">
        <NodeTestButton node={node} onResult={(r, sent) => (setMsg(null), setTest(r && { result: r, key: settingsKey(sent) }))} />
        <button className="hl-btn sm" data-testid="curl-copy" onClick={() => void copy()}>
          <Icon name="copy" size={13} /> Copy as cURL
        </button>
        <button className="hl-btn sm ghost" data-testid="curl-import-open" onClick={() => setImporting(!importing)}>
          <Icon name="download" size={13} /> Import from cURL
        </button>
      </div>
      {importing && (
        <div className="hl-field">
          <textarea className="hl-input mono" rows={4} placeholder="curl -X POST https://partner.example/orders -H 'Authorization: Bearer …' --data '{…}'" value={text} data-testid="curl-import-text" onChange={(e) => setText(e.target.value)} />
          <div className="hl-btn-row">
            <button className="hl-btn sm primary" disabled={!text.trim()} data-testid="curl-import" onClick={() => void doImport()}>Replace settings</button>
          </div>
        </div>
      )}
      {curlOpen && curl?.text !== undefined && (
        <div className="hl-curl">
          <pre data-testid="curl-text">{curl.text}</pre>
        </div>
      )}
      {curlOpen && curl?.error && <div className="hl-field-error" data-testid="curl-error">{curl.error}</div>}
      {test && (
        <div className={`hl-test-result${stale ? ' stale' : ''}`} data-testid="node-test-result-box" data-stale={stale ? 'true' : 'false'}>
          {stale && <div className="hl-stale-note" data-testid="node-test-stale">Settings changed since this test: send it again to test the current settings.</div>}
          <ExchangeView ok={test.result.ok} exchange={test.result.exchange} error={test.result.error} timings={test.result.timings} warnings={test.result.warnings} testId="node-test-result" stacked />
        </div>
      )}
      {msg?.error && <div className="hl-field-error" data-testid="curl-error">{msg.error}</div>}
      {msg?.notes?.map((n) => (
        <div className="hl-info" key={n} data-testid="curl-note">{n}</div>
      ))}
    </div>
  );
}

/**
 * "Send test request" (Postman's Send, n8n's "Test step" for one request): the node's request rendered with the
 * sample, sent once through its connection without retries; the whole exchange comes back masked.
 */
function NodeTestButton({ node, onResult }: { node: FlowNode; /** `sent`: the settings the request was made from. */ onResult(r: ConnectionTestResult | null, sent?: unknown): void }) {
  const { host } = useApp();
  const doc = useCurrentDoc();
  const sampleContext = useSampleContext(node.id);
  const [sending, setSending] = useState(false);
  const cancellable = useCancellableTest();
  // A secret typed just before the click is stored when its box loses focus (this button's mousedown).
  const secretWasFocused = useRef(false);
  const send = async () => {
    setSending(true);
    onResult(null);
    let s: Record<string, unknown> = node.settings;
    try {
      // Let that write and the secret name it puts into the node land, then read the node as it is now.
      if (secretWasFocused.current) await new Promise((r) => setTimeout(r, 400));
      secretWasFocused.current = false;
      s = (doc?.store.getState().flow.nodes.find((n) => n.id === node.id)?.settings ?? node.settings) as Record<string, unknown>;
      // The runtime renders the request as a run would: $env and the connection's password are known there only.
      // What the node receives from the sample now: a click right after opening the flow or an edit waits for its preview.
      const { context } = await sampleContext.latest();
      onResult(await cancellable.run((testId) => host.sendNodeTestRequest(s, context, undefined, testId)), s);
    } catch (e) {
      onResult({ ok: false, error: { code: 'invalid_request', message: errText(e) }, warnings: [] }, s);
    } finally {
      setSending(false);
    }
  };
  return (
    <>
      <button className="hl-btn sm" disabled={sending} data-testid="node-test-send" onMouseDown={() => (secretWasFocused.current = (document.activeElement as HTMLInputElement | null)?.type === 'password')} title="Sends this request once with the sample data, through the node's connection, without retries" onClick={() => void send()}>
        <Icon name="play" size={13} /> {sending ? 'Sending…' : 'Send test request'}
      </button>
      <CancelTestButton test={cancellable} testId="node-test-cancel" small />
    </>
  );
}

/** The next five run times of a Schedule trigger, computed by the runtime from the saved flow. */
export function NextRuns({ node }: { node: FlowNode }) {
  const { host, workspace } = useApp();
  const flow = useFlow();
  const revision = flow.revision;
  const settingsKey = JSON.stringify(node.settings);
  const [runs, setRuns] = useState<string[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let alive = true;
    // The host reads the saved flow: save first (debounced by typing), then ask.
    const t = setTimeout(() => {
      void workspace
        .getState()
        .saveNow()
        .then(() => host.getNextRuns(flow.id, node.id, 5))
        .then((r) => alive && (setRuns(r), setError(null)))
        .catch((e) => alive && (setRuns(null), setError(errText(e))));
    }, 400);
    return () => {
      alive = false;
      clearTimeout(t);
    };
  }, [host, workspace, flow.id, node.id, settingsKey, revision]);
  const fmt = (iso: string) => new Date(iso).toLocaleString(undefined, { weekday: 'short', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' });
  return (
    <section className="hl-group" data-testid="next-runs">
      <h4>Next runs</h4>
      {error ? (
        <div className="hl-field-error" data-testid="next-runs-error">{error}</div>
      ) : runs ? (
        <ol className="hl-next-runs">
          {runs.map((r) => (
            <li key={r} data-testid="next-run" title={r}>{fmt(r)}</li>
          ))}
        </ol>
      ) : (
        <div className="hl-muted">Computing…</div>
      )}
    </section>
  );
}

/** Runs the saved flow once now (no deploy) with the trigger's sample (see runInputFor); the result opens in the executions panel. */
export function RunWithSample({ triggerNodeId, compact }: { triggerNodeId?: string; compact?: boolean }) {
  const { host, workspace, live, view } = useApp();
  const flow = useFlow();
  const busy = useWorkspace((s) => s.busy);
  const [running, setRunning] = useState(false);
  // The latest run's request (when nothing is pinned), as the previews use it.
  const { context, source } = useSampleContext();
  const run = async () => {
    const { input, missing } = runInputFor(flow, triggerNodeId, source === 'execution' ? context : undefined);
    if (missing) return view.getState().showToast(missing);
    setRunning(true);
    try {
      await workspace.getState().saveNow();
      const r = await host.runFlow(flow.id, input, triggerNodeId);
      const list = live.getState().executions[flow.id] ?? [];
      const { steps: _s, input: _i, output: _o, reply: _r, ...summary } = r;
      live.getState().setExecutions(flow.id, [summary, ...list.filter((x) => x.id !== r.id)]);
      live.getState().seedFromExecution(r);
      view.getState().showExecution(r.id);
      view.getState().showToast(r.status === 'succeeded' ? `Run succeeded in ${plural(r.steps.length, 'step')}` : `Run ${r.status}: ${r.error?.message ?? ''}`);
    } catch (e) {
      view.getState().showToast(`Run failed: ${errText(e)}`);
    } finally {
      setRunning(false);
    }
  };
  return (
    <button className={`hl-btn${compact ? '' : ' sm'}`} disabled={running || busy} data-testid={compact ? "run-sample-topbar" : "run-sample"} title="Run the flow once now with the sample input (no deploy)" onClick={() => void run()}>
      <Icon name="play" size={13} /> {running ? 'Running…' : 'Run with sample'}
    </button>
  );
}
