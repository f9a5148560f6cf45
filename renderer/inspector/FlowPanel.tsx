import { useEffect, useState } from 'react';
import { useCurrentDoc, useFlow, useLive } from '../app-context';
import { CodeField } from '../editor';
import { FormField, labelIdOf, useFieldIds } from '../forms/FormField';
import { useTheme } from './fields';
import { sampleBody, useSampleContext } from './use-sample';
import { sampleFromText, sampleRequest } from './sample-request';
import { runStart } from '../../core/nodes/start-input';
import { scheduleTick } from '../../core/nodes/schedule/tick';

/** Shown when no node is selected: flow-level settings and the pinned sample. */
export function FlowPanel() {
  const fid = useFieldIds();
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
        <FormField id={fid('businessKey')} label="Business key" help={<>Stored with each execution for search, e.g. <code>trigger.body.orderId</code>.</>}>
          <CodeField kind="expression" value={flow.settings.businessKey ?? ''} onChange={(v) => doc.setFlowSettings({ businessKey: v || undefined })} context={context} theme={theme} testId="input-businessKey" id={fid('businessKey')} labelledBy={labelIdOf(fid('businessKey'))} showPreview={false} deferEditor />
        </FormField>
        <div className="hl-field">
          <label className="hl-label" htmlFor={fid('diagnostics')}>Step recording</label>
          <select id={fid('diagnostics')} className="hl-input" value={flow.settings.diagnostics} onChange={(e) => doc.setFlowSettings({ diagnostics: e.target.value as 'full' | 'metadata' })}>
            <option value="full">Full: every step's input and output</option>
            <option value="metadata">Metadata only: status and timings</option>
          </select>
        </div>
        <label className="hl-check">
          <input type="checkbox" checked={flow.settings.allowCycles} data-testid="input-allowCycles" onChange={(e) => doc.setFlowSettings({ allowCycles: e.target.checked })} /> Allow cycles (loops must be bounded by the nodes)
        </label>
      </section>
      {runStart(flow)?.type === 'schedule' ? <ScheduleSample /> : <SampleEditor />}
    </div>
  );
}

/** Pins a sample request body: completion, hover and previews read it until real executions exist. */
export function SampleEditor() {
  const doc = useCurrentDoc();
  const flow = useFlow();
  const trigger = flow.nodes.find((n) => n.type === 'webhook');
  const lastId = useLive((s) => s.executions[flow.id]?.[0]?.id);
  // A body received as text (an XML order) shows as that text, anything else as JSON.
  const request = flow.sample === undefined ? undefined : sampleRequest(flow.sample, true);
  const pinned = !request ? '' : request.json ? JSON.stringify(sampleBody(flow.sample), null, 2) : request.body;
  const [text, setText] = useState(pinned);
  // Another flow opened, or the sample pinned from elsewhere (Test request): show what is pinned now.
  useEffect(() => setText(pinned), [pinned, flow.id]);
  const [err, setErr] = useState<string | null>(null);
  if (!doc) return null;
  const pin = async () => {
    const s = trigger?.settings as Record<string, any> | undefined;
    const made = await sampleFromText(text, flow.sample, { method: s?.methods?.[0] ?? 'POST', path: s?.path ?? '/webhook' });
    if ('error' in made) return setErr(made.error);
    doc.setSample(made.sample);
    setErr(null);
  };
  return (
    <section className="hl-group" data-testid="sample-editor">
      <h4>Sample data {flow.sample !== undefined && <span className="hl-pill ok">pinned</span>}</h4>
      <textarea className="hl-input mono" rows={6} placeholder='{"orderId": "A-1001"}' value={text} data-testid="sample-body" onChange={(e) => setText(e.target.value)} />
      {err && <div className="hl-field-error">{err}</div>}
      <div className="hl-btn-row">
        <button className="hl-btn sm" data-testid="sample-pin" onClick={() => void pin()}>Pin request body</button>
        {flow.sample !== undefined && <button className="hl-btn ghost sm" onClick={() => doc.setSample(undefined)}>Unpin</button>}
      </div>
      <div className="hl-help">{lastId ? 'Without a pinned sample, editors use the last execution’s input.' : 'Editors complete field names from this sample and preview with it.'}</div>
    </section>
  );
}

/**
 * A Schedule has no request to pin: runs started by hand and the previews after it start with a tick made at that
 * moment, the data a real tick brings.
 */
export function ScheduleSample() {
  const data = scheduleTick('', Date.now()).data;
  return (
    <section className="hl-group" data-testid="schedule-sample">
      <h4>Sample data</h4>
      <div className="hl-sample-json">
        <pre data-testid="schedule-sample-data">{JSON.stringify(data, null, 2)}</pre>
      </div>
      <div className="hl-help">A schedule takes no request to pin. Run with sample, and the previews of the nodes after it, start with a tick made at that moment, like this one.</div>
    </section>
  );
}
