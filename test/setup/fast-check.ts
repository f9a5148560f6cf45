import fc from 'fast-check';

/**
 * Property tests: a failure found by a random seed is shrunk, and a long shrink of promise-only (async) runs
 * never lets the event loop reach vitest's timeout timer, so a worker looked hung for many minutes. fast-check
 * checks this limit between runs; a failure found before it is still reported (with the smallest case so far).
 * `FC_SEED=<seed>` replays a seed that a failure printed.
 */
fc.configureGlobal({
  interruptAfterTimeLimit: 30_000,
  ...(process.env.FC_SEED ? { seed: Number(process.env.FC_SEED) } : {}),
});
