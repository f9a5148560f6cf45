import fs from 'node:fs';
import path from 'node:path';

/** SQLite's and the file system's refusals, as they come: `unable to open database file`, `EACCES: …`. */
const CANNOT_OPEN = new Set(['SQLITE_CANTOPEN', 'SQLITE_READONLY', 'SQLITE_PERM', 'SQLITE_AUTH']);
const DAMAGED = new Set(['SQLITE_NOTADB', 'SQLITE_CORRUPT']);
const FS_REFUSED = new Set(['EACCES', 'EPERM', 'EROFS']);

/**
 * What an operator needs when a data directory cannot be used: the path, and what to do. SQLite's own messages
 * (`unable to open database file`, `file is not a database`) name neither the file nor the reason.
 *
 * @example
 * dataDirError(sqliteCantOpen, '/var/lib/hookline')?.message;
 * // 'cannot open or write /var/lib/hookline/executions.db: the folder /var/lib/hookline is not writable by this user (unable to open database file)'
 */
export function dataDirError(err: unknown, dataDir: string): Error | undefined {
  const code = String((err as { code?: unknown } | null)?.code ?? '');
  const db = path.join(dataDir, 'executions.db');
  const said = (err as Error).message;
  if (DAMAGED.has(code))
    return new Error(`${db} is not a Hookline execution database, or it is damaged (${said}): move it away (with its -wal and -shm files) to start with an empty one, or restore it from a backup`);
  if (CANNOT_OPEN.has(code)) return new Error(`cannot open or write ${db}: ${whyNotWritable(dataDir, db)} (${said})`);
  // Only a refusal inside the data directory (the lock file, the database's folder): not one of a secrets file.
  const file = (err as NodeJS.ErrnoException).path;
  if (FS_REFUSED.has(code) && file && path.resolve(file).startsWith(path.resolve(dataDir)))
    return new Error(`cannot write ${file}: ${whyNotWritable(dataDir, file)} (${said})`);
  return undefined;
}

/** Runs `fn`, which opens the data directory; a refusal comes back naming the path (see dataDirError). */
export async function openingDataDir<T>(dataDir: string, fn: () => T | Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw dataDirError(err, dataDir) ?? err;
  }
}

/** The likeliest reason, checked as this user (root passes every check: then it is a read-only mount, say). */
function whyNotWritable(dataDir: string, file: string): string {
  if (!fs.existsSync(dataDir)) return `the folder ${dataDir} cannot be created by this user (is its parent writable?)`;
  if (file !== dataDir && fs.existsSync(file) && fs.statSync(file).isDirectory()) return `it is a folder, not a file`;
  if (!canAccess(dataDir, fs.constants.W_OK)) return `the folder ${dataDir} is not writable by this user`;
  if (fs.existsSync(file) && !canAccess(file, fs.constants.R_OK | fs.constants.W_OK)) return `the file is not readable and writable by this user`;
  return `the folder ${dataDir} or the file is not writable here (a read-only mount? its owner and mode?)`;
}

function canAccess(file: string, mode: number): boolean {
  try {
    fs.accessSync(file, mode);
    return true;
  } catch {
    return false;
  }
}
