import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { main } from '../../core/cli/main';

const ROOT = path.resolve(__dirname, '../..');

export interface CliProcess {
  child: ChildProcess;
  url: string;
  output: () => string;
  exited: Promise<number | null>;
}

/** Starts `hookline <args>` and resolves once it prints `ready: <url>`; rejects with its output if it exits first. */
export function startCli(args: string[], env: Record<string, string> = {}, timeoutMs = 20_000): Promise<CliProcess> {
  const child = spawn(process.execPath, [path.join(ROOT, 'bin/hookline.mjs'), ...args], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`not ready after ${timeoutMs} ms:\n${out}`));
    }, timeoutMs);
    const onData = () => {
      const m = /ready: (http:\/\/\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ child, url: m[1], output: () => out, exited });
      }
    };
    child.stdout!.on('data', onData);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(Object.assign(new Error(`exited with ${code}:\n${out}`), { code, output: out }));
    });
  });
}

/** Runs `hookline <args>` to completion. */
export function runCli(args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; output: string }> {
  const child = spawn(process.execPath, [path.join(ROOT, 'bin/hookline.mjs'), ...args], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  return new Promise((r) => child.on('exit', (code) => r({ code, output: out })));
}

/** Runs `hookline <args>` in this process (main() with captured output): the exit code and what it printed. */
export async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(args, { out: (s) => out.push(s), err: (s) => err.push(s) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}


/** Stops every CLI process still running (SIGTERM, then waits for it to exit) and empties the list: for afterEach. */
export async function stopAll(running: CliProcess[]): Promise<void> {
  for (const p of running.splice(0)) {
    if (p.child.exitCode !== null) continue;
    p.child.kill('SIGTERM');
    await p.exited;
  }
}
