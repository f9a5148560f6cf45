/**
 * Reads the literal text of a template (never the inserted values) to know, at each token, what kind of
 * position the token sits in. The escaping of a value follows from that position alone, so no value can
 * change the structure of the document around it.
 */

export type TemplateKind = 'json' | 'xml' | 'text';

export type TokenPosition =
  | 'json-value' // where a JSON value goes: inserted as a whole JSON value
  | 'json-key' // where an object key goes: inserted as a JSON string
  | 'json-string' // inside a JSON string literal: string-escaped
  | 'xml-text'
  | 'xml-attr'
  | 'xml-cdata'
  | 'xml-comment'
  | 'text';

export interface ContextLexer {
  feed(text: string): void;
  /** The position for a token here, or a message saying why a token may not stand here. */
  position(): TokenPosition | { error: string };
  /** Whether the lexer is inside a string-like construct: block branches must agree on this. */
  stateKey(): string;
  save(): unknown;
  restore(state: unknown): void;
}

interface JsonState {
  inString: boolean;
  escape: boolean;
  stack: string;
  expectKey: boolean;
}

class JsonLexer implements ContextLexer {
  private s: JsonState = { inString: false, escape: false, stack: '', expectKey: false };

  feed(text: string): void {
    const s = this.s;
    for (let i = 0; i < text.length; i++) {
      const c = text[i];
      if (s.inString) {
        if (s.escape) s.escape = false;
        else if (c === '\\') s.escape = true;
        else if (c === '"') s.inString = false;
        continue;
      }
      switch (c) {
        case '"': s.inString = true; break;
        case '{': s.stack += '{'; s.expectKey = true; break;
        case '[': s.stack += '['; s.expectKey = false; break;
        case '}':
        case ']': s.stack = s.stack.slice(0, -1); s.expectKey = false; break;
        case ':': s.expectKey = false; break;
        case ',': s.expectKey = s.stack.endsWith('{'); break;
      }
    }
  }

  position(): TokenPosition | { error: string } {
    if (this.s.inString) {
      if (this.s.escape) return { error: 'a token may not follow a backslash inside a JSON string' };
      return 'json-string';
    }
    return this.s.expectKey ? 'json-key' : 'json-value';
  }

  stateKey(): string {
    return this.s.inString ? 'in a JSON string' : 'outside JSON strings';
  }

  save(): unknown {
    return { ...this.s };
  }

  restore(state: unknown): void {
    this.s = { ...(state as JsonState) };
  }
}

type XmlMode = 'text' | 'lt' | 'bang' | 'tag' | 'attr' | 'comment' | 'cdata' | 'pi' | 'decl';

interface XmlState {
  mode: XmlMode;
  quote: string;
  /** Last characters seen in this mode, to find the `-->`, `]]>`, `?>` terminators and `<!--` / `<![CDATA[` openers. */
  tail: string;
  inEntity: boolean;
  depth: number;
}

class XmlLexer implements ContextLexer {
  private s: XmlState = { mode: 'text', quote: '', tail: '', inEntity: false, depth: 0 };

  private to(mode: XmlMode): void {
    this.s.mode = mode;
    this.s.tail = '';
    this.s.inEntity = false;
  }

  feed(text: string): void {
    const s = this.s;
    for (let i = 0; i < text.length; i++) {
      const c = text[i];
      switch (s.mode) {
        case 'text':
          if (c === '<') this.to('lt');
          else if (c === '&') s.inEntity = true;
          else if (s.inEntity && !/[\w#.:-]/.test(c)) s.inEntity = false;
          break;
        case 'lt':
          if (c === '!') this.to('bang');
          else if (c === '?') this.to('pi');
          else this.to('tag');
          break;
        case 'bang':
          s.tail += c;
          if (s.tail === '--') this.to('comment');
          else if (s.tail === '[CDATA[') this.to('cdata');
          else if (!'[CDATA['.startsWith(s.tail) && !'--'.startsWith(s.tail)) {
            this.to('decl');
            s.depth = c === '[' ? 1 : 0;
          }
          break;
        case 'tag':
          if (c === '"' || c === "'") {
            this.to('attr');
            s.quote = c;
          } else if (c === '>') this.to('text');
          break;
        case 'attr':
          if (c === s.quote) this.to('tag');
          else if (c === '&') s.inEntity = true;
          else if (s.inEntity && !/[\w#.:-]/.test(c)) s.inEntity = false;
          break;
        case 'comment':
          s.tail = (s.tail + c).slice(-3);
          if (s.tail === '-->') this.to('text');
          break;
        case 'cdata':
          s.tail = (s.tail + c).slice(-3);
          if (s.tail === ']]>') this.to('text');
          break;
        case 'pi':
          s.tail = (s.tail + c).slice(-2);
          if (s.tail === '?>') this.to('text');
          break;
        case 'decl':
          if (c === '[') s.depth++;
          else if (c === ']') s.depth--;
          else if (c === '>' && s.depth <= 0) this.to('text');
          break;
      }
    }
  }

  position(): TokenPosition | { error: string } {
    switch (this.s.mode) {
      case 'text':
      case 'attr':
        if (this.s.inEntity) return { error: 'a token may not stand inside an entity reference (after "&")' };
        return this.s.mode === 'text' ? 'xml-text' : 'xml-attr';
      case 'comment': return 'xml-comment';
      case 'cdata': return 'xml-cdata';
      case 'pi':
      case 'decl': return { error: 'tokens are not allowed in XML declarations, DOCTYPE or processing instructions' };
      default: return { error: 'a token inside an XML tag must be inside a quoted attribute value (element and attribute names cannot come from data)' };
    }
  }

  stateKey(): string {
    const m = this.s.mode;
    return m === 'text' ? 'in element content' : m === 'attr' ? `in an attribute value` : `in ${m}`;
  }

  save(): unknown {
    return { ...this.s };
  }

  restore(state: unknown): void {
    this.s = { ...(state as XmlState) };
  }
}

class TextLexer implements ContextLexer {
  feed(): void {}
  position(): TokenPosition {
    return 'text';
  }
  stateKey(): string {
    return 'text';
  }
  save(): unknown {
    return null;
  }
  restore(): void {}
}

/**
 * @example
 * const lx = createLexer('json');
 * lx.feed('{"a": "x');
 * lx.position(); // 'json-string'
 */
export function createLexer(kind: TemplateKind): ContextLexer {
  if (kind === 'json') return new JsonLexer();
  if (kind === 'xml') return new XmlLexer();
  return new TextLexer();
}
