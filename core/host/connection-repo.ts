import fs from 'node:fs';
import path from 'node:path';
import { connectionSchema, type Connection } from '../model/connection';
import { idSchema } from '../model/flow';
import { ProblemsError } from '../model/problems';
import { zodProblems } from '../model/zod-problems';
import type { ConnectionLookup } from '../nodes/runner-types';
import { writeAtomic } from './flow-repo';

/**
 * Saved connections ("authorisation config groups"), one JSON file each in `<dataDir>/connections/<id>.json`,
 * the format a bundle exports. Secrets are names only, so these files are safe to copy and commit.
 * Reads are cached by file modification time: nodes look connections up on every run.
 *
 * @example
 * const repo = new ConnectionRepository(dataDir);
 * repo.save({ id: 'partner-a', name: 'Partner A', auth: { type: 'bearer', tokenSecret: 'PARTNER_A_TOKEN' } });
 * createRuntime({ dataDir, secrets, connections: repo });
 */
export class ConnectionRepository implements ConnectionLookup {
  private readonly dir: string;
  private readonly cache = new Map<string, { mtimeMs: number; conn: Connection | undefined }>();

  constructor(dataDir: string) {
    this.dir = path.join(dataDir, 'connections');
    fs.mkdirSync(this.dir, { recursive: true });
  }

  ids(): string[] {
    return fs
      .readdirSync(this.dir)
      .filter((f) => f.endsWith('.json'))
      .map((f) => f.slice(0, -5))
      .sort();
  }

  list(): Connection[] {
    return this.ids()
      .map((id) => this.get(id))
      .filter((c): c is Connection => !!c);
  }

  /** The connection, or undefined when missing or unreadable (a hand-edited file that no longer validates). */
  get(id: string): Connection | undefined {
    if (!idSchema.safeParse(id).success) return undefined;
    const file = path.join(this.dir, `${id}.json`);
    let mtimeMs: number;
    try {
      mtimeMs = fs.statSync(file).mtimeMs;
    } catch {
      this.cache.delete(id);
      return undefined;
    }
    const hit = this.cache.get(id);
    if (hit && hit.mtimeMs === mtimeMs) return hit.conn;
    let conn: Connection | undefined;
    try {
      const parsed = connectionSchema.safeParse(JSON.parse(fs.readFileSync(file, 'utf8')));
      conn = parsed.success ? parsed.data : undefined;
    } catch {
      conn = undefined;
    }
    this.cache.set(id, { mtimeMs, conn });
    return conn;
  }

  /** Validates (every problem with its path, e.g. `auth.tokenUrl: must be an absolute ...`) and saves. */
  save(input: unknown): Connection {
    const parsed = connectionSchema.safeParse(input);
    if (!parsed.success) throw new ProblemsError(zodProblems(parsed.error));
    const conn = parsed.data;
    writeAtomic(path.join(this.dir, `${conn.id}.json`), JSON.stringify(conn, null, 2));
    this.cache.delete(conn.id);
    return conn;
  }

  delete(id: string): boolean {
    if (!idSchema.safeParse(id).success) return false;
    const file = path.join(this.dir, `${id}.json`);
    this.cache.delete(id);
    if (!fs.existsSync(file)) return false;
    fs.rmSync(file);
    return true;
  }
}
