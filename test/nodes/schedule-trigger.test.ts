import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ProblemsError } from '../../core/model/problems';
import { nextRuns, setScheduleClock, type ScheduleClock } from '../../core/nodes/schedule/run';
import { scheduleSettingsSchema } from '../../core/nodes/schedule/spec';
import { startRuntime, waitFor, type TestRuntime } from '../helpers/runtime';

/** A clock the test moves by hand: timers fire in time order, synchronously, inside `advance`. */
class ManualClock implements ScheduleClock {
  private seq = 0;
  readonly timers = new Map<number, { at: number; fn: () => void }>();
  constructor(public t: number) {}
  now = () => this.t;
  setTimeout = (fn: () => void, ms: number) => {
    this.timers.set(++this.seq, { at: this.t + ms, fn });
    return this.seq;
  };
  clearTimeout = (h: unknown) => {
    this.timers.delete(h as number);
  };
  nextAt(): number | undefined {
    return Math.min(...[...this.timers.values()].map((x) => x.at));
  }
  advance(ms: number) {
    const end = this.t + ms;
    for (let guard = 0; guard < 10_000; guard++) {
      const due = [...this.timers].filter(([, x]) => x.at <= end).sort((a, b) => a[1].at - b[1].at)[0];
      if (!due) break;
      this.timers.delete(due[0]);
      this.t = Math.max(this.t, due[1].at);
      due[1].fn();
    }
    this.t = end;
  }
}

let t: TestRuntime;
let clock: ManualClock;
const START = Date.parse('2026-03-27T12:00:00.000Z');
beforeEach(async () => {
  clock = new ManualClock(START);
  setScheduleClock(clock);
  t = await startRuntime();
});
afterEach(async () => {
  await t.stop();
  setScheduleClock();
});

let n = 0;
function scheduleFlow(settings: Record<string, unknown>, after: Array<{ type: string; settings?: Record<string, unknown> }> = [{ type: 'log' }]) {
  const id = `sched-${++n}`;
  const nodes = [{ id: 's', type: 'schedule', settings }, ...after.map((x, i) => ({ id: `n${i + 1}`, type: x.type, settings: x.settings ?? {} }))];
  return { formatVersion: 1 as const, id, name: id, nodes, edges: nodes.slice(1).map((x, i) => ({ id: `e${i}`, source: nodes[i].id, target: x.id })) };
}

async function executions(flowId: string, count: number, status = 'succeeded') {
  return waitFor(async () => {
    const page = await t.rt.store.listExecutions({ flowId });
    const done = page.items.filter((e) => e.status === status);
    return done.length >= count ? done : undefined;
  });
}

describe('Schedule trigger (fake clock)', () => {
  it('fixed interval: fires every interval from deploy with { scheduledAt, firedAt } as data and trigger body', async () => {
    const f = scheduleFlow({ mode: 'interval', intervalMs: 5000 });
    await t.rt.deploy(f);
    expect(clock.nextAt()).toBe(START + 5000);
    clock.advance(4999);
    expect((await t.rt.store.listExecutions({ flowId: f.id })).total).toBe(0);
    clock.advance(1);
    const [first] = await executions(f.id, 1);
    const detail = await t.rt.store.getExecution(first.id);
    const at = new Date(START + 5000).toISOString();
    expect(detail!.input).toMatchObject({
      trigger: { type: 'schedule', nodeId: 's', query: {}, headers: {}, body: { scheduledAt: at, firedAt: at }, receivedAt: at },
      data: { scheduledAt: at, firedAt: at },
      vars: {},
    });
    expect(detail!.steps.map((s) => s.nodeId)).toEqual(['s', 'n1']);
    clock.advance(5000);
    await executions(f.id, 2);
    expect(clock.nextAt()).toBe(START + 15_000);
  });

  it('a late timer does not make up missed ticks: the next run is the next slot after now', async () => {
    const f = scheduleFlow({ mode: 'interval', intervalMs: 1000 });
    await t.rt.deploy(f);
    // Jump 10.5 s at once (machine asleep): one run, then the schedule continues at the next whole slot.
    clock.t += 10_500;
    clock.advance(0);
    const [only] = await executions(f.id, 1);
    const input = (await t.rt.store.getExecution(only.id))!.input as any;
    expect(input.data.scheduledAt).toBe(new Date(START + 1000).toISOString());
    expect(input.data.firedAt).toBe(new Date(START + 10_500).toISOString());
    expect(clock.nextAt()).toBe(START + 11_000);
  });

  it('no overlapping runs: a tick while the previous run is going is skipped with a warning event', async () => {
    const f = scheduleFlow({ mode: 'interval', intervalMs: 1000 }, [{ type: 'delay', settings: { ms: 300 } }]);
    await t.rt.deploy(f);
    clock.advance(1000);
    await waitFor(async () => (await t.rt.store.listExecutions({ flowId: f.id })).total === 1);
    clock.advance(1000); // the first run is still in its 300 ms delay
    await executions(f.id, 1);
    const warnings = t.events.filter((e) => e.type === 'warning' && e.code === 'schedule_overlap_skipped');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({ flowId: f.id, nodeId: 's' });
    expect((warnings[0] as { message: string }).message).toContain(new Date(START + 2000).toISOString());
    clock.advance(1000); // the first run has finished: this tick runs
    await executions(f.id, 2);
    expect((await t.rt.store.listExecutions({ flowId: f.id })).total).toBe(2);
  });

  it('allowOverlap starts a run on every tick', async () => {
    const f = scheduleFlow({ mode: 'interval', intervalMs: 1000, allowOverlap: true }, [{ type: 'delay', settings: { ms: 300 } }]);
    await t.rt.deploy(f);
    clock.advance(1000);
    await waitFor(async () => (await t.rt.store.listExecutions({ flowId: f.id })).total === 1);
    clock.advance(1000);
    await executions(f.id, 2);
    expect(t.events.some((e) => e.type === 'warning' && e.code === 'schedule_overlap_skipped')).toBe(false);
  });

  it('cron in a time zone: the timer is set for 09:00 Berlin time on the next weekday', async () => {
    const f = scheduleFlow({ mode: 'cron', cron: '0 9 * * 1-5', timeZone: 'Europe/Berlin' });
    await t.rt.deploy(f);
    // Friday 27 March 2026, 13:00 in Berlin: next is Monday 30 March, 09:00 CEST (after the DST change) = 07:00Z.
    const monday = Date.parse('2026-03-30T07:00:00.000Z');
    expect(clock.nextAt()).toBe(monday);
    clock.advance(monday - START);
    const [ex] = await executions(f.id, 1);
    expect(((await t.rt.store.getExecution(ex.id))!.input as any).data.scheduledAt).toBe('2026-03-30T07:00:00.000Z');
    expect(clock.nextAt()).toBe(Date.parse('2026-03-31T07:00:00.000Z'));
  });

  it('undeploy and redeploy stop the old timer', async () => {
    const f = scheduleFlow({ mode: 'interval', intervalMs: 2000 });
    await t.rt.deploy(f);
    expect(clock.timers.size).toBe(1);
    await t.rt.deploy({ ...f, revision: 2 });
    expect(clock.timers.size).toBe(1);
    await t.rt.undeploy(f.id);
    expect(clock.timers.size).toBe(0);
    clock.advance(10_000);
    await new Promise((r) => setTimeout(r, 50));
    expect((await t.rt.store.listExecutions({ flowId: f.id })).total).toBe(0);
  });

  it('bad settings fail the deploy with paths', async () => {
    const cases: Array<[Record<string, unknown>, string, RegExp]> = [
      [{ cron: '61 * * * *' }, 'nodes[0].settings.cron', /not a valid cron pattern: Invalid value for minute: 61/],
      [{ cron: '* * *' }, 'nodes[0].settings.cron', /five, six, or seven/],
      [{ cron: '0 0 30 2 *' }, 'nodes[0].settings.cron', /never matches/],
      [{ mode: 'cron', timeZone: 'Mars/Olympus' }, 'nodes[0].settings.timeZone', /IANA time zone/],
      [{ mode: 'interval', intervalMs: 500 }, 'nodes[0].settings.intervalMs', /at least 1000/],
    ];
    for (const [settings, path, message] of cases) {
      const err = await t.rt.deploy(scheduleFlow(settings)).catch((e) => e);
      expect(err, JSON.stringify(settings)).toBeInstanceOf(ProblemsError);
      const p = (err as ProblemsError).problems.find((x) => x.path === path);
      expect(p?.message, `${path}: ${JSON.stringify((err as ProblemsError).problems)}`).toMatch(message);
    }
  });
});

describe('nextRuns', () => {
  const s = (x: Record<string, unknown>) => scheduleSettingsSchema.parse(x);

  it('cron in a time zone across the spring DST change', () => {
    const from = new Date('2026-03-27T12:00:00Z');
    const berlin = nextRuns(s({ cron: '0 9 * * *', timeZone: 'Europe/Berlin' }), from, 4).map((d) => d.toISOString());
    expect(berlin).toEqual(['2026-03-28T08:00:00.000Z', '2026-03-29T07:00:00.000Z', '2026-03-30T07:00:00.000Z', '2026-03-31T07:00:00.000Z']);
    const ny = nextRuns(s({ cron: '30 8 * * 1', timeZone: 'America/New_York' }), new Date('2026-03-01T00:00:00Z'), 2).map((d) => d.toISOString());
    // 2 March is still EST (-5), 9 March is EDT (-4): DST starts 8 March 2026 in the US.
    expect(ny).toEqual(['2026-03-02T13:30:00.000Z', '2026-03-09T12:30:00.000Z']);
  });

  it('seconds field, nicknames, interval and count bounds', () => {
    const from = new Date('2026-01-01T00:00:05.000Z');
    expect(nextRuns(s({ cron: '*/20 * * * * *', timeZone: 'UTC' }), from, 3).map((d) => d.toISOString())).toEqual([
      '2026-01-01T00:00:20.000Z',
      '2026-01-01T00:00:40.000Z',
      '2026-01-01T00:01:00.000Z',
    ]);
    expect(nextRuns(s({ cron: '@daily', timeZone: 'Asia/Kolkata' }), from, 1)[0].toISOString()).toBe('2026-01-01T18:30:00.000Z');
    expect(nextRuns(s({ mode: 'interval', intervalMs: 90_000 }), from, 2).map((d) => d.getTime() - from.getTime())).toEqual([90_000, 180_000]);
    // With the deploy time as anchor, interval times line up with the real ticks.
    const anchor = from.getTime() - 100_000;
    expect(nextRuns(s({ mode: 'interval', intervalMs: 90_000 }), from, 2, anchor).map((d) => d.getTime() - anchor)).toEqual([180_000, 270_000]);
    expect(nextRuns(s({}), from, 0)).toEqual([]);
    expect(nextRuns(s({}), from, 5000)).toHaveLength(1000);
  });
});
