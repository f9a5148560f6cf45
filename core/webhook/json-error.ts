/**
 * Finds where a JSON text first goes wrong. Only called after `JSON.parse` has already failed, so speed
 * does not matter here; it exists because V8's messages on Node 20 often carry no position at all
 * (`Unexpected token 'x', "..." is not valid JSON`), and callers need a line and column to fix their body.
 * Iterative (explicit stack), so deeply nested input cannot overflow the call stack.
 */
export interface TextPosition {
  /** 0-based UTF-16 offset. */
  offset: number;
  /** 1-based. */
  line: number;
  /** 1-based, in UTF-16 code units. */
  column: number;
}

const enum State {
  Value,
  ValueOrClose,
  Key,
  KeyOrClose,
  After,
}

/**
 * Returns the offset of the first syntax error in `s`, or -1 when `s` is valid JSON.
 *
 * @example
 * ```ts
 * findJsonErrorOffset('{"a": }'); // 6
 * findJsonErrorOffset('[1, 2]'); // -1
 * ```
 */
export function findJsonErrorOffset(s: string): number {
  const n = s.length;
  const stack: number[] = []; // 0 = array, 1 = object
  let i = 0;
  let state = State.Value;
  const ws = () => {
    while (i < n) {
      const c = s.charCodeAt(i);
      if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d) i++;
      else break;
    }
  };
  for (;;) {
    ws();
    if (state === State.After) {
      if (stack.length === 0) return i === n ? -1 : i;
      if (i >= n) return n;
      const c = s[i];
      const top = stack[stack.length - 1];
      if (c === ',') {
        i++;
        state = top === 1 ? State.Key : State.Value;
      } else if ((c === ']' && top === 0) || (c === '}' && top === 1)) {
        i++;
        stack.pop();
      } else return i;
      continue;
    }
    if (i >= n) return n;
    const c = s[i];
    if (state === State.Key || state === State.KeyOrClose) {
      if (c === '}' && state === State.KeyOrClose) {
        i++;
        stack.pop();
        state = State.After;
        continue;
      }
      if (c !== '"') return i;
      const end = scanString(s, i);
      if (end < 0) return -end - 1;
      i = end;
      ws();
      if (i >= n) return n;
      if (s[i] !== ':') return i;
      i++;
      state = State.Value;
      continue;
    }
    // Value or ValueOrClose
    if (c === ']' && state === State.ValueOrClose) {
      i++;
      stack.pop();
      state = State.After;
      continue;
    }
    if (c === '{') {
      stack.push(1);
      i++;
      state = State.KeyOrClose;
      continue;
    }
    if (c === '[') {
      stack.push(0);
      i++;
      state = State.ValueOrClose;
      continue;
    }
    let end: number;
    if (c === '"') end = scanString(s, i);
    else if (c === '-' || (c >= '0' && c <= '9')) end = scanNumber(s, i);
    else if (c === 't') end = scanWord(s, i, 'true');
    else if (c === 'f') end = scanWord(s, i, 'false');
    else if (c === 'n') end = scanWord(s, i, 'null');
    else return i;
    if (end < 0) return -end - 1;
    i = end;
    state = State.After;
  }
}

/** Returns the index after the closing quote, or -(errorOffset + 1). */
function scanString(s: string, start: number): number {
  let i = start + 1;
  const n = s.length;
  while (i < n) {
    const c = s.charCodeAt(i);
    if (c === 0x22) return i + 1;
    if (c < 0x20) return -(i + 1);
    if (c === 0x5c) {
      const e = s[i + 1];
      if (e === undefined) return -(n + 1);
      if (e === 'u') {
        for (let k = 2; k < 6; k++) {
          if (i + k >= n) return -(n + 1);
          if (!/[0-9a-fA-F]/.test(s[i + k])) return -(i + k + 1);
        }
        i += 6;
        continue;
      }
      if ('"\\/bfnrt'.indexOf(e) < 0) return -(i + 2);
      i += 2;
      continue;
    }
    i++;
  }
  return -(n + 1);
}

function scanNumber(s: string, start: number): number {
  let i = start;
  const digit = (k: number) => k < s.length && s.charCodeAt(k) >= 0x30 && s.charCodeAt(k) <= 0x39;
  if (s[i] === '-') i++;
  if (!digit(i)) return -(i + 1);
  if (s[i] === '0') i++;
  else while (digit(i)) i++;
  if (s[i] === '.') {
    i++;
    if (!digit(i)) return -(i + 1);
    while (digit(i)) i++;
  }
  if (s[i] === 'e' || s[i] === 'E') {
    i++;
    if (s[i] === '+' || s[i] === '-') i++;
    if (!digit(i)) return -(i + 1);
    while (digit(i)) i++;
  }
  return i;
}

function scanWord(s: string, start: number, word: string): number {
  for (let k = 0; k < word.length; k++) if (s[start + k] !== word[k]) return -(Math.min(start + k, s.length) + 1);
  return start + word.length;
}

/**
 * 1-based line and column of a UTF-16 offset (lines end at `\n`; a `\r\n` pair counts once).
 *
 * @example
 * ```ts
 * positionOf('{\n  "a": x}', 9); // { offset: 9, line: 2, column: 8 }
 * ```
 */
export function positionOf(text: string, offset: number): TextPosition {
  let line = 1;
  let lineStart = 0;
  for (let k = text.indexOf('\n'); k >= 0 && k < offset; k = text.indexOf('\n', k + 1)) {
    line++;
    lineStart = k + 1;
  }
  return { offset, line, column: offset - lineStart + 1 };
}
