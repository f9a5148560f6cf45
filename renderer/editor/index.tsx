import { Suspense, lazy, useEffect, useMemo, useState } from 'react';
import { analyze, preview, type EditorKind, type Preview, type TemplateLanguage } from './template-support';

export { allPaths, childrenOf, valueAt, previewValue } from './context-paths';
export type { EditorKind, TemplateLanguage } from './template-support';

// Monaco is a separate chunk: nothing of it is downloaded until the first code field is shown.
const MonacoEditor = lazy(() => import('./MonacoEditor'));

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
  showPreview?: boolean;
  tall?: boolean;
}

/**
 * A template or JSONata field: Monaco with `{{ }}` highlighting, completion and hover from the context,
 * markers for syntax errors and unknown fields, and a live preview rendered with the same core code.
 */
export function CodeField({ value, onChange, kind, language = kind === 'expression' ? 'jsonata' : 'text', context, theme, testId, ariaLabel, showPreview = true, tall }: CodeFieldProps) {
  const diagnostics = useMemo(() => analyze(value, kind, context, language), [value, kind, context, language]);
  const [result, setResult] = useState<Preview | null>(null);
  useEffect(() => {
    let live = true;
    const t = setTimeout(() => {
      if (!value.trim() || context === undefined) return setResult(null);
      void preview(value, kind, language, context).then((r) => live && setResult(r));
    }, 120);
    return () => {
      live = false;
      clearTimeout(t);
    };
  }, [value, kind, language, context]);

  const minHeight = kind === 'expression' ? 30 : tall ? 200 : 110;
  const maxHeight = kind === 'expression' ? 90 : tall ? 520 : 320;
  return (
    <div className={`hl-code-field kind-${kind}`} data-testid={testId}>
      <Suspense fallback={<div className="hl-monaco loading" style={{ height: minHeight }}>Loading editor…</div>}>
        <MonacoEditor
          value={value}
          onChange={onChange}
          language={language}
          kind={kind}
          context={context}
          diagnostics={diagnostics}
          theme={theme}
          minHeight={minHeight}
          maxHeight={maxHeight}
          ariaLabel={ariaLabel}
          testId={testId}
        />
      </Suspense>
      {diagnostics.length > 0 && (
        <ul className="hl-diags" data-testid={testId ? `${testId}-diagnostics` : undefined}>
          {diagnostics.map((d, i) => (
            <li key={i} className={d.severity}>{d.message}</li>
          ))}
        </ul>
      )}
      {showPreview && result && (
        <div className={`hl-preview ${result.ok ? '' : 'bad'}`} data-testid={testId ? `${testId}-preview` : undefined}>
          <div className="hl-preview-head">Preview with sample</div>
          <pre>{result.ok ? result.text : result.error}</pre>
        </div>
      )}
      {showPreview && context === undefined && <div className="hl-hint">Pin a sample (or run the flow once) to get completion and a live preview.</div>}
    </div>
  );
}
