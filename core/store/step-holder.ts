import type { StepRecord } from '../runtime/events';

type Row = Record<string, any>;

/**
 * How long a running execution's writes wait in memory. An execution that finishes sooner (most webhook flows
 * take milliseconds) is written once at finish: its row with its final status and its steps inline, one row
 * instead of an insert, an update and one row per step (measured on the request-response bench: about 11 us
 * less writer CPU per execution for the inline steps; for a flow that waits on a partner, the held insert
 * saves the update that grew the row in a later batch). A process that dies loses what is held for
 * executions still running: the steps, and for request-response executions (never acknowledged before they
 * answer) the row itself. Accepted messages are written, and committed, before they are acknowledged.
 */
export const HOLD_MS = 500;

/** What the holder hands back to the store: an execution's insert, or one of its steps. */
export type HeldWrite = 'insert' | 'step';

/**
 * The parameters of a `step` write (see statements.ts), payloads as JSON text. A class, not an object literal,
 * as are the holder's own records: V8 may decide to allocate the objects of a busy literal straight in the old
 * generation, and a young string referenced from there (a step's JSON, held for a few milliseconds) is then
 * copied by every scavenge until the next full collection. On the relay bench that promoted 5.7 KB per request;
 * instances of classes are never allocated that way.
 */
export class StepWrite {
  executionId: string;
  index: number;
  nodeId: string;
  nodeType: string;
  status: string;
  port: string | null;
  startedAt: string;
  durationMs: number;
  /** The next held step of the same execution. */
  next: StepWrite | undefined = undefined;
  constructor(
    step: StepRecord,
    public input: string | null,
    public inputRef: number | null,
    public output: string | null,
    public outputSame: number,
    public error: string | null,
    public attempts: string | null,
  ) {
    this.executionId = step.executionId;
    this.index = step.index;
    this.nodeId = step.nodeId;
    this.nodeType = step.nodeType;
    this.status = step.status;
    this.port = step.port ?? null;
    this.startedAt = step.startedAt;
    this.durationMs = step.durationMs;
  }

  /**
   * Drops the payloads once they are copied into a batch's spool. A step held across a scavenge may have been
   * moved to the old generation; dead there, it still kept its JSON (young) alive until the next full collection,
   * since a scavenge counts every old-to-young pointer as live, and every such string was then copied and promoted
   * in turn. On the relay bench that promoted ~2.4 KB per request (97–107 MB in 45,000–60,000 requests, against
   * ~4 MB with this); unlinking the held steps from each other (Held.detach) cuts the same chain between steps.
   */
  clear(): void {
    this.input = this.output = this.error = this.attempts = null;
  }
}

/** An execution's held writes: its steps in order (a list through StepWrite.next), and its insert. */
class Held {
  first: StepWrite | undefined = undefined;
  last: StepWrite | undefined = undefined;
  constructor(
    readonly since: number,
    /** The execution's insert, when its row is held too (request-response runs, see StepHolder.hold). */
    public insert: Row | undefined,
  ) {}

  /**
   * The held steps in order and the insert, unlinked from each other and from this record (see StepWrite.clear):
   * the record may be left dead in the old generation, and must not keep them alive there.
   */
  detach(): { steps: StepWrite[]; insert?: Row } {
    const steps: StepWrite[] = [];
    for (let s = this.first; s; ) {
      const next = s.next;
      s.next = undefined;
      steps.push(s);
      s = next;
    }
    const insert = this.insert;
    this.first = this.last = this.insert = undefined;
    return { steps, insert };
  }
}

/**
 * The writes of running executions, held in memory (see HOLD_MS) as the parameters of their `insert` and `step`
 * writes. `release` hands the writes of executions held too long to the store, the insert first; a timer for the
 * oldest held one makes sure a long run's writes do not wait for its end, or for other traffic.
 */
export class StepHolder {
  /** Oldest first (Map keeps insertion order). */
  private readonly held = new Map<string, Held>();
  private timer: NodeJS.Timeout | undefined;

  /**
   * @param write takes the writes of released executions
   * @param due called after the timer released some (the store then schedules a batch)
   */
  constructor(
    private readonly write: (kind: HeldWrite, params: Row) => void,
    private readonly due: () => void,
  ) {}

  /** Starts holding the steps of an execution that is about to run, and its row's insert when given. */
  hold(id: string, insert?: Row): void {
    this.held.set(id, new Held(Date.now(), insert));
    if (!this.timer) this.arm(HOLD_MS);
  }

  /** Keeps a step's write if its execution is held; false when the store must write it now. */
  add(executionId: string, step: StepWrite): boolean {
    const h = this.held.get(executionId);
    if (!h) return false;
    if (h.last) h.last.next = step;
    else h.first = step;
    h.last = step;
    return true;
  }

  /** The held insert of a running execution, to update in place (undefined once written). */
  insertOf(id: string): Row | undefined {
    return this.held.get(id)?.insert;
  }

  /**
   * Stops holding an execution that finished: its held steps (the store writes them inline with its row, see
   * inline-steps.ts) and its insert, if that is still held (the store writes it with the final status).
   */
  take(id: string): { steps: StepWrite[]; insert?: Row } {
    const h = this.held.get(id);
    if (!h) return { steps: [] };
    this.held.delete(id);
    return h.detach();
  }

  /** Hands over the writes of executions held since `cutoff` or before; their later steps are written at once. */
  release(cutoff: number): void {
    for (const [id, h] of this.held) {
      if (h.since > cutoff) break; // oldest first
      this.releaseHeld(id, h);
    }
  }

  /** Hands over one execution's writes now (something else is about to write to its row). */
  releaseOne(id: string): void {
    const h = this.held.get(id);
    if (h) this.releaseHeld(id, h);
  }

  /** Releases everything and stops the timer (the store is closing). */
  close(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.release(Infinity);
  }

  private releaseHeld(id: string, h: Held) {
    this.held.delete(id);
    const { steps, insert } = h.detach();
    if (insert) this.write('insert', insert);
    for (const p of steps) this.write('step', p);
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
