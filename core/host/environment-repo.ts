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

  /** The name the active file holds (null: none chosen), whether or not an environment of that name exists. */
  activeName(): string | null {
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

  /** Both files, each read once: the environments and the active one (undefined: none, or the chosen one is gone). */
  read(): { list: Environment[]; active?: Environment } {
    const list = this.list();
    const name = this.activeName();
    return { list, active: list.find((e) => e.name === name) };
  }
}
