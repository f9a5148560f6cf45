import { useEffect, useState } from 'react';
import { useCurrentDoc, useFlow, useLive } from '../app-context';
import { CodeField } from '../editor';
import { useTheme } from './fields';
import { sampleBody, sampleFromBody, useSampleContext } from './use-sample';

/** Shown when no node is selected: flow-level settings and the pinned sample. */
export function FlowPanel() {
  const doc = useCurrentDoc();
  const flow = useFlow();
  const theme = useTheme();
  const { context } = useSampleContext();
  if (!doc) return null;
  return (
    <div className="hl-inspector-body" data-testid="flow-panel">
      <header className="hl-inspector-head">
        <div className="hl-grow">
          <div className="hl-panel-title">Flow settings</div>
          <div className="hl-help mono">{flow.id} · revision {flow.revision}</div>
        </div>
      </header>
      <section className="hl-group">
        <div className="hl-field">
          <label className="hl-label">Business key</label>
          <CodeField kind="expression" value={flow.settings.businessKey ?? ''} onChange={(v) => doc.setFlowSettings({ businessKey: v || undefined })} context={context} theme={theme} testId="input-businessKey" showPreview={false} deferEditor />
          <div className="hl-help">Stored with each execution for search, e.g. <code>trigger.body.orderId</code>.</div>
        </div>
        <div className="hl-field">
          <label className="hl-label">Step recording</label>
          <select className="hl-input" value={flow.settings.diagnostics} onChange={(e) => doc.setFlowSettings({ diagnostics: e.target.value as 'full' | 'metadata' })}>
            <option value="full">Full: every step's input and output</option>
            <option value="metadata">Metadata only: status and timings</option>
          </select>
        </div>
        <label className="hl-check">
          <input type="checkbox" checked={flow.settings.allowCycles} data-testid="input-allowCycles" onChange={(e) => doc.setFlowSettings({ allowCycles: e.target.checked })} /> Allow cycles (loops must be bounded by the nodes)
        </label>
      </section>
      <SampleEditor />
    </div>
  );
}

/** Pins a sample request body: completion, hover and previews read it until real executions exist. */
export function SampleEditor() {
  const doc = useCurrentDoc();
  const flow = useFlow();
  const trigger = flow.nodes.find((n) => n.type === 'webhook');
  const lastId = useLive((s) => s.executions[flow.id]?.[0]?.id);
  const current = flow.sample === undefined ? undefined : sampleBody(flow.sample);
  const pinned = current === undefined ? '' : JSON.stringify(current, null, 2);
  const [text, setText] = useState(pinned);
  // Another flow opened, or the sample pinned from elsewhere (Test request): show what is pinned now.
  useEffect(() => setText(pinned), [pinned, flow.id]);
  const [err, setErr] = useState<string | null>(null);
  if (!doc) return null;
  const pin = () => {
    try {
      const body = JSON.parse(text);
      const s = trigger?.settings as Record<string, any> | undefined;
      doc.setSample(sampleFromBody(body, s?.methods?.[0] ?? 'POST', s?.path ?? '/webhook'));
      setErr(null);
    } catch (e: any) {
      setErr(`sample: not valid JSON: ${e?.message ?? e}`);
    }
  };
  return (
    <section className="hl-group" data-testid="sample-editor">
      <h4>Sample data {flow.sample !== undefined && <span className="hl-pill ok">pinned</span>}</h4>
      <textarea className="hl-input mono" rows={6} placeholder='{"orderId": "A-1001"}' value={text} data-testid="sample-body" onChange={(e) => setText(e.target.value)} />
      {err && <div className="hl-field-error">{err}</div>}
      <div className="hl-btn-row">
        <button className="hl-btn sm" data-testid="sample-pin" onClick={pin}>Pin request body</button>
        {flow.sample !== undefined && <button className="hl-btn ghost sm" onClick={() => doc.setSample(undefined)}>Unpin</button>}
      </div>
      <div className="hl-help">{lastId ? 'Without a pinned sample, editors use the last execution’s input.' : 'Editors complete field names from this sample and preview with it.'}</div>
    </section>
  );
}
