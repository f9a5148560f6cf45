/**
 * ISO 8601 text of a time in milliseconds. Under load many steps and requests fall in the same millisecond and
 * nearly all in the same second: the text is made once per millisecond, and within a second from the second's
 * text plus a precomputed `.mmmZ` tail (each `toISOString` made a Date and formatted every field).
 *
 * @example
 * isoAt(Date.now()) // '2026-12-01T20:50:00.123Z'
 */
let lastMs = Number.NaN;
let lastIso = '';
let lastSecond = Number.NaN;
/** `2026-12-01T20:50:00` of lastSecond. */
let secondText = '';
const TAILS = Array.from({ length: 1000 }, (_, i) => `.${String(i).padStart(3, '0')}Z`);

export function isoAt(time: number): string {
  if (time === lastMs) return lastIso;
  const ms = Math.trunc(time); // as Date does with a fraction
  const second = Math.floor(ms / 1000);
  if (second !== lastSecond) {
    secondText = new Date(ms).toISOString().slice(0, -5); // a RangeError for NaN or out of range, as before
    lastSecond = second;
  }
  lastMs = time;
  lastIso = secondText + TAILS[ms - second * 1000];
  return lastIso;
}
