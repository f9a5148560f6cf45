import fs from 'node:fs';
import path from 'node:path';
import { flowSchema, idSchema, type Flow } from '../model/flow';
import { ProblemsError } from '../model/problems';
import { zodProblems } from '../model/zod-problems';

/**
 * Flows as one JSON file each (`<dataDir>/flows/<id>.json`), the same format the studio exports, plus the
 * list of deployed flows so a restart redeploys them. Writes go to a temp file and are renamed into place,
 * so a crash never leaves half a flow.
 */
export class FlowRepository {
  private readonly dir: string;
  private readonly deployFile: string;

  constructor(dataDir: string) {
    this.dir = path.join(dataDir, 'flows');
    this.deployFile = path.join(dataDir, 'deployments.json');
    fs.mkdirSync(this.dir, { recursive: true });
  }

  get isEmpty(): boolean {
    return this.ids().length === 0;
  }

  ids(): string[] {
    return fs
      .readdirSync(this.dir)
      .filter((f) => f.endsWith('.json'))
      .map((f) => f.slice(0, -5))
      .sort();
  }

  list(): Flow[] {
    const out: Flow[] = [];
    for (const id of this.ids()) {
      const f = this.tryGet(id);
      if (f) out.push(f);
    }
    return out;
  }

  tryGet(id: string): Flow | undefined {
    if (!idSchema.safeParse(id).success) return undefined;
    const file = this.file(id);
    if (!fs.existsSync(file)) return undefined;
    const parsed = flowSchema.safeParse(JSON.parse(fs.readFileSync(file, 'utf8')));
    return parsed.success ? parsed.data : undefined;
  }

  get(id: string): Flow {
    const f = this.tryGet(id);
    if (!f) throw Object.assign(new Error(`flow "${id}" was not found`), { code: 'not_found' });
    return f;
  }

  /** Saves a structurally valid flow (node settings may still have problems) and bumps its revision when it changed. */
  save(input: unknown): Flow {
    const parsed = flowSchema.safeParse(input);
    if (!parsed.success) throw new ProblemsError(zodProblems(parsed.error));
    const flow = parsed.data;
    const prev = this.tryGet(flow.id);
    if (prev) {
      const same = JSON.stringify(strip(prev)) === JSON.stringify(strip(flow));
      flow.revision = same ? prev.revision : Math.max(prev.revision, flow.revision) + 1;
      if (same) return prev;
    }
    flow.updatedAt = new Date().toISOString();
    writeAtomic(this.file(flow.id), JSON.stringify(flow, null, 2));
    return flow;
  }

  delete(id: string): void {
    const file = this.file(id);
    if (fs.existsSync(file)) fs.rmSync(file);
  }

  deployedIds(): string[] {
    try {
      const v = JSON.parse(fs.readFileSync(this.deployFile, 'utf8'));
      return Array.isArray(v) ? v.filter((x) => typeof x === 'string') : [];
    } catch {
      return [];
    }
  }

  setDeployed(ids: string[]): void {
    writeAtomic(this.deployFile, JSON.stringify([...new Set(ids)].sort()));
  }

  private file(id: string): string {
    const parsed = idSchema.safeParse(id);
    if (!parsed.success) throw new Error(`"${id}" is not a valid flow id`);
    return path.join(this.dir, `${id}.json`);
  }
}

function strip(f: Flow) {
  const { revision: _r, updatedAt: _u, ...rest } = f;
  return rest;
}

export function writeAtomic(file: string, text: string): void {
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, text);
  fs.renameSync(tmp, file);
}
