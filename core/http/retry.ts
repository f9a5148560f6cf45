/**
 * Retry policy: which outcomes are retried and how long to wait. Pure, so the delays can be tested
 * without waiting for them.
 */
export interface RetryPolicy {
  /** Extra attempts after the first; the seed caps it at 5. */
  retryCount: number;
  retryIntervalMs: number;
  backoff: 'fixed' | 'exponential';
  /** Spread each delay randomly by up to ±50 % so that many callers do not retry in lockstep. */
  jitter: boolean;
  /** Upper bound of any computed delay. */
  maxDelayMs: number;
  /** Upper bound of a server's Retry-After; longer requests are capped, not obeyed blindly. */
  retryAfterCapMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = {
  retryCount: 0,
  retryIntervalMs: 1000,
  backoff: 'fixed',
  jitter: false,
  maxDelayMs: 60_000,
  retryAfterCapMs: 120_000,
};

export const MAX_RETRY_COUNT = 5;

/** 408, 425, 429 and every 5xx may succeed later; other 4xx will fail the same way again. */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 425 || status === 429 || (status >= 500 && status <= 599);
}

const HTTP_DATE_START = /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun)[a-z]*,? /i;

/**
 * Parses a Retry-After header (delay-seconds or an HTTP date) into milliseconds from `now`.
 *
 * @example
 * parseRetryAfter('3') // 3000
 * parseRetryAfter('Wed, 21 Oct 2015 07:28:00 GMT', new Date('2015-10-21T07:27:58Z')) // 2000
 */
export function parseRetryAfter(value: string | undefined, now: Date = new Date()): number | undefined {
  if (value === undefined) return undefined;
  const v = value.trim();
  if (/^\d+$/.test(v)) return Number(v) * 1000;
  // Otherwise only an HTTP date (RFC 9110: IMF-fixdate, RFC 850 or asctime, all starting with the day's name):
  // Date.parse would also take "-5" or "2024" and turn a malformed header into an immediate retry.
  if (!HTTP_DATE_START.test(v)) return undefined;
  const t = Date.parse(v);
  if (Number.isNaN(t)) return undefined;
  return Math.max(0, t - now.getTime());
}

/**
 * Delay before retry number `retry` (1 = first retry).
 *
 * @example
 * retryDelay({ ...DEFAULT_RETRY, retryIntervalMs: 100, backoff: 'exponential' }, 3) // 400
 */
export function retryDelay(policy: RetryPolicy, retry: number, retryAfterMs?: number, random: () => number = Math.random): number {
  if (retryAfterMs !== undefined) return Math.min(retryAfterMs, policy.retryAfterCapMs);
  let d = policy.backoff === 'exponential' ? policy.retryIntervalMs * 2 ** (retry - 1) : policy.retryIntervalMs;
  if (policy.jitter) d = d * (0.5 + random());
  return Math.round(Math.min(d, policy.maxDelayMs));
}

/** Policies this function made: complete and checked, so they pass through again as they are (frozen). */
const resolved = new WeakSet<object>();

/** Validates a partial policy, naming the field that is wrong. Resolve once (per deploy) and pass the result on. */
export function resolveRetryPolicy(p?: Partial<RetryPolicy>): RetryPolicy {
  if (p === undefined) return DEFAULT_POLICY;
  if (resolved.has(p)) return p as RetryPolicy;
  const r = { ...DEFAULT_RETRY, ...p };
  if (!Number.isInteger(r.retryCount) || r.retryCount < 0 || r.retryCount > MAX_RETRY_COUNT) {
    throw new RangeError(`retry.retryCount: must be between 0 and ${MAX_RETRY_COUNT}`);
  }
  for (const k of ['retryIntervalMs', 'maxDelayMs', 'retryAfterCapMs'] as const) {
    if (!Number.isFinite(r[k]) || r[k] < 0) throw new RangeError(`retry.${k}: must be a number of milliseconds, 0 or more`);
  }
  Object.freeze(r);
  resolved.add(r);
  return r;
}

/** Sleeps, waking early (rejecting) when the signal aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason ?? new Error('aborted'));
    const t = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(t);
      reject(signal?.reason ?? new Error('aborted'));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** The default policy, resolved (requests without retry settings: event deliveries, test connections). */
const DEFAULT_POLICY = resolveRetryPolicy({});
