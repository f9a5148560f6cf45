import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Logger } from '../nodes/runner-types';

/** The lock file in a data directory; it holds the owner's pid and start time as JSON. */
export const LOCK_FILE = 'hookline.lock';

export interface LockOwner {
  pid: number;
  /** When the owner took the lock (ISO). */
  startedAt: string;
  hostname?: string;
}

/** A start that cannot go on (data directory in use, port taken); the CLI exits with code 3. */
export class StartupError extends Error {
  constructor(
    message: string,
    readonly code: 'data_dir_in_use' | 'port_in_use' | 'listen_failed',
  ) {
    super(message);
    this.name = 'StartupError';
  }
}

export class DataDirInUseError extends StartupError {
  constructor(
    readonly dir: string,
    readonly owner: LockOwner,
  ) {
    super(`data dir ${dir} is in use by pid ${owner.pid} (started ${owner.startedAt})`, 'data_dir_in_use');
  }
}

export interface DataDirLock {
  readonly file: string;
  release(): void;
}

/** Lock files this process holds: a lock naming our own pid that is not in here is left over from an earlier
 * process that had the same pid (a container restarted with pid 1), not ours. */
const held = new Set<string>();

/**
 * Takes the data directory for this process: the runtime, the studio and the offline CLI commands all take it
 * before they touch a record, so two processes never run (or re-run) the same queue. A lock left by a process
 * that is gone (its pid not alive, or taken before the machine booted) is taken over, reported by `onTakeOver`.
 *
 * @example
 * const lock = lockDataDir('/var/lib/hookline'); // throws DataDirInUseError naming the owner's pid
 * try { ... } finally { lock.release(); }
 */
export function lockDataDir(dir: string, opts: { onTakeOver?: (stale: LockOwner | undefined) => void } = {}): DataDirLock {
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(path.resolve(dir), LOCK_FILE);
  const me: LockOwner = { pid: process.pid, startedAt: new Date().toISOString(), hostname: os.hostname() };
  // Bounded: a lock removed as stale and taken by another process in between is read again once or twice.
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = fs.openSync(file, 'wx', 0o644);
      try {
        fs.writeSync(fd, JSON.stringify(me));
      } finally {
        fs.closeSync(fd);
      }
      held.add(file);
      let released = false;
      return {
        file,
        release() {
          if (released) return;
          released = true;
          held.delete(file);
          // Only our own lock is removed (never one another process took over in the meantime).
          if (readOwner(file)?.pid === me.pid && readOwner(file)?.startedAt === me.startedAt) fs.rmSync(file, { force: true });
        },
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    const owner = readOwner(file);
    if (owner && isLive(file, owner)) throw new DataDirInUseError(path.resolve(dir), owner);
    opts.onTakeOver?.(owner);
    fs.rmSync(file, { force: true });
  }
  const owner = readOwner(file);
  throw new DataDirInUseError(path.resolve(dir), owner ?? { pid: 0, startedAt: 'unknown' });
}

/**
 * The `onTakeOver` of every start that logs (the runtime, and the CLI's look at the queue before it): one warning,
 * the same wherever the stale lock is found first.
 */
export function warnTakeOver(logger: Logger, dataDir: string): (stale: LockOwner | undefined) => void {
  return (stale) => logger.warn('data dir lock left by a process that is gone: taken over', { dataDir, stalePid: stale?.pid, staleStartedAt: stale?.startedAt });
}

/** The live owner of a data directory's lock, if any (for commands that only read). */
export function dataDirOwner(dir: string): LockOwner | undefined {
  const file = path.join(path.resolve(dir), LOCK_FILE);
  const owner = readOwner(file);
  return owner && isLive(file, owner) ? owner : undefined;
}

function readOwner(file: string): LockOwner | undefined {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  try {
    const o = JSON.parse(text) as LockOwner;
    return Number.isInteger(o.pid) && o.pid > 0 ? o : undefined;
  } catch {
    // Half written by an owner that died between create and write: stale.
    return undefined;
  }
}

function isLive(file: string, owner: LockOwner): boolean {
  if (owner.pid === process.pid) return held.has(file);
  // Taken before this machine booted: its pid is another process now.
  const bootedAt = Date.now() - os.uptime() * 1000;
  if (Date.parse(owner.startedAt) < bootedAt - 60_000) return false;
  try {
    process.kill(owner.pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'; // alive, owned by another user
  }
}
