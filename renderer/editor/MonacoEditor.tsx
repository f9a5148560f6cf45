import { useEffect, useRef } from 'react';
import type * as Monaco from 'monaco-editor';
import { LANG, dropModelContext, monaco, setModelContext } from './monaco-loader';
import type { Diagnostic, EditorKind, TemplateLanguage } from './template-support';

export interface MonacoEditorProps {
  value: string;
  onChange(value: string): void;
  language: TemplateLanguage;
  kind: EditorKind;
  context: unknown;
  diagnostics: Diagnostic[];
  theme: 'light' | 'dark';
  minHeight: number;
  maxHeight: number;
  /** One line to start (expressions, one-line templates such as URLs): no line numbers or folding. */
  compact?: boolean;
  ariaLabel?: string;
  /** Given to the editor's textarea, so a `<label htmlFor>` focuses the editor. */
  id?: string;
  /** The id of the visible label that names the editor (wins over `ariaLabel`). */
  labelledBy?: string;
  testId?: string;
  /** Filled with an `insert` function (the data tree inserts paths at the cursor). */
  apiRef?: { current: { insert(text: string): void } | null };
  /** Focus the editor once created (it replaced a placeholder the user just clicked). */
  autoFocus?: boolean;
}

/** The Monaco instance behind CodeField; loaded lazily with monaco-loader. */
export default function MonacoEditor(p: MonacoEditorProps) {
  const host = useRef<HTMLDivElement>(null);
  const ed = useRef<Monaco.editor.IStandaloneCodeEditor | null>(null);
  const latest = useRef(p);
  latest.current = p;

  useEffect(() => {
    const el = host.current!;
    const single = !!p.compact;
    const editor = monaco.editor.create(el, {
      value: p.value,
      language: LANG[p.language],
      theme: p.theme === 'dark' ? 'hl-dark' : 'hl-light',
      automaticLayout: true,
      minimap: { enabled: false },
      lineNumbers: single ? 'off' : 'on',
      lineNumbersMinChars: 3,
      glyphMargin: false,
      folding: !single,
      scrollBeyondLastLine: false,
      wordWrap: 'on',
      fontSize: 12.5,
      fontFamily: 'ui-monospace, SFMono-Regular, Menlo, Consolas, monospace',
      renderLineHighlight: 'none',
      overviewRulerLanes: 0,
      hideCursorInOverviewRuler: true,
      scrollbar: { vertical: single ? 'hidden' : 'auto', verticalScrollbarSize: 8, horizontalScrollbarSize: 8, alwaysConsumeMouseWheel: false },
      overviewRulerBorder: false,
      quickSuggestions: { other: true, strings: true, comments: false },
      suggestOnTriggerCharacters: true,
      // `{{` would otherwise become `{{}}` while typing a token; templates read better without auto-closing.
      autoClosingBrackets: 'never',
      autoClosingQuotes: 'never',
      autoSurround: 'never',
      fixedOverflowWidgets: true,
      // A real <textarea> (not EditContext) so canvas key handlers (xyflow's Space-to-pan) see an editable target.
      editContext: false,
      ariaLabel: p.ariaLabel,
      padding: { top: 6, bottom: 6 },
    });
    ed.current = editor;
    // Monaco has no option for these: its textarea is where focus and assistive tech go.
    const input = el.querySelector('textarea');
    if (input && p.id) input.id = p.id;
    if (input && p.labelledBy) input.setAttribute('aria-labelledby', p.labelledBy);
    const model = editor.getModel()!;
    setModelContext(model, p.context, p.kind);
    const fit = () => {
      const h = Math.min(latest.current.maxHeight, Math.max(latest.current.minHeight, editor.getContentHeight()));
      el.style.height = `${h}px`;
      editor.layout();
    };
    const subs = [
      editor.onDidChangeModelContent(() => {
        const v = editor.getValue();
        if (v !== latest.current.value) latest.current.onChange(v);
      }),
      editor.onDidContentSizeChange(fit),
    ];
    fit();
    if (p.autoFocus) {
      // Opened by a click on the field's plain view: the cursor goes to the end, where typing usually continues.
      const model = editor.getModel();
      if (model) editor.setPosition(model.getFullModelRange().getEndPosition());
      editor.focus();
    }
    if (latest.current.apiRef)
      latest.current.apiRef.current = {
        insert(text) {
          const sel = editor.getSelection();
          if (sel) editor.executeEdits('data-tree', [{ range: sel, text, forceMoveMarkers: true }]);
          editor.focus();
        },
      };
    return () => {
      if (latest.current.apiRef) latest.current.apiRef.current = null;
      subs.forEach((s) => s.dispose());
      dropModelContext(model);
      editor.dispose();
      model.dispose();
    };
    // The editor is created once per mount; props flow in through the effects below.
  }, []);

  useEffect(() => {
    const editor = ed.current;
    if (editor && editor.getValue() !== p.value) editor.setValue(p.value);
  }, [p.value]);

  useEffect(() => {
    const model = ed.current?.getModel();
    if (model) setModelContext(model, p.context, p.kind);
  }, [p.context, p.kind]);

  useEffect(() => {
    monaco.editor.setTheme(p.theme === 'dark' ? 'hl-dark' : 'hl-light');
  }, [p.theme]);

  useEffect(() => {
    const model = ed.current?.getModel();
    if (!model) return;
    monaco.editor.setModelMarkers(
      model,
      'hookline',
      p.diagnostics.map((d) => {
        const s = model.getPositionAt(d.start);
        const e = model.getPositionAt(Math.max(d.end, d.start + 1));
        return {
          startLineNumber: s.lineNumber,
          startColumn: s.column,
          endLineNumber: e.lineNumber,
          endColumn: e.column,
          message: d.message,
          severity: d.severity === 'error' ? monaco.MarkerSeverity.Error : monaco.MarkerSeverity.Warning,
        };
      }),
    );
  }, [p.diagnostics, p.value]);

  return <div ref={host} className="hl-monaco" data-testid={p.testId ? `${p.testId}-monaco` : undefined} />;
}
