import fs from 'node:fs';
import { formatProblem, ProblemsError, type Problem } from '../model/problems';
import { createJsonLogger, type LogLevel } from '../runtime/logger';
import { ChainSecretStore, EnvSecretStore, FileSecretStore } from '../secrets/env-store';
import type { SecretStore } from '../secrets/secret-store';

/** Exit codes, documented in the README ("CLI"). */
export const EXIT = { ok: 0, problems: 1, usage: 2, startup: 3 } as const;

export class UsageError extends Error {}

export interface Io {
  out: (s: string) => void;
  err: (s: string) => void;
}
export const stdio: Io = { out: (s) => process.stdout.write(s + '\n'), err: (s) => process.stderr.write(s + '\n') };

export function readJsonFile(file: string): unknown {
  if (!fs.existsSync(file)) throw new UsageError(`file not found: ${file}`);
  const text = fs.readFileSync(file, 'utf8');
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new ProblemsError([{ path: '', code: 'invalid_value', message: `${file} is not valid JSON: ${(e as Error).message}` }]);
  }
}

export function printProblems(io: Io, problems: Problem[], file?: string) {
  for (const p of problems) io.err(`${file ? file + ': ' : ''}${p.severity === 'warning' ? 'warning: ' : ''}${formatProblem(p)}`);
}

/** Headless secrets: a 0600 secrets file first (if given), then the environment. */
export function headlessSecrets(secretsFile?: string): SecretStore {
  const env = new EnvSecretStore();
  return secretsFile ? new ChainSecretStore([new FileSecretStore(secretsFile), env]) : env;
}

export function cliLogger(level: string | undefined, secrets: SecretStore) {
  const values = () =>
    secrets
      .list()
      .map((n) => secrets.get(n))
      .filter((v): v is string => !!v && v.length >= 4);
  return createJsonLogger({
    level: (level as LogLevel) ?? 'info',
    write: (l) => process.stderr.write(l + '\n'),
    redact: (line) => {
      let out = line;
      for (const v of values()) out = out.split(JSON.stringify(v).slice(1, -1)).join('***');
      return out;
    },
  });
}

export function parsePort(v: string | undefined, fallback: number): number {
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new UsageError(`--port: must be an integer between 0 and 65535, got "${v}"`);
  return n;
}

/** Resolves on SIGINT / SIGTERM. */
export function untilSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const on = (s: NodeJS.Signals) => {
      process.off('SIGINT', on);
      process.off('SIGTERM', on);
      resolve(s);
    };
    process.on('SIGINT', on);
    process.on('SIGTERM', on);
  });
}
