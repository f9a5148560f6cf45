import { useCallback, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import type { FlowNode } from '../../core/model/flow';
import { isWholeMessage, requestView, type TriggerInfo } from '../../core/model/message';
import { formatPath } from '../../core/model/problems';
import { getPath, isFieldVisible, type FieldSpec } from '../../core/nodes/spec-types';
import { useApp, useCurrentDoc, useFlow, useView, useWorkspace } from '../app-context';
import { nodeView } from '../canvas/node-view';
import { BuildXmlPreview, RoutePreview, SetFieldsPreview } from '../editor';
import { Icon } from '../icons';
import { defaultSettings } from '../state/document-store';
import { errorsFor, nodeFieldProblems } from './field-errors';
import { usePendingDrafts } from './field-drafts';
import { FieldInput, GROUP_WIDGETS } from './fields';
import { FormField, labelIdOf, useFieldIds } from '../forms/FormField';
import { useDismiss } from '../forms/use-dismiss';
import { settingsForKindChange } from './kind-defaults';
import { FlowPanel, SampleEditor, ScheduleSample } from './FlowPanel';
import { useSampleContext } from './use-sample';
import { answerShapeOf, SampleData } from './SampleData';
import { CurlTools, NextRuns, RunWithSample } from './node-tools';
import { WebhookEndpoint } from './WebhookEndpoint';

export function Inspector() {
  const flow = useFlow();
  const selection = useView((s) => s.selection);
  const node = selection.nodes.length === 1 ? flow.nodes.find((n) => n.id === selection.nodes[0]) : undefined;
  const wide = useView((s) => s.inspectorWide);
  return (
    <aside className={`hl-inspector${wide && node ? ' wide' : ''}`} data-testid="inspector">
      {node ? <NodeInspector key={node.id} node={node} /> : selection.nodes.length > 1 ? <div className="hl-muted pad">{selection.nodes.length} nodes selected.</div> : <FlowPanel />}
    </aside>
  );
}

/** Nodes whose inspector previews their result on the sample itself (with its error): no second failure notice. */
const OWN_PREVIEW = new Set(['set', 'switch', 'condition', 'build-xml', 'map', 'template']);

function useFieldErrors(node: FlowNode): { errors: Map<string, string[]>; warnings: Map<string, string[]> } {
  const serverProblems = useWorkspace((s) => s.problems);
  return useMemo(() => nodeFieldProblems(nodeView(node).spec, node, serverProblems), [node, serverProblems]);
}

function NodeInspector({ node }: { node: FlowNode }) {
  const doc = useCurrentDoc()!;
  const flow = useFlow();
  const { view } = useApp();
  const focus = useView((s) => s.focusField);
  const v = nodeView(node);
  const spec = v.spec;
  const { errors, warnings } = useFieldErrors(node);
  const { context, note, outcome } = useSampleContext(node.id);
  // Fields that read the request as received (a webhook's partition and idempotency keys) see the sample that way.
  const requestContext = useMemo(() => (isWholeMessage(context) ? requestView(context.trigger as TriggerInfo) : undefined), [context]);
  const defaults = useMemo(() => defaultSettings(node.type), [node.type]);
  const [shownAdvanced, setShownAdvanced] = useState<Set<string>>(new Set());
  const [menu, setMenu] = useState(false);
  const menuRef = useRef<HTMLDivElement>(null);
  const closeMenu = useCallback(() => setMenu(false), []);
  useDismiss(menuRef, menu, closeMenu);
  const bodyRef = useRef<HTMLDivElement>(null);
  const fid = useFieldIds();

  // A saved connection replaces the inline one: its fields would only confuse.
  const usesSaved = node.type === 'http-request' && typeof node.settings.connectionId === 'string' && node.settings.connectionId !== '';
  const fields = (spec?.fields ?? []).filter((f) => isFieldVisible(f, node.settings) && !(usesSaved && f.key.startsWith('connection.')));
  const isSet = (f: FieldSpec) => {
    const v = getPath(node.settings, f.key);
    return v !== undefined && JSON.stringify(v) !== JSON.stringify(getPath(defaults, f.key));
  };
  const drafted = new Set(usePendingDrafts(flow).filter((d) => d.nodeId === node.id).map((d) => d.key));
  const isShown = (f: FieldSpec) => !f.advanced || shownAdvanced.has(f.key) || isSet(f) || drafted.has(f.key) || errorsFor(errors, f).length > 0 || errorsFor(warnings, f).length > 0 || focus?.key === f.key;
  const hidden = fields.filter((f) => !isShown(f));
  const groups = new Map<string, FieldSpec[]>();
  for (const f of fields.filter(isShown)) groups.set(f.group ?? '', [...(groups.get(f.group ?? '') ?? []), f]);

  useEffect(() => {
    if (!focus || focus.nodeId !== node.id) return;
    const el = bodyRef.current?.querySelector(`[data-field="${CSS.escape(focus.key)}"]`) as HTMLElement | null;
    el?.scrollIntoView({ block: 'center' });
    (el?.querySelector('input,select,textarea') as HTMLElement | null)?.focus();
    view.getState().clearFocus();
  }, [focus, node.id, view]);

  const owner = { flowId: flow.id, nodeId: node.id };
  const missingSetting = node.settings.missing ?? getPath(defaults, 'missing');
  const missing = missingSetting === 'empty' || missingSetting === 'null' || missingSetting === 'fail' ? missingSetting : undefined;
  const nodeIndex = flow.nodes.findIndex((n) => n.id === node.id);
  // Switching a discriminated union (`auth.type`) starts the new variant's list fields empty, so the
  // user sees "add at least one API key" rather than "is required" — in one undo step.
  const change = (f: FieldSpec, nv: unknown) => {
    // An option the user is editing stays on screen, even when set back to its default.
    if (f.advanced && !shownAdvanced.has(f.key)) setShownAdvanced(new Set([...shownAdvanced, f.key]));
    // A template still at its kind's starting text gets the new kind's (one undo step with the kind).
    const rekinded = settingsForKindChange(node.type, node.settings, f.key, nv);
    if (rekinded) return doc.replaceNodeSettings(node.id, rekinded);
    const m = /^(.*)\.type$/.exec(f.key);
    if (f.widget !== 'select' || !m) return doc.setNodeSetting(node.id, f.key, nv);
    const parentKey = m[1];
    const parent: Record<string, unknown> = { ...((getPath(node.settings, parentKey) as Record<string, unknown>) ?? {}), type: nv };
    const nextSettings = { ...node.settings, [parentKey]: parent };
    for (const other of spec?.fields ?? []) {
      const rel = other.key.startsWith(`${parentKey}.`) ? other.key.slice(parentKey.length + 1) : null;
      if (rel && !rel.includes('.') && (other.widget === 'apiKeys' || other.widget === 'list') && parent[rel] === undefined && isFieldVisible(other, nextSettings)) parent[rel] = [];
    }
    doc.setNodeSetting(node.id, parentKey, parent);
  };
  return (
    <div className="hl-inspector-body" ref={bodyRef}>
      <header className={`hl-inspector-head cat-${v.category}`}>
        <span className="hl-node-icon"><Icon name={v.icon} /></span>
        <div className="hl-grow">
          <input className="hl-title-input" aria-label="Node name" value={node.name ?? ''} placeholder={v.typeTitle} data-testid="inspector-name" onChange={(e) => doc.renameNode(node.id, e.target.value)} onBlur={(e) => e.target.value !== e.target.value.trim() && doc.renameNode(node.id, e.target.value, { final: true })} />
          <div className="hl-help">{v.typeTitle} · <span className="mono">{node.id}</span></div>
        </div>
        <button className="hl-icon-btn" title="Close" onClick={() => view.getState().select({ nodes: [] })}><Icon name="x" /></button>
      </header>
      {spec?.description && <p className="hl-desc">{spec.description}</p>}
      {note && <p className="hl-preview-note" data-testid="preview-note">{note}</p>}
      {outcome?.status === 'failed' && !OWN_PREVIEW.has(node.type) && (
        <div className="pad-x"><div className="hl-warning" data-testid="preview-failure">On the sample this node fails: {outcome.error}</div></div>
      )}
      {node.type === 'webhook' && <WebhookEndpoint node={node} />}
      {node.type === 'schedule' && <NextRuns node={node} />}
      {v.category === 'trigger' && (
        <div className="hl-btn-row pad-x">
          <RunWithSample triggerNodeId={node.id} />
        </div>
      )}
      {[...groups].map(([group, fs]) => (
        <section className="hl-group" key={group || '_'}>
          {group && <h4>{group}</h4>}
          {fs.map((f) => {
            const errs = errorsFor(errors, f);
            const raw = getPath(node.settings, f.key);
            const value = raw === undefined ? getPath(defaults, f.key) : raw;
            const id = fid(`setting-${f.key}`);
            const problems = (
              <>
                {errs.map((e, i) => (
                  <div className="hl-field-error" key={i} data-testid={`error-${f.key}`} title={`nodes[${nodeIndex}].settings.${f.key}${e.rest}`}>{e.text}</div>
                ))}
                {errorsFor(warnings, f).map((e, i) => (
                  <div className="hl-field-warning" key={i} data-testid={`warning-${f.key}`}>{e.text}</div>
                ))}
              </>
            );
            return (
              <FormField key={f.key} id={id} label={f.label} group={GROUP_WIDGETS.has(f.widget)} help={f.help} errors={problems} className={errs.length ? 'has-error' : undefined} dataField={f.key} testId={`field-${f.key}`}>
                <FieldInput field={f} value={value} onChange={(nv) => change(f, nv)} testId={`input-${f.key}`} context={f.scope === 'request' ? requestContext : context} owner={owner} invalid={new Set(errs.map((e) => e.rest))} missing={missing} id={id} labelId={labelIdOf(id)} />
              </FormField>
            );
          })}
        </section>
      ))}
      <ResultPreview node={node} context={context} />
      {node.type === 'http-request' && <CurlTools node={node} />}
      {hidden.length > 0 && (
        <div className="hl-add-option" ref={menuRef}>
          <button className="hl-btn ghost sm" data-testid="add-option" aria-expanded={menu} onClick={() => setMenu(!menu)}>+ Add option</button>
          {menu && (
            <ul className="hl-menu" data-testid="add-option-menu">
              {hidden.map((f) => (
                <li key={f.key}>
                  <button data-testid={`add-option-${f.key}`} onClick={() => (setShownAdvanced(new Set([...shownAdvanced, f.key])), setMenu(false))}>
                    {f.label}
                    {f.group ? <span className="hl-muted"> · {f.group}</span> : null}
                  </button>
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
      {outcome && v.category !== 'trigger' && <SampleData outcome={outcome} nodeId={node.id} callsOut={v.category === 'outbound'} answerShape={answerShapeOf(node.type, node.settings)} />}
      {node.type !== 'note' && <section className="hl-group">
        <h4>Node</h4>
        <FormField id={fid('onError')} label="On error">
          <select id={fid('onError')} className="hl-input" value={node.onError} data-testid="input-onError" onChange={(e) => doc.setOnError(node.id, e.target.value as FlowNode['onError'])}>
            <option value="stop">Stop the execution</option>
            <option value="continue">Continue with the input</option>
            <option value="route">Route to the error output</option>
          </select>
        </FormField>
        <label className="hl-check">
          <input type="checkbox" checked={!!node.disabled} onChange={(e) => doc.setDisabled(node.id, e.target.checked)} /> Disabled (passes messages through)
        </label>
        <div className="hl-field">
          <label className="hl-label" htmlFor={`notes-${node.id}`}>Notes</label>
          <textarea id={`notes-${node.id}`} className="hl-input" rows={3} placeholder="What this node is for, who to ask, ticket numbers…" value={node.notes ?? ''} data-testid="input-notes" onChange={(e) => doc.setNotes(node.id, e.target.value)} />
          <div className="hl-help">Kept with the flow and in bundles; the card shows a note icon, the note on hover.</div>
        </div>
      </section>}
      {node.type === 'schedule' ? <ScheduleSample /> : v.category === 'trigger' && <SampleEditor />}
      {!spec && <div className="hl-field-error">Unknown node type "{node.type}": {formatPath(['nodes'])} cannot be edited here.</div>}
    </div>
  );
}

/** The whole result on the sample for nodes whose settings are several expressions (Set fields, Switch, Condition) or whose output is not the source's value (Build XML). */
function ResultPreview({ node, context }: { node: FlowNode; context: unknown }) {
  const s = node.settings;
  const expr = typeof s.expression === 'string' ? s.expression : '';
  // A new array only when the expression changes, so the preview is not recomputed on every render.
  const conditionCases = useMemo(() => [{ id: 'true', expression: expr }], [expr]);
  let preview: ReactNode = null;
  if (node.type === 'set' && Array.isArray(s.fields)) preview = <SetFieldsPreview fields={s.fields as Array<Record<string, unknown>>} context={context} testId="set-preview" />;
  else if (node.type === 'switch' && Array.isArray(s.cases)) preview = <RoutePreview cases={s.cases as Array<Record<string, unknown>>} mode={s.mode} context={context} testId="route-preview" />;
  else if (node.type === 'condition') preview = <RoutePreview cases={conditionCases} fallback="false" context={context} testId="route-preview" />;
  else if (node.type === 'build-xml') preview = <BuildXmlPreview settings={s} context={context} testId="build-xml-preview" />;
  return preview && <div className="pad-x">{preview}</div>;
}
