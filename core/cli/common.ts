import fs from 'node:fs';
import { formatProblem, ProblemsError, type Problem } from '../model/problems';
import { jsonErrorLocation } from '../secrets/json-error';
import { createJsonLogger, type LogLevel } from '../runtime/logger';
import { ChainSecretStore, EnvSecretStore, FileSecretStore } from '../secrets/env-store';
import type { SecretStore } from '../secrets/secret-store';
import { TrackingSecretStore } from '../secrets/tracking-store';

/** Exit codes, documented in the README ("CLI"). */
export const EXIT = { ok: 0, problems: 1, usage: 2, startup: 3 } as const;

export class UsageError extends Error {}

export interface Io {
  out: (s: string) => void;
  err: (s: string) => void;
}
export const stdio: Io = { out: (s) => writeLine(process.stdout, s), err: (s) => writeLine(process.stderr, s) };

/** Streams whose reader went away (`hookline executions | head -5`): what is left to print is dropped. */
const gone = new WeakSet<NodeJS.WritableStream>();

function writeLine(stream: NodeJS.WriteStream, line: string): void {
  if (!gone.has(stream)) stream.write(line + '\n');
}

/**
 * `hookline executions | head -5`: once `head` has its lines, the next write fails with EPIPE, which Node raises
 * as an unhandled 'error' event (a stack trace, exit 1). Like `git log | head`, the rest of the output is dropped
 * quietly instead and the command ends as it would have; a server (`run`, `serve`) keeps serving, its output
 * going nowhere. Any other write error still ends the process as before.
 */
export function quietOnBrokenPipe(streams: NodeJS.WriteStream[] = [process.stdout, process.stderr]): void {
  for (const stream of streams) {
    if (stream.listeners('error').includes(onStreamError)) continue;
    stream.on('error', onStreamError);
  }
}

function onStreamError(this: NodeJS.WriteStream, err: NodeJS.ErrnoException): void {
  // EIO: the terminal hung up (closed with a `run` in it; its SIGHUP stops gracefully, and the stop still logs).
  if (err.code !== 'EPIPE' && err.code !== 'EIO' && err.code !== 'ERR_STREAM_DESTROYED') throw err;
  gone.add(this);
}

/** Problems found in one file: printed as `file: path: message`, so an operator knows which file to open. */
export class FileProblemsError extends ProblemsError {
  /** `flowIds`: a bundle's flow ids by position, to name the flow of a `flows[2].nodes[1]…` problem. */
  constructor(readonly file: string, problems: Problem[], readonly flowIds: string[] = []) {
    super(problems);
  }
}

/** Runs `fn`; the problems it throws (a refused bundle or flow) become problems of `file`. */
export async function problemsOf<T>(file: string, fn: () => T | Promise<T>, flowIds: string[] = []): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw err instanceof ProblemsError && !(err instanceof FileProblemsError) ? new FileProblemsError(file, err.problems, flowIds) : err;
  }
}

/**
 * A JSON file, parsed. A file that is cut off or broken is a problem of that file with its line and column; a byte
 * order mark (Windows editors write one) is ignored.
 */
export function readJsonFile(file: string): unknown {
  if (!fs.existsSync(file)) throw new UsageError(`file not found: ${file}`);
  if (fs.statSync(file).isDirectory()) throw new UsageError(`${file} is a folder, not a file`);
  const text = fs.readFileSync(file, 'utf8').replace(/^\uFEFF/, '');
  const invalid = (message: string) => new FileProblemsError(file, [{ path: '', code: 'invalid_value', message }]);
  if (!text.trim()) throw invalid('is empty, not JSON (was the file cut off while copying?)');
  try {
    return JSON.parse(text);
  } catch (e) {
    const at = jsonErrorLocation(text);
    const where = at ? ` at line ${at.line}, column ${at.column}` : '';
    const message = (e as Error).message;
    const position = / in JSON at position (\d+)/.exec(message);
    // Cut off: the parser ran out of text, wherever it was (a key, a string, between values).
    const cut = /Unexpected end of JSON input/.test(message) || (position && Number(position[1]) >= text.trimEnd().length);
    throw invalid(`is not valid JSON${where}: ${cut ? 'it ends too early (cut off?)' : message.replace(/ in JSON at position \d+.*$/, '')}`);
  }
}

/**
 * One line per problem; a node's problem also names the node's id (and in a bundle the flow's), so `nodes[7]`
 * need not be counted out in the file.
 */
export function printProblems(io: Io, problems: Problem[], file?: string, flowIds: string[] = []) {
  for (const p of problems) {
    const inFlow = /^flows\[(\d+)\]\.nodes\[/.exec(p.path);
    const flowId = inFlow ? flowIds[Number(inFlow[1])] : undefined;
    const node = p.nodeId && (p.path.startsWith('nodes[') || inFlow) ? ` [${flowId ? `flow "${flowId}", ` : ''}node "${p.nodeId}"]` : '';
    io.err(`${file ? file + ': ' : ''}${p.severity === 'warning' ? 'warning: ' : ''}${formatProblem(p)}${node}`);
  }
}

/** The ids of a bundle's flows by position, read defensively (for `flows[2].…` paths). */
export function flowIdsOf(raw: unknown): string[] {
  const flows = (raw as { flows?: unknown } | null)?.flows;
  return Array.isArray(flows) ? flows.map((f) => String((f as { id?: unknown } | null)?.id ?? '')) : [];
}

/**
 * Headless secrets: a 0600 secrets file first (if given), then the environment. Every secret resolved through
 * it (or declared) is redacted by `cliLogger` and `redactor`, whichever source it came from.
 */
export function headlessSecrets(secretsFile?: string): TrackingSecretStore {
  // A missing file is a mistyped option (exit 2), like a missing flow file; a bad one is a start-up failure.
  if (secretsFile !== undefined && !fs.existsSync(secretsFile)) throw new UsageError(`--secrets-file ${secretsFile}: no such file`);
  if (secretsFile !== undefined && fs.statSync(secretsFile).isDirectory()) throw new UsageError(`--secrets-file ${secretsFile}: is a folder, not a file`);
  const env = new EnvSecretStore();
  return new TrackingSecretStore(secretsFile ? new ChainSecretStore([new FileSecretStore(secretsFile), env]) : env);
}

/** Values shorter than this are not redacted: hiding every "a" or "ok" would garble the logs and hide nothing. */
const MIN_REDACTED = 4;

/**
 * Replaces each secret value (as written, and as it appears inside a JSON string) with `***`. A tracking store
 * gives every secret resolved so far; any other store the ones it lists.
 *
 * @example
 * redactor(secrets)('{"value":"Bearer tok-1234"}'); // '{"value":"Bearer ***"}'
 */
export function redactor(secrets: SecretStore): (text: string) => string {
  return (text) => {
    const values = secrets instanceof TrackingSecretStore ? secrets.values() : secrets.list().map((n) => secrets.get(n));
    let out = text;
    // Longest first, so a secret that contains another is hidden whole.
    for (const v of [...values].sort((a, b) => (b?.length ?? 0) - (a?.length ?? 0))) {
      if (!v || v.length < MIN_REDACTED) continue;
      for (const form of new Set([v, JSON.stringify(v).slice(1, -1)])) out = out.split(form).join('***');
    }
    return out;
  };
}

export function cliLogger(level: string | undefined, secrets: SecretStore) {
  return createJsonLogger({
    level: parseLogLevel(level) ?? 'info',
    write: (l) => writeLine(process.stderr, l),
    redact: redactor(secrets),
  });
}

export function parsePort(v: string | undefined, fallback: number, option = '--port'): number {
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new UsageError(`${option}: must be an integer between 0 and 65535, got "${v}"`);
  return n;
}

const LOG_LEVELS: readonly LogLevel[] = ['debug', 'info', 'warn', 'error'];

/** `--log-level`: one of debug, info, warn, error (undefined when not given). */
export function parseLogLevel(v: string | undefined): LogLevel | undefined {
  if (v === undefined) return undefined;
  if (!(LOG_LEVELS as readonly string[]).includes(v)) throw new UsageError(`--log-level: must be one of ${LOG_LEVELS.join(', ')}, got "${v}"`);
  return v as LogLevel;
}

/** `--grace-ms`: a non-negative number of milliseconds (default 10 000). */
export function parseGraceMs(v: string | undefined, fallback = 10_000): number {
  if (v === undefined) return fallback;
  const n = v.trim() === '' ? NaN : Number(v);
  if (!Number.isFinite(n) || n < 0) throw new UsageError(`--grace-ms: must be a non-negative number of milliseconds, got "${v}"`);
  return n;
}

/**
 * Checks of options several commands share, applied to every command that declares the option before it runs,
 * so `serve --grace-ms abc` is refused as `run --grace-ms abc` is.
 */
export const SHARED_OPTION_CHECKS: Record<string, (v: string) => unknown> = {
  'log-level': parseLogLevel,
  'grace-ms': (v) => parseGraceMs(v),
  port: (v) => parsePort(v, 0),
  'runtime-port': (v) => parsePort(v, 0, '--runtime-port'),
  'data-dir': checkDataDir,
};

/** `--data-dir`: a folder, or a path where one can be made (a file there gave a bare "EEXIST: file already exists, mkdir"). */
export function checkDataDir(v: string): void {
  if (!v.trim()) throw new UsageError('--data-dir: must not be empty');
  if (fs.existsSync(v) && !fs.statSync(v).isDirectory()) throw new UsageError(`--data-dir ${v}: is a file, not a folder`);
}

/**
 * The signals that stop gracefully. SIGHUP too: a terminal closed, or an ssh session dropped, under a `run` left in
 * the foreground sends it, and its default (death at once) would leave the lock and the cut-off work behind.
 */
export const STOP_SIGNALS: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

/**
 * Listens for the stop signals from now on: `received` resolves on the first one (a second one, with no listener
 * left, ends the process at once). Taken before the runtime starts, so a stop asked for during start-up, or
 * right after `ready:` is printed (an orchestrator may signal as soon as it reads it), is a graceful stop and not
 * the default death by signal; `dispose()` when start-up fails.
 */
export function stopSignal(): { received: Promise<NodeJS.Signals>; dispose(): void } {
  let on: (s: NodeJS.Signals) => void = () => {};
  const dispose = () => {
    for (const s of STOP_SIGNALS) process.off(s, on);
  };
  const received = new Promise<NodeJS.Signals>((resolve) => {
    on = (s) => {
      dispose();
      resolve(s);
    };
  });
  for (const s of STOP_SIGNALS) process.on(s, on);
  return { received, dispose };
}

/** Takes the stop signal (see stopSignal), then starts: a start that fails gives the signals back before it throws. */
export async function startUnderStopSignal(start: () => Promise<unknown>): Promise<ReturnType<typeof stopSignal>> {
  const stop = stopSignal();
  try {
    await start();
  } catch (err) {
    stop.dispose();
    throw err;
  }
  return stop;
}
