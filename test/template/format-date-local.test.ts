import { afterEach, describe, expect, it } from 'vitest';
import { compileExpression, formatDate } from '../../core/template';

const TZ = process.env.TZ;
afterEach(() => {
  if (TZ === undefined) delete process.env.TZ;
  else process.env.TZ = TZ;
});

// ITscope's timestamps carry no offset: "2026-11-22T08:01:36".
const STAMP = '2026-11-22T08:01:36';

describe('$formatDate of an ISO time without an offset does not depend on the machine\'s time zone', () => {
  it('reads it as the wall-clock time in the zone it formats in (UTC by default)', async () => {
    for (const machine of ['UTC', 'Europe/Berlin', 'Asia/Tokyo', 'America/Los_Angeles']) {
      process.env.TZ = machine;
      expect(formatDate(STAMP, 'dd.MM.yyyy HH:mm'), machine).toBe('22.11.2026 08:01');
      expect(formatDate(STAMP, 'dd.MM.yyyy HH:mm XXX', 'Europe/Berlin'), machine).toBe('22.11.2026 08:01 +01:00');
      expect(await compileExpression("$formatDate(data.timestamp, \"yyyy-MM-dd'T'HH:mm:ssXXX\")").evaluate({ data: { timestamp: STAMP } }), machine).toBe('2026-11-22T08:01:36Z');
    }
  });

  it('a date alone is that day in the zone, not the day before west of UTC', () => {
    expect(formatDate('2026-11-22', 'dd.MM.yyyy', 'America/New_York')).toBe('22.11.2026');
    expect(formatDate('2026-11-22 23:30', 'dd.MM. HH:mm', 'Asia/Tokyo')).toBe('22.11. 23:30');
  });

  it('across a DST change the wall-clock time keeps its offset; times with an offset are instants as before', () => {
    expect(formatDate('2026-03-29T03:30:00', 'HH:mm XXX', 'Europe/Berlin')).toBe('03:30 +02:00');
    expect(formatDate('2026-03-28T03:30:00', 'HH:mm XXX', 'Europe/Berlin')).toBe('03:30 +01:00');
    expect(formatDate('2026-11-22T08:01:36Z', 'HH:mm', 'Europe/Berlin')).toBe('09:01');
    expect(formatDate('2026-11-22T08:01:36+01:00', 'HH:mm')).toBe('07:01');
  });
});
