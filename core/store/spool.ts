/**
 * The bytes of one batch's large parameters (a step's JSON, an input message, a raw body), outside the JavaScript
 * heap. A record waits in a batch for tens of milliseconds (write-behind, then the commit before it), long
 * enough that the garbage collector's young-generation scavenges copied its strings once and then moved them to
 * the old generation, to be collected there seconds later: on the relay bench 5.7 KB per request was promoted
 * that way, and scavenges cost about 45 µs of CPU per request. Copied into the spool as soon as a write is
 * queued, the strings die young; the spool's one buffer goes to the writer thread without a copy (transferred).
 *
 * In a batch, a spooled parameter is a number: the index of its span (`spans[2k]` offset, `spans[2k + 1]`
 * length). Statements declare which parameters may be spooled (see statements.ts); those never hold numbers.
 */

/** Strings shorter than this stay in the batch as they are: copying them costs more than it saves. */
export const SPOOL_FROM = 256;

/** A spool as it travels with its batch; `buffer` absent when nothing was spooled. */
export interface SpoolData {
  buffer?: ArrayBuffer;
  spans: number[];
}

const MIN_CAPACITY = 64 * 1024;

export class Spool {
  private buf: Buffer | undefined;
  private used = 0;
  private spans: number[] = [];
  /** Size of the last batch's spool, to start the next one big enough (no growing copies in steady traffic). */
  private lastSize = MIN_CAPACITY;

  /** Copies text in as UTF-8; returns its span index. */
  text(s: string): number {
    // UTF-8 takes at most 3 bytes per UTF-16 code unit.
    const buf = this.room(s.length * 3);
    const n = buf.write(s, this.used, 'utf8');
    return this.span(n);
  }

  /** Copies bytes in; returns their span index. */
  bytes(b: Uint8Array): number {
    const buf = this.room(b.byteLength);
    buf.set(b, this.used);
    return this.span(b.byteLength);
  }

  /**
   * Builds one span from pieces (see JsonOut in inline-steps.ts): small texts are gathered and written together,
   * large ones (a step's JSON) and bytes are copied in as they are. Gathering those too made one string of the
   * whole span that V8 had to copy flat before writing it. `end` returns the span's index.
   */
  piece(): { text(s: string): void; bytes(b: Uint8Array): void; end(): number } {
    const start = this.used;
    let pending = '';
    const write = (s: string) => {
      const buf = this.room(s.length * 3);
      this.used += buf.write(s, this.used, 'utf8');
    };
    const flush = () => {
      if (!pending) return;
      write(pending);
      pending = '';
    };
    return {
      text: (s) => {
        if (s.length < SPOOL_FROM) pending += s;
        else {
          flush();
          write(s);
        }
      },
      bytes: (b) => {
        flush();
        const buf = this.room(b.byteLength);
        buf.set(b, this.used);
        this.used += b.byteLength;
      },
      end: () => {
        flush();
        this.spans.push(start, this.used - start);
        return this.spans.length / 2 - 1;
      },
    };
  }

  /** The spans so far and the buffer holding them; the spool starts afresh (the buffer may be transferred). */
  take(): SpoolData {
    if (!this.buf) return { spans: [] };
    const out = { buffer: this.buf.buffer as ArrayBuffer, spans: this.spans };
    this.lastSize = Math.max(MIN_CAPACITY, this.used);
    this.buf = undefined;
    this.used = 0;
    this.spans = [];
    return out;
  }

  private span(n: number): number {
    this.spans.push(this.used, n);
    this.used += n;
    return this.spans.length / 2 - 1;
  }

  /** A buffer with at least `need` free bytes after `used`, grown (by copying) when needed. */
  private room(need: number): Buffer {
    const cap = this.buf?.length ?? 0;
    if (this.buf && this.used + need <= cap) return this.buf;
    // Its own ArrayBuffer (allocUnsafeSlow never hands out a slice of Node's shared pool), so it can be transferred.
    const next = Buffer.allocUnsafeSlow(Math.max(this.lastSize, cap * 2, this.used + need));
    if (this.buf) this.buf.copy(next, 0, 0, this.used);
    this.buf = next;
    return next;
  }
}

/**
 * A spooled parameter back from its span in `view` (the spool's buffer): text (UTF-8) or, for a BLOB column, the
 * bytes (a view, no copy). Shared in spirit with sqlite-writer.cjs (keep the two alike).
 */
export function unspool(view: Buffer, spans: number[], index: number, blob: boolean): string | Buffer {
  const off = spans[index * 2];
  const end = off + spans[index * 2 + 1];
  return blob ? view.subarray(off, end) : view.toString('utf8', off, end);
}
