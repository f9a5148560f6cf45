import { Cron } from 'croner';
import { ProblemsError } from '../../model/problems';
import type { NodeRunner, TriggerActivation } from '../runner-types';
import { isTimeZone, type ScheduleSettings } from './spec';
import { scheduleTick } from './tick';

/** Time and timers as the schedule sees them; tests swap in a manual clock with `setScheduleClock`. */
export interface ScheduleClock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const realClock: ScheduleClock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
};
let clock: ScheduleClock = realClock;

/**
 * For tests only: drive schedules from a fake clock (pass nothing to restore the real one).
 * @example
 * setScheduleClock({ now: () => t, setTimeout: (fn, ms) => timers.add(t + ms, fn), clearTimeout: (h) => timers.delete(h) });
 */
export function setScheduleClock(c?: ScheduleClock): void {
  clock = c ?? realClock;
}

/** Node timers overflow past 2^31-1 ms (~24.8 days); longer waits wake up early and re-arm. */
const MAX_TIMER_MS = 2 ** 31 - 1;

type Prepared = { cron?: Cron };

function compileCron(s: Pick<ScheduleSettings, 'cron' | 'timeZone'>): Cron {
  // No callback: croner only computes times here; our own timer (below) does the waiting.
  return new Cron(s.cron, { timezone: s.timeZone || undefined, paused: true });
}

/** Deploy times of active interval schedules (`flowId/nodeId`), so next run times line up with the real ones. */
const anchors = new Map<string, number>();

/**
 * When the active interval schedule of this trigger started counting (epoch ms), if it is deployed.
 * @example
 * nextRuns(settings, new Date(), 5, scheduleAnchor(flowId, nodeId));
 */
export function scheduleAnchor(flowId: string, nodeId: string): number | undefined {
  return anchors.get(`${flowId}/${nodeId}`);
}

/**
 * The next `count` run times after `from`. For cron schedules these are exact (in the time zone, across
 * DST changes). An interval schedule counts from its deploy time: pass it as `anchor` (see
 * `scheduleAnchor`); without one the intervals count from `from`.
 * @example
 * nextRuns({ mode: 'cron', cron: '0 9 * * 1-5', timeZone: 'Europe/Berlin', intervalMs: 60000, allowOverlap: false }, new Date('2026-03-27T12:00:00Z'), 2);
 * // [2026-03-30T07:00:00.000Z, 2026-03-31T07:00:00.000Z]  (09:00 CEST)
 */
export function nextRuns(settings: Pick<ScheduleSettings, 'mode' | 'cron' | 'timeZone' | 'intervalMs'>, from: Date, count: number, anchor?: number): Date[] {
  const n = Math.max(0, Math.min(Math.floor(count), 1000));
  if (settings.mode === 'interval') {
    const first = intervalSlotAfter(anchor ?? from.getTime(), settings.intervalMs, from.getTime());
    return Array.from({ length: n }, (_, i) => new Date(first + i * settings.intervalMs));
  }
  return compileCron(settings).nextRuns(n, from);
}

export const scheduleRunner: NodeRunner<ScheduleSettings, Prepared> = {
  type: 'schedule',
  prepare(s, ctx) {
    if (s.mode !== 'cron') return {};
    const fail = (message: string, field = 'cron'): never => {
      throw new ProblemsError([{ path: `${ctx.path}.${field}`, code: 'invalid_value', message, nodeId: ctx.node.id }]);
    };
    if (s.timeZone && !isTimeZone(s.timeZone)) fail('must be an IANA time zone such as "Europe/Berlin" or "UTC"', 'timeZone');
    let cron: Cron | undefined;
    try {
      cron = compileCron(s);
    } catch (e) {
      fail(`is not a valid cron pattern: ${(e as Error).message.replace(/^CronPattern: /, '')}`);
    }
    if (!cron!.nextRun()) fail('never matches a future time');
    return { cron };
  },
  run: (input) => ({ message: input }),
  activate: (ctx) => startSchedule(ctx),
};

/** The first `start + k * interval` (k >= 1) strictly after `t`. */
function intervalSlotAfter(start: number, interval: number, t: number): number {
  return start + Math.max(1, Math.floor((t - start) / interval) + 1) * interval;
}

function startSchedule(ctx: TriggerActivation<ScheduleSettings, Prepared>): () => void {
  const s = ctx.settings;
  const started = clock.now();
  let timer: unknown;
  let stopped = false;
  /** Runs fired and not yet finished (fire + execution). */
  let inFlight = 0;

  const nextAfter = (t: number): number | undefined => {
    if (s.mode === 'interval') return intervalSlotAfter(started, s.intervalMs, t);
    return ctx.prepared.cron!.nextRun(new Date(t))?.getTime();
  };

  const arm = (at: number | undefined) => {
    if (stopped || at === undefined) return;
    timer = clock.setTimeout(() => {
      if (stopped) return;
      // A timer may wake early (long waits are split, clocks drift): wait again for the same tick.
      if (clock.now() < at) return arm(at);
      tick(at);
    }, Math.min(Math.max(0, at - clock.now()), MAX_TIMER_MS));
  };

  const tick = (at: number) => {
    const firedAt = clock.now();
    // After a long pause (sleep, busy machine) missed ticks are not made up: the next one is after now.
    arm(nextAfter(Math.max(at, firedAt)));
    const scheduledAt = new Date(at).toISOString();
    if (inFlight > 0 && !s.allowOverlap) {
      const message = `schedule "${ctx.node.id}": skipped the run due at ${scheduledAt} because the previous run has not finished (allowOverlap is off)`;
      ctx.logger.warn(message, { flowId: ctx.flow.id, nodeId: ctx.node.id });
      ctx.emit({ type: 'warning', code: 'schedule_overlap_skipped', message, flowId: ctx.flow.id, nodeId: ctx.node.id });
      return;
    }
    inFlight++;
    ctx
      .fire(scheduleTick(ctx.node.id, at, firedAt))
      .then((r) => r.done)
      .catch((err: unknown) => {
        const text = `schedule "${ctx.node.id}": could not start the run due at ${scheduledAt}: ${(err as Error)?.message ?? err}`;
        ctx.logger.error(text, { flowId: ctx.flow.id, nodeId: ctx.node.id });
        ctx.emit({ type: 'warning', code: 'schedule_fire_failed', message: text, flowId: ctx.flow.id, nodeId: ctx.node.id });
      })
      .finally(() => inFlight--);
  };

  const key = `${ctx.flow.id}/${ctx.node.id}`;
  if (s.mode === 'interval') anchors.set(key, started);
  arm(nextAfter(started));
  return () => {
    stopped = true;
    if (anchors.get(key) === started) anchors.delete(key);
    if (timer !== undefined) clock.clearTimeout(timer);
  };
}
