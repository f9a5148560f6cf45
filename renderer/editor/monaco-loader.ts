import type * as Monaco from 'monaco-editor';
import * as monaco from 'monaco-editor/esm/vs/editor/edcore.main.js';
import EditorWorker from 'monaco-editor/esm/vs/editor/editor.worker.js?worker';
import { envSample } from './env-sample';
import { childrenOf, pathBeforeCursor, pathKey, previewValue, scopeAt, valueAt } from './context-paths';

/**
 * Monaco setup, loaded only by a dynamic import (so it stays out of the first bundle). The template
 * languages are our own Monarch grammars: `{{ }}` tokens inside JSON / XML / text, plus JSONata.
 * Completion and hover read the context registered per model (the flow's sample or last input).
 */
export type MonacoApi = typeof Monaco;

self.MonacoEnvironment = { getWorker: () => new EditorWorker() };

export const LANG = { json: 'hl-tpl-json', xml: 'hl-tpl-xml', text: 'hl-tpl-text', jsonata: 'hl-jsonata' } as const;

const contexts = new Map<string, { context: unknown; kind: 'template' | 'expression' }>();
export function setModelContext(model: Monaco.editor.ITextModel, context: unknown, kind: 'template' | 'expression') {
  contexts.set(model.uri.toString(), { context, kind });
}
export function dropModelContext(model: Monaco.editor.ITextModel) {
  contexts.delete(model.uri.toString());
}

const tokenRules: Monaco.languages.IMonarchLanguageRule[] = [[/\{\{/, { token: 'tpl.delim', next: '@tpl' }]];
const tplState: Monaco.languages.IMonarchLanguageRule[] = [
  [/\}\}/, { token: 'tpl.delim', next: '@pop' }],
  [/"[^"]*"|'[^']*'/, 'tpl.string'],
  [/\$?[A-Za-z_][\w]*/, 'tpl.path'],
  [/[^}"']+/, 'tpl.expr'],
  [/\}/, 'tpl.expr'],
];

const grammars: Record<string, Monaco.languages.IMonarchLanguage> = {
  [LANG.json]: {
    tokenizer: {
      root: [...tokenRules, [/"/, { token: 'string', next: '@string' }], [/-?\d+(\.\d+)?([eE][-+]?\d+)?/, 'number'], [/\b(true|false|null)\b/, 'keyword'], [/[{}[\],:]/, 'delimiter']],
      string: [...tokenRules, [/[^"\\{]+/, 'string'], [/\\./, 'string.escape'], [/\{/, 'string'], [/"/, { token: 'string', next: '@pop' }]],
      tpl: tplState,
    },
  },
  [LANG.xml]: {
    tokenizer: {
      root: [...tokenRules, [/<!--/, { token: 'comment', next: '@comment' }], [/<\/?[\w:.-]+/, { token: 'tag', next: '@tag' }], [/[^<{]+/, ''], [/\{/, '']],
      tag: [...tokenRules, [/[\w:.-]+(?==)/, 'attribute.name'], [/"[^"{]*"|'[^'{]*'/, 'attribute.value'], [/"|'/, 'attribute.value'], [/\/?>/, { token: 'tag', next: '@pop' }], [/\s+/, '']],
      comment: [[/-->/, { token: 'comment', next: '@pop' }], [/./, 'comment']],
      tpl: tplState,
    },
  },
  [LANG.text]: { tokenizer: { root: [...tokenRules, [/[^{]+/, ''], [/\{/, '']], tpl: tplState } },
  [LANG.jsonata]: {
    tokenizer: {
      root: [
        [/"[^"]*"|'[^']*'/, 'string'],
        [/`[^`]*`/, 'tpl.path'],
        [/\$[A-Za-z_]\w*/, 'keyword'],
        [/\b(and|or|in|true|false|null|function)\b/, 'keyword'],
        [/-?\d+(\.\d+)?/, 'number'],
        [/[A-Za-z_]\w*/, 'tpl.path'],
        [/[&|=<>!+\-*/%.?:~]+/, 'operator'],
      ],
    },
  },
};

/** `$env.` completes and hovers the active environment's variables (not offered at the top level, like `$vars`). */
function withEnv(scope: unknown): unknown {
  if (scope && typeof scope === 'object' && !Array.isArray(scope)) Object.defineProperty(scope, '$env', { value: envSample(), enumerable: false, configurable: true });
  return scope;
}

for (const [id, grammar] of Object.entries(grammars)) {
  monaco.languages.register({ id });
  monaco.languages.setMonarchTokensProvider(id, grammar);
  monaco.languages.setLanguageConfiguration(id, {
    brackets: [['{', '}'], ['[', ']'], ['(', ')']],
    autoClosingPairs: [{ open: '{', close: '}' }, { open: '[', close: ']' }, { open: '(', close: ')' }, { open: '"', close: '"' }],
  });
  monaco.languages.registerCompletionItemProvider(id, {
    triggerCharacters: ['.', '{', ' '],
    provideCompletionItems(model, position) {
      const info = contexts.get(model.uri.toString());
      if (!info || info.context === undefined) return { suggestions: [] };
      const before = model.getValueInRange({ startLineNumber: 1, startColumn: 1, endLineNumber: position.lineNumber, endColumn: position.column });
      if (info.kind === 'template') {
        const open = before.lastIndexOf('{{');
        if (open < 0 || before.indexOf('}}', open) >= 0) return { suggestions: [] };
      }
      const at = pathBeforeCursor(before);
      if (!at) return { suggestions: [] };
      const range = { startLineNumber: position.lineNumber, endLineNumber: position.lineNumber, startColumn: position.column - at.partial.length, endColumn: position.column };
      return {
        suggestions: childrenOf(withEnv(scopeAt(info.context, before, info.kind)), at.parent).map((c, i) => ({
          label: { label: c.key, description: c.type },
          kind: c.type.startsWith('array') || c.type === 'object' ? monaco.languages.CompletionItemKind.Module : monaco.languages.CompletionItemKind.Field,
          // `content-type` would read as a subtraction: such keys go in backticks.
          insertText: pathKey(c.key),
          filterText: c.key,
          detail: c.path,
          documentation: c.preview,
          sortText: String(i).padStart(4, '0'),
          range,
        })),
      };
    },
  });
  monaco.languages.registerHoverProvider(id, {
    provideHover(model, position) {
      const info = contexts.get(model.uri.toString());
      if (!info || info.context === undefined) return null;
      const line = model.getLineContent(position.lineNumber);
      // The whole dotted path under the cursor, up to the hovered segment.
      const re = /[A-Za-z_$][\w$]*(\.[A-Za-z_$][\w$]*)*/g;
      for (let m = re.exec(line); m; m = re.exec(line)) {
        const start = m.index + 1;
        const end = start + m[0].length;
        if (position.column < start || position.column > end) continue;
        const cut = line.slice(m.index, position.column - 1) + (line.slice(position.column - 1).match(/^[\w$]*/)?.[0] ?? '');
        const before = model.getValueInRange({ startLineNumber: 1, startColumn: 1, endLineNumber: position.lineNumber, endColumn: start });
        const v = valueAt(withEnv(scopeAt(info.context, before, info.kind)), cut);
        if (v === undefined) return null;
        return {
          range: new monaco.Range(position.lineNumber, start, position.lineNumber, start + cut.length),
          contents: [{ value: `**${cut}**` }, { value: '```json\n' + previewValue(v, 400) + '\n```' }],
        };
      }
      return null;
    },
  });
}

const tplColors = (dark: boolean): Monaco.editor.ITokenThemeRule[] => [
  { token: 'tpl.delim', foreground: dark ? 'f0a35e' : 'b35c00', fontStyle: 'bold' },
  { token: 'tpl.path', foreground: dark ? '7fc7ff' : '0b5cad' },
  { token: 'tpl.expr', foreground: dark ? 'c8a2ff' : '7a3db8' },
  { token: 'tpl.string', foreground: dark ? 'a5d6a7' : '2e7d32' },
];
monaco.editor.defineTheme('hl-light', { base: 'vs', inherit: true, rules: tplColors(false), colors: { 'editor.background': '#ffffff' } });
monaco.editor.defineTheme('hl-dark', { base: 'vs-dark', inherit: true, rules: tplColors(true), colors: { 'editor.background': '#1b1e24' } });

export { monaco };
