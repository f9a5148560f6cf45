/**
 * Where a JSON text stops being valid, as line and column (1-based), without any of the text itself: V8's
 * messages quote the input around the error ("Unexpected token 'h', ..."PASS": hook-pw-SE"..."), which must
 * never reach a terminal or log when the text holds secrets.
 *
 * @example
 * jsonErrorLocation('{"A": "x",\n "B": nope}'); // { line: 2, column: 7 }
 */
export function jsonErrorLocation(text: string): { line: number; column: number } | undefined {
  const error = parseError(text);
  if (!error) return undefined;
  const offset = positionOf(error, text.length) ?? firstBadOffset(text);
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return { line, column: offset - (before.lastIndexOf('\n') + 1) + 1 };
}

function parseError(text: string): string | undefined {
  try {
    JSON.parse(text);
    return undefined;
  } catch (e) {
    return (e as Error).message;
  }
}

/** The offset V8 names ("... in JSON at position 20"); the end for "Unexpected end of JSON input". */
function positionOf(message: string, length: number): number | undefined {
  const m = / at position (\d+)/.exec(message);
  if (m) return Number(m[1]);
  if (/Unexpected end of JSON input/.test(message)) return length;
  return undefined;
}

/**
 * For messages without a position: the shortest prefix that fails for a reason other than having been cut off
 * (an error at or just before its end) ends at the offending character. Parsing is left to right, so once a
 * prefix fails that way every longer one does too, and a binary search finds it.
 */
function firstBadOffset(text: string): number {
  const settled = (len: number): number | undefined => {
    const message = parseError(text.slice(0, len));
    if (message === undefined) return undefined;
    const at = positionOf(message, len);
    if (at === undefined) return len - 1;
    return at < len - 1 ? at : undefined;
  };
  let lo = 1;
  let hi = text.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (settled(mid) === undefined) lo = mid + 1;
    else hi = mid;
  }
  return settled(lo) ?? Math.max(0, lo - 1);
}
