import type { Writer } from './sqlite-writer';
import { writeInlineSteps } from './inline-steps';
import { Spool } from './spool';
import { encode, spoolParams, type WriteName } from './statements';

type Row = Record<string, any>;

/**
 * How long write-behind records (request-response runs, steps, counters) wait to share a transaction when no
 * acknowledgement waits on one; an awaited write, a read or close() sends them at once. Fewer, bigger
 * transactions: on the request-response harness ~60 -> ~120 executions per commit and about 9 % less CPU per
 * request (writer thread 25 -> 21 us). A process that dies loses at most this much of those records, which no
 * caller was promised.
 */
export const WRITE_BEHIND_MS = 20;

export interface BatcherHooks {
  /** `FULL` synchronous mode: a batch someone waits on is fsynced. */
  fullSync: boolean;
  /** Called before a batch is taken: last chance to add or patch writes (held steps, lazily serialised rows). */
  beforeSend(): void;
  onError(err: unknown): void;
}

/**
 * Groups the store's writes into transactions for the writer thread. Everything written during one turn of the
 * event loop is one batch; one batch is in flight at a time, so writes made meanwhile gather into the next one
 * and under load many acknowledgements share one fsync. Records nobody waits for gather for WRITE_BEHIND_MS.
 */
export class WriteBatcher {
  /** Runs waiting for the next batch, by name with named parameters (the store may still patch a pending row). */
  private ops: Array<[WriteName, Row]> = [];
  private committed: Array<{ index: number; resolve: (rowid: number) => void; reject: (e: unknown) => void }> = [];
  private scheduled = false;
  /** Timer of a write-behind batch; an awaited write sends the batch at once. */
  private behindTimer: NodeJS.Timeout | undefined;
  /** The batch the writer is committing now, if any. */
  private inFlight: Promise<void> | undefined;
  private closed = false;
  /** The large parameters of `ops`, outside the heap (see spool.ts); goes with them as one batch. */
  private spool = new Spool();

  constructor(
    private readonly writer: Promise<Writer>,
    private readonly hooks: BatcherHooks,
  ) {}

  get pending(): number {
    return this.ops.length;
  }

  /** The inline steps of an execution, written into the next batch's spool: the span to pass as `steps` in it. */
  spoolInlineSteps(steps: Row[]): number {
    const out = this.spool.piece();
    writeInlineSteps(steps, out);
    return out.end();
  }

  /** Adds a write to the next batch without scheduling one (the caller schedules, or a flush is coming). */
  add(name: WriteName, params: Row): void {
    spoolParams(name, params, this.spool);
    this.ops.push([name, params]);
  }

  write(name: WriteName, params: Row): void {
    this.add(name, params);
    this.schedule();
  }

  /** A write someone waits for: resolves with its result (rowid or rows changed) once its batch is committed. */
  writeAwaited(name: WriteName, params: Row): Promise<number> {
    const index = this.ops.length;
    const done = new Promise<number>((resolve, reject) => this.committed.push({ index, resolve, reject }));
    this.write(name, params);
    return done;
  }

  schedule(): void {
    if (this.committed.length === 0) {
      // Only write-behind records: nobody waits for them, so they gather for a few milliseconds into fewer,
      // bigger transactions. Reads and close() flush at once.
      if (!this.scheduled && !this.behindTimer) this.behindTimer = setTimeout(() => void this.flush(), WRITE_BEHIND_MS);
      return;
    }
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => void this.flush());
  }

  /** Hands every pending write to the writer as one transaction; resolves once it is committed. */
  flush(): Promise<void> {
    this.scheduled = false;
    clearTimeout(this.behindTimer);
    this.behindTimer = undefined;
    if (this.inFlight) return this.inFlight.then(() => this.flush());
    this.hooks.beforeSend();
    if (this.ops.length === 0 || this.closed) return Promise.resolve();
    const waiters = this.committed;
    // Encoded now: the closures below live until the commit, and must not keep the runs' objects alive with them.
    let batch: unknown[] | undefined = encode(this.ops, this.spool);
    const spool = this.spool.take();
    this.ops = [];
    this.committed = [];
    // Only commits that someone waits on (accepted messages) pay for an fsync; the write-behind records ride
    // along with the next one. If the power fails first, a message whose result was not yet synced is found
    // queued or running at start-up and runs again (at-least-once).
    const full = this.hooks.fullSync && waiters.length > 0;
    const done = this.writer
      .then((w) => {
        const b = batch!;
        batch = undefined;
        return w.run(b, full, spool);
      })
      .then(
        (rowids) => {
          for (const w of waiters) w.resolve(rowids[w.index]);
        },
        (err) => {
          for (const w of waiters) w.reject(err);
          this.hooks.onError(err);
        },
      )
      .finally(() => {
        this.inFlight = undefined;
      });
    this.inFlight = done;
    return done;
  }

  /** Sends what is pending, then takes no more batches. */
  async close(): Promise<void> {
    await this.flush();
    this.closed = true;
  }
}
