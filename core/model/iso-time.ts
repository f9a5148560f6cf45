/**
 * ISO 8601 text of a time in milliseconds, made once per millisecond: under load many steps and requests share
 * one (each `toISOString` made a Date and a string).
 *
 * @example
 * isoAt(Date.now()) // '2026-12-01T20:50:00.123Z'
 */
let lastMs = Number.NaN;
let lastIso = '';

export function isoAt(ms: number): string {
  if (ms !== lastMs) {
    lastIso = new Date(ms).toISOString();
    lastMs = ms;
  }
  return lastIso;
}
