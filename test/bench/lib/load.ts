import http from 'node:http';

/** CPU time of a server so far, microseconds: the whole process, and its main thread (NaN off Linux). */
export interface CpuSample {
  total: number;
  main: number;
}

export interface LoadTarget {
  name: string;
  url: string;
  /** Request body for the n-th request to this target (warm-up included), so messages can carry a sequence number. */
  body: (n: number) => string;
  /** Status a request must get to count (200 for request-response, 202 for async ingest). */
  expectStatus: number;
  /** Called after each slice, e.g. to let a queue drain so its work does not spill into the next target's slice. */
  settle?: () => Promise<void>;
  /** Reads the server's CPU time in microseconds (process, main thread); sampled before and after the run for CPU per request. */
  serverCpu?: () => Promise<CpuSample>;
}

export interface LoadOptions {
  concurrency: number;
  /** Warm-up window length, and the least warm-up a target gets. */
  warmupSeconds: number;
  /**
   * With a larger value the warm-up goes on window by window while the target keeps getting faster (a window more
   * than WARMUP_RISE above the one before) and stops at this many seconds: V8 needs a few thousand requests to
   * optimise a large server's hot paths, and a cold slice would be measured as the server's speed.
   */
  warmupMaxSeconds?: number;
  seconds: number;
  /** Length of one measured slice; targets take turns slice by slice. */
  sliceSeconds: number;
  /** Cap on measured requests per target. */
  maxRequests: number;
}

export interface LoadResult {
  /** Requests answered with the expected status inside the measured slices. */
  ok: number;
  /** Answered otherwise (other status or socket error) inside the measured slices. */
  errors: number;
  /** Answered with the expected status over warm-up, slices and drain together (e.g. every acknowledged message). */
  okTotal: number;
  errorsTotal: number;
  firstError?: string;
  elapsedS: number;
  rps: number;
  p50: number;
  p99: number;
  max: number;
  /** Server CPU per answered request after the warm-up (measured slices and their drain), microseconds; NaN without serverCpu. */
  serverCpuPerReq: number;
  /** Of it, the server's main thread (its one JavaScript event loop); NaN without serverCpu or off Linux. */
  mainCpuPerReq: number;
  /** Share of one core the load generator used during this target's measured slices (near 1 = client-bound). */
  clientCpu: number;
  /** Seconds this target was warmed up for (see LoadOptions.warmupMaxSeconds). */
  warmupS: number;
}

/** A warm-up window this much faster than the one before means the target is still warming up. */
export const WARMUP_RISE = 0.1;

interface State {
  t: LoadTarget;
  url: URL;
  agent: http.Agent;
  seq: number;
  latencies: number[];
  res: LoadResult;
  clientCpuMicros: number;
  /** Measured requests sent so far, checked against maxRequests before each send. */
  issued: number;
}

/**
 * Closed-loop load: `concurrency` loops per target each send one request, wait for the whole answer and
 * send the next. Every target is warmed up, then the targets take turns in short slices until each has had
 * `seconds` of measured time. Taking turns puts the baseline and Hookline under the same background load
 * (the machine is shared), so their ratio is steadier than two back-to-back runs would give. Each slice waits
 * for the requests still in flight, so the totals are exact.
 */
export async function runInterleaved(targets: LoadTarget[], o: LoadOptions): Promise<Map<string, LoadResult>> {
  const states: State[] = targets.map((t) => ({
    t,
    url: new URL(t.url),
    agent: new http.Agent({ keepAlive: true, maxSockets: o.concurrency }),
    seq: 0,
    latencies: [],
    res: { ok: 0, errors: 0, okTotal: 0, errorsTotal: 0, elapsedS: 0, rps: NaN, p50: NaN, p99: NaN, max: NaN, serverCpuPerReq: NaN, mainCpuPerReq: NaN, clientCpu: NaN, warmupS: 0 },
    clientCpuMicros: 0,
    issued: 0,
  }));
  const none: CpuSample = { total: Number.NaN, main: Number.NaN };
  const cpuBefore: CpuSample[] = [];
  const cpuAfter: CpuSample[] = [];
  const warmAnswers: number[] = [];
  try {
    for (const s of states) await warmUp(s, o);
    // CPU per request is of the measured part: from the end of the warm-up on (slices and their drain).
    cpuBefore.push(...(await Promise.all(targets.map((t) => t.serverCpu?.() ?? none))));
    for (const s of states) warmAnswers.push(s.res.okTotal);
    const rounds = Math.max(1, Math.round(o.seconds / o.sliceSeconds));
    for (let i = 0; i < rounds; i++) for (const s of states) await slice(s, o, o.seconds / rounds, true);
    cpuAfter.push(...(await Promise.all(targets.map((t) => t.serverCpu?.() ?? none))));
  } finally {
    for (const s of states) s.agent.destroy();
  }
  const out = new Map<string, LoadResult>();
  states.forEach((s, i) => {
    const sorted = Float64Array.from(s.latencies).sort();
    const pct = (p: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] : NaN);
    out.set(s.t.name, {
      ...s.res,
      rps: s.res.ok / s.res.elapsedS,
      p50: pct(50),
      p99: pct(99),
      max: sorted.length ? sorted[sorted.length - 1] : NaN,
      serverCpuPerReq: (cpuAfter[i].total - cpuBefore[i].total) / (s.res.okTotal - warmAnswers[i]),
      mainCpuPerReq: (cpuAfter[i].main - cpuBefore[i].main) / (s.res.okTotal - warmAnswers[i]),
      clientCpu: s.clientCpuMicros / 1e6 / s.res.elapsedS,
    });
  });
  return out;
}

/** Warm-up windows until the target stops getting faster (or for warmupSeconds only, without warmupMaxSeconds). */
async function warmUp(s: State, o: LoadOptions): Promise<void> {
  if (o.warmupSeconds <= 0) return;
  const max = Math.max(o.warmupSeconds, o.warmupMaxSeconds ?? 0);
  let previous = await slice(s, o, o.warmupSeconds, false);
  s.res.warmupS = o.warmupSeconds;
  while (max > o.warmupSeconds && s.res.warmupS + o.warmupSeconds <= max + 1e-9) {
    const rate = await slice(s, o, o.warmupSeconds, false);
    s.res.warmupS = Math.round((s.res.warmupS + o.warmupSeconds) * 1000) / 1000;
    if (rate <= previous * (1 + WARMUP_RISE)) break;
    previous = rate;
  }
}

/** One slice of load; returns its rate of expected answers per second while it was open. */
async function slice(s: State, o: LoadOptions, seconds: number, measured: boolean): Promise<number> {
  let open = true;
  let answered = 0;
  let warmupSent = 0;
  const start = process.hrtime.bigint();
  const cpu0 = process.cpuUsage();
  const loop = async () => {
    // Bounded by count as well as by time: measured requests over all slices, warm-up requests per warm-up.
    while (open && (measured ? s.issued : warmupSent) < o.maxRequests) {
      if (measured) s.issued++;
      else warmupSent++;
      const r = await request(s);
      const good = r.status === s.t.expectStatus;
      if (good) {
        s.res.okTotal++;
        if (open) answered++;
      } else {
        s.res.errorsTotal++;
        s.res.firstError ??= r.error ?? `status ${r.status}`;
      }
      // Requests that end after the slice closed (drain) count in the totals, not in the rate.
      if (!measured || !open) continue;
      if (good) {
        s.res.ok++;
        s.latencies.push(r.ms);
      } else s.res.errors++;
    }
  };
  const loops = Array.from({ length: o.concurrency }, loop);
  await Promise.race([new Promise((r) => setTimeout(r, seconds * 1000)), Promise.all(loops)]);
  open = false;
  const elapsedS = Number(process.hrtime.bigint() - start) / 1e9;
  if (measured) {
    s.res.elapsedS += elapsedS;
    const c = process.cpuUsage(cpu0);
    s.clientCpuMicros += c.user + c.system;
  }
  await Promise.all(loops);
  await s.t.settle?.();
  return answered / elapsedS;
}

function request(s: State): Promise<{ status: number; ms: number; error?: string }> {
  return new Promise((resolve) => {
    const payload = s.t.body(s.seq++);
    const t0 = process.hrtime.bigint();
    const fail = (e: unknown) => resolve({ status: -1, ms: 0, error: String(e) });
    const req = http.request(
      {
        host: s.url.hostname,
        port: s.url.port,
        path: s.url.pathname + s.url.search,
        method: 'POST',
        agent: s.agent,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) },
      },
      (res) => {
        res.on('data', () => {});
        res.on('end', () => resolve({ status: res.statusCode ?? 0, ms: Number(process.hrtime.bigint() - t0) / 1e6 }));
        res.on('error', fail);
      },
    );
    req.on('error', fail);
    req.end(payload);
  });
}
