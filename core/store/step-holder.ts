import { inlineStep } from './inline-steps';

type Row = Record<string, any>;

/**
 * How long the steps of a running execution wait in memory before they are written as rows of their own. An
 * execution that finishes sooner (most webhook flows take milliseconds) has its steps written inline with its
 * row at finish: one row instead of one per step (measured on the request-response bench: about 11 us less
 * writer CPU per execution). A process that dies loses the held steps of executions still running; their rows
 * and inputs are written as before (and re-run or marked interrupted at start-up).
 */
export const HOLD_MS = 500;

/**
 * The steps of running executions, held in memory (see HOLD_MS) as the parameters of their `step` writes.
 * `release` hands the writes of executions held too long to the store; a timer for the oldest held one makes
 * sure a long run's steps do not wait for its end, or for other traffic, to be written.
 */
export class StepHolder {
  /** Oldest first (Map keeps insertion order). */
  private readonly held = new Map<string, { since: number; steps: Row[] }>();
  private timer: NodeJS.Timeout | undefined;

  /**
   * @param write takes the `step` writes of released executions
   * @param due called after the timer released some (the store then schedules a batch)
   */
  constructor(
    private readonly write: (step: Row) => void,
    private readonly due: () => void,
  ) {}

  /** Starts holding the steps of an execution that is about to run. */
  hold(id: string): void {
    this.held.set(id, { since: Date.now(), steps: [] });
    if (!this.timer) this.arm(HOLD_MS);
  }

  /** Keeps a step's write if its execution is held; false when the store must write it now. */
  add(executionId: string, step: Row): boolean {
    const h = this.held.get(executionId);
    if (!h) return false;
    h.steps.push(step);
    return true;
  }

  /** Stops holding an execution that finished: its steps as one inline JSON array, or null when none were held. */
  take(id: string): string | null {
    const h = this.held.get(id);
    if (!h) return null;
    this.held.delete(id);
    return h.steps.length > 0 ? `[${h.steps.map(inlineStep).join(',')}]` : null;
  }

  /** Hands over the writes of executions held since `cutoff` or before; their later steps are written at once. */
  release(cutoff: number): void {
    for (const [id, h] of this.held) {
      if (h.since > cutoff) break; // oldest first
      for (const p of h.steps) this.write(p);
      this.held.delete(id);
    }
  }

  /** Releases everything and stops the timer (the store is closing). */
  close(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.release(Infinity);
  }

  private arm(ms: number) {
    this.timer = setTimeout(() => {
      this.timer = undefined;
      const before = this.held.size;
      this.release(Date.now() - HOLD_MS);
      if (this.held.size < before) this.due();
      const oldest = this.held.values().next().value;
      if (oldest) this.arm(Math.max(1, oldest.since + HOLD_MS - Date.now()));
    }, ms);
    this.timer.unref();
  }
}
