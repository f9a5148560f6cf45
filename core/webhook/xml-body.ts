import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { HttpError } from './http-error';
import { positionOf } from './json-error';

/** Default cap on element nesting; real webhook payloads stay far below it. */
export const DEFAULT_MAX_XML_DEPTH = 100;

/** Keys that must never be assigned through an object's setters (see `parseXmlBody`). */
const CRITICAL_KEYS = new Set(['__proto__', 'constructor', 'prototype']);
/** `\0` can never occur in an XML name, so a marked name cannot collide with a real tag. */
const MARK = '\u0000';

const PREDEFINED: Record<string, string> = { lt: '<', gt: '>', amp: '&', apos: "'", quot: '"' };
const ENTITY_RE = /&(?:(lt|gt|amp|apos|quot)|#([0-9]{1,7})|#x([0-9a-fA-F]{1,6}));/g;

function decodeEntity(match: string, named?: string, dec?: string, hex?: string): string {
  if (named) return PREDEFINED[named];
  const cp = dec !== undefined ? Number.parseInt(dec, 10) : Number.parseInt(hex!, 16);
  // XML Char production: no NUL, no surrogates, nothing above U+10FFFF.
  if (cp === 0 || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return match;
  return String.fromCodePoint(cp);
}

/**
 * Our own entity decoder, handed to fast-xml-parser so that only the five predefined XML entities and
 * numeric character references are ever replaced. It ignores DOCTYPE entities outright, so even if a DTD
 * slipped past the pre-scan nothing would expand (no billion laughs, no external entities). The parser
 * never calls it for CDATA sections, which must stay verbatim.
 */
const safeEntityDecoder = {
  setExternalEntities() {},
  addInputEntities() {},
  reset() {},
  setXmlVersion() {},
  decode(text: string): string {
    return text.indexOf('&') < 0 ? text : text.replace(ENTITY_RE, decodeEntity);
  },
};

let renamedInThisParse = false;

const parsers = new Map<number, XMLParser>();
function parserFor(maxDepth: number): XMLParser {
  let p = parsers.get(maxDepth);
  if (!p) {
    p = new XMLParser({
      ignoreAttributes: false,
      attributeNamePrefix: '@_',
      // Keep values as the sender wrote them: "00123" is an article number, not 123.
      parseTagValue: false,
      parseAttributeValue: false,
      ignoreDeclaration: true,
      ignorePiTags: true,
      processEntities: true,
      entityDecoder: safeEntityDecoder,
      maxNestedTags: maxDepth,
      // fast-xml-parser refuses these names outright; we mark them here and restore them below as own
      // data properties, so `<constructor>` in a customer's payload is data, not a crash.
      transformTagName: (name: string) => {
        if (!CRITICAL_KEYS.has(name)) return name;
        renamedInThisParse = true;
        return MARK + name;
      },
    });
    parsers.set(maxDepth, p);
  }
  return p;
}

/**
 * Rejects any `<!DOCTYPE` / `<!ENTITY` (or other markup declaration) outside comments and CDATA, in one
 * linear pass that stops at the first hit, so a billion-laughs body costs no more than reading it.
 */
function rejectDeclarations(text: string): void {
  let i = text.indexOf('<!');
  while (i >= 0) {
    if (text.startsWith('<!--', i)) {
      const end = text.indexOf('-->', i + 4);
      if (end < 0) return; // unterminated comment: the validator reports it with its position
      i = text.indexOf('<!', end + 3);
    } else if (text.startsWith('<![CDATA[', i)) {
      const end = text.indexOf(']]>', i + 9);
      if (end < 0) return;
      i = text.indexOf('<!', end + 3);
    } else {
      const word = /^<!([A-Za-z]*)/.exec(text.slice(i, i + 12))![1].toUpperCase() || 'markup';
      const pos = positionOf(text, i);
      throw new HttpError(400, {
        error: 'xml_declaration_not_allowed',
        message: `XML ${word} declarations are not accepted: DTDs and custom entities are disabled (line ${pos.line}, column ${pos.column})`,
        line: pos.line,
        column: pos.column,
      });
    }
  }
}

/** A reference at a given `&`: a character reference, or an entity name; both end with `;`. */
const REFERENCE = /&(?:#([0-9]{1,8})|#x([0-9a-fA-F]{1,7})|([A-Za-z_:][\w.:-]*));/y;
const DEFINED = 'XML defines only &lt; &gt; &amp; &apos; &quot; and character references such as &#38;';

/** XML's Char production: tab, line feed, carriage return and everything from space up, except surrogates, U+FFFE and U+FFFF. */
function isXmlChar(cp: number): boolean {
  if (cp < 0x20) return cp === 0x9 || cp === 0xa || cp === 0xd;
  return cp <= 0xd7ff || (cp >= 0xe000 && cp <= 0xfffd) || (cp >= 0x10000 && cp <= 0x10ffff);
}

/**
 * Every `&` in text and attribute values must begin a reference the document can resolve: a bare `&` (an unescaped
 * `a=1&b=2` in an attribute), an entity no DTD could define (`&nbsp;`; DTDs are refused) or a reference to a
 * character XML does not allow (`&#0;`) makes the body malformed, as any conforming XML parser says. Comments,
 * CDATA sections and processing instructions are skipped. One linear pass.
 */
function checkReferences(text: string): void {
  const scan = /<!--|<!\[CDATA\[|<\?|&/g;
  let m: RegExpExecArray | null;
  while ((m = scan.exec(text))) {
    if (m[0] !== '&') {
      const close = m[0] === '<!--' ? '-->' : m[0] === '<?' ? '?>' : ']]>';
      const end = text.indexOf(close, scan.lastIndex);
      if (end < 0) return; // unterminated: the validator reports it with its position
      scan.lastIndex = end + close.length;
      continue;
    }
    REFERENCE.lastIndex = m.index;
    const ref = REFERENCE.exec(text);
    let problem: string | undefined;
    if (!ref) problem = `'&' must begin a reference: write a literal & as &amp; (${DEFINED})`;
    else if (ref[3] !== undefined) {
      if (!Object.prototype.hasOwnProperty.call(PREDEFINED, ref[3])) problem = `undefined entity ${ref[0]}: ${DEFINED} (DTDs, which could define more, are not accepted)`;
    } else {
      const cp = ref[1] !== undefined ? Number.parseInt(ref[1], 10) : Number.parseInt(ref[2], 16);
      if (!isXmlChar(cp)) problem = `${ref[0]} refers to a character XML does not allow`;
    }
    if (problem) {
      const pos = positionOf(text, m.index);
      throw new HttpError(400, { error: 'malformed_body', message: `XML: ${problem} (line ${pos.line}, column ${pos.column})`, line: pos.line, column: pos.column });
    }
    scan.lastIndex = ref ? m.index + ref[0].length : m.index + 1;
  }
}

/** Turns the marked names back into the sender's names, defined as own data properties. */
function restoreNames(value: unknown): unknown {
  if (Array.isArray(value)) {
    for (let k = 0; k < value.length; k++) value[k] = restoreNames(value[k]);
    return value;
  }
  if (value === null || typeof value !== 'object') return value;
  const obj = value as Record<string, unknown>;
  for (const key of Object.keys(obj)) {
    const v = restoreNames(obj[key]);
    if (key.charCodeAt(0) === 0) {
      delete obj[key];
      Object.defineProperty(obj, key.slice(1), { value: v, enumerable: true, writable: true, configurable: true });
    } else obj[key] = v;
  }
  return obj;
}

/**
 * Parses an XML body safely: DTDs rejected, only predefined entities and character references decoded (any
 * other `&` is a 400 naming its line and column),
 * nesting capped, and `__proto__` / `constructor` / `prototype` element names kept as plain own data
 * properties (never assigned through setters, so Object.prototype is never reached). Attributes appear as
 * `@_name`, text next to attributes or children as `#text`, repeated elements as arrays.
 *
 * @example
 * ```ts
 * parseXmlBody('<order id="7"><item>A</item><item>B</item></order>');
 * // { order: { '@_id': '7', item: ['A', 'B'] } }
 * ```
 */
export function parseXmlBody(text: string, maxDepth = DEFAULT_MAX_XML_DEPTH): unknown {
  rejectDeclarations(text);
  checkReferences(text);
  const valid = XMLValidator.validate(text);
  if (valid !== true) {
    const { msg, line, col } = valid.err;
    throw new HttpError(400, { error: 'malformed_body', message: `XML: ${msg} (line ${line}, column ${col})`, line, column: col });
  }
  renamedInThisParse = false;
  let out: unknown;
  try {
    out = parserFor(maxDepth).parse(text);
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    if (/nested tags/i.test(message))
      throw new HttpError(400, { error: 'xml_too_deep', message: `XML: elements are nested deeper than ${maxDepth} levels` });
    throw new HttpError(400, { error: 'malformed_body', message: `XML: ${message}` });
  }
  return renamedInThisParse ? restoreNames(out) : out;
}
