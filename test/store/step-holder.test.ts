import { describe, expect, it } from 'vitest';
import { StepHolder, StepWrite } from '../../core/store/step-holder';
import type { StepRecord } from '../../core/runtime/events';

const record = (index: number): StepRecord => ({ executionId: 'e1', index, nodeId: `n${index}`, nodeType: 'set', status: 'succeeded', startedAt: '2026-12-02T00:00:00.000Z', durationMs: 1 });
const write = (index: number) => new StepWrite(record(index), `{"in":${index}}`, null, `{"out":${index}}`, 0, null, '[{"attempt":1}]');

describe('step holder', () => {
  it('hands back a finished execution’s steps in order, unlinked from each other and from its record', () => {
    const holder = new StepHolder(() => undefined, () => undefined);
    const row = { id: 'e1' };
    holder.hold('e1', row);
    const steps = [write(0), write(1), write(2)];
    for (const s of steps) expect(holder.add('e1', s)).toBe(true);
    const taken = holder.take('e1');
    holder.close();
    expect(taken.insert).toBe(row);
    expect(taken.steps).toEqual(steps);
    // A dead step left in the old generation must not keep the next one (and its JSON) alive through scavenges.
    for (const s of taken.steps) expect(s.next).toBeUndefined();
    expect(holder.insertOf('e1')).toBeUndefined();
    expect(holder.add('e1', write(3))).toBe(false);
  });

  it('hands a still-running execution’s writes to the store when released, the insert first, unlinked likewise', () => {
    const written: Array<[string, unknown]> = [];
    const holder = new StepHolder((kind, params) => written.push([kind, params]), () => undefined);
    const row = { id: 'e1' };
    holder.hold('e1', row);
    const steps = [write(0), write(1)];
    for (const s of steps) holder.add('e1', s);
    holder.close();
    expect(written).toEqual([['insert', row], ['step', steps[0]], ['step', steps[1]]]);
    for (const s of steps) expect(s.next).toBeUndefined();
    expect(holder.take('e1')).toEqual({ steps: [] });
  });

  it('clear() drops a step’s payloads once they are copied out, and keeps what identifies it', () => {
    const s = write(4);
    s.clear();
    expect(s).toMatchObject({ input: null, output: null, error: null, attempts: null, index: 4, nodeId: 'n4', executionId: 'e1' });
  });
});
