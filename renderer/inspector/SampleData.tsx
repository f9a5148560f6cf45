import { useState } from 'react';
import type { NodePreview } from '../../core/host/api';
import { withoutTrigger } from '../../core/model/message';
import { useCurrentDoc } from '../app-context';
import { CopyButton } from '../panels/HttpTraffic';
import { stepView } from '../panels/step-view';

/** Longer JSON is cut for display (Copy still gives all of it). */
const SHOWN_CHARS = 20_000;

/**
 * The node's input and output on the sample, next to its settings (n8n's input | parameters | output panel), from
 * the flow's preview: what the node receives and what it makes of it, without running the flow. A node that calls
 * out shows its answer from the latest run, or why there is none yet. The trigger part is left out (the trigger
 * node shows the sample).
 */
export function SampleData({ outcome, nodeId, callsOut, answerShape = {} }: { outcome: NodePreview; nodeId: string; callsOut: boolean; answerShape?: unknown }) {
  const [tab, setTab] = useState<'input' | 'output'>('output');
  const input = stepView(withoutTrigger(outcome.input));
  const outputs = outcome.output === undefined ? [] : Array.isArray(outcome.output) ? outcome.output : [{ port: outcome.port ?? 'out', message: outcome.output }];
  return (
    <section className="hl-group hl-sample-data" data-testid="sample-data">
      <div className="hl-tabs">
        <button className={`hl-tab${tab === 'input' ? ' active' : ''}`} data-testid="sample-data-input-tab" onClick={() => setTab('input')}>Input</button>
        <button className={`hl-tab${tab === 'output' ? ' active' : ''}`} data-testid="sample-data-output-tab" onClick={() => setTab('output')}>
          Output{outcome.port && outcome.port !== 'out' ? ` → ${outcome.port}` : ''}
        </button>
        <span className="hl-grow" />
        <span className="hl-muted" data-testid="sample-data-reached" title={outcome.reached ? `${outcome.reached} messages reach this node on the sample (branches that meet, or a Switch sending to several outputs); this is the first` : undefined}>
          {outcome.reached ? `on the sample · first of ${outcome.reached}` : 'on the sample'}
        </span>
      </div>
      {tab === 'input' ? (
        <Shown view={input} testId="sample-data-input" />
      ) : (
        <>
          {outcome.status === 'recorded' && <div className="hl-help" data-testid="sample-data-recorded">Its answer in the latest run (a preview never calls out).</div>}
          {outcome.status === 'pinned' && <div className="hl-help" data-testid="sample-data-pinned">The answer pinned for previews (runs call the partner).</div>}
          {outcome.status === 'not-run' && <div className="hl-help" data-testid="sample-data-none">No output: {outcome.note}.</div>}
          {callsOut && <PinTools nodeId={nodeId} outcome={outcome} answerShape={answerShape} />}
          {outcome.status === 'failed' && <div className="hl-step-error" data-testid="sample-data-error">{outcome.error}</div>}
          {outputs.length === 0 && outcome.status === 'ran' && <div className="hl-help" data-testid="sample-data-none">No output: the node ends this branch.</div>}
          {outputs.map((o) => (
            <div key={o.port}>
              {outputs.length > 1 && <div className="hl-muted mono">→ {o.port}</div>}
              <Shown view={stepView(withoutTrigger(o.message))} testId={outputs.length > 1 ? `sample-data-output-${o.port}` : 'sample-data-output'} />
            </div>
          ))}
        </>
      )}
    </section>
  );
}

/**
 * What a Web Integration hands on as data, to start a typed answer from: the whole response, or the body only.
 */
export function answerShapeOf(type: string, settings: Record<string, unknown>): unknown {
  if (type !== 'http-request') return {};
  return settings.output === 'body' ? {} : { status: 200, headers: { 'content-type': 'application/json' }, body: {} };
}

/**
 * Pinning the answer of a node that calls out (n8n's pinned data): the latest run's answer as it is, or one typed
 * as JSON (from the partner's API docs, before it can be reached); edited or unpinned later. Previews only.
 */
function PinTools({ nodeId, outcome, answerShape }: { nodeId: string; outcome: NodePreview; answerShape: unknown }) {
  const doc = useCurrentDoc();
  const [editing, setEditing] = useState<string | null>(null);
  const [error, setError] = useState('');
  if (!doc) return null;
  const data = outcome.output && !Array.isArray(outcome.output) ? outcome.output.data : undefined;
  const save = () => {
    try {
      doc.setPinned(nodeId, JSON.parse(editing!));
      setEditing(null);
      setError('');
    } catch (e) {
      setError(`not valid JSON: ${(e as Error).message}`);
    }
  };
  if (editing !== null)
    return (
      <div className="hl-pin-edit">
        <textarea className={`hl-input mono${error ? ' invalid' : ''}`} rows={8} value={editing} data-testid="pin-editor" onChange={(e) => (setEditing(e.target.value), setError(''))} />
        {error && <div className="hl-field-error" data-testid="pin-editor-error">{error}</div>}
        <div className="hl-btn-row">
          <button className="hl-btn sm primary" data-testid="pin-save" onClick={save}>Pin</button>
          <button className="hl-btn sm ghost" onClick={() => (setEditing(null), setError(''))}>Cancel</button>
        </div>
      </div>
    );
  return (
    <div className="hl-btn-row">
      {outcome.status === 'recorded' && <button className="hl-btn sm" data-testid="pin-answer" onClick={() => doc.setPinned(nodeId, data ?? null)}>Pin this answer</button>}
      {outcome.status === 'not-run' && <button className="hl-btn sm" data-testid="pin-sample-answer" onClick={() => setEditing(JSON.stringify(answerShape, null, 2))}>Pin a sample answer</button>}
      {outcome.status === 'pinned' && (
        <>
          <button className="hl-btn sm" data-testid="pin-edit" onClick={() => setEditing(JSON.stringify(data ?? null, null, 2))}>Edit pinned answer</button>
          <button className="hl-btn sm ghost" data-testid="pin-remove" onClick={() => doc.setPinned(nodeId, undefined)}>Unpin</button>
        </>
      )}
    </div>
  );
}

function Shown({ view, testId }: { view: ReturnType<typeof stepView>; testId: string }) {
  const cut = view.json.length > SHOWN_CHARS;
  return (
    <div className="hl-sample-json">
      <CopyButton testId={`${testId}-copy`} text={() => view.json} />
      {view.texts.map((t) => (
        <div key={t.label}>
          <div className="hl-muted mono">{t.label} (text)</div>
          <pre data-testid={`${testId}-text-${t.label}`}>{t.text}</pre>
        </div>
      ))}
      <pre data-testid={testId}>{cut ? `${view.json.slice(0, SHOWN_CHARS)}\n… (${view.json.length - SHOWN_CHARS} more characters: Copy gives all)` : view.json}</pre>
    </div>
  );
}
