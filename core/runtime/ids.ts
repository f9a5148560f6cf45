import { randomFillSync } from 'node:crypto';

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));
/** Random bytes are drawn in blocks: one system call per 512 ids instead of one per id. */
const POOL_IDS = 512;
const pool = Buffer.alloc(POOL_IDS * 8);
let poolAt = pool.length;
let lastMs = -1;
let counter = 0;

/**
 * A UUID version 7 (RFC 9562): 48 bits of Unix milliseconds, a 12-bit counter that keeps ids made in the same
 * millisecond in creation order (method 1 of the RFC; on overflow the timestamp moves on by one), and 62 random
 * bits. Execution ids are these rather than random v4 ids because the store indexes them: time-ordered keys
 * append to the end of the index instead of touching a random page per insert, which cut the writer's time per
 * execution by about two thirds (see README, "Performance"). They also sort by creation time.
 */
export function uuidv7(now: number = Date.now()): string {
  if (now > lastMs) {
    lastMs = now;
    counter = 0;
  } else if (++counter > 0xfff) {
    // More than 4096 ids in one millisecond, or the clock went back: borrow the next millisecond.
    lastMs++;
    counter = 0;
  }
  if (poolAt === pool.length) {
    randomFillSync(pool);
    poolAt = 0;
  }
  const r = poolAt;
  poolAt += 8;
  const ms = lastMs;
  const hi = Math.floor(ms / 0x10000); // top 32 bits of the 48-bit timestamp
  const lo = ms % 0x10000;
  return (
    HEX[(hi >>> 24) & 0xff] + HEX[(hi >>> 16) & 0xff] + HEX[(hi >>> 8) & 0xff] + HEX[hi & 0xff] + '-' +
    HEX[lo >>> 8] + HEX[lo & 0xff] + '-' +
    HEX[0x70 | (counter >>> 8)] + HEX[counter & 0xff] + '-' +
    HEX[0x80 | (pool[r] & 0x3f)] + HEX[pool[r + 1]] + '-' +
    HEX[pool[r + 2]] + HEX[pool[r + 3]] + HEX[pool[r + 4]] + HEX[pool[r + 5]] + HEX[pool[r + 6]] + HEX[pool[r + 7]]
  );
}

/** Milliseconds since the epoch encoded in a UUID v7 (undefined for other ids). */
export function uuidv7Time(id: string): number | undefined {
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i.test(id)) return undefined;
  return parseInt(id.slice(0, 8) + id.slice(9, 13), 16);
}
