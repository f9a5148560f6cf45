/**
 * Bash's $'…' quoting, as Chrome's and Firefox's "Copy as cURL (bash)" write it: `\n`, `\t`, `\'`, and for every
 * non-ASCII character `\uXXXX` (or `\xHH` bytes). The escapes make bytes (`\xc3\xa9`) or characters (`\u00e9`);
 * the whole quote is read back as UTF-8, as the shell would hand it to curl. Browser-safe.
 */
const SIMPLE: Record<string, number> = { a: 7, b: 8, e: 27, E: 27, f: 12, n: 10, r: 13, t: 9, v: 11, '\\': 92, "'": 39, '"': 34, '?': 63 };
const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * Reads the quote whose text starts at `start` (just after `$'`); returns its value and the index just past the
 * closing quote, or undefined when the quote is not closed.
 */
export function readAnsiCQuote(s: string, start: number): { value: string; end: number } | undefined {
  const bytes: number[] = [];
  const push = (text: string) => bytes.push(...encoder.encode(text));
  let i = start;
  while (i < s.length && s[i] !== "'") {
    if (s[i] !== '\\' || i + 1 >= s.length) {
      const cp = s.codePointAt(i)!;
      push(String.fromCodePoint(cp));
      i += cp > 0xffff ? 2 : 1;
      continue;
    }
    const e = s[i + 1];
    i += 2;
    if (e in SIMPLE) bytes.push(SIMPLE[e]);
    else if (e === 'x' || /[0-7]/.test(e)) {
      // \xHH (one or two hex digits) or \nnn (one to three octal digits): one byte.
      const m = e === 'x' ? /^[0-9a-fA-F]{1,2}/.exec(s.slice(i, i + 2)) : /^[0-7]{0,2}/.exec(s.slice(i, i + 2));
      if (e === 'x' && !m) push('\\x');
      else {
        bytes.push(parseInt(e === 'x' ? m![0] : e + m![0], e === 'x' ? 16 : 8) & 0xff);
        i += m![0].length;
      }
    } else if (e === 'u' || e === 'U') {
      const m = new RegExp(`^[0-9a-fA-F]{1,${e === 'u' ? 4 : 8}}`).exec(s.slice(i, i + (e === 'u' ? 4 : 8)));
      const cp = m ? parseInt(m[0], 16) : NaN;
      if (!m || cp > 0x10ffff) push(`\\${e}`);
      else {
        push(String.fromCodePoint(cp));
        i += m[0].length;
      }
    } else if (e === 'c' && i < s.length) {
      bytes.push(s.charCodeAt(i) & 0x1f); // \cx: control-x
      i++;
    } else push(`\\${e}`); // not an escape bash knows: kept as written
  }
  if (i >= s.length) return undefined;
  return { value: decoder.decode(new Uint8Array(bytes)), end: i + 1 };
}
