import { randomFillSync } from 'node:crypto';

const HEX_DIGITS = Buffer.from('0123456789abcdef', 'latin1');
/** The id is written here as ASCII and read out as one string (concatenating 20 pieces made 20 temporary strings). */
const out = Buffer.alloc(36);
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
  hex(0, (hi >>> 24) & 0xff);
  hex(2, (hi >>> 16) & 0xff);
  hex(4, (hi >>> 8) & 0xff);
  hex(6, hi & 0xff);
  out[8] = 0x2d; // '-'
  hex(9, lo >>> 8);
  hex(11, lo & 0xff);
  out[13] = 0x2d;
  hex(14, 0x70 | (counter >>> 8));
  hex(16, counter & 0xff);
  out[18] = 0x2d;
  hex(19, 0x80 | (pool[r] & 0x3f));
  hex(21, pool[r + 1]);
  out[23] = 0x2d;
  for (let i = 0; i < 6; i++) hex(24 + 2 * i, pool[r + 2 + i]);
  return out.toString('latin1', 0, 36);
}

function hex(at: number, byte: number) {
  out[at] = HEX_DIGITS[byte >>> 4];
  out[at + 1] = HEX_DIGITS[byte & 0x0f];
}

/** Milliseconds since the epoch encoded in a UUID v7 (undefined for other ids). */
export function uuidv7Time(id: string): number | undefined {
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i.test(id)) return undefined;
  return parseInt(id.slice(0, 8) + id.slice(9, 13), 16);
}
