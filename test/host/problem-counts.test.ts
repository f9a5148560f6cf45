import { describe, expect, it } from 'vitest';
import type { HostApi } from '../../core/host/api';
import { problemCounts } from '../../core/host/problem-counts';

describe("the flow list's error counts", () => {
  it('are counted once per flow revision, taken from a save, and counted again after a change or after 10 s', async () => {
    let t = 0;
    const counted: string[] = [];
    const c = problemCounts(async (f: { id: string; revision: number }) => (counted.push(`${f.id}@${f.revision}`), f.revision), () => t);
    const calls: string[] = [];
    const api = c.watch({
      listFlows: async () => (calls.push('listFlows'), []),
      setSecret: async () => (calls.push('setSecret'), { name: 'X', set: true }),
      deploy: async () => {
        throw new Error('refused');
      },
      onEvent: () => () => undefined,
    } as unknown as HostApi);

    expect(await c.of({ id: 'a', revision: 1 })).toBe(1);
    expect(await c.of({ id: 'a', revision: 1 })).toBe(1);
    await api.listFlows(); // a read changes nothing
    expect(await c.of({ id: 'a', revision: 1 })).toBe(1);
    expect(counted).toEqual(['a@1']);
    c.remember({ id: 'a', revision: 2 }, 7); // what saveFlow just counted
    expect(await c.of({ id: 'a', revision: 2 })).toBe(7);
    expect(counted).toEqual(['a@1']);

    await api.setSecret('X', 'v'); // may fix or cause a missing-secret problem
    expect(await c.of({ id: 'a', revision: 2 })).toBe(2);
    await expect(api.deploy('a')).rejects.toThrow('refused'); // a failed call may have changed something too
    expect(await c.of({ id: 'a', revision: 2 })).toBe(2);
    t += 10_000;
    expect(await c.of({ id: 'a', revision: 2 })).toBe(2);
    expect(counted).toEqual(['a@1', 'a@2', 'a@2', 'a@2']);
    expect(calls).toEqual(['listFlows', 'setSecret']);
    expect(typeof api.onEvent(() => undefined)).toBe('function'); // not a host call: left as it was
  });
});
