import { fork, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { benchConfig } from './config';
import type { CpuSample } from './load';

const serversDir = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'servers');
export const profileDir = path.resolve('test-results', 'bench-profiles');

/** Modules preloaded into a server's every thread (worker threads inherit execArgv), e.g. the commit timer. */
const PRELOADS: Record<string, string[]> = { 'hookline-server.ts': ['commit-timer.mjs'] };
/**
 * Servers that run bundled, as the `hookline` CLI runs (bin/hookline.mjs): the same esbuild bundle, rebuilt
 * when a source changed. The baselines and helpers run through tsx.
 */
const BUNDLED = new Set(['hookline-server.ts']);
const bundleDir = path.resolve('test-results', 'bench-servers');

async function scriptFor(script: string): Promise<string> {
  if (!BUNDLED.has(script)) return path.join(serversDir, script);
  // @ts-expect-error plain ESM helper shared with bin/hookline.mjs, no types
  const { buildNodeBundle, isFresh, root } = (await import('../../../bin/node-bundle.mjs')) as {
    buildNodeBundle(entry: string, out: string): Promise<void>;
    isFresh(out: string, dirs: string[]): boolean;
    root: string;
  };
  const out = path.join(bundleDir, script.replace(/\.ts$/, '.mjs'));
  if (!isFresh(out, [path.join(root, 'core'), serversDir, path.dirname(fileURLToPath(import.meta.url))])) await buildNodeBundle(path.join(serversDir, script), out);
  return out;
}

export interface ServerChild {
  url: string;
  pid: number;
  /** Sends a command to the child's handler and waits for the answer. */
  call<T = unknown>(cmd: string, arg?: unknown, timeoutMs?: number): Promise<T>;
  stop(): Promise<void>;
}

/**
 * Runs one server script from servers/ in its own Node process (so the server has a core to itself and the
 * load generator the other) and waits for it to report its port. The child stops when the parent dies.
 */
export async function startServer(script: string, options: Record<string, unknown>, opts: { profileName?: string } = {}): Promise<ServerChild> {
  const file = await scriptFor(script);
  const execArgv = [...(BUNDLED.has(script) ? [] : ['--import', 'tsx']), ...(PRELOADS[script] ?? []).flatMap((p) => ['--import', pathToFileURL(path.join(serversDir, p)).href])];
  if (benchConfig.profile && opts.profileName) {
    // One folder per server: tsx's loader thread writes a profile of its own next to the main thread's.
    const dir = path.join(profileDir, opts.profileName);
    fs.rmSync(dir, { recursive: true, force: true });
    fs.mkdirSync(dir, { recursive: true });
    execArgv.push('--cpu-prof', '--cpu-prof-dir', dir);
  }
  if (process.env.BENCH_XARGV) execArgv.push(...process.env.BENCH_XARGV.split(' '));
  const child: ChildProcess = fork(file, [JSON.stringify(options)], { execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  let nextId = 0;
  const pending = new Map<number, { resolve: (v: any) => void; reject: (e: Error) => void }>();
  let exited = false;
  const exit = new Promise<void>((resolve) => child.once('exit', () => ((exited = true), resolve())));
  child.on('message', (m: any) => {
    if (m?.type !== 'result') return;
    const p = pending.get(m.id);
    pending.delete(m.id);
    if (m.error) p?.reject(new Error(`${script}: ${m.error}`));
    else p?.resolve(m.value);
  });
  void exit.then(() => {
    for (const p of pending.values()) p.reject(new Error(`${script} exited`));
    pending.clear();
  });

  const stop = async () => {
    if (exited) return;
    child.send({ type: 'stop' });
    // A clean exit lets --cpu-prof write its file; a stuck child is killed after the grace period.
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exit;
    clearTimeout(timer);
  };

  try {
    const port = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${script} did not report ready within 30 s`)), 30_000);
      child.on('message', (m: any) => {
        if (m?.type === 'ready') {
          clearTimeout(timer);
          resolve(m.port);
        } else if (m?.type === 'failed') {
          clearTimeout(timer);
          reject(new Error(`${script}: ${m.error}`));
        }
      });
      void exit.then(() => (clearTimeout(timer), reject(new Error(`${script} exited before it was ready`))));
    });
    return {
      url: `http://127.0.0.1:${port}`,
      pid: child.pid!,
      call: (cmd, arg, timeoutMs = 60_000) =>
        new Promise((resolve, reject) => {
          const id = ++nextId;
          const timer = setTimeout(() => (pending.delete(id), reject(new Error(`${script}: "${cmd}" did not answer within ${timeoutMs} ms`))), timeoutMs);
          pending.set(id, { resolve: (v) => (clearTimeout(timer), resolve(v)), reject: (e) => (clearTimeout(timer), reject(e)) });
          child.send({ type: 'call', id, cmd, arg });
        }),
      stop,
    };
  } catch (err) {
    if (!exited) child.kill('SIGKILL');
    await exit;
    throw err;
  }
}

/**
 * Runs `fn` with fresh temp dirs and server children, and removes them all afterwards, even when `fn` throws.
 */
export async function withResources<T>(fn: (r: { tempDir(): string; server(script: string, options: Record<string, unknown>, profileName?: string): Promise<ServerChild> }) => Promise<T>): Promise<T> {
  const dirs: string[] = [];
  const servers: ServerChild[] = [];
  try {
    return await fn({
      tempDir() {
        const d = fs.mkdtempSync(path.join(os.tmpdir(), 'hookline-bench-'));
        dirs.push(d);
        return d;
      },
      async server(script, options, profileName) {
        const s = await startServer(script, options, { profileName });
        servers.push(s);
        return s;
      },
    });
  } finally {
    await Promise.allSettled(servers.map((s) => s.stop()));
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
  }
}

/** CPU time of a server child so far (see CpuSample). */
export async function cpuMicros(s: ServerChild): Promise<CpuSample> {
  const u = await s.call<{ user: number; system: number; main?: number }>('cpu');
  return { total: u.user + u.system, main: u.main ?? Number.NaN };
}
