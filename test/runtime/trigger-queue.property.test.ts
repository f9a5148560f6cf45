import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TriggerQueue, type Job } from '../../core/runtime/trigger-queue';
import type { ExecutionOutcome } from '../../core/runtime/executor';

const msg = (n: number) => ({ trigger: { type: 'test', nodeId: 'h', query: {}, headers: {}, body: n, receivedAt: '' }, data: n, vars: {} });

/**
 * Random interleavings of arrivals, completions (in any order the scheduler allows) and commit delays:
 * within a partition, executions start in arrival order and never overlap; partitions run in parallel
 * up to the limit.
 */
describe('ordered delivery under random interleavings (fast-check)', () => {
  it('keeps strict per-partition order and the parallelism limit', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.constantFrom('a', 'b', 'c', 'd'), fc.boolean()), { minLength: 1, maxLength: 40 }),
        fc.integer({ min: 1, max: 3 }),
        fc.array(fc.nat(), { minLength: 200, maxLength: 200 }),
        async (arrivals, limit, choices) => {
          const running: Array<{ job: Job; done: (o: ExecutionOutcome) => void }> = [];
          const startedOrder: Job[] = [];
          let maxLanes = 0;
          const q = new TriggerQueue('k', { ordered: true, limit, onFailure: 'park' }, (job) => {
            startedOrder.push(job);
            expect(running.some((r) => r.job.partition === job.partition)).toBe(false);
            return new Promise((done) => {
              running.push({ job, done });
              maxLanes = Math.max(maxLanes, running.length);
            });
          });
          let c = 0;
          const tick = () => new Promise((r) => setImmediate(r));
          let seq = 0;
          for (const [partition, finishOne] of arrivals) {
            const n = seq++;
            q.push({ id: String(n), message: msg(n) as any, queuedAt: n, partition, committed: Promise.resolve(n) });
            await tick();
            if (finishOne && running.length) running.splice(choices[c++ % choices.length] % running.length, 1)[0].done({ status: 'succeeded' });
            await tick();
          }
          for (let guard = 0; guard < 1000 && (running.length || q.depth); guard++) {
            if (running.length) running.splice(choices[c++ % choices.length] % running.length, 1)[0].done({ status: 'succeeded' });
            await tick();
          }
          expect(startedOrder).toHaveLength(arrivals.length);
          expect(maxLanes).toBeLessThanOrEqual(limit);
          for (const p of ['a', 'b', 'c', 'd']) {
            const ids = startedOrder.filter((j) => j.partition === p).map((j) => Number(j.id));
            expect(ids).toEqual([...ids].sort((x, y) => x - y));
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('a halted lane stops only itself and resumes in order after release', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.constantFrom('a', 'b'), { minLength: 2, maxLength: 20 }), fc.nat(19), async (parts, failAt) => {
        const started: Job[] = [];
        const q = new TriggerQueue('k', { ordered: true, limit: 2, onFailure: 'halt' }, async (job) => {
          started.push(job);
          return { status: Number(job.id) === failAt % parts.length ? 'failed' : 'succeeded' };
        });
        parts.forEach((p, n) => q.push({ id: String(n), message: msg(n) as any, queuedAt: n, partition: p, committed: Promise.resolve() }));
        for (let i = 0; i < 50; i++) await new Promise((r) => setImmediate(r));
        const failed = String(failAt % parts.length);
        const lane = parts[Number(failed)];
        const laneAfter = parts.map((p, n) => ({ p, n })).filter((x) => x.p === lane && x.n > Number(failed));
        expect(started.some((j) => laneAfter.some((x) => String(x.n) === j.id))).toBe(false);
        expect(q.blockedHead(failed)).toBeDefined();
        q.release(failed);
        for (let i = 0; i < 50; i++) await new Promise((r) => setImmediate(r));
        expect(started).toHaveLength(parts.length);
        const laneIds = started.filter((j) => j.partition === lane).map((j) => Number(j.id));
        expect(laneIds).toEqual([...laneIds].sort((x, y) => x - y));
      }),
      { numRuns: 300 },
    );
  });
});
