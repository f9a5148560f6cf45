/** Knobs shared by every section, read once from the environment. */
function num(name: string, def: number, min: number, max: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return def;
  const v = Number(raw);
  if (!Number.isFinite(v) || v < min || v > max) throw new Error(`${name}: must be a number between ${min} and ${max} (got "${raw}")`);
  return v;
}

export const benchConfig = {
  /** Measured seconds per case. */
  seconds: num('BENCH_SECONDS', 5, 0.5, 120),
  warmupSeconds: num('BENCH_WARMUP_SECONDS', 1, 0, 30),
  /** Warm-up goes on in BENCH_WARMUP_SECONDS windows while a server still gets faster, up to this many seconds. */
  warmupMaxSeconds: num('BENCH_WARMUP_MAX_SECONDS', 8, 0, 60),
  concurrency: Math.round(num('BENCH_CONCURRENCY', 32, 1, 1024)),
  /** Hard cap on requests per phase, so a very fast server cannot run the bench out of memory. */
  maxRequests: Math.round(num('BENCH_MAX_REQUESTS', 1_000_000, 100, 10_000_000)),
  /** Write a CPU profile of each Hookline server child into test-results/bench-profiles/. */
  profile: process.env.BENCH_PROFILE === '1',
};

/** The shared knobs as runInterleaved options. */
export const loadOptions = () => ({
  concurrency: benchConfig.concurrency,
  warmupSeconds: benchConfig.warmupSeconds,
  warmupMaxSeconds: benchConfig.warmupMaxSeconds,
  seconds: benchConfig.seconds,
  sliceSeconds: Math.min(1, benchConfig.seconds),
  maxRequests: benchConfig.maxRequests,
});
