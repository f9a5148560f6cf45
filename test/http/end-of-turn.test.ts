import { describe, expect, it } from 'vitest';
import { atEndOfTurn } from '../../core/http/end-of-turn';

describe('atEndOfTurn', () => {
  it('runs the calls of one turn together after it, in order, with their arguments', async () => {
    const log: string[] = [];
    const call = (a: string, b: number) => log.push(`${a}${b}`);
    atEndOfTurn(call, 'a', 1);
    atEndOfTurn(call, 'b', 2);
    log.push('sync');
    await new Promise((r) => setImmediate(r));
    expect(log).toEqual(['sync', 'a1', 'b2']);
    atEndOfTurn(call, 'c', 3); // a later turn gets its own run
    await new Promise((r) => setImmediate(r));
    expect(log).toEqual(['sync', 'a1', 'b2', 'c3']);
  });

  it('a call that throws does not keep the others from running; the error surfaces', async () => {
    const log: string[] = [];
    const seen = new Promise<unknown>((resolve) => process.once('uncaughtException', resolve));
    atEndOfTurn(() => {
      throw new Error('boom');
    }, 0, 0);
    atEndOfTurn((a: string) => log.push(a), 'after', 0);
    const err = await seen;
    expect((err as Error).message).toBe('boom');
    expect(log).toEqual(['after']);
  });
});
