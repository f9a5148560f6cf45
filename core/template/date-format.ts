/**
 * Date formatting in an IANA time zone with Intl only (no date library, browser-safe). Month and weekday
 * names are English on purpose: integrations need stable output, not the locale of the machine.
 */

import { BoundedMap } from '../model/bounded-map';

export const DEFAULT_DATE_PATTERN = "yyyy-MM-dd'T'HH:mm:ss.SSSXXX";

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

// Bounded: time zones can come from data.
const formatters = new BoundedMap<string, Intl.DateTimeFormat>(200);

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    try {
      f = new Intl.DateTimeFormat('en-US', {
        timeZone,
        hourCycle: 'h23',
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
        hour: 'numeric',
        minute: 'numeric',
        second: 'numeric',
        era: 'short',
      });
    } catch {
      throw new Error(`unknown time zone '${timeZone}'`);
    }
    formatters.set(timeZone, f);
  }
  return f;
}

interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  ms: number;
  weekday: number;
  /** Minutes east of UTC. */
  offset: number;
}

function wallClock(millis: number, timeZone: string): WallClock {
  const parts = formatterFor(timeZone).formatToParts(new Date(millis));
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  let year = get('year');
  if (parts.find((p) => p.type === 'era')?.value === 'BC') year = 1 - year;
  const month = get('month');
  const day = get('day');
  const hour = get('hour') % 24;
  const minute = get('minute');
  const second = get('second');
  const ms = ((millis % 1000) + 1000) % 1000;
  const d = new Date(0);
  d.setUTCFullYear(year, month - 1, day); // Date.UTC maps years 0–99 to 1900s; setUTCFullYear does not
  d.setUTCHours(hour, minute, second, ms);
  return { year, month, day, hour, minute, second, ms, weekday: d.getUTCDay(), offset: Math.round((d.getTime() - millis) / 60000) };
}

/** Accepts epoch milliseconds, an ISO 8601 string or a Date. */
export function toMillis(value: unknown, fn = '$formatDate'): number {
  let ms: number;
  if (typeof value === 'number') ms = value;
  else if (typeof value === 'string') ms = Date.parse(value);
  else if (value instanceof Date) ms = value.getTime();
  else ms = NaN;
  // Beyond ±8.64e15 ms (±100,000,000 days) a Date is invalid: say so here, not as a bare "Invalid time value".
  if (!Number.isFinite(ms) || Math.abs(ms) > 8.64e15) throw new Error(`${fn}: ${JSON.stringify(value) ?? String(value)} is not a valid date (use epoch milliseconds or ISO 8601)`);
  return ms;
}

// An ISO date or date-time without an offset (ITscope's `2026-11-22T08:01:36`). JavaScript reads a date-time like
// that in the machine's zone (and a date in UTC), so the studio on a laptop in Berlin and the server in UTC gave
// different results for the same event.
const LOCAL_ISO = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$/;

/** A wall-clock time without an offset, read as the time in `timeZone` (so formatting it there only reformats it). */
function localMillis(value: string, timeZone: string): number {
  const wall = toMillis(value.length === 10 ? `${value}T00:00:00Z` : `${value.replace(' ', 'T')}Z`);
  const first = wall - wallClock(wall, timeZone).offset * 60000;
  // Near a DST change the offset at the first guess can differ from the one at the answer.
  return wall - wallClock(first, timeZone).offset * 60000;
}

const p2 = (n: number) => String(n).padStart(2, '0');

function offsetText(offset: number, colon: boolean, zulu: boolean): string {
  if (zulu && offset === 0) return 'Z';
  const sign = offset < 0 ? '-' : '+';
  const a = Math.abs(offset);
  return sign + p2(Math.floor(a / 60)) + (colon ? ':' : '') + p2(a % 60);
}

const TOKEN = /'([^']*)'|yyyy|yy|MMMM|MMM|MM|M|dd|d|EEEE|EEE|HH|H|hh|h|mm|m|ss|s|SSS|a|XXX|XX|X|xxx|xx|Z/g;

/**
 * Formats an instant in a time zone. Pattern letters: `yyyy yy MMMM MMM MM M dd d EEEE EEE HH H hh h mm m
 * ss s SSS a`, offsets `XXX` (+01:00 or Z), `XX` (+0100 or Z), `xxx` (+01:00), `xx`/`Z` (+0100); text
 * in single quotes is literal (`''` is a quote). An ISO date or date-time without an offset is the wall-clock time
 * in `timeZone`, whatever the machine's zone.
 * @example
 * formatDate('2024-03-31T01:30:00Z', 'yyyy-MM-dd HH:mm XXX', 'Europe/Berlin'); // '2024-03-31 03:30 +02:00'
 */
export function formatDate(value: unknown, pattern: string = DEFAULT_DATE_PATTERN, timeZone = 'UTC'): string {
  const millis = typeof value === 'string' && LOCAL_ISO.test(value) ? localMillis(value, timeZone) : toMillis(value);
  const w = wallClock(millis, timeZone);
  return pattern.replace(TOKEN, (tok, literal: string | undefined) => {
    if (literal !== undefined) return literal === '' ? "'" : literal;
    switch (tok) {
      case 'yyyy': return w.year < 0 ? '-' + String(-w.year).padStart(4, '0') : String(w.year).padStart(4, '0');
      case 'yy': return p2(Math.abs(w.year) % 100);
      case 'MMMM': return MONTHS[w.month - 1];
      case 'MMM': return MONTHS[w.month - 1].slice(0, 3);
      case 'MM': return p2(w.month);
      case 'M': return String(w.month);
      case 'dd': return p2(w.day);
      case 'd': return String(w.day);
      case 'EEEE': return DAYS[w.weekday];
      case 'EEE': return DAYS[w.weekday].slice(0, 3);
      case 'HH': return p2(w.hour);
      case 'H': return String(w.hour);
      case 'hh': return p2(w.hour % 12 || 12);
      case 'h': return String(w.hour % 12 || 12);
      case 'mm': return p2(w.minute);
      case 'm': return String(w.minute);
      case 'ss': return p2(w.second);
      case 's': return String(w.second);
      case 'SSS': return String(w.ms).padStart(3, '0');
      case 'a': return w.hour < 12 ? 'AM' : 'PM';
      case 'XXX': return offsetText(w.offset, true, true);
      case 'XX':
      case 'X': return offsetText(w.offset, false, true);
      case 'xxx': return offsetText(w.offset, true, false);
      default: return offsetText(w.offset, false, false); // xx, Z
    }
  });
}
