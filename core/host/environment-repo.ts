import fs from 'node:fs';
import path from 'node:path';
import { ZodError } from 'zod';
import type { Environment } from '../model/bundle';
import { zodProblems } from '../model/zod-problems';
import { readEnvironments } from '../bundle/transfer';
import { writeAtomic } from './flow-repo';

/**
 * The studio's environments: `<dataDir>/environments.json` (the file Export bundle reads and Import bundle merges
 * into, a list of `{ name, variables }`) and which one is active, `<dataDir>/active-environment.json`. Read from
 * disk on every call: both are small, and an import writes the list behind the studio's back.
 */
export class EnvironmentRepository {
  private readonly listFile: string;
  private readonly activeFile: string;

  constructor(private readonly dataDir: string) {
    this.listFile = path.join(dataDir, 'environments.json');
    this.activeFile = path.join(dataDir, 'active-environment.json');
  }

  list(): Environment[] {
    try {
      return readEnvironments(this.dataDir);
    } catch (e) {
      // A hand-edited file that no longer parses: say which file and why, rather than showing no environments.
      const issues = e instanceof ZodError ? zodProblems(e).map((p) => `${p.path}: ${p.message}`).join('; ') : (e as Error).message;
      throw new Error(`${this.listFile}: ${issues}`);
    }
  }

  write(list: Environment[]): void {
    writeAtomic(this.listFile, JSON.stringify(list, null, 2));
  }

  /** The active environment's name, or null (none chosen, or the chosen one is gone). */
  activeName(): string | null {
    const name = this.activeNameRaw();
    return name !== null && this.list().some((e) => e.name === name) ? name : null;
  }

  /** The name the active file holds, whether or not an environment of that name exists. */
  activeNameRaw(): string | null {
    try {
      const name = (JSON.parse(fs.readFileSync(this.activeFile, 'utf8')) as { name?: unknown }).name;
      return typeof name === 'string' ? name : null;
    } catch {
      return null;
    }
  }

  setActive(name: string | null): void {
    writeAtomic(this.activeFile, JSON.stringify({ name }, null, 2));
  }

  active(): Environment | undefined {
    const name = this.activeName();
    return name === null ? undefined : this.list().find((e) => e.name === name);
  }
}
