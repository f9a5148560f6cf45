import { z } from 'zod';
import type { NodeSpec } from '../spec-types';

/**
 * Whether the platform knows an IANA time zone name (Intl is available in Node and browsers alike).
 * @example
 * isTimeZone('Europe/Berlin'); // true
 */
export function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

export const scheduleSettingsSchema = z.object({
  mode: z.enum(['cron', 'interval']).default('cron'),
  /** Cron pattern: 5 fields (minute first), or 6 with seconds first; `@hourly`, `@daily`, ... also work. */
  cron: z.string().trim().default('0 * * * *'),
  /** IANA zone the cron pattern is read in, e.g. `Europe/Berlin`; empty: the machine's local time. */
  timeZone: z
    .string()
    .trim()
    .default('')
    .refine((tz) => tz === '' || isTimeZone(tz), { message: 'must be an IANA time zone such as "Europe/Berlin" or "UTC"' }),
  /** Fixed interval between runs, counted from deploy. */
  intervalMs: z.number().int().min(1000, { message: 'must be at least 1000 (one second)' }).max(31 * 24 * 3_600_000).default(60_000),
  /** Start a run even while the previous one is still going (otherwise the tick is skipped with a warning). */
  allowOverlap: z.boolean().default(false),
});
export type ScheduleSettings = z.infer<typeof scheduleSettingsSchema>;

export const scheduleSpec: NodeSpec<typeof scheduleSettingsSchema> = {
  type: 'schedule',
  version: 1,
  category: 'trigger',
  title: 'Schedule',
  description:
    'Starts the flow on a cron schedule (in a time zone) or at a fixed interval while the flow is deployed. The message data is `{ scheduledAt, firedAt }` (ISO times). A tick that comes while the previous run is still going is skipped with a warning, unless overlapping runs are allowed. Run with sample (and `hookline exec` without `--input`) starts the flow here with a tick made at that moment, and the studio previews the nodes after it with one.',
  icon: 'clock',
  settings: scheduleSettingsSchema,
  inputs: [],
  outputs: () => [{ id: 'out', label: 'out' }],
  subtitle: (s) => (s.mode === 'cron' ? `${s.cron}${s.timeZone ? ` (${s.timeZone})` : ''}` : `every ${s.intervalMs % 1000 === 0 ? `${s.intervalMs / 1000} s` : `${s.intervalMs} ms`}`),
  fields: [
    { key: 'mode', label: 'Run', widget: 'select', options: [{ value: 'cron', label: 'on a cron schedule' }, { value: 'interval', label: 'at a fixed interval' }] },
    { key: 'cron', label: 'Cron pattern', widget: 'text', placeholder: '0 9 * * 1-5', visibleWhen: { mode: ['cron'] }, help: 'minute hour day-of-month month day-of-week (optionally seconds first), or @hourly / @daily.' },
    { key: 'timeZone', label: 'Time zone', widget: 'text', placeholder: 'Europe/Berlin', visibleWhen: { mode: ['cron'] }, help: 'Empty: the local time of the machine running the flow.' },
    { key: 'intervalMs', label: 'Interval (ms)', widget: 'number', visibleWhen: { mode: ['interval'] } },
    { key: 'allowOverlap', label: 'Allow overlapping runs', widget: 'toggle', advanced: true },
  ],
  example: { mode: 'cron', cron: '0 9 * * 1-5', timeZone: 'Europe/Berlin', allowOverlap: false },
};
