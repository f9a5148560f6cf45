import { createLexer, type TemplateKind, type TokenPosition } from './context-lexer';
import { lineColumn } from './expression';

/** A template or expression syntax error, with a 1-based line and column relative to the template text. */
export class TemplateSyntaxError extends Error {
  constructor(
    /** The problem without the location, for editors that show the location themselves. */
    public readonly problem: string,
    /** 0-based offsets of the offending range in the template text. */
    public readonly start: number,
    public readonly end: number,
    public readonly line: number,
    public readonly column: number,
  ) {
    super(`${problem} (line ${line}, column ${column})`);
    this.name = 'TemplateSyntaxError';
  }
}

export function syntaxError(text: string, problem: string, start: number, end = start): TemplateSyntaxError {
  const { line, column } = lineColumn(text, start);
  return new TemplateSyntaxError(problem, start, Math.max(start, end), line, column);
}

/** One `{{ … }}` in the template text. */
export interface Tag {
  kind: 'value' | 'each' | 'if' | 'elseif' | 'else' | 'endeach' | 'endif' | 'comment';
  /** Offsets of the whole tag, `{{` to `}}` inclusive. */
  start: number;
  end: number;
  /** The expression (trimmed) and its offset in the template, for value / each / if / elseif. */
  expression?: string;
  exprStart?: number;
  /** Loop variable names of `{{#each list as item, i}}`. */
  name?: string;
  index?: string;
}

export type Piece = { text: string; start: number } | Tag;

export const isTag = (p: Piece): p is Tag => 'kind' in p;

/** Finds the `}}` that closes a tag, skipping strings, backtick names, comments and JSONata object braces. */
function findClose(text: string, from: number): number {
  let depth = 0;
  for (let i = from; i < text.length; i++) {
    const c = text[i];
    if (c === '"' || c === "'" || c === '`') {
      for (i++; i < text.length && text[i] !== c; i++) if (text[i] === '\\' && c !== '`') i++;
    } else if (c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      if (end < 0) return -1;
      i = end + 1;
    } else if (c === '{') depth++;
    else if (c === '}') {
      if (depth === 0 && text[i + 1] === '}') return i;
      if (depth > 0) depth--;
    }
  }
  return -1;
}

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const RESERVED_NAMES = new Set(['data', 'trigger', 'vars', 'true', 'false', 'null', 'function']);

/**
 * Mustache / Handlebars syntax that JSONata would only answer with a puzzling error ("Expected ':'"), named with
 * what to write instead. Compile time only.
 */
function habitOf(body: string): string | undefined {
  const triple = /^\{\s*([^:{}\s][^:{}]*?)\s*\}$/.exec(body);
  if (triple) return `{{{ ${triple[1]} }}} is mustache's unescaped output: write {{ ${triple[1]} }} (every token is escaped for its position, and objects are inserted whole)`;
  if (/^@(index|key|first|last)$/.test(body)) return `{{${body}}} is Handlebars: name the index instead, {{#each list as item, i}} … {{ i }} (0-based)`;
  if (body.startsWith('^')) return `{{${body}}} is mustache's inverted section: write {{#if $not(${body.slice(1).trim()})}} … {{/if}}`;
  return undefined;
}

function classify(text: string, start: number, end: number): Tag {
  const innerStart = start + 2;
  const inner = text.slice(innerStart, end - 2);
  const lead = inner.length - inner.trimStart().length;
  // `{{/ each }}` and `{{# if x }}` mean the same as without the space.
  const body = inner.trim().replace(/^([#/])\s+/, '$1');
  const at = innerStart + lead + (inner.trim().length - body.length);
  const expr = (kind: Tag['kind'], skip: number): Tag => {
    const rest = body.slice(skip);
    const restLead = rest.length - rest.trimStart().length;
    const expression = rest.trim();
    if (!expression) throw syntaxError(text, `{{${body}}} needs an expression`, start, end);
    return { kind, start, end, expression, exprStart: at + skip + restLead };
  };
  if (body.startsWith('!')) return { kind: 'comment', start, end };
  if (/^#each(\s|$)/.test(body)) {
    const tag = expr('each', 5);
    const m = /^([\s\S]*?)\s+as\s+([^\s,]+)(?:\s*,\s*([^\s,]+))?$/.exec(tag.expression!);
    if (m) {
      for (const n of [m[2], m[3]]) {
        if (n !== undefined && (!NAME.test(n) || RESERVED_NAMES.has(n))) {
          throw syntaxError(text, `"${n}" cannot name a loop variable (use a plain name other than data, trigger, vars)`, start, end);
        }
      }
      tag.expression = m[1].trim();
      tag.name = m[2];
      tag.index = m[3];
    } else tag.name = 'item';
    return tag;
  }
  if (/^#if(\s|$)/.test(body)) return expr('if', 3);
  if (/^else\s+if(\s|$)/.test(body)) return expr('elseif', body.indexOf('if') + 2);
  if (body === 'else') return { kind: 'else', start, end };
  if (body === '/each') return { kind: 'endeach', start, end };
  if (body === '/if') return { kind: 'endif', start, end };
  if (body.startsWith('#') || body.startsWith('/')) {
    throw syntaxError(text, `unknown block {{${body}}} (blocks are #each, #if, else, else if, /each, /if)`, start, end);
  }
  if (!body) throw syntaxError(text, 'empty token {{ }}', start, end);
  const habit = habitOf(body);
  if (habit) throw syntaxError(text, habit, start, end);
  return { kind: 'value', start, end, expression: body, exprStart: at };
}

/**
 * @example
 * scanTemplate('a{{ data.x }}'); // [{ text: 'a', start: 0 }, { kind: 'value', expression: 'data.x', … }]
 *
 * Splits a template into literal text and tags. Throws TemplateSyntaxError on an unclosed `{{`, an empty
 * token or an unknown block; `onError` instead collects the first error and returns what was read so far.
 */
export function scanTemplate(text: string, onError?: (e: TemplateSyntaxError) => void): Piece[] {
  const pieces: Piece[] = [];
  let pos = 0;
  while (pos < text.length) {
    const open = text.indexOf('{{', pos);
    if (open < 0) break;
    if (open > pos) pieces.push({ text: text.slice(pos, open), start: pos });
    const close = findClose(text, open + 2);
    if (close < 0) {
      const err = syntaxError(text, '"{{" is not closed with "}}"', open, text.length);
      if (onError) {
        onError(err);
        return pieces;
      }
      throw err;
    }
    try {
      pieces.push(classify(text, open, close + 2));
    } catch (e) {
      if (!onError || !(e instanceof TemplateSyntaxError)) throw e;
      onError(e);
    }
    pos = close + 2;
  }
  if (pos < text.length) pieces.push({ text: text.slice(pos), start: pos });
  return pieces;
}

export type TemplateNode =
  | { type: 'text'; text: string }
  | { type: 'value'; tag: Tag; position: TokenPosition }
  | { type: 'each'; tag: Tag; position: TokenPosition; body: TemplateNode[] }
  | { type: 'if'; branches: Array<{ tag: Tag; body: TemplateNode[] }> };

interface Open {
  node: Extract<TemplateNode, { type: 'each' | 'if' }>;
  tag: Tag;
  lexerAtOpen: unknown;
  /** Lexer state key at the end of each finished branch, to check branches agree. */
  branchEnds: string[];
  hasElse: boolean;
}

/**
 * @example
 * parseTemplate('<a>{{ data.x }}</a>', 'xml').nodes[1]; // { type: 'value', position: 'xml-text', … }
 *
 * Parses a template into a tree, deciding the escaping position of every token from the literal text
 * around it. Blocks must leave the document in the same state on every path (inside a string or not),
 * otherwise a token after the block would have an ambiguous position.
 */
export function parseTemplate(text: string, kind: TemplateKind): { nodes: TemplateNode[]; hasStructuralBlocks: boolean } {
  const lexer = createLexer(kind);
  const root: TemplateNode[] = [];
  const stack: Open[] = [];
  let hasStructuralBlocks = false;
  const current = (): TemplateNode[] => {
    const top = stack[stack.length - 1];
    if (!top) return root;
    if (top.node.type === 'each') return top.node.body;
    return top.node.branches[top.node.branches.length - 1].body;
  };
  const positionAt = (tag: Tag): TokenPosition => {
    const p = lexer.position();
    if (typeof p !== 'string') throw syntaxError(text, `${p.error}: {{${text.slice(tag.start + 2, tag.end - 2)}}}`, tag.start, tag.end);
    return p;
  };
  const describe = (t: Tag) => {
    const { line, column } = lineColumn(text, t.start);
    return `${text.slice(t.start, t.end)} at line ${line}, column ${column}`;
  };
  for (const piece of scanTemplate(text)) {
    if (!isTag(piece)) {
      lexer.feed(piece.text);
      current().push({ type: 'text', text: piece.text });
      continue;
    }
    const tag = piece;
    switch (tag.kind) {
      case 'comment':
        break;
      case 'value':
        current().push({ type: 'value', tag, position: positionAt(tag) });
        break;
      case 'each': {
        const position = positionAt(tag);
        if (position === 'json-value' || position === 'json-key') hasStructuralBlocks = true;
        const node: TemplateNode = { type: 'each', tag, position, body: [] };
        current().push(node);
        stack.push({ node, tag, lexerAtOpen: lexer.save(), branchEnds: [], hasElse: false });
        break;
      }
      case 'if': {
        const position = positionAt(tag);
        if (position === 'json-value' || position === 'json-key') hasStructuralBlocks = true;
        const node: TemplateNode = { type: 'if', branches: [{ tag, body: [] }] };
        current().push(node);
        stack.push({ node, tag, lexerAtOpen: lexer.save(), branchEnds: [], hasElse: false });
        break;
      }
      case 'elseif':
      case 'else': {
        const top = stack[stack.length - 1];
        const word = tag.kind === 'else' ? '{{else}}' : '{{else if}}';
        if (!top || top.node.type !== 'if') throw syntaxError(text, `${word} without an open {{#if}}`, tag.start, tag.end);
        if (top.hasElse) throw syntaxError(text, `${word} after {{else}} in the {{#if}} ${describe(top.tag)}`, tag.start, tag.end);
        top.branchEnds.push(lexer.stateKey());
        lexer.restore(top.lexerAtOpen);
        if (tag.kind === 'elseif') positionAt(tag);
        top.hasElse = tag.kind === 'else';
        top.node.branches.push({ tag, body: [] });
        break;
      }
      case 'endeach':
      case 'endif': {
        const want = tag.kind === 'endeach' ? 'each' : 'if';
        const top = stack.pop();
        if (!top) throw syntaxError(text, `{{/${want}}} without an open {{#${want}}}`, tag.start, tag.end);
        if (top.node.type !== want) {
          throw syntaxError(text, `{{/${want}}} closes ${describe(top.tag)}; expected {{/${top.node.type}}}`, tag.start, tag.end);
        }
        const endKey = lexer.stateKey();
        const ends = [...top.branchEnds, endKey];
        const saved = lexer.save();
        lexer.restore(top.lexerAtOpen);
        const openKey = lexer.stateKey();
        lexer.restore(saved);
        // An if without else may render nothing, and an each may repeat: both must end where they started.
        const mustMatch = top.node.type === 'each' || !top.hasElse ? [...ends, openKey] : ends;
        const bad = mustMatch.find((k) => k !== mustMatch[0]);
        if (bad !== undefined) {
          throw syntaxError(text, `the block ${describe(top.tag)} starts ${openKey} but a branch ends ${mustMatch.find((k) => k !== openKey) ?? bad}; open and close quotes and tags inside the same block`, tag.start, tag.end);
        }
        break;
      }
    }
  }
  const open = stack.pop();
  if (open) throw syntaxError(text, `{{#${open.node.type}}} is not closed with {{/${open.node.type}}}`, open.tag.start, open.tag.end);
  return { nodes: root, hasStructuralBlocks };
}
