import { Suspense, lazy, useEffect, useMemo, useRef, useState } from 'react';
import { DataTree } from './DataTree';
import type { MissingPolicy } from '../../core/template';
import type { EditorKind, Preview, TemplateLanguage } from './template-support';

export { allPaths, childrenOf, valueAt, previewValue } from './context-paths';
export type { EditorKind, TemplateLanguage } from './template-support';

// Monaco is a separate chunk: nothing of it is downloaded until the first code field is shown.
const MonacoEditor = lazy(() => import('./MonacoEditor'));

// Diagnostics and previews run the core template and JSONata code (jsonata, fast-xml-parser): a chunk of its
// own as well, loaded by the first code field, so it is not evaluated before the canvas can be used.
type Support = typeof import('./template-support');
let support: Support | undefined;
let supportLoad: Promise<Support> | undefined;
function useTemplateSupport(needed: boolean): Support | undefined {
  const [loaded, setLoaded] = useState(support);
  useEffect(() => {
    if (loaded || !needed) return;
    let live = true;
    void (supportLoad ??= import('./template-support').then((m) => (support = m))).then((m) => live && setLoaded(m));
    return () => {
      live = false;
    };
  }, [loaded, needed]);
  return loaded;
}

export interface CodeFieldProps {
  value: string;
  onChange(value: string): void;
  kind: EditorKind;
  language?: TemplateLanguage;
  /** Data the tokens read: the flow's pinned sample or the last execution's input. */
  context: unknown;
  theme: 'light' | 'dark';
  testId?: string;
  ariaLabel?: string;
  /** The editor's id (its textarea, or the placeholder before it loads): a label's `htmlFor`. */
  id?: string;
  /** The id of the visible label naming the field (`aria-labelledby`). */
  labelledBy?: string;
  showPreview?: boolean;
  tall?: boolean;
  /** Usually one line (a URL): one line tall to start, no line numbers (see FieldSpec.oneLine). */
  oneLine?: boolean;
  /** Wide mode shows the data tree next to the editor; the toggle is offered when a handler is given. */
  wide?: boolean;
  onToggleWide?(): void;
  /**
   * Show a plain view of the value until the field is focused or clicked, and only then load Monaco. For
   * fields that are on screen at start-up (the flow panel), so the 3.6 MB editor chunk is not on the path
   * to an interactive canvas.
   */
  deferEditor?: boolean;
  /** The node's policy for template tokens without a value (`missing` setting); the preview follows it. */
  missing?: MissingPolicy;
}

/**
 * A template or JSONata field: Monaco with `{{ }}` highlighting, completion and hover from the context,
 * markers for syntax errors and unknown fields, and a live preview rendered with the same core code.
 */
export function CodeField({ value, onChange, kind, language = kind === 'expression' ? 'jsonata' : 'text', context, theme, testId, ariaLabel, id, labelledBy, showPreview = true, tall, oneLine, wide, onToggleWide, deferEditor, missing }: CodeFieldProps) {
  const api = useRef<{ insert(text: string): void } | null>(null);
  // Once activated the editor stays: deactivating would drop the cursor and undo history.
  const [active, setActive] = useState(!deferEditor);
  // An empty field that shows no editor yet has nothing to check or preview.
  const ts = useTemplateSupport(active || value.trim() !== '');
  const diagnostics = useMemo(() => ts?.analyze(value, kind, context, language) ?? [], [ts, value, kind, context, language]);
  const [result, setResult] = useState<Preview | null>(null);
  useEffect(() => {
    if (!ts) return;
    let live = true;
    const t = setTimeout(() => {
      if (!value.trim() || context === undefined) return setResult(null);
      void ts.preview(value, kind, language, context, missing).then((r) => live && setResult(r));
    }, 120);
    return () => {
      live = false;
      clearTimeout(t);
    };
  }, [ts, value, kind, language, context, missing]);

  const big = tall || wide;
  const short = kind === 'expression' || (oneLine && !big);
  const minHeight = short ? 30 : big ? 220 : 110;
  const maxHeight = kind === 'expression' ? 90 : big ? 520 : oneLine ? 120 : 320;
  const editorPart = (
    <>
      {!active ? (
        <div
          className="hl-monaco hl-code-static"
          style={{ minHeight }}
          role="textbox"
          tabIndex={0}
          aria-label={ariaLabel}
          id={id}
          aria-labelledby={labelledBy}
          data-testid={testId ? `${testId}-static` : undefined}
          onFocus={() => setActive(true)}
          onMouseDown={(e) => {
            // The editor replaces this view and takes the focus itself: the click's own focus change, landing on a
            // view that is gone, would leave the focus on the page, and the keys typed next reach canvas shortcuts.
            e.preventDefault();
            setActive(true);
          }}
        >
          {value}
        </div>
      ) : (
      <Suspense fallback={<EditorLoading height={minHeight} focus={!!deferEditor} />}>
        <MonacoEditor
          value={value}
          compact={short}
          onChange={onChange}
          language={language}
          kind={kind}
          context={context}
          diagnostics={diagnostics}
          theme={theme}
          minHeight={minHeight}
          maxHeight={maxHeight}
          ariaLabel={ariaLabel}
          id={id}
          labelledBy={labelledBy}
          testId={testId}
          apiRef={api}
          autoFocus={!!deferEditor}
        />
      </Suspense>
      )}
      {diagnostics.length > 0 && (
        <ul className="hl-diags" data-testid={testId ? `${testId}-diagnostics` : undefined}>
          {diagnostics.map((d, i) => (
            <li key={i} className={d.severity}>{d.message}</li>
          ))}
        </ul>
      )}
      {/* A preview that fails for the reason already listed above it would only say it twice. */}
      {showPreview && result && (result.ok || !diagnostics.some((d) => d.severity === 'error')) && (
        <div className={`hl-preview ${result.ok ? '' : 'bad'}`} data-testid={testId ? `${testId}-preview` : undefined}>
          <div className="hl-preview-head">Preview with sample</div>
          <pre>{result.ok ? result.text : result.error}</pre>
        </div>
      )}
      {showPreview && context === undefined && <div className="hl-hint">Pin a sample (or run the flow once) to get completion and a live preview.</div>}
    </>
  );
  return (
    <div className={`hl-code-field kind-${kind}${wide ? ' wide' : ''}`} data-testid={testId}>
      {onToggleWide && (
        <button className="hl-link-btn hl-expand" data-testid={testId ? `${testId}-expand` : undefined} onClick={onToggleWide}>
          {wide ? 'Collapse' : 'Expand with data'}
        </button>
      )}
      {/* One structure in both modes, so toggling does not remount (and reset) the editor. */}
      <div className={wide ? 'hl-code-wide' : 'hl-code-narrow'}>
        {wide && <DataTree context={context} onPick={(path) => api.current?.insert(kind === 'template' ? `{{ ${path} }}` : path)} testId={testId ? `${testId}-tree` : undefined} />}
        <div className="hl-code-main">{editorPart}</div>
      </div>
    </div>
  );
}

/**
 * Shown while the editor chunk loads. Opened by a click, it holds the focus meanwhile (and counts as a text field
 * for the canvas shortcuts), so keys typed before the editor is there do not disable or delete the selected node.
 */
function EditorLoading({ height, focus }: { height: number; focus: boolean }) {
  return (
    <div className="hl-monaco loading" role="textbox" aria-readonly="true" aria-label="Loading editor" tabIndex={-1} style={{ height }} ref={(el) => {
        if (focus) el?.focus();
      }}>
      Loading editor…
    </div>
  );
}

/** A preview computed by the template-support chunk from the sample, recomputed (debounced) when `compute` changes. */
function LivePreview({ compute, testId }: { compute: ((ts: Support) => Promise<Preview>) | null; testId?: string }) {
  const ts = useTemplateSupport(compute !== null);
  const [result, setResult] = useState<Preview | null>(null);
  useEffect(() => {
    if (!ts || !compute) return setResult(null);
    let live = true;
    const t = setTimeout(() => void compute(ts).then((r) => live && setResult(r)), 120);
    return () => {
      live = false;
      clearTimeout(t);
    };
  }, [ts, compute]);
  if (!result) return null;
  return (
    <div className={`hl-preview ${result.ok ? '' : 'bad'}`} data-testid={testId}>
      <div className="hl-preview-head">Preview with sample</div>
      <pre>{result.ok ? result.text : result.error}</pre>
    </div>
  );
}

type Rows = ReadonlyArray<Record<string, unknown>>;

/** The result of a Set fields node on the sample (data and vars), updated as its rows are edited. */
export function SetFieldsPreview({ fields, context, testId }: { fields: Rows; context: unknown; testId?: string }) {
  const compute = useMemo(() => (context === undefined || !fields.length ? null : (ts: Support) => ts.previewSet(fields, context)), [fields, context]);
  return <LivePreview compute={compute} testId={testId} />;
}

/** Which output a Switch (its cases) or a Condition (one case `true`, fallback `false`) sends the sample to. */
export function RoutePreview({ cases, mode, fallback, context, testId }: { cases: Rows; mode?: unknown; fallback?: string; context: unknown; testId?: string }) {
  const compute = useMemo(() => (context === undefined || !cases.length ? null : (ts: Support) => ts.previewRoute(cases, mode, context, fallback)), [cases, mode, fallback, context]);
  return <LivePreview compute={compute} testId={testId} />;
}

/** The XML document a Build XML node makes of the sample, as the run would build it. */
export function BuildXmlPreview({ settings, context, testId }: { settings: Record<string, unknown>; context: unknown; testId?: string }) {
  const compute = useMemo(() => (context === undefined ? null : (ts: Support) => ts.previewBuildXml(settings, context)), [settings, context]);
  return <LivePreview compute={compute} testId={testId} />;
}
