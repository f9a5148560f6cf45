/**
 * Escapers, one per token position. Each turns any value into text that cannot leave its position:
 * a JSON value stays one JSON value, a JSON string stays inside its quotes, XML text stays text.
 * Each first tests whether anything needs escaping, because most values need none (the hot path).
 */

/** Characters that cannot appear raw in a JSON string, plus U+2028/2029 and UTF-16 surrogates (checked in the loop). */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const JSON_NEEDS_ESCAPE = /["\\\u0000-\u001f\u2028\u2029\ud800-\udfff]/;
const JSON_SHORT: Record<string, string> = { '"': '\\"', '\\': '\\\\', '\b': '\\b', '\f': '\\f', '\n': '\\n', '\r': '\\r', '\t': '\\t' };

function u4(code: number): string {
  return '\\u' + code.toString(16).padStart(4, '0');
}

/**
 * Escapes text for the inside of a JSON string (no quotes added). Lone surrogates become `\uXXXX`.
 * @example
 * escapeJsonString('a"b\u2028'); // 'a\\"b\\u2028'
 */
export function escapeJsonString(s: string): string {
  if (!JSON_NEEDS_ESCAPE.test(s)) return s;
  let out = '';
  let from = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    let rep: string | undefined;
    if (c < 0x20 || c === 0x22 || c === 0x5c) rep = JSON_SHORT[s[i]] ?? u4(c);
    else if (c === 0x2028 || c === 0x2029) rep = u4(c);
    else if (c >= 0xd800 && c <= 0xdbff) {
      const next = s.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) i++; // a proper pair stays as is
      else rep = u4(c);
    } else if (c >= 0xdc00 && c <= 0xdfff) rep = u4(c);
    if (rep !== undefined) {
      out += s.slice(from, i) + rep;
      from = i + 1;
    }
  }
  return out + s.slice(from);
}

const LINE_SEPARATORS = /[\u2028\u2029]/g;

/**
 * @example
 * jsonValue({ a: [1] }); // '{"a":[1]}'
 *
 * JSON text of a value for a JSON value position. `undefined` and functions count as missing (returned as undefined). */
export function jsonValue(v: unknown): string | undefined {
  switch (typeof v) {
    case 'string':
      return '"' + escapeJsonString(v) + '"';
    case 'number':
      return Number.isFinite(v) ? String(v) : 'null';
    case 'boolean':
      return v ? 'true' : 'false';
    case 'bigint':
      return String(v);
    case 'object': {
      if (v === null) return 'null';
      // JSON.stringify already escapes lone surrogates (well-formed stringify); line separators are
      // escaped too so the output is also safe inside a JavaScript <script>.
      const s = JSON.stringify(v);
      return s === undefined ? 'null' : s.replace(LINE_SEPARATORS, (m) => u4(m.charCodeAt(0)));
    }
    default:
      return undefined;
  }
}

/** Text form of a value for string positions (JSON string, XML, plain text): objects become JSON. */
export function textOf(v: unknown): string {
  if (typeof v === 'string') return v;
  if (v === null || v === undefined) return '';
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? '' : v.toISOString();
  if (typeof v === 'object') return JSON.stringify(v) ?? '';
  if (typeof v === 'function') return '';
  return String(v);
}

/**
 * XML 1.0 `Char` excludes C0 controls other than tab/LF/CR, lone surrogates and U+FFFE/U+FFFF; they are
 * replaced by U+FFFD so the document stays well-formed and the replacement stays visible.
 */
/* eslint-disable no-control-regex -- matching control characters is the point */
const XML_FORBIDDEN = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
const XML_TEXT_SPECIAL = /[&<>\r\u0000-\u0008\u000b\u000c\u000e-\u001f\ud800-\udfff\ufffe\uffff]/;
const XML_ATTR_SPECIAL = /[&<>"'\t\n\r\u0000-\u0008\u000b\u000c\u000e-\u001f\ud800-\udfff\ufffe\uffff]/;
/* eslint-enable no-control-regex */
const XML_ENTITIES: Record<string, string> = {
  '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;', '\t': '&#9;', '\n': '&#10;', '\r': '&#13;',
};

export function stripXmlForbidden(s: string): string {
  return s.replace(XML_FORBIDDEN, '\ufffd');
}

/**
 * @example
 * escapeXmlText('a<b]]>'); // 'a&lt;b]]&gt;'
 *
 * Element content: `&`, `<` and `>` (so `]]>` cannot appear) are escaped, and CR becomes `&#13;` because
 * parsers turn a literal CR LF into LF.
 */
export function escapeXmlText(s: string): string {
  if (!XML_TEXT_SPECIAL.test(s)) return s;
  return stripXmlForbidden(s).replace(/[&<>\r]/g, (c) => XML_ENTITIES[c]);
}

/** Attribute values, either quote style; tab/LF/CR as character references so attribute normalisation keeps them. */
export function escapeXmlAttr(s: string): string {
  if (!XML_ATTR_SPECIAL.test(s)) return s;
  return stripXmlForbidden(s).replace(/[&<>"'\t\n\r]/g, (c) => XML_ENTITIES[c]);
}

/** Inside `<![CDATA[ … ]]>`: a `]]>` in the value closes the section and reopens a new one around `>`. */
export function escapeXmlCdata(s: string): string {
  return stripXmlForbidden(s).split(']]>').join(']]]]><![CDATA[>');
}

/** Inside `<!-- … -->`: `--` may not appear and the value may not end with `-`. */
export function escapeXmlComment(s: string): string {
  let out = stripXmlForbidden(s).replace(/-(?=-)/g, '- ');
  // The template text around the token may end or start with '-', so never start or end with one.
  if (out.startsWith('-')) out = ' ' + out;
  if (out.endsWith('-')) out += ' ';
  return out;
}
