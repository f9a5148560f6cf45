/**
 * In-process counterpart of runInterleaved for CPU-only work (no server, no sockets): each case is called
 * in a tight loop for a slice, the cases take turns slice by slice, so background load on the shared machine
 * hits them alike.
 */
export interface CpuCase {
  name: string;
  /** One operation; the n-th call gets n. Returns a string so the work cannot be optimised away. */
  op: (n: number) => string;
}

export interface CpuResult {
  ops: number;
  elapsedS: number;
  opsPerSec: number;
  nsPerOp: number;
}

export interface CpuSliceOptions {
  warmupSeconds: number;
  seconds: number;
  sliceSeconds: number;
  /** Cap on operations per case and slice (bounds a slice even if the clock misbehaves). */
  maxOpsPerSlice?: number;
}

/** Calls between clock reads: small enough for exact slices, large enough that hrtime costs nothing. */
const BATCH = 256;

export function runCpuInterleaved(cases: CpuCase[], o: CpuSliceOptions): Map<string, CpuResult> {
  const maxOps = o.maxOpsPerSlice ?? 50_000_000;
  const state = cases.map(() => ({ ops: 0, ns: 0n, seq: 0 }));
  // Keeps every result observable; reading a char also flattens string ropes, as writing to a socket would.
  let sink = 0;
  const slice = (i: number, seconds: number, measured: boolean) => {
    const c = cases[i];
    const st = state[i];
    const budget = BigInt(Math.round(seconds * 1e9));
    const t0 = process.hrtime.bigint();
    let done = 0;
    let now = t0;
    while (now - t0 < budget && done < maxOps) {
      for (let k = 0; k < BATCH; k++) {
        const s = c.op(st.seq++);
        sink += s.charCodeAt(s.length - 1);
      }
      done += BATCH;
      now = process.hrtime.bigint();
    }
    if (measured) {
      st.ops += done;
      st.ns += now - t0;
    }
  };
  if (o.warmupSeconds > 0) cases.forEach((_, i) => slice(i, o.warmupSeconds, false));
  const rounds = Math.max(1, Math.round(o.seconds / o.sliceSeconds));
  for (let r = 0; r < rounds; r++) cases.forEach((_, i) => slice(i, o.seconds / rounds, true));
  if (sink === -1) console.log(sink);
  const out = new Map<string, CpuResult>();
  cases.forEach((c, i) => {
    const elapsedS = Number(state[i].ns) / 1e9;
    out.set(c.name, { ops: state[i].ops, elapsedS, opsPerSec: state[i].ops / elapsedS, nsPerOp: (elapsedS * 1e9) / state[i].ops });
  });
  return out;
}
